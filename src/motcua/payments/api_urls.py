from django.urls import path

from . import api

urlpatterns = [
    path("dossiers/<str:code>/payments/", api.DossierPayments.as_view(), name="dossier-payments"),
]
