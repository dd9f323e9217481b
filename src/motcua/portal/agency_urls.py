"""The public agency pages, under the ``agencies`` namespace they have always had."""

from django.urls import path

from . import agency_pages

app_name = "agencies"

urlpatterns = [
    path("co-quan/", agency_pages.agency_list, name="list"),
    path("co-quan/<str:code>/", agency_pages.agency_detail, name="detail"),
]
