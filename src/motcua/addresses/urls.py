from django.urls import path

from . import views

app_name = "addresses"

urlpatterns = [
    path("can-bo/dia-chi/", views.officer_places, name="officer_places"),
    path("can-bo/dia-chi/moi/", views.officer_place_new, name="officer_place_new"),
    path("can-bo/dia-chi/nhap-tep/", views.officer_import, name="officer_import"),
    path("can-bo/dia-chi/yeu-cau-sua/", views.officer_corrections, name="officer_corrections"),
    path(
        "can-bo/dia-chi/yeu-cau-sua/<int:pk>/",
        views.officer_correction_decide,
        name="officer_correction_decide",
    ),
    path("can-bo/dia-chi/<str:code>/", views.officer_place, name="officer_place"),
    path(
        "can-bo/dia-chi/<str:code>/xac-nhan/",
        views.officer_place_confirm,
        name="officer_place_confirm",
    ),
    path(
        "can-bo/dia-chi/<str:code>/ho-gia-dinh/",
        views.officer_household_new,
        name="officer_household_new",
    ),
    path("dia-chi-so/", views.my_address, name="mine"),
    path("dia-chi-so/yeu-cau-sua/", views.my_address_correction, name="correction"),
    path("dia-chi/tra-cuu/", views.lookup, name="lookup"),
    path("dia-chi/<str:code>/", views.public_place, name="public_place"),
]
