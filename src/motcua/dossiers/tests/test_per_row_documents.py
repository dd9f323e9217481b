"""A document asked once per row of a repeating group (each member's proof, each co-owner's
card): one upload place per row on the review step, one file part per row in the one-call API,
and a dossier is not filed while a row lacks its document."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from motcua.catalog import services as catalog_services
from motcua.catalog.models import Component, ProcedureCase
from motcua.catalog.tests.factories import record
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, bearer, make_world, pdf

pytestmark = pytest.mark.django_db

MEMBERS = {
    "type": "object",
    "required": ["ho_ten"],
    "properties": {
        "ho_ten": {"type": "string", "title": "Họ tên", "minLength": 1},
        "thanh_vien": {
            "type": "array",
            "title": "Thành viên",
            "items": {
                "type": "object",
                "title": "Thành viên",
                "required": ["ho_ten"],
                "properties": {"ho_ten": {"type": "string", "title": "Họ tên", "minLength": 1}},
            },
        },
    },
}
ANSWERS = {"ho_ten": "Lê Văn An", "thanh_vien": [{"ho_ten": "Lê Thị Bình"}, {"ho_ten": "Lê Cúc"}]}


@pytest.fixture
def world() -> World:
    found = make_world()
    case = ProcedureCase.objects.get(procedure=found.procedure)
    case.eform_schema = MEMBERS
    case.save()
    Component.objects.create(
        case=case,
        position=2,
        name="Giấy tờ chứng minh",
        document_type="GIAY_TO",
        mandatory=True,
        per_row_of="thanh_vien",
    )
    catalog_services.record_version(procedure=found.procedure, actor=None, note="per row")
    return found


def _draft(world: World) -> Any:
    draft = services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)
    services.save_draft(draft=draft, user=world.applicant, values=ANSWERS)
    services.attach(draft=draft, user=world.applicant, component_position=0, upload=pdf())
    return draft


def test_the_review_step_asks_one_document_per_row_and_files_when_each_row_has_one(
    world: World,
) -> None:
    draft = _draft(world)
    client = Client()
    client.force_login(world.applicant)
    url = f"/ho-so/nhap/{draft.pk}/hoan-tat/"
    page = client.get(url).content.decode()
    assert 'id="file-2-0"' in page and 'id="file-2-1"' in page
    assert "1. Lê Thị Bình" in page and "2. Lê Cúc" in page
    assert services.missing_components(draft) == [
        "Giấy tờ chứng minh — 1. Lê Thị Bình",
        "Giấy tờ chứng minh — 2. Lê Cúc",
    ]
    upload = {"action": "upload", "component": "2", "row": "0", "file": pdf("binh.pdf")}
    assert client.post(url, upload).status_code == 302
    assert services.missing_components(draft) == ["Giấy tờ chứng minh — 2. Lê Cúc"]

    refused = client.post(url, {"action": "submit", "delivery": "online", "declared": "on"})
    assert refused.status_code == 400
    assert "2. Lê Cúc" in refused.content.decode()
    assert not Dossier.objects.exists()

    no_row = client.post(url, {"action": "upload", "component": "2", "file": pdf()})
    beyond = client.post(url, {"action": "upload", "component": "2", "row": "5", "file": pdf()})
    a_row_of_a_single = client.post(
        url, {"action": "upload", "component": "0", "row": "0", "file": pdf()}
    )
    for answer in (no_row, beyond, a_row_of_a_single):
        assert answer.status_code == 400
    upload = {"action": "upload", "component": "2", "row": "1", "file": pdf("cuc.pdf")}
    assert client.post(url, upload).status_code == 302
    filed = client.post(url, {"action": "submit", "delivery": "online", "declared": "on"})
    assert filed.status_code == 302
    dossier = Dossier.objects.get()
    rows = dossier.attachments.filter(component_position=2).order_by("row")
    assert [(a.row, a.component_name, a.original_name) for a in rows] == [
        (0, "Giấy tờ chứng minh — 1. Lê Thị Bình", "binh.pdf"),
        (1, "Giấy tờ chứng minh — 2. Lê Cúc", "cuc.pdf"),
    ]


def test_the_one_call_api_takes_a_file_part_per_row(client: Client, world: World) -> None:
    auth = bearer(world.applicant)

    def file(key: str, **parts: Any) -> Any:
        body = {"procedure": "2.000488", "data": json.dumps(ANSWERS), "component_0": pdf()}
        return client.post(
            "/api/v1/dossiers/",
            {**body, **parts},
            headers={"Idempotency-Key": key},
            HTTP_ACCEPT_LANGUAGE="en",
            **auth,
        )

    missing = file("a", component_2_0=pdf())
    assert missing.status_code == 400 and "2. Lê Cúc" in missing.json()["detail"]
    whole = file("b", component_2=pdf())
    assert whole.status_code == 400 and "row" in whole.json()["detail"]
    single_with_row = file("c", component_2_0=pdf(), component_2_1=pdf(), component_1_0=pdf())
    assert single_with_row.status_code == 400
    assert not Dossier.objects.exists()
    filed = file("d", component_2_0=pdf(), component_2_1=pdf())
    assert filed.status_code == 201, filed.content
    dossier = Dossier.objects.get()
    assert sorted(dossier.attachments.values_list("component_position", "row")) == [
        (0, None),
        (2, 0),
        (2, 1),
    ]


def test_a_catalogue_naming_no_repeating_group_for_a_per_row_document_is_refused() -> None:
    data = record()
    data["cases"][0]["components"] = [
        {"name": "Giấy tờ", "document_type": "X", "mandatory": True, "per_row_of": "ho_ten"}
    ]
    data["cases"][0]["eform"] = MEMBERS
    problems = catalog_services.validate_catalog(
        {"format": "motcua-catalog", "format_version": 1, "fields": [], "procedures": [data]}
    )
    assert any("ho_ten" in problem.message for problem in problems), problems


def test_the_draft_api_attaches_a_file_to_a_row(client: Client, world: World) -> None:
    draft = _draft(world)
    auth = bearer(world.applicant)
    url = f"/api/v1/dossiers/drafts/{draft.pk}/attachments/"
    refused = client.post(url, {"component": "2", "file": pdf()}, HTTP_ACCEPT_LANGUAGE="en", **auth)
    assert refused.status_code == 400 and "row" in refused.json()["component"][0]
    made = client.post(url, {"component": "2", "row": "1", "file": pdf()}, **auth)
    assert made.status_code == 201
    assert made.json()["row"] == 1
    assert made.json()["component_name"] == "Giấy tờ chứng minh — 2. Lê Cúc"
