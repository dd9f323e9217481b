from django.urls import path

from . import api

urlpatterns = [
    path("agencies/", api.AgencyList.as_view(), name="agency-list"),
    path("agencies/<str:code>/", api.AgencyDetail.as_view(), name="agency-detail"),
]
