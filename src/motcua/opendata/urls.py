from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("catalog.<str:extension>", views.catalog_rdf, name="catalog_rdf"),
    path("dataset/<str:name>/", views.dataset_page, name="dataset"),
    path("dataset/<str:name>.<str:extension>", views.dataset_rdf, name="dataset_rdf"),
    path(
        "dataset/<str:name>/resource/<uuid:resource_id>/download/<str:filename>",
        views.download,
        name="download",
    ),
    path("quan-ly/", views.steward_home, name="steward_home"),
    path("quan-ly/tao/", views.dataset_create, name="dataset_create"),
    path("quan-ly/<str:name>/sua/", views.dataset_edit, name="dataset_edit"),
    path("quan-ly/<str:name>/tai-len/", views.resource_add, name="resource_add"),
    path(
        "quan-ly/tai-nguyen/<uuid:resource_id>/tu-dien/",
        views.dictionary_edit,
        name="dictionary_edit",
    ),
    path("quan-ly/tokens/", views.token_create, name="token_create"),
    path("quan-ly/tokens/<int:token_id>/thu-hoi/", views.token_revoke, name="token_revoke"),
]
