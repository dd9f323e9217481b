"""Top-level URL map: public pages (translated), API, admin, health."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from motcua.health import healthz
from motcua.portal.views import switch_language

api_v1: list[URLPattern | URLResolver] = [
    path("", include("motcua.catalog.api_urls")),
    path("", include("motcua.agencies.api_urls")),
    path("", include("motcua.accounts.api_urls")),
    path("", include("motcua.dossiers.api_urls")),
    path("", include("motcua.payments.api_urls")),
    path("", include("motcua.results.api_urls")),
    path("", include("motcua.eforms.api_urls")),
    path("", include("motcua.addresses.api_urls")),
    path("", include("motcua.personalstore.api_urls")),
    path("", include("motcua.petitions.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", switch_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("accounts/", include("motcua.accounts.urls")),
    path("", include("motcua.dossiers.urls")),
    path("", include("motcua.payments.urls")),
    path("", include("motcua.results.urls")),
    path("", include("motcua.feedback.urls")),
    path("", include("motcua.addresses.urls")),
    path("", include("motcua.personalstore.urls")),
    path("can-bo/bieu-mau/", include("motcua.formbuilder.urls")),
    path("", include("motcua.petitions.urls")),
    path("open311/v2/", include("motcua.petitions.open311_urls")),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("o/", include("motcua.accounts.oauth_urls")),
    path("sandbox/eid/", include("motcua.sandbox_eid.urls")),
    path("", include("motcua.nationalportal.urls")),
    # CKAN's Action API where CKAN clients look for it (both of CKAN's own paths).
    path("api/3/action/", include("motcua.opendata.api_urls")),
    path(
        "api/action/",
        include(("motcua.opendata.api_urls", "opendata_api"), namespace="opendata_api_unversioned"),
    ),
    path("du-lieu-mo/", include("motcua.opendata.urls")),
    path("", include("motcua.portal.urls")),
    path("", include("motcua.listen.urls")),
    path("", include("motcua.helpdesk.urls")),
    path("", include("motcua.catalog.urls")),
    path("", include("motcua.portal.agency_urls")),
]

# No route serves MEDIA_ROOT, in debug or not: every stored file leaves through a view that
# checks who asks (motcua.security.file_response).

handler404 = "motcua.portal.views.page_not_found"
handler500 = "motcua.portal.views.server_error"
