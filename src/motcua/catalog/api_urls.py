from django.urls import path

from . import api

urlpatterns = [
    path("procedures/", api.ProcedureList.as_view(), name="procedure-list"),
    path("procedures/<str:code>/", api.ProcedureDetail.as_view(), name="procedure-detail"),
]
