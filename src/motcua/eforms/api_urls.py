from django.urls import path

from . import api

urlpatterns = [
    path("reference-lists/<str:name>/", api.ReferenceListView.as_view(), name="reference-list"),
]
