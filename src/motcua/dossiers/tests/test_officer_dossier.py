"""The officer's dossier page and worklists: answers, identity, the documents' checklist,
what it does to accepting and to a supplement request; counts, search; landing after sign-in."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import Business
from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.catalog import services as catalog_services
from motcua.catalog.models import Component
from motcua.dossiers import checklist, services
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import ComponentCheck, Dossier
from motcua.dossiers.tests.factories import World, file_dossier, make_world, officer, pdf

pytestmark = pytest.mark.django_db

SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Tờ khai",
    "required": ["ho_ten"],
    "x-steps": [
        {"title": "Người khai", "properties": ["ho_ten", "gioi_tinh"]},
        {"title": "Ngày", "properties": ["ngay_sinh"]},
    ],
    "properties": {
        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày, tháng, năm sinh"},
        "ho_ten": {"type": "string", "title": "Họ, chữ đệm và tên"},
        "gioi_tinh": {"type": "string", "title": "Giới tính", "enum": ["Nam", "Nữ"]},
    },
}


@pytest.fixture
def world() -> World:
    return make_world()


def page_of(client: Client, dossier: Dossier) -> str:
    response = client.get(f"/can-bo/ho-so/{dossier.code}/")
    assert response.status_code == 200
    return response.content.decode()


def desk(world: World) -> Client:
    client = Client()
    sign_in_with_second_factor(client, world.receiver)
    return client


def file_with_answers(world: World, answers: dict[str, Any]) -> Dossier:
    case = world.procedure.cases.get()
    case.eform_schema = SCHEMA
    case.save()
    catalog_services.record_version(procedure=world.procedure, actor=None, note="e-form")
    draft = services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)
    services.save_draft(draft=draft, user=world.applicant, values=answers)
    services.attach(draft=draft, user=world.applicant, component_position=0, upload=pdf())
    return services.submit(draft=draft, user=world.applicant, form_errors={})


# --- answers and identity -------------------------------------------------------------------


def test_answers_show_their_labels_in_the_forms_order_and_dates_day_first(world: World) -> None:
    answers = {"ngay_sinh": "2024-01-02", "ho_ten": "Nguyễn Văn An", "gioi_tinh": "Nữ"}
    dossier = file_with_answers(world, answers)
    page = page_of(desk(world), dossier)
    answered = page[page.index('id="answers-heading"') :]
    labels = re.findall(r"<dt>([^<]+)</dt>", answered)
    assert labels[:3] == ["Họ, chữ đệm và tên", "Giới tính", "Ngày, tháng, năm sinh"]
    assert "<dd>02/01/2024</dd>" in answered
    assert "2024-01-02" not in page and "<dt>ho_ten</dt>" not in page
    # Every date of the page is written day first: the filing, the history.
    submitted = dossier.submitted_at.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    assert submitted.strftime("%d/%m/%Y") in page
    assert not re.search(r">\s*\d{4}-\d{2}-\d{2}", page)


def test_the_applicants_identity_is_shown_to_the_agencys_officers_only(world: World) -> None:
    applicant = world.applicant
    applicant.full_name = "Lê Thị Thu Hà"
    applicant.personal_id = "048190000123"
    applicant.date_of_birth = datetime.date(1990, 5, 17)
    applicant.phone = "0905123456"
    applicant.email = "thuha@example.vn"
    applicant.current_street = "12 Lê Duẩn, phường Hải Châu"
    applicant.assurance_level = 2
    applicant.save()
    business = Business.objects.create(
        tax_code="0401234567", name="Công ty TNHH Sông Hàn", representative_name="Lê Thị Thu Hà"
    )
    dossier = file_dossier(world)
    Dossier.objects.filter(pk=dossier.pk).update(on_behalf_of=business)
    page = page_of(desk(world), dossier)
    identity = page[page.index('id="applicant"') : page.index('id="answers-heading"')]
    for shown in (
        "Lê Thị Thu Hà",
        "048190000123",
        "17/05/1990",
        "0905123456",
        "thuha@example.vn",
        "12 Lê Duẩn, phường Hải Châu",
        "Mức độ 2",
        "Công ty TNHH Sông Hàn",
        "0401234567",
    ):
        assert shown in identity, shown
    theirs = Client()
    sign_in_with_second_factor(theirs, world.outsider_officer)
    assert theirs.get(f"/can-bo/ho-so/{dossier.code}/").status_code == 404


# --- the checklist --------------------------------------------------------------------------


def checklist_url(dossier: Dossier) -> str:
    return f"/can-bo/ho-so/{dossier.code}/kiem-tra/"


def test_the_checklist_shows_what_was_received_and_keeps_the_ticks(world: World) -> None:
    dossier = file_dossier(world)
    client = desk(world)
    page = page_of(client, dossier)
    table = page[page.index('id="checklist"') :]
    assert "Tờ khai" in table and "Giấy ủy quyền" in table
    assert table.index("giay-to.pdf") < table.index("Giấy ủy quyền")  # received: the first

    done = client.post(checklist_url(dossier), {"valid-0": "on", "digitised-0": "on"})
    assert done.status_code == 302 and done["Location"] == f"/can-bo/ho-so/{dossier.code}/"
    checks = {c.component_position: c for c in ComponentCheck.objects.filter(dossier=dossier)}
    assert (checks[0].valid, checks[0].digitised, checks[0].checked_by) == (
        True,
        True,
        world.receiver,
    )
    assert (checks[1].valid, checks[1].digitised) == (False, False)
    page = page_of(client, dossier)
    assert re.search(r'id="valid-0"[^>]*checked', page)
    assert not re.search(r'id="valid-1"[^>]*checked', page)

    client.post(checklist_url(dossier), {"digitised-0": "on"})  # unticked again
    assert not ComponentCheck.objects.get(dossier=dossier, component_position=0).valid


def test_only_the_agencys_officers_check_after_the_second_factor(world: World) -> None:
    dossier = file_dossier(world)
    ticks = {"valid-0": "on"}

    outsider = Client()
    sign_in_with_second_factor(outsider, world.outsider_officer)
    assert outsider.post(checklist_url(dossier), ticks).status_code == 404

    applicant = Client()
    applicant.force_login(world.applicant)
    assert applicant.post(checklist_url(dossier), ticks).status_code == 302  # officer pages

    no_second_factor = Client()
    no_second_factor.force_login(officer(world.agency, "receiver"))
    waiting = no_second_factor.post(checklist_url(dossier), ticks)
    assert waiting.status_code == 302
    assert waiting["Location"].startswith("/accounts/second-factor/")

    # The approver neither accepts nor asks for a supplement: not theirs to check.
    approver = Client()
    sign_in_with_second_factor(approver, world.approver)
    refused = approver.post(checklist_url(dossier), ticks)
    assert refused.status_code == 400
    assert "Bạn không có quyền thực hiện" in refused.content.decode()
    assert not ComponentCheck.objects.exists()

    # Not once the dossier is refused.
    services.act(dossier=dossier, user=world.receiver, transition=Transition.REFUSE, reason="x")
    late = desk(world).post(checklist_url(dossier), ticks)
    assert late.status_code == 400 and not ComponentCheck.objects.exists()


def test_accepting_asks_to_confirm_a_mandatory_document_not_ticked_valid(world: World) -> None:
    dossier = file_dossier(world)
    client = desk(world)
    page = page_of(client, dossier)
    assert 'name="confirm_unchecked"' in page  # asked beside the accept button, before it

    asked = client.post(f"/can-bo/ho-so/{dossier.code}/xu-ly/", {"transition": "accept"})
    assert asked.status_code == 400
    text = asked.content.decode()
    assert "chưa được đánh dấu hợp lệ" in text and "Tờ khai" in text
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED

    # Ticked valid (the optional document need not be): accepted without a question.
    client.post(checklist_url(dossier), {"valid-0": "on"})
    assert 'name="confirm_unchecked"' not in page_of(client, dossier)
    accepted = client.post(f"/can-bo/ho-so/{dossier.code}/xu-ly/", {"transition": "accept"})
    assert accepted.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED


def test_accepting_unticked_documents_once_confirmed(world: World) -> None:
    dossier = file_dossier(world)
    confirmed = desk(world).post(
        f"/can-bo/ho-so/{dossier.code}/xu-ly/", {"transition": "accept", "confirm_unchecked": "on"}
    )
    assert confirmed.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED


def supplement_box(page: str) -> str:
    found = re.search(r'<textarea id="request_supplement-reason"[^>]*>([^<]*)</textarea>', page)
    assert found is not None
    return found.group(1)


def test_the_supplement_request_is_prefilled_with_the_documents_not_valid(world: World) -> None:
    dossier = file_dossier(world)
    client = desk(world)
    assert supplement_box(page_of(client, dossier)) == ""  # nothing checked, nothing claimed

    client.post(checklist_url(dossier), {"digitised-0": "on"})  # looked at: not valid
    reason = supplement_box(page_of(client, dossier))
    assert "Tờ khai (chưa hợp lệ)" in reason
    assert "Giấy ủy quyền" not in reason  # optional and not sent: nothing to supplement

    client.post(checklist_url(dossier), {"valid-0": "on"})
    assert supplement_box(page_of(client, dossier)) == ""


def test_supplement_reason_names_missing_mandatory_documents() -> None:
    from motcua.catalog.rules import ComponentRule

    check = ComponentCheck(valid=False)
    rows = [
        checklist.Row(0, ComponentRule(name="Tờ khai", mandatory=True), (), check),
        checklist.Row(1, ComponentRule(name="Ảnh", mandatory=False), (), check),
        checklist.Row(2, ComponentRule(name="Giấy chứng sinh", mandatory=True), (), None),
    ]
    reason = checklist.supplement_reason(rows)
    assert "Tờ khai (not received)" in reason
    assert "Ảnh" not in reason and "Giấy chứng sinh" not in reason  # not checked yet
    assert checklist.mandatory_not_valid(rows) == ["Tờ khai", "Giấy chứng sinh"]


# --- worklists ------------------------------------------------------------------------------


def test_worklist_tabs_have_counts_and_the_active_one_is_marked(world: World) -> None:
    first, second = file_dossier(world), file_dossier(world)
    services.act(dossier=second, user=world.receiver, transition=Transition.ACCEPT)
    page = desk(world).get("/can-bo/ho-so/?list=in_progress").content.decode()
    tab = re.search(r'<a href="\?list=in_progress" aria-current="page">([^<]*)<span', page)
    assert tab is not None and "Đang giải quyết" in tab.group(1)
    assert 'href="?list=to_receive" aria-current' not in page
    assert re.search(r'list=to_receive"[^>]*>[^<]*<span class="count">\(1\)</span>', page)
    assert re.search(r'list=in_progress"[^>]*>[^<]*<span class="count">\(1\)</span>', page)
    assert second.code in page and first.code not in page


def test_worklist_search_by_code_name_or_cccd(world: World) -> None:
    other = UserFactory.create(full_name="Trần Thị Bình", personal_id="048190000999")
    world.applicant.full_name = "Nguyễn Văn An"
    world.applicant.save()
    ours, theirs = file_dossier(world), file_dossier(world, applicant=other)
    client = desk(world)

    def found(query: str) -> set[str]:
        page = client.get("/can-bo/ho-so/", {"q": query, "list": "to_receive"}).content.decode()
        return {code for code in (ours.code, theirs.code) if code in page}

    spaced = ours.code.lower().replace("-", " - ", 1)
    assert found(spaced) == {ours.code}  # any case, spaces ignored
    assert found("nguyễn văn an") == {ours.code}
    assert found("048190000999") == {theirs.code}
    assert found("") == {ours.code, theirs.code}
    nothing = client.get("/can-bo/ho-so/", {"q": "không có ai"}).content.decode()
    assert "Không có hồ sơ nào trong danh sách này khớp" in nothing
    assert 'value="không có ai"' in nothing  # the search box keeps what was typed


# --- landing after signing in ---------------------------------------------------------------

PASSWORD = "a-long-passphrase-1"


def test_officers_land_on_their_worklist_after_signing_in(world: World) -> None:
    world.receiver.set_password(PASSWORD)
    world.receiver.save()
    world.applicant.set_password(PASSWORD)
    world.applicant.save()
    signed_in = Client().post(
        "/accounts/login/", {"username": world.receiver.username, "password": PASSWORD}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/can-bo/ho-so/"
    with_next = Client().post(
        "/accounts/login/?next=/thu-tuc/",
        {"username": world.receiver.username, "password": PASSWORD, "next": "/thu-tuc/"},
    )
    assert with_next["Location"] == "/thu-tuc/"
    citizen = Client().post(
        "/accounts/login/", {"username": world.applicant.username, "password": PASSWORD}
    )
    assert citizen["Location"] == "/accounts/"


def test_the_identity_card_a_level_2_e_id_proves_is_not_missing_on_the_checklist(
    world: World,
) -> None:
    """Before, the officer saw "Không" (not received) and was asked to confirm accepting
    without it, for a document the platform itself had not asked for."""
    case = world.procedure.cases.get()
    Component.objects.create(
        case=case, position=2, name="Căn cước công dân", document_type="CCCD", mandatory=True
    )
    catalog_services.record_version(procedure=world.procedure, actor=None, note="CCCD")
    world.applicant.assurance_level = 2
    world.applicant.save()
    dossier = file_dossier(world)
    client = desk(world)
    client.post(checklist_url(dossier), {"valid-0": "on"})
    page = page_of(client, dossier)
    assert "Đã xác thực qua định danh điện tử mức 2 của người nộp" in page
    assert 'name="confirm_unchecked"' not in page
    assert "Căn cước công dân" not in checklist.supplement_reason(checklist.rows(dossier))
    accepted = client.post(f"/can-bo/ho-so/{dossier.code}/xu-ly/", {"transition": "accept"})
    assert accepted.status_code == 302


def test_the_officer_sees_how_the_applicant_receives_the_result(world: World) -> None:
    dossier = file_dossier(world)
    Dossier.objects.filter(pk=dossier.pk).update(
        delivery="post", delivery_address="12 Bạch Đằng, phường Hải Châu"
    )
    page = page_of(desk(world), dossier)
    assert "Hình thức nhận kết quả" in page and "12 Bạch Đằng, phường Hải Châu" in page
