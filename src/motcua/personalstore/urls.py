from django.urls import path

from . import sandbox, views

app_name = "personalstore"

urlpatterns = [
    path("kho-du-lieu/", views.my_store, name="mine"),
    path("kho-du-lieu/nhat-ky/", views.usage, name="usage"),
    path("can-bo/kho-du-lieu/giam-giay-to/", views.reduction_page, name="reduction"),
    path("kho-du-lieu/<int:pk>/", views.document_page, name="document"),
    path("kho-du-lieu/<int:pk>/tai-ve/", views.download, name="download"),
    path("kho-du-lieu/<int:pk>/chia-se/", views.share, name="share"),
    path(
        "kho-du-lieu/<int:pk>/chia-se/<int:link_id>/thu-hoi/",
        views.withdraw_share,
        name="withdraw_share",
    ),
    path("kho-du-lieu/<int:pk>/an/", views.hide, name="hide"),
    path("chia-se/<str:token>/", views.shared, name="shared"),
    path("chia-se/<str:token>/tai-ve/", views.shared_download, name="shared_download"),
    path("ho-so/nhap/<int:draft_id>/kho/<int:position>/", views.reuse, name="reuse"),
    path("ho-so/nhap/<int:draft_id>/kho/<int:position>/bo/", views.stop_reuse, name="stop_reuse"),
    path("can-bo/ho-so/<str:code>/kho/<int:reuse_id>/", views.officer_read, name="officer_read"),
    path("can-bo/ho-so/<str:code>/so-hoa/", views.officer_verify, name="officer_verify"),
    path(
        "can-bo/ho-so/<str:code>/lay-du-lieu/<int:position>/",
        views.officer_fetch,
        name="officer_fetch",
    ),
    path(
        "sandbox/csdl-quoc-gia/<str:database>/health",
        sandbox.health,
        name="national_sandbox_health",
    ),
    path(
        "sandbox/csdl-quoc-gia/<str:database>/<str:service>",
        sandbox.answer,
        name="national_sandbox",
    ),
]
