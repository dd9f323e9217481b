"""Filing an e-form with repeating groups and conditions through the draft pages, without
JavaScript: the row buttons are round trips that keep every typed value and save nothing; a
hidden field sent anyway is refused and never stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.catalog import services as catalog_services
from motcua.dossiers.models import DossierDraft
from motcua.dossiers.tests.factories import World, make_world

pytestmark = pytest.mark.django_db

#: A residence declaration: the household's members, and who files on their behalf.
RESIDENCE: dict[str, Any] = {
    "type": "object",
    "title": "Tờ khai thay đổi thông tin cư trú",
    "required": ["ho_ten", "thanh_vien"],
    "properties": {
        "ho_ten": {"type": "string", "title": "Họ và tên người khai"},
        "thanh_vien": {
            "type": "array",
            "title": "Những người cùng thay đổi",
            "minItems": 1,
            "maxItems": 3,
            "items": {
                "type": "object",
                "title": "Thành viên",
                "required": ["ho_ten_tv"],
                "properties": {
                    "ho_ten_tv": {"type": "string", "title": "Họ và tên thành viên"},
                    "quan_he": {"type": "string", "title": "Quan hệ với người khai"},
                },
            },
        },
        "nop_thay": {"type": "boolean", "title": "Tôi khai thay cho chủ hộ"},
        "ho_ten_chu_ho": {"type": "string", "title": "Họ và tên chủ hộ"},
    },
    "if": {"properties": {"nop_thay": {"const": True}}, "required": ["nop_thay"]},
    "then": {"required": ["ho_ten_chu_ho"]},
    "else": {"properties": {"ho_ten_chu_ho": False}},
}


def with_form(world: World, schema: dict[str, Any]) -> None:
    case = world.procedure.cases.get()
    case.eform_schema = schema
    case.save()
    catalog_services.record_version(procedure=world.procedure, actor=None, note="e-form")


@pytest.fixture
def step_url(client: Client) -> str:
    world = make_world()
    with_form(world, RESIDENCE)
    client.force_login(world.applicant)
    client.post(f"/ho-so/nop/{world.procedure.code}/")
    draft = DossierDraft.objects.get(applicant=world.applicant)
    return f"/ho-so/nhap/{draft.pk}/buoc/0/"


def test_add_and_remove_rows_by_round_trips_saving_nothing(client: Client, step_url: str) -> None:
    typed = {
        "ho_ten": "Trần Văn Bình",
        "thanh_vien": "1",
        "thanh_vien.0.ho_ten_tv": "Nguyễn Thị Lan",
        "thanh_vien.0.quan_he": "Vợ",
    }
    added = client.post(step_url, {**typed, "action": "add:thanh_vien"})
    assert added.status_code == 200
    assert 'value="Nguyễn Thị Lan"' in added.text and 'name="thanh_vien.1.ho_ten_tv"' in added.text
    assert DossierDraft.objects.get().data.get("thanh_vien") is None  # nothing saved yet

    two = {**typed, "thanh_vien": "2", "thanh_vien.1.ho_ten_tv": "Trần Minh Khôi"}
    removed = client.post(step_url, {**two, "action": "remove:thanh_vien:0"})
    assert removed.status_code == 200
    assert 'value="Trần Minh Khôi"' in removed.text and "Nguyễn Thị Lan" not in removed.text

    saved = client.post(step_url, {**two, "action": "next"})
    assert saved.status_code == 302
    assert DossierDraft.objects.get().data["thanh_vien"] == [
        {"ho_ten_tv": "Nguyễn Thị Lan", "quan_he": "Vợ"},
        {"ho_ten_tv": "Trần Minh Khôi"},
    ]
    review = client.get(saved.headers["Location"], follow=True)
    assert "Thành viên 2 – Họ và tên thành viên" in review.text


def test_over_the_maximum_and_a_hidden_field_are_refused_never_stored(
    client: Client, step_url: str
) -> None:
    rows = {f"thanh_vien.{i}.ho_ten_tv": f"Người {i}" for i in range(4)}
    too_many = client.post(step_url, {"ho_ten": "B", "thanh_vien": "4", **rows, "action": "next"})
    assert too_many.status_code == 400
    assert "Nhập tối đa 3" in too_many.text or "tối đa 3" in too_many.text
    hidden = client.post(
        step_url,
        {
            "ho_ten": "B",
            "thanh_vien": "1",
            "thanh_vien.0.ho_ten_tv": "C",
            "ho_ten_chu_ho": "Chủ hộ khác",
            "action": "next",
        },
    )
    assert hidden.status_code == 400
    assert "không áp dụng" in hidden.text
    assert DossierDraft.objects.get().data.get("ho_ten_chu_ho") is None
