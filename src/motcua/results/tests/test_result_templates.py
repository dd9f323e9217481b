"""Result templates with decision fields, the approver's preview, the signer on the result."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from motcua.accounts.models import AgencyMembership
from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.catalog.tests.factories import make_procedure
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import DossierError, act
from motcua.dossiers.tests.factories import World
from motcua.results.demo import BIRTH_REGISTRATION, HOUSE_BUILDING_PERMIT
from motcua.results.models import IssuedResult, ResultDraft, ResultTemplate

from .test_signing import signed_bytes

pytestmark = pytest.mark.django_db

PERMIT_FIELDS = [
    {"name": "so_giay_phep", "label": "Số giấy phép", "type": "text", "required": True},
    {"name": "dien_tich", "label": "Diện tích (m²)", "type": "number", "required": False},
    {"name": "hieu_luc_den", "label": "Hiệu lực đến", "type": "date", "required": False},
]


def text_of(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join((page.extract_text() or "") for page in pages).split())


def client_for(user: object) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    sign_in_with_second_factor(client, user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def template(world: World) -> ResultTemplate:
    return ResultTemplate.objects.create(
        procedure=world.procedure,
        title="Giấy phép số {{ decision.so_giay_phep }}",
        body=(
            "Cấp cho ông/bà {{ form.ho_ten }}.\n"
            "Diện tích được phép: {{ decision.dien_tich }} m²; hiệu lực đến "
            "{{ decision.hieu_luc_den }}."
        ),
        decision_fields=PERMIT_FIELDS,
    )


@pytest.fixture
def titled_approver(world: World) -> World:
    world.approver.full_name = "Trần Thị Bích"
    world.approver.save(update_fields=["full_name"])
    AgencyMembership.objects.filter(user=world.approver, agency=world.agency).update(
        title="Phó Giám đốc"
    )
    return world


def fill(world: World, dossier: Dossier, **values: str) -> Client:
    client = client_for(world.processor)
    url = reverse("results:decision_fields", kwargs={"code": dossier.code})
    response = client.post(url, values)
    assert response.status_code == 302, response.content.decode()
    return client


def test_answers_and_decision_fields_are_printed_on_the_signed_result(
    titled_approver: World, dossier: Dossier, template: ResultTemplate
) -> None:
    world = titled_approver
    fill(world, dossier, so_giay_phep="125/GPXD", dien_tich="96.50", hieu_luc_den="2027-12-31")
    draft = ResultDraft.objects.get(dossier=dossier)
    assert draft.values == {
        "so_giay_phep": "125/GPXD",
        "dien_tich": "96.5",
        "hieu_luc_den": "31/12/2027",
    }
    assert draft.updated_by == world.processor

    act(dossier=dossier, user=world.approver, transition=Transition.DECIDE)
    result = IssuedResult.objects.live().get(dossier=dossier)
    text = text_of(signed_bytes(result))
    for words in (
        "GIẤY PHÉP SỐ 125/GPXD",
        "Cấp cho ông/bà Nguyễn Văn An.",
        "Diện tích được phép: 96.5 m²; hiệu lực đến 31/12/2027.",
        "PHÓ GIÁM ĐỐC",
        "Trần Thị Bích",
        "Đã ký số",
    ):
        assert words in text, words
    assert "Common Name" not in text and "BẢN XEM TRƯỚC" not in text
    assert (result.signer_name, result.signer_title) == ("Trần Thị Bích", "Phó Giám đốc")


def test_a_missing_required_decision_field_refuses_the_decision_and_changes_nothing(
    world: World, dossier: Dossier, template: ResultTemplate
) -> None:
    fill(world, dossier, dien_tich="80")  # saved, but the permit number is still empty
    events = dossier.events.count()
    with pytest.raises(DossierError, match="Số giấy phép"):
        act(dossier=dossier, user=world.approver, transition=Transition.DECIDE)
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.events.count() == events
    assert not IssuedResult.objects.filter(dossier=dossier).exists()


def test_the_officer_page_shows_the_decision_panel(
    world: World, dossier: Dossier, template: ResultTemplate
) -> None:
    page = client_for(world.approver).get(
        reverse("dossiers:officer_dossier", kwargs={"code": dossier.code})
    )
    body = page.content.decode()
    # The officer's page renders the results panel: the fields, what is missing, the preview.
    assert 'name="so_giay_phep"' in body and 'type="date"' in body
    assert "Số giấy phép" in body
    assert reverse("results:preview", kwargs={"code": dossier.code}) in body


def test_the_preview_is_the_result_unsigned_and_says_so(
    titled_approver: World, dossier: Dossier, template: ResultTemplate
) -> None:
    world = titled_approver
    client = fill(world, dossier, so_giay_phep="7/GPXD")
    url = reverse("results:preview", kwargs={"code": dossier.code})
    for who in (client, client_for(world.approver)):
        response = who.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        data = response.content
        assert b"/ByteRange" not in data and b"/Sig" not in data  # no signature at all
        text = text_of(data)
        assert "BẢN XEM TRƯỚC" in text and "CHƯA KÝ SỐ" in text
        assert "GIẤY PHÉP SỐ 7/GPXD" in text and "Nguyễn Văn An" in text
        assert "Đã ký số" not in text and "/verify/" not in text
    assert not IssuedResult.objects.filter(dossier=dossier).exists()  # nothing kept
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


def test_only_the_processor_and_approver_fill_and_preview(
    world: World, dossier: Dossier, template: ResultTemplate
) -> None:
    preview = reverse("results:preview", kwargs={"code": dossier.code})
    fields = reverse("results:decision_fields", kwargs={"code": dossier.code})
    for user in (world.receiver, world.outsider_officer):
        client = client_for(user)
        assert client.get(preview).status_code == 404
        assert client.post(fields, {"so_giay_phep": "x"}).status_code == 404
    # The applicant never reaches it: /can-bo/ asks for an officer's second factor first.
    citizen = Client()
    citizen.force_login(world.applicant)
    answer = citizen.get(preview)
    assert answer.status_code == 302 and "/accounts/second-factor/" in answer["Location"]
    assert not ResultDraft.objects.exists()
    # Once decided, nothing more to prepare.
    fill(world, dossier, so_giay_phep="1/GPXD")
    act(dossier=dossier, user=world.approver, transition=Transition.DECIDE)
    assert client_for(world.approver).get(preview).status_code == 404


def test_decision_fields_are_checked_when_an_administrator_saves_them(world: World) -> None:
    template = ResultTemplate(
        procedure=world.procedure,
        title="x",
        body="x",
        decision_fields=[{"name": "Số", "label": "", "type": "colour"}],
    )
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "decision_fields" in error.value.message_dict


def test_the_admin_edits_decision_fields(world: World) -> None:
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    client = Client()
    sign_in_with_second_factor(client, admin)
    data = {"procedure": world.procedure.pk, "title": "Kết quả", "body": "{{ decision.so }}"}
    empty = client.post("/admin/results/resulttemplate/add/", {**data, "decision_fields": ""})
    assert empty.status_code == 302
    template = ResultTemplate.objects.get()
    assert template.decision_fields == []
    fields = '[{"name": "so", "label": "Số", "type": "text", "required": true}]'
    changed = client.post(
        f"/admin/results/resulttemplate/{template.pk}/change/", {**data, "decision_fields": fields}
    )
    assert changed.status_code == 302
    template.refresh_from_db()
    assert [field.label for field in template.fields if field.required] == ["Số"]
    wrong = client.post(
        f"/admin/results/resulttemplate/{template.pk}/change/",
        {**data, "decision_fields": '[{"name": "so", "label": "Số", "type": "colour"}]'},
    )
    assert wrong.status_code == 200
    assert client.get("/admin/results/resultdraft/").status_code == 200


def test_the_verification_page_shows_the_signer_name_title_and_agency(
    titled_approver: World, dossier: Dossier
) -> None:
    world = titled_approver
    act(dossier=dossier, user=world.approver, transition=Transition.DECIDE)
    result = IssuedResult.objects.live().get(dossier=dossier)
    client = Client()
    client.cookies["django_language"] = "vi"
    page = client.get(reverse("results:verify_token", kwargs={"token": result.token}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Trần Thị Bích, Phó Giám đốc, Sở Tư pháp" in body
    assert "Common Name" not in body
    answer = client.post(
        "/api/v1/results/verify/",
        {"file": SimpleUploadedFile("kq.pdf", signed_bytes(result), "application/pdf")},
    ).json()
    assert answer["result"]["signer_name"] == "Trần Thị Bích"
    assert answer["result"]["signer_title"] == "Phó Giám đốc"


def test_load_demo_creates_the_demo_templates_once() -> None:
    call_command("load_demo", stdout=io.StringIO())
    templates = ResultTemplate.objects.filter(
        procedure__code__in=[BIRTH_REGISTRATION, HOUSE_BUILDING_PERMIT]
    )
    assert templates.count() == 2
    permit = templates.get(procedure__code=HOUSE_BUILDING_PERMIT)
    assert {field.name for field in permit.fields if field.required} == {
        "so_giay_phep",
        "hieu_luc_den",
    }
    permit.title = "Edited by an administrator"
    permit.save()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Result templates: 0 new" in out.getvalue()
    assert templates.count() == 2
    permit.refresh_from_db()
    assert permit.title == "Edited by an administrator"
    for template in templates:
        template.full_clean()  # the demo's own fields pass the admin's checks


def test_the_demo_templates_render_a_birth_extract_and_a_building_permit(world: World) -> None:
    from motcua.results.demo import DEMO_TEMPLATES
    from motcua.results.documents import result_text

    procedure = make_procedure(code=BIRTH_REGISTRATION, name="Đăng ký khai sinh")
    ResultTemplate.objects.create(procedure=procedure, **DEMO_TEMPLATES[BIRTH_REGISTRATION])  # type: ignore[arg-type]
    dossier = Dossier(
        code="H17.50.01-261204-0001",
        procedure=procedure,
        applicant=UserFactory.create(full_name="Lê Văn Cha"),
        form_data={
            "ho_ten_tre": "Lê Minh Khang",
            "ngay_sinh": "2026-11-30",
            "gioi_tinh": "Nam",
            "noi_sinh": "Bệnh viện Phụ sản - Nhi Đà Nẵng",
            "ho_ten_me": "Phạm Thị Mẹ",
            "ho_ten_cha": "Lê Văn Cha",
        },
    )
    text = result_text(dossier, world.agency, {"so_dang_ky": "152"})
    flat = " ".join([text.title, *text.paragraphs])
    for words in (
        "Trích lục khai sinh",
        "Số đăng ký: 152.",
        "LÊ MINH KHANG",
        "Ngày, tháng, năm sinh: 30/11/2026",
        "Bệnh viện Phụ sản - Nhi Đà Nẵng",
        "Phạm Thị Mẹ",
        "Lê Văn Cha",
    ):
        assert words in flat, words
