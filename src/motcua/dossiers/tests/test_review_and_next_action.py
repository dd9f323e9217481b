"""Issue 13, the citizen's side: the review step before submitting (answers, agency, fee,
delivery, declaration), identity a level-2 e-ID proves, the one next action on the dossier
page, a withdrawal that asks for confirmation and a reason, the public look-up's timeline."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog import services as catalog_services
from motcua.catalog.models import Component
from motcua.catalog.rules import CaseRules
from motcua.catalog.tests.factories import EFORM
from motcua.dossiers import selectors, services
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Dossier, DossierDraft, DossierEvent
from motcua.dossiers.tests.factories import World, bearer, file_dossier, make_world, pdf

pytestmark = pytest.mark.django_db

VI = {"Accept-Language": "vi"}


@pytest.fixture
def world() -> World:
    return make_world()


def _per_copy(world: World) -> None:
    """The world's case charges 8.000 đ per copy, the copies asked for in field ``so_ban``."""
    case = world.procedure.cases.get()
    case.fee = 8000
    case.fee_basis = "per_copy"
    case.fee_copies_field = "so_ban"
    schema: dict[str, Any] = json.loads(json.dumps(EFORM))
    schema["properties"]["so_ban"] = {"type": "integer", "title": "Số bản sao", "minimum": 1}
    # The form's order (PostgreSQL's jsonb keeps no key order: the steps say it).
    schema["x-steps"] = [
        {"title": "Người yêu cầu", "properties": ["ho_ten", "ngay_sinh"]},
        {"title": "Số bản", "properties": ["so_ban"]},
    ]
    case.eform_schema = schema
    case.save()
    catalog_services.record_version(procedure=world.procedure, actor=None, note="per copy")


