from django.urls import URLPattern, path

from . import sandbox_views, views

app_name = "nationalportal"

urlpatterns: list[URLPattern] = [
    path("can-bo/dong-bo-quoc-gia/", views.report, name="report"),
    path("can-bo/dong-bo-quoc-gia/<int:item_id>/gui-lai/", views.resend, name="resend"),
    path("can-bo/dong-bo-quoc-gia/bo-sung/", views.backfill, name="backfill"),
    path("can-bo/dong-bo-quoc-gia/danh-muc/", views.import_catalogue, name="import_catalogue"),
    # SANDBOX: the stand-in national portal.
    path("sandbox/cong-dvcqg/", sandbox_views.home, name="sandbox_home"),
    path("sandbox/cong-dvcqg/auth", sandbox_views.auth, name="sandbox_auth"),
    path("sandbox/cong-dvcqg/sync", sandbox_views.sync, name="sandbox_sync"),
    path("sandbox/cong-dvcqg/share", sandbox_views.share, name="sandbox_share"),
    path("sandbox/cong-dvcqg/ho-so/<str:code>/", sandbox_views.dossier, name="sandbox_dossier"),
]
