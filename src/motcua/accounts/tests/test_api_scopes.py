"""Token scopes hold on every API view: ``read`` reads, changing anything needs ``write``.

The views are found from the URL map, so a view added later is tested too.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AccessToken, Application

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.models import DossierDraft
from motcua.dossiers.tests.factories import World, bearer, make_world

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")


def _walk(patterns: list[Any], prefix: str) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
            found.append((route, pattern.callback.cls))
    return found


def api_views() -> list[tuple[str, Any]]:
    api = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    assert isinstance(api, URLResolver)
    views = _walk(api.url_patterns, "/api/v1/")
    # Path converters filled with a plausible value (a dossier code, an id).
    return [(re.sub(r"<(?:(\w+):)?\w+>", "1", route), view) for route, view in views]


ROUTES = api_views()


def token(scope: str) -> dict[str, Any]:
    return bearer(UserFactory.create(), scope)


def call(view: Any, method: str, url: str, headers: dict[str, Any]) -> Any:
    client = Client()
    if method == "get":
        return client.get(url, **headers)
    parsers = view().get_parsers()
    if method == "post" and not any(parser.media_type == "application/json" for parser in parsers):
        return client.post(url, {}, **headers)  # multipart, what such a view takes
    return getattr(client, method)(url, data="{}", content_type="application/json", **headers)


def refused_for_scope(response: Any) -> bool:
    if response.status_code != 403:
        return False
    # The interactive docs answer with an HTML page that does not show the reason.
    html = response["Content-Type"].startswith("text/html")
    # Vietnamese first: the API answers in the platform's language unless asked otherwise.
    return html or "Phạm vi của mã truy cập này không cho phép" in response.content.decode()


def test_the_api_views_are_found() -> None:
    names = {view.__name__ for _route, view in ROUTES}
    assert {"DossierDetail", "DraftCreate", "DossierPayments", "Me", "ProcedureList"} <= names


@pytest.mark.parametrize(("route", "view"), ROUTES, ids=[route for route, _view in ROUTES])
def test_every_api_view_enforces_the_token_scopes(route: str, view: Any) -> None:
    methods = [m for m in ("get", *WRITE_METHODS) if hasattr(view, m)]
    assert methods
    if not view.authentication_classes:
        # Public (catalogue, look-up, verification): no credentials are read there at all.
        assert [permission.__name__ for permission in view.permission_classes] == ["AllowAny"]
        return
    if not any(issubclass(auth, OAuth2Authentication) for auth in view.authentication_classes):
        # Systems' own credentials (an issuer depositing documents): a person's bearer token,
        # whatever its scope, is not a credential there at all.
        for method in methods:
            assert call(view, method, route, token("read write")).status_code == 401, route
        return
    write_only, read_only, both = token("write"), token("read"), token("read write")
    for method in methods:
        if method == "get":
            assert refused_for_scope(call(view, "get", route, write_only)), route
        else:
            assert refused_for_scope(call(view, method, route, read_only)), (method, route)
        assert not refused_for_scope(call(view, method, route, both)), (method, route)


def test_a_read_token_cannot_file_a_draft() -> None:
    """The finding: a token with only ``read`` filed drafts."""
    world: World = make_world()
    for scope, expected in (("read", 403), ("read write", 201)):
        app = Application.objects.create(
            name=scope,
            client_type=Application.CLIENT_PUBLIC,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris="https://app.example.vn/callback",
        )
        issued = AccessToken.objects.create(
            user=world.applicant,
            application=app,
            token=f"draft-{scope.replace(' ', '-')}",
            scope=scope,
            expires=timezone.now() + datetime.timedelta(hours=1),
        )
        response = Client().post(
            "/api/v1/dossiers/drafts/",
            {"procedure": "2.000488", "data": {}},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {issued.token}",
        )
        assert response.status_code == expected, (scope, response.content)
    assert DossierDraft.objects.count() == 1


def test_sessions_are_not_concerned(client: Client) -> None:
    world: World = make_world()
    client.force_login(world.applicant)
    created = client.post(
        "/api/v1/dossiers/drafts/",
        {"procedure": "2.000488", "data": {}},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert client.get("/api/v1/me/").status_code == 200
