"""Filing pages pre-fill the e-form from the account and every ``x-prefill`` source: only a
new draft, only as first answers the citizen can change, each said beside its field while it
is unchanged; a value the form would refuse is left out and never blocks the page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import AssuranceLevel, User
from motcua.dossiers.models import DossierDraft
from motcua.dossiers.tests.factories import World, make_world
from motcua.dossiers.tests.test_eform_features import with_form
from motcua.eforms.prefill import Applicant, prefill_values

pytestmark = pytest.mark.django_db

DECLARATION: dict[str, Any] = {
    "type": "object",
    "required": ["nguoi_dai_dien", "ngay_sinh"],
    "properties": {
        "nguoi_dai_dien": {
            "type": "string",
            "title": "Người đại diện",
            "maxLength": 100,
            "x-prefill": "eid.full_name",
        },
        "ngay_sinh": {"type": "string", "format": "date", "x-prefill": "eid.date_of_birth"},
        "gioi_tinh": {"type": "string", "enum": ["Nam", "Nữ"], "x-prefill": "eid.sex"},
        "noi_o": {"type": "string", "maxLength": 255, "x-prefill": "eid.address"},
        "so_dinh_danh": {"type": "string", "pattern": "^\\d{12}$", "x-prefill": "eid.personal_id"},
        # the name is longer: the value would be refused, so it is not given
        "ten_goi": {"type": "string", "maxLength": 5, "x-prefill": "eid.full_name"},
    },
}


def _verified(user: User) -> User:
    user.full_name = "Nguyễn Thị Lan"
    user.date_of_birth = datetime.date(1990, 5, 17)
    user.sex = "female"
    user.personal_id = "048190000123"
    user.current_street = "12 Lê Duẩn"
    user.current_ward_code = 20242
    user.assurance_level = AssuranceLevel.LEVEL_2
    user.save()
    return user


def _start(client: Client, world: World) -> str:
    client.cookies["django_language"] = "en"  # the language switch's choice
    client.force_login(world.applicant)
    started = client.post(f"/ho-so/nop/{world.procedure.code}/")
    assert started.status_code == 302
    draft = DossierDraft.objects.filter(applicant=world.applicant).latest("pk")
    return f"/ho-so/nhap/{draft.pk}/buoc/0/"


def test_an_eid_identity_fills_the_declared_fields_and_says_so(client: Client) -> None:
    world = make_world()
    _verified(world.applicant)
    with_form(world, DECLARATION)
    step = _start(client, world)
    assert DossierDraft.objects.get().data == {
        "nguoi_dai_dien": "Nguyễn Thị Lan",
        "ngay_sinh": "1990-05-17",
        "gioi_tinh": "Nữ",
        "noi_o": "12 Lê Duẩn, Phường Hải Châu",
        "so_dinh_danh": "048190000123",
    }  # ten_goi's value would be refused: it is left out
    page = client.get(step)
    assert page.status_code == 200
    assert 'value="Nguyễn Thị Lan"' in page.text
    assert page.text.count("Filled in from your e-ID (VNeID)") == 5

    # the citizen changes one answer and keeps the others: only those still say where from
    answers = {
        "nguoi_dai_dien": "Trần Văn Bình",
        "ngay_sinh": "1990-05-17",
        "gioi_tinh": "Nữ",
        "noi_o": "12 Lê Duẩn, Phường Hải Châu",
        "so_dinh_danh": "048190000123",
        "action": "save",
    }
    assert client.post(step, answers).status_code == 302
    assert DossierDraft.objects.get().data["nguoi_dai_dien"] == "Trần Văn Bình"
    again = client.get(step)
    assert again.text.count("Filled in from your e-ID (VNeID)") == 4


def test_an_account_the_eid_did_not_vouch_for_fills_nothing_from_the_eid() -> None:
    world = make_world()
    user = _verified(world.applicant)
    assert prefill_values(DECLARATION, applicant=Applicant(user))["so_dinh_danh"].value
    user.assurance_level = AssuranceLevel.UNVERIFIED  # typed by the person, not the e-ID's
    assert prefill_values(DECLARATION, applicant=Applicant(user)) == {}


def test_a_draft_with_answers_is_never_filled_over(client: Client) -> None:
    world = make_world()
    _verified(world.applicant)
    with_form(world, DECLARATION)
    step = _start(client, world)
    draft = DossierDraft.objects.get()
    draft.data = {"nguoi_dai_dien": "Người khác"}
    draft.save()
    page = client.get(step)
    assert 'value="Người khác"' in page.text
    assert 'value="Nguyễn Thị Lan"' not in page.text
    assert "Filled in from" not in page.text


def test_a_nested_applicant_object_is_kept_as_a_nested_answer(client: Client) -> None:
    world = make_world()
    _verified(world.applicant)
    with_form(
        world,
        {
            "type": "object",
            "properties": {
                "nguoi_khai": {
                    "type": "object",
                    "properties": {
                        "ho_ten": {"type": "string"},
                        "so_dinh_danh": {"type": "string"},
                    },
                }
            },
        },
    )
    step = _start(client, world)
    # saved in the document's own shape (was "nguoi_khai.ho_ten" at the top level, which the
    # form never showed again)
    assert DossierDraft.objects.get().data == {
        "nguoi_khai": {"ho_ten": "Nguyễn Thị Lan", "so_dinh_danh": "048190000123"}
    }
    page = client.get(step)
    assert 'value="Nguyễn Thị Lan"' in page.text
    assert "Filled in from your e-ID (VNeID)" in page.text


def test_a_field_hidden_when_the_form_opens_is_not_filled(client: Client) -> None:
    world = make_world()
    _verified(world.applicant)
    with_form(
        world,
        {
            "type": "object",
            "properties": {
                "nguoi_khai": {"type": "string", "x-prefill": "eid.full_name"},
                "nop_thay": {"type": "boolean", "title": "Tôi nộp thay"},
                "nguoi_uy_quyen": {"type": "string", "x-prefill": "eid.full_name"},
            },
            "if": {"properties": {"nop_thay": {"const": True}}, "required": ["nop_thay"]},
            "then": {"required": ["nguoi_uy_quyen"]},
            "else": {"properties": {"nguoi_uy_quyen": False}},
        },
    )
    step = _start(client, world)
    # an answer there would be refused when the step is sent: it is never given
    assert DossierDraft.objects.get().data == {"nguoi_khai": "Nguyễn Thị Lan"}
    sent = client.post(step, {"nguoi_khai": "Nguyễn Thị Lan", "action": "save"})
    assert sent.status_code == 302
