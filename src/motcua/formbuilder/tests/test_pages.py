"""Staff build a form through the pages, without JavaScript, and publish it as a version."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.agencies.tests.factories import AgencyFactory
from motcua.catalog.models import ProcedureCase, ProcedureVersion
from motcua.catalog.tests.factories import make_procedure
from motcua.dossiers.tests.factories import file_dossier, make_world, officer
from motcua.formbuilder.models import FormDraft

pytestmark = pytest.mark.django_db

BASE = "/can-bo/bieu-mau/2.000488/0/"


@pytest.fixture
def procedure() -> Any:
    agency = AgencyFactory.create(code="H17.02", name="Sở Tư pháp")
    found = make_procedure(code="2.000488", name="Cấp Phiếu lý lịch tư pháp", agencies=[agency])
    ProcedureCase.objects.filter(procedure=found).update(position=0, eform_schema={})
    return found


@pytest.fixture
def designer(procedure: Any) -> Client:
    client = Client()
    sign_in_with_second_factor(client, officer(procedure.agencies.get(), "form_designer"))
    return client


def _add(client: Client, kind: str, data: dict[str, Any], **where: Any) -> Any:
    return client.post(BASE + "them-truong/", {"kind": kind, **where, **data})


def test_a_designer_builds_a_form_with_a_condition_and_a_repeating_group_and_publishes_it(
    designer: Client, procedure: Any
) -> None:
    page = designer.get(BASE)
    assert page.status_code == 200
    assert "Xem trước" in page.content.decode() or "Preview" in page.content.decode()
    kinds = designer.get(BASE + "them-truong/?step=0").content.decode()
    assert "?kind=rows" in kinds and "?kind=computed" in kinds

    assert (
        _add(designer, "text", {"title": "Họ và tên", "required": "on"}, step=0).status_code == 302
    )
    assert _add(designer, "yes_no", {"title": "Tôi nộp thay"}, step=0).status_code == 302
    assert _add(designer, "text", {"title": "Người ủy quyền"}, step=0).status_code == 302
    condition = designer.get(BASE + "dieu-kien/them/?group=&field=toi_nop_thay")
    assert condition.status_code == 200
    made = designer.post(
        BASE + "dieu-kien/them/",
        {
            "group": "",
            "field": "toi_nop_thay",
            "value": "true",
            "shown": ["nguoi_uy_quyen"],
            "required": ["nguoi_uy_quyen"],
        },
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    assert designer.post(BASE + "buoc/them/", {"title": "Thành viên"}).status_code == 302
    rows = _add(
        designer,
        "rows",
        {
            "title": "Thành viên hộ",
            "row_title": "Thành viên",
            "min_items": "1",
            "max_items": "5",
            "required": "on",
        },
        step=1,
    )
    assert rows.status_code == 302
    member = _add(designer, "date", {"title": "Ngày sinh", "required": "on"}, group="thanh_vien_ho")
    assert member.status_code == 302

    builder = designer.get(BASE).content.decode()
    assert "thanh_vien_ho.ngay_sinh" in builder
    assert "&quot;x-steps&quot;" in builder  # the JSON Schema is shown under the builder
    preview = designer.get(BASE + "xem-truoc/?step=1")
    assert preview.status_code == 200
    assert "thanh_vien_ho.0.ngay_sinh" in preview.content.decode()
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in preview["Content-Security-Policy"]
    assert designer.get(BASE)["X-Frame-Options"] == "DENY"

    versions = ProcedureVersion.objects.filter(procedure=procedure).count()
    published = designer.post(BASE + "xuat-ban/")
    assert published.status_code == 302
    case = ProcedureCase.objects.get(procedure=procedure)
    schema = case.eform_schema
    assert schema["properties"]["thanh_vien_ho"]["items"]["required"] == ["ngay_sinh"]
    assert schema["allOf"][0]["then"] == {"required": ["nguoi_uy_quyen"]}
    latest = ProcedureVersion.objects.filter(procedure=procedure).order_by("-number").first()
    assert (
        latest is not None
        and ProcedureVersion.objects.filter(procedure=procedure).count() == versions + 1
    )
    assert latest.snapshot["cases"][0]["eform"] == schema
    assert not FormDraft.objects.exists()


def test_the_preview_checks_answers_like_the_citizens_form_without_keeping_them(
    designer: Client,
) -> None:
    _add(designer, "text", {"title": "Họ và tên", "required": "on"}, step=0)
    _add(designer, "yes_no", {"title": "Tôi nộp thay"}, step=0)
    _add(designer, "text", {"title": "Người ủy quyền"}, step=0)
    designer.post(
        BASE + "dieu-kien/them/",
        {
            "field": "toi_nop_thay",
            "value": "true",
            "shown": ["nguoi_uy_quyen"],
            "required": ["nguoi_uy_quyen"],
        },
    )
    refused = designer.post(
        BASE + "xem-truoc/", {"step": "0", "ho_va_ten": "", "toi_nop_thay": "on"}
    )
    assert refused.status_code == 400
    accepted = designer.post(
        BASE + "xem-truoc/",
        {"step": "0", "ho_va_ten": "Lê Văn A", "toi_nop_thay": "on", "nguoi_uy_quyen": "Lê B"},
    )
    assert accepted.status_code == 200
    assert ProcedureCase.objects.get().eform_schema == {}


def test_bad_input_is_refused_beside_the_field_and_what_was_typed_stays(designer: Client) -> None:
    empty = _add(designer, "text", {"title": "", "description": "Ghi rõ họ tên"}, step=0)
    assert empty.status_code == 400
    assert "Ghi rõ họ tên" in empty.content.decode()
    one_option = _add(designer, "choice", {"title": "Giới tính", "options": "Nam"}, step=0)
    assert one_option.status_code == 400
    assert "Giới tính" in one_option.content.decode()
    _add(designer, "text", {"title": "Họ và tên"}, step=0)
    twice = _add(designer, "text", {"title": "Khác", "key": "ho_va_ten"}, step=0)
    assert twice.status_code == 400 and "ho_va_ten" in twice.content.decode()
    assert designer.post(BASE + "dieu-kien/9/xoa/", {"group": ""}).status_code == 400
    assert designer.get(BASE + "truong/khong_co/").status_code == 404
    assert designer.get(BASE + "them-truong/?group=khong_co&kind=text").status_code == 404


def test_a_form_that_cannot_be_filled_is_not_published(designer: Client) -> None:
    _add(designer, "rows", {"title": "Thành viên", "row_title": "Thành viên"}, step=0)
    refused = designer.post(BASE + "xuat-ban/")
    assert refused.status_code == 400
    assert "Thành viên" in refused.content.decode()
    assert ProcedureCase.objects.get().eform_schema == {}


def test_publishing_over_someone_elses_change_is_refused(designer: Client) -> None:
    _add(designer, "text", {"title": "Họ và tên"}, step=0)
    ProcedureCase.objects.update(
        eform_schema={"type": "object", "properties": {"x": {"type": "string"}}}
    )
    refused = designer.post(BASE + "xuat-ban/")
    assert refused.status_code == 409
    assert ProcedureCase.objects.get().eform_schema["properties"] == {"x": {"type": "string"}}


def test_only_form_designers_of_the_procedures_agency_reach_the_builder(procedure: Any) -> None:
    anonymous = Client().get(BASE)
    assert anonymous.status_code == 302
    citizen = Client()
    citizen.force_login(UserFactory.create())
    receiver = Client()
    sign_in_with_second_factor(receiver, officer(procedure.agencies.get(), "receiver"))
    elsewhere = Client()
    sign_in_with_second_factor(elsewhere, officer(AgencyFactory.create(), "form_designer"))
    assert citizen.get(BASE)["Location"].startswith("/accounts/second-factor/")
    for client in (receiver, elsewhere):
        assert client.get(BASE).status_code == 404
        assert client.post(BASE + "xuat-ban/").status_code == 404
        assert client.get(BASE + "xem-truoc/").status_code == 404
    assert "2.000488" not in elsewhere.get("/can-bo/bieu-mau/").content.decode()
    assert not FormDraft.objects.exists()


def test_a_dossier_keeps_the_form_it_was_filed_under_after_a_new_form_is_published() -> None:
    world = make_world()
    filed = file_dossier(world)
    old_version = filed.procedure_version
    client = Client()
    sign_in_with_second_factor(client, officer(world.agency, "form_designer"))
    base = f"/can-bo/bieu-mau/{world.procedure.code}/0/"
    added = client.post(
        base + "them-truong/", {"kind": "date", "title": "Ngày cần phiếu", "step": "0"}
    )
    assert added.status_code == 302
    assert client.post(base + "xuat-ban/").status_code == 302
    filed.refresh_from_db()
    assert filed.procedure_version == old_version
    assert "ngay_can_phieu" not in json.dumps(filed.procedure_version.snapshot)
    later = file_dossier(world)
    assert later.procedure_version.number == old_version.number + 1
    assert "ngay_can_phieu" in later.procedure_version.snapshot["cases"][0]["eform"]["properties"]


def test_a_condition_on_an_answered_field_is_listed_with_what_it_requires(
    designer: Client,
) -> None:
    _add(designer, "email", {"title": "Thư điện tử"}, step=0)
    _add(designer, "text", {"title": "Giờ liên hệ"}, step=0)
    made = designer.post(
        BASE + "dieu-kien/them/",
        {"field": "thu_dien_tu", "value": "$answered", "required": ["gio_lien_he"]},
    )
    assert made.status_code == 302
    page = designer.get(BASE).content.decode()
    assert "Khi «Thư điện tử» đã được trả lời; bắt buộc Giờ liên hệ" in page


def test_a_field_edited_through_the_page_keeps_its_hand_written_x_prefill(
    designer: Client, procedure: Any
) -> None:
    ProcedureCase.objects.filter(procedure=procedure).update(
        eform_schema={
            "type": "object",
            "required": ["nguoi_dai_dien"],
            "properties": {
                "nguoi_dai_dien": {
                    "type": "string",
                    "title": "Người đại diện",
                    "x-prefill": "eid.full_name",
                }
            },
        }
    )
    edited = designer.post(
        BASE + "truong/nguoi_dai_dien/", {"title": "Họ tên người đại diện", "required": "on"}
    )
    assert edited.status_code == 302, edited.content.decode()[:2000]
    assert "<code>eid.full_name</code>" in designer.get(BASE).content.decode()  # listed
    assert designer.post(BASE + "xuat-ban/").status_code == 302
    field = ProcedureCase.objects.get(procedure=procedure).eform_schema["properties"][
        "nguoi_dai_dien"
    ]
    assert field["title"] == "Họ tên người đại diện"
    assert field["x-prefill"] == "eid.full_name"