def _draft(world: World, user: Any = None, **answers: Any) -> DossierDraft:
    who = user or world.applicant
    draft = services.start_draft(user=who, procedure=world.procedure, acting_for=None)
    values = {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-01-02", **answers}
    return services.save_draft(draft=draft, user=who, values=values)


def _review(draft: DossierDraft) -> str:
    return f"/ho-so/nhap/{draft.pk}/hoan-tat/"


# --- review and declare ---------------------------------------------------------------------


def test_the_review_shows_labelled_answers_in_order_the_agency_and_the_fee_per_copy(
    client: Client, world: World
) -> None:
    _per_copy(world)
    draft = _draft(world, so_ban=3)
    client.force_login(world.applicant)
    page = client.get(_review(draft), headers=VI).text
    assert page.index("Họ và tên") < page.index("Ngày sinh") < page.index("Số bản sao")
    assert "Nguyễn Văn An" in page and "02/01/1990" in page
    assert "ho_ten" not in page.replace('name="ho_ten"', "")
    assert "Sở Tư pháp" in page
    assert "24.000 đ" in page and "8.000 đ/bản × 3 bản" in page
    assert "Tôi xin cam đoan những thông tin khai trên là đúng sự thật" in page


def test_the_fee_is_the_cases_own_computation() -> None:
    rules = CaseRules.from_case(
        {"fee": 8000, "fee_basis": "per_copy", "fee_copies_field": "so_ban"}
    )
    assert rules.fee_for({"so_ban": "2"}) == 16000
    assert rules.fee_for({}) == 8000 and rules.copies({}) == 1
    by_rule = CaseRules.from_case(
        {"fee": 5, "fee_basis": "rule", "fee_rules": [{"field": "k", "equals": 2, "amount": 9}]}
    )
    assert by_rule.fee_for({"k": "2"}) == 9 and by_rule.fee_for({"k": 3}) == 5


def test_submitting_without_the_declaration_is_refused_at_the_field_keeping_what_was_typed(
    client: Client, world: World
) -> None:
    draft = _draft(world)
    services.attach(draft=draft, user=world.applicant, component_position=0, upload=pdf())
    client.force_login(world.applicant)
    refused = client.post(
        _review(draft),
        {"action": "submit", "delivery": "post", "delivery_address": "12 Lê Lợi, Hải Châu"},
        headers=VI,
    )
    assert refused.status_code == 400
    assert not Dossier.objects.exists()
    assert "Hãy đánh dấu vào ô cam đoan" in refused.text
    assert 'id="id_declared_error"' in refused.text and 'aria-invalid="true"' in refused.text
    assert "12 Lê Lợi, Hải Châu" in refused.text  # nothing typed is lost
    assert re.search(r'<input[^>]*value="post"[^>]*checked', refused.text)

    no_address = client.post(
        _review(draft), {"action": "submit", "delivery": "post", "declared": "on"}, headers=VI
    )
    assert no_address.status_code == 400 and "Hãy nhập địa chỉ nhận kết quả" in no_address.text

    done = client.post(
        _review(draft),
        {
            "action": "submit",
            "delivery": "post",
            "delivery_address": "12 Lê Lợi, Hải Châu",
            "declared": "on",
        },
    )
    assert done.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.delivery == "post" and dossier.delivery_address == "12 Lê Lợi, Hải Châu"
    assert dossier.declared_at is not None


def test_the_services_refuse_a_declaration_not_ticked(world: World) -> None:
    draft = _draft(world)
    services.attach(draft=draft, user=world.applicant, component_position=0, upload=pdf())
    with pytest.raises(services.DossierError, match="declaration"):
        services.submit(
            draft=draft,
            user=world.applicant,
            form_errors={},
            declaration=services.Declaration(delivery="counter"),
        )
    dossier = services.submit(
        draft=draft,
        user=world.applicant,
        form_errors={},
        declaration=services.Declaration(delivery="counter", declared=True),
    )
    assert dossier.delivery == "counter" and dossier.declared_at is not None


# --- identity a level-2 e-ID proves -----------------------------------------------------------


def _identity_card_required(world: World) -> None:
    case = world.procedure.cases.get()
    Component.objects.create(
        case=case, position=2, name="Căn cước công dân", document_type="CCCD", mandatory=True
    )
    catalog_services.record_version(procedure=world.procedure, actor=None, note="CCCD")


def test_a_level_2_applicant_is_not_asked_for_the_identity_card_on_the_form(
    client: Client, world: World
) -> None:
    _identity_card_required(world)
    level_2 = UserFactory.create(assurance_level=2)
    draft = _draft(world, level_2)
    services.attach(draft=draft, user=level_2, component_position=0, upload=pdf())
    client.force_login(level_2)
    page = client.get(_review(draft), headers=VI).text
    assert "đã xác thực qua tài khoản định danh điện tử" in page
    assert 'id="file-2"' not in page
    done = client.post(_review(draft), {"action": "submit", "delivery": "online", "declared": "on"})
    assert done.status_code == 302 and Dossier.objects.filter(applicant=level_2).exists()


def test_a_level_1_applicant_is_still_asked_for_the_identity_card(
    client: Client, world: World
) -> None:
    _identity_card_required(world)
    level_1 = UserFactory.create(assurance_level=1)
    draft = _draft(world, level_1)
    services.attach(draft=draft, user=level_1, component_position=0, upload=pdf())
    client.force_login(level_1)
    page = client.get(_review(draft), headers=VI).text
    assert "đã xác thực qua tài khoản định danh điện tử" not in page and 'id="file-2"' in page
    refused = client.post(
        _review(draft), {"action": "submit", "delivery": "online", "declared": "on"}, headers=VI
    )
    assert refused.status_code == 400 and "Căn cước công dân" in refused.text
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(("level", "filed"), [(2, True), (1, False)])
def test_the_api_applies_the_same_identity_rule(
    client: Client, world: World, level: int, filed: bool
) -> None:
    _identity_card_required(world)
    applicant = UserFactory.create(assurance_level=level)
    response = client.post(
        "/api/v1/dossiers/",
        {
            "procedure": "2.000488",
            "data": json.dumps({"ho_ten": "Nguyễn Văn An"}),
            "component_0": pdf("to-khai.pdf"),
        },
        headers={"Idempotency-Key": f"cccd-{level}"},
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(applicant),
    )
    assert (response.status_code == 201) is filed
    if not filed:
        assert "Căn cước công dân" in json.dumps(response.json(), ensure_ascii=False)


def test_the_api_stores_a_declaration_when_given(client: Client, world: World) -> None:
    response = client.post(
        "/api/v1/dossiers/",
        {
            "procedure": "2.000488",
            "data": json.dumps({"ho_ten": "Nguyễn Văn An"}),
            "component_0": pdf("to-khai.pdf"),
            "declared": "true",
            "delivery": "counter",
        },
        headers={"Idempotency-Key": "declared"},
        **bearer(world.applicant),
    )
    assert response.status_code == 201
    dossier = Dossier.objects.get()
    assert dossier.delivery == "counter" and dossier.declared_at is not None


# --- the one next action ------------------------------------------------------------------


def test_the_dossier_page_starts_with_what_to_supplement_in_the_officers_words(
    client: Client, world: World
) -> None:
    dossier = file_dossier(world)
    services.act(
        dossier=dossier,
        user=world.receiver,
        transition=Transition.REQUEST_SUPPLEMENT,
        reason="Thiếu bản sao giấy khai sinh có chứng thực.",
    )
    client.force_login(world.applicant)
    page = client.get(f"/ho-so/{dossier.code}/", headers=VI).text
    block = page.index('id="next-action"')
    assert block < page.index("Thủ tục") or block < page.index("<dl")
    assert "Việc cần làm: bổ sung hồ sơ" in page
    assert page.index("Thiếu bản sao giấy khai sinh có chứng thực.") < page.index(
        'class="timeline"'
    )


def test_the_dossier_page_says_how_much_to_pay(client: Client, world: World) -> None:
    _per_copy(world)
    draft = _draft(world, so_ban=2)
    services.attach(draft=draft, user=world.applicant, component_position=0, upload=pdf())
    dossier = services.submit(draft=draft, user=world.applicant, form_errors={})
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.AWAITING_PAYMENT)
    client.force_login(world.applicant)
    page = client.get(f"/ho-so/{dossier.code}/", headers=VI).text
    assert "Việc cần làm: nộp phí, lệ phí" in page and "Số tiền phải nộp: 16.000 đồng." in page


