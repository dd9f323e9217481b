from django.urls import path

from . import api

urlpatterns = [
    path("addresses/", api.PlaceSearch.as_view(), name="address-search"),
    path("addresses/nearest/", api.PlaceNearest.as_view(), name="address-nearest"),
    path("addresses/mine/", api.MyAddress.as_view(), name="address-mine"),
    path(
        "addresses/wards/<int:ward_code>/geojson/",
        api.WardGeoJSON.as_view(),
        name="address-ward-geojson",
    ),
    path("addresses/<str:code>/", api.PlaceDetail.as_view(), name="address-detail"),
]
