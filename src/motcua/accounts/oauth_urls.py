"""``/o/``: the OAuth2 endpoints apps use, and a person's list of apps they allowed.

DOT's self-service application pages (``/o/applications/…``) are not served: any signed-in
person could register a client there with any grant. Administrators register applications in
the admin (``oauth.application_problem`` says what is allowed).
"""

from django.urls import path
from oauth2_provider import views

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", views.AuthorizationView.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectTokenView.as_view(), name="introspect"),
    path(
        "authorized_tokens/",
        views.AuthorizedTokensListView.as_view(),
        name="authorized-token-list",
    ),
    path(
        "authorized_tokens/<slug:pk>/delete/",
        views.AuthorizedTokenDeleteView.as_view(),
        name="authorized-token-delete",
    ),
]