@pytest.mark.parametrize(
    ("delivery", "expected"),
    [
        ("post", "Kết quả được gửi qua bưu chính đến: 5 Trần Phú."),
        ("counter", "Nhận kết quả tại Bộ phận một cửa của Sở Tư pháp"),
        ("online", "Xem và tải kết quả điện tử ở phần dưới."),
    ],
)
def test_the_dossier_page_says_where_the_result_is(
    client: Client, world: World, delivery: str, expected: str
) -> None:
    dossier = file_dossier(world)
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Status.DECIDED, delivery=delivery, delivery_address="5 Trần Phú"
    )
    client.force_login(world.applicant)
    page = client.get(f"/ho-so/{dossier.code}/", headers=VI).text
    assert "Đã có kết quả giải quyết" in page and expected in page


def test_no_next_action_while_the_agency_works(client: Client, world: World) -> None:
    dossier = file_dossier(world)
    client.force_login(world.applicant)
    assert 'id="next-action"' not in client.get(f"/ho-so/{dossier.code}/").text
    assert selectors.next_action(dossier) is None


# --- withdrawal -----------------------------------------------------------------------------


def test_withdrawing_asks_for_a_reason_and_a_confirmation(client: Client, world: World) -> None:
    dossier = file_dossier(world)
    client.force_login(world.applicant)
    url = f"/ho-so/{dossier.code}/rut/"
    unconfirmed = client.post(url, {"reason": "Nộp nhầm thủ tục"}, headers=VI)
    assert unconfirmed.status_code == 400
    assert "Hãy đánh dấu vào ô xác nhận để rút hồ sơ." in unconfirmed.text
    assert "Nộp nhầm thủ tục" in unconfirmed.text  # kept as typed
    no_reason = client.post(url, {"confirm": "on"}, headers=VI)
    assert no_reason.status_code == 400 and "Hãy nêu lý do rút hồ sơ." in no_reason.text
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED

    done = client.post(url, {"reason": "Nộp nhầm thủ tục", "confirm": "on"})
    assert done.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == Status.WITHDRAWN
    event = DossierEvent.objects.filter(dossier=dossier, transition=Transition.WITHDRAW).get()
    assert event.reason == "Nộp nhầm thủ tục"


# --- public look-up -------------------------------------------------------------------------


def test_the_lookup_accepts_any_case_and_spacing_and_shows_a_timeline_without_people(
    client: Client, world: World
) -> None:
    dossier = file_dossier(world)
    services.act(
        dossier=dossier,
        user=world.receiver,
        transition=Transition.REQUEST_SUPPLEMENT,
        reason="Thiếu giấy tờ riêng tư",
    )
    code = " " + dossier.code.lower().replace("-", " - ") + " "  # " h17.02 - 261205 - 0001 "
    secret = " ".join(dossier.lookup_secret.lower())
    page = client.get("/tra-cuu-ho-so/", {"code": code, "secret": secret}, headers=VI)
    assert page.status_code == 200
    text = page.text
    assert dossier.code in text and "Quá trình xử lý" in text
    assert text.count("<time") >= 2
    assert "Mới đăng ký" in text and "Yêu cầu bổ sung giấy tờ" in text
    for private in (
        "Thiếu giấy tờ riêng tư",
        world.applicant.full_name,
        world.receiver.full_name,
        world.receiver.username,
    ):
        assert private not in text
    assert selectors.normalised(" h17.02-261205 -0001 ") == "H17.02-261205-0001"
