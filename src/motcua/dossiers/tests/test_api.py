"""/api/v1/dossiers/: filing with a bearer token, reading, acting, and the public lookup."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, bearer, file_dossier, make_world, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def test_filing_through_the_api(client: Client, world: World) -> None:
    auth = bearer(world.applicant)
    created = client.post(
        "/api/v1/dossiers/drafts/",
        {"procedure": "2.000488", "data": {}},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    draft_id = created.json()["id"]
    saved = client.patch(
        f"/api/v1/dossiers/drafts/{draft_id}/",
        {"data": {"ho_ten": "Nguyễn Văn An"}},
        content_type="application/json",
        **auth,
    )
    assert saved.json()["data"]["ho_ten"] == "Nguyễn Văn An"
    missing = client.post(f"/api/v1/dossiers/drafts/{draft_id}/submit/", **auth)
    assert missing.status_code == 400
    bad_file = client.post(
        f"/api/v1/dossiers/drafts/{draft_id}/attachments/",
        {"component": "0", "file": pdf("a.pdf", b"not a pdf at all")},
        **auth,
    )
    assert bad_file.status_code == 400 and "file" in bad_file.json()
    uploaded = client.post(
        f"/api/v1/dossiers/drafts/{draft_id}/attachments/",
        {"component": "0", "file": pdf()},
        **auth,
    )
    assert uploaded.status_code == 201
    first = client.post(f"/api/v1/dossiers/drafts/{draft_id}/submit/", **auth)
    second = client.post(f"/api/v1/dossiers/drafts/{draft_id}/submit/", **auth)
    assert first.status_code == second.status_code == 201
    assert first.json()["code"] == second.json()["code"]
    listing = client.get("/api/v1/dossiers/", **auth).json()
    assert [d["code"] for d in listing["results"]] == [first.json()["code"]]


def test_another_citizen_gets_404_everywhere(client: Client, world: World) -> None:
    dossier = file_dossier(world)
    auth = bearer(UserFactory.create())
    assert client.get(f"/api/v1/dossiers/{dossier.code}/", **auth).status_code == 404
    withdraw = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/",
        {"transition": "withdraw"},
        content_type="application/json",
        **auth,
    )
    assert withdraw.status_code == 404
    assert client.get("/api/v1/dossiers/", **auth).json()["count"] == 0
    draft_id = world.applicant.dossier_drafts.first().pk  # type: ignore[union-attr]
    assert client.get(f"/api/v1/dossiers/drafts/{draft_id}/", **auth).status_code == 404


def test_officer_actions_need_the_second_factor(client: Client, world: World) -> None:
    dossier = file_dossier(world)
    by_token = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/",
        {"transition": "accept"},
        content_type="application/json",
        **bearer(world.receiver),
    )
    assert by_token.status_code == 404
    sign_in_with_second_factor(client, world.receiver)
    accepted = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/",
        {"transition": "accept"},
        content_type="application/json",
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == Status.ACCEPTED
    wrong = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/",
        {"transition": "return_result"},
        content_type="application/json",
    )
    assert wrong.status_code == 400
    worklist = client.get("/api/v1/dossiers/worklist/", {"list": "in_progress"}).json()
    assert [d["code"] for d in worklist["results"]] == [dossier.code]
    assert client.get("/api/v1/dossiers/worklist/", {"list": "nope"}).status_code == 400


def test_public_lookup_api(client: Client, world: World) -> None:
    dossier = file_dossier(world)
    found = client.get(
        "/api/v1/dossiers/lookup/", {"code": dossier.code, "secret": dossier.lookup_secret}
    )
    assert found.status_code == 200
    assert set(found.json()) == {"code", "status", "status_label", "due_at"}
    assert client.get("/api/v1/dossiers/lookup/", {"code": dossier.code}).status_code == 404
    assert Dossier.objects.count() == 1


def test_dossier_api_is_documented(client: Client) -> None:
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()[
        "paths"
    ]
    for path in (
        "/api/v1/dossiers/",
        "/api/v1/dossiers/{code}/actions/",
        "/api/v1/dossiers/drafts/{draft_id}/submit/",
        "/api/v1/dossiers/lookup/",
    ):
        assert path in paths


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_quick_dossier_answer_matches_drf_field_for_field(world: World, language: str) -> None:
    from django.utils import translation
    from rest_framework import serializers

    from motcua.dossiers.api import DossierSerializer

    new = file_dossier(world)
    finished = file_dossier(world)
    Dossier.objects.filter(pk=finished.pk).update(
        status=Status.RETURNED,
        accepted_at=timezone.now() - datetime.timedelta(days=3),
        due_at=timezone.now() + datetime.timedelta(days=2, microseconds=7),
        finished_at=timezone.now(),
    )
    finished.refresh_from_db()
    with translation.override(language):
        for dossier in (new, finished):
            quick = DossierSerializer(dossier).data
            drf = serializers.ModelSerializer.to_representation(DossierSerializer(), dossier)
            assert quick == drf
            assert list(quick) == DossierSerializer.Meta.fields
