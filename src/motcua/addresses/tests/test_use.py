"""A digital address in use (issue 17, point 3): chosen in an e-form, given for the post, kept
by a dossier with its text at filing. A citizen never chooses, nor learns of, another
household's place by guessing its code."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from motcua.accounts.models import User
from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.addresses import services, uses
from motcua.addresses.errors import AddressNotUsable
from motcua.addresses.models import DELIVERY_FIELD, DossierAddress, Place, PlaceStatus
from motcua.agencies.models import Agency
from motcua.catalog import services as catalog_services
from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import make_procedure
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import bearer
from motcua.eforms.display import answer_sections
from motcua.eforms.examples import example_document
from motcua.eforms.forms import EForm
from motcua.eforms.references import personal_answers
from motcua.eforms.schema import unsupported_problems
from motcua.eforms.validation import validate_document

from .factories import HAI_CHAU, HOA_CUONG, make_place, ward_officer

pytestmark = pytest.mark.django_db

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ho_ten", "dia_chi_so"],
    "properties": {
        "ho_ten": {"type": "string", "title": "Họ và tên", "maxLength": 100},
        "dia_chi_so": {
            "type": "string",
            "title": "Địa chỉ nơi cư trú",
            "x-reference": "digital-address",
        },
    },
}


@dataclass
class Town:
    ward_officer: User
    agency: Agency
    home: Place  # Anh's household
    other_home: Place  # Bình's household
    office: Place  # confirmed, nobody lives there
    proposed: Place  # not confirmed, nobody lives there
    anh: User
    binh: User
    procedure: Procedure


@pytest.fixture
def town() -> Town:
    ward = ward_officer(HAI_CHAU, "receiver")
    agency = Agency.objects.get(ward_code=HAI_CHAU)
    home = make_place(ward)
    other_home = make_place(ward, street="Bạch Đằng", house_number="12", point=(16.0715, 108.2245))
    office = make_place(ward, street="Lê Lợi", house_number="1", point=(16.0700, 108.2200))
    proposed = _proposed(ward)
    anh = UserFactory.create(full_name="Nguyễn Văn Anh")
    binh = UserFactory.create(full_name="Trần Thị Bình")
    services.create_household(officer=ward, place=home, head=anh)
    services.create_household(officer=ward, place=other_home, head=binh)
    procedure = make_procedure(code="9.000017", name="Thủ tục có địa chỉ số", agencies=[agency])
    case = procedure.cases.get()
    case.eform_schema = SCHEMA
    case.save()
    catalog_services.record_version(procedure=procedure, actor=None, note="digital address")
    return Town(ward, agency, home, other_home, office, proposed, anh, binh, procedure)


def _proposed(ward: User) -> Place:
    return services.create_place(
        officer=ward,
        data=services.PlaceInput(
            ward_code=HAI_CHAU,
            street="Hùng Vương",
            house_number="9",
            latitude=16.0690,
            longitude=108.2190,
        ),
        allow_duplicate=True,
        status=PlaceStatus.PROPOSED,
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def start(client: Client, town: Town) -> int:
    response = client.post(f"/ho-so/nop/{town.procedure.code}/", {"case": "0"})
    assert response.status_code == 302, response
    return int(response["Location"].split("/nhap/")[1].split("/")[0])


# --- the e-form list ------------------------------------------------------------------------


def test_the_schema_is_accepted_and_a_catalogue_check_finds_a_well_formed_answer() -> None:
    assert unsupported_problems(SCHEMA) == []
    # No person (a catalogue checked before import): a well-formed code stands in.
    answer = example_document(SCHEMA)
    assert validate_document(SCHEMA, answer) == {}
    assert validate_document(SCHEMA, {**answer, "dia_chi_so": "12345"}) != {}


def test_a_citizen_may_use_their_household_and_a_place_nobody_lives_at(town: Town) -> None:
    own = uses.DIGITAL_ADDRESS.options_for(town.anh)
    assert [option.value for option in own] == [town.home.code]
    assert "24 Trần Phú, Phường Hải Châu, Thành phố Đà Nẵng" in own[0].label
    assert uses.usable_place(town.anh, town.home.code) == town.home
    assert uses.usable_place(town.anh, town.office.code) == town.office


def test_another_households_place_is_refused_as_if_it_did_not_exist(town: Town) -> None:
    unknown = "4800099995"  # well-formed, no place has it
    assert Place.objects.filter(code=unknown).count() == 0
    for code in (town.other_home.code, unknown, town.proposed.code, "12", "abc"):
        assert uses.usable_place(town.anh, code) is None
    refused = {
        code: validate_document(SCHEMA, {"ho_ten": "An", "dia_chi_so": code}, person=town.anh)
        for code in (town.other_home.code, unknown)
    }
    assert refused[town.other_home.code] == refused[unknown]  # the same words: nothing learnt
    assert refused[unknown] == {"dia_chi_so": [str(uses.NOT_USABLE)]}
    mine = {"ho_ten": "An", "dia_chi_so": town.home.code}
    assert validate_document(SCHEMA, mine, person=town.anh) == {}
    assert validate_document(SCHEMA, mine, person=town.binh) == refused[unknown]


def test_the_form_offers_the_household_and_takes_a_typed_code(town: Town) -> None:
    form = EForm(SCHEMA, person=town.anh)
    html = form.as_div() if hasattr(form, "as_div") else str(form)
    assert town.home.code in str(form["dia_chi_so"]) and "Trần Phú" in str(form["dia_chi_so"])
    assert town.other_home.code not in html
    chosen = EForm(SCHEMA, person=town.anh, data={"ho_ten": "An", "dia_chi_so_1": town.home.code})
    assert chosen.is_valid(), chosen.errors
    assert chosen.to_json() == {"ho_ten": "An", "dia_chi_so": town.home.code}
    # A typed code wins over the list, written any way the code is written.
    spaced = f"{town.office.code[:4]} {town.office.code[4:]}"
    typed = EForm(
        SCHEMA,
        person=town.anh,
        data={"ho_ten": "An", "dia_chi_so_1": town.home.code, "dia_chi_so_0": spaced},
    )
    assert typed.is_valid(), typed.errors
    assert typed.to_json()["dia_chi_so"] == town.office.code
    guessed = EForm(
        SCHEMA, person=town.anh, data={"ho_ten": "An", "dia_chi_so_0": town.other_home.code}
    )
    assert not guessed.is_valid()
    assert guessed.errors["dia_chi_so"] == [str(uses.NOT_USABLE)]


def test_answers_are_shown_with_the_text_the_address_had_at_filing(town: Town) -> None:
    document = {"ho_ten": "An", "dia_chi_so": town.home.code}
    filed_at = town.home.events.order_by("-at").first().at  # type: ignore[union-attr]
    _correct(town, "Trần Phú (đoạn mới)")
    now = [a.text for s in answer_sections(SCHEMA, document) for a in s.answers]
    then = [a.text for s in answer_sections(SCHEMA, document, as_of=filed_at) for a in s.answers]
    assert any("24 Trần Phú (đoạn mới), Phường Hải Châu" in text for text in now)
    assert any(text.startswith("24 Trần Phú, Phường Hải Châu") for text in then)
    assert all(town.home.code in text for text in now[1:] + then[1:])


def test_personal_answers_are_found_in_rows_and_branches() -> None:
    schema = {
        "type": "object",
        "properties": {
            "rows": {"type": "array", "items": SCHEMA},
            "a": {"type": "string", "x-reference": "digital-address"},
        },
        "allOf": [{"then": {"properties": {"b": {"x-reference": "digital-address"}}}}],
    }
    document = {"rows": [{"dia_chi_so": "1"}, {"ho_ten": "x"}], "a": "2", "b": "3"}
    found = sorted(path for path, _name, _value in personal_answers(schema, document))
    assert found == ["a", "b", "rows.0.dia_chi_so"]


# --- filing: the dossier keeps the address as it was -------------------------------------------


def _correct(town: Town, street: str) -> None:
    correction = services.request_correction(
        citizen=town.anh,
        street=street,
        house_number="24",
        latitude=None,
        longitude=None,
        reason="Tên đường mới",
    )
    services.decide_correction(officer=town.ward_officer, correction=correction, approve=True)


def _file(town: Town, applicant: User, code: str, **declaration: Any) -> Dossier:
    draft = dossier_services.start_draft(user=applicant, procedure=town.procedure, acting_for=None)
    values = {"ho_ten": applicant.full_name, "dia_chi_so": code}
    dossier_services.save_draft(draft=draft, user=applicant, values=values)
    return dossier_services.submit(
        draft=draft,
        user=applicant,
        form_errors=validate_document(SCHEMA, values, person=applicant),
        declaration=dossier_services.Declaration(declared=True, **declaration)
        if declaration
        else None,
    )


def test_the_dossier_keeps_the_address_text_at_filing_and_the_officer_sees_it(
    town: Town,
) -> None:
    dossier = _file(town, town.anh, town.home.code)
    kept = DossierAddress.objects.get(dossier=dossier)
    assert (kept.field, kept.place, kept.code) == ("dia_chi_so", town.home, town.home.code)
    assert kept.text == "24 Trần Phú, Phường Hải Châu, Thành phố Đà Nẵng"
    _correct(town, "Trần Phú Mới")
    kept.refresh_from_db()
    assert kept.text == "24 Trần Phú, Phường Hải Châu, Thành phố Đà Nẵng"

    desk = Client()
    sign_in_with_second_factor(desk, town.ward_officer)
    page = desk.get(f"/can-bo/ho-so/{dossier.code}/")
    body = page.content.decode()
    assert page.status_code == 200
    # The panel: the text at filing, what it was corrected to, a link to the ward's place.
    assert "24 Trần Phú, Phường Hải Châu, Thành phố Đà Nẵng" in body
    assert "24 Trần Phú Mới, Phường Hải Châu" in body
    assert f'href="/can-bo/dia-chi/{town.home.code}/"' in body
    # The answers, as filed: the corrected street only in the panel's "corrected since".
    assert body.count("Trần Phú Mới") == 1

    # The applicant sees the address kept, without the officers' link to the register.
    mine = signed_in(town.anh).get(f"/ho-so/{dossier.code}/").content.decode()
    assert "24 Trần Phú, Phường Hải Châu, Thành phố Đà Nẵng" in mine
    assert "/can-bo/dia-chi/" not in mine
    # An officer of another ward's agency does not reach the dossier at all.
    other = Client()
    sign_in_with_second_factor(other, ward_officer(HOA_CUONG, "receiver"))
    assert other.get(f"/can-bo/ho-so/{dossier.code}/").status_code == 404


def test_a_filing_with_another_households_code_is_refused_even_without_the_form_check(
    town: Town,
) -> None:
    draft = dossier_services.start_draft(user=town.anh, procedure=town.procedure, acting_for=None)
    values = {"ho_ten": "An", "dia_chi_so": town.other_home.code}
    dossier_services.save_draft(draft=draft, user=town.anh, values=values)
    with pytest.raises(AddressNotUsable) as refused:
        # a caller that forgot to check the form for the person: the filing's handler refuses
        dossier_services.submit(draft=draft, user=town.anh, form_errors={})
    assert str(refused.value) == str(uses.NOT_USABLE)
    assert not Dossier.objects.exists() and not DossierAddress.objects.exists()


# --- from the outside: pages and the API --------------------------------------------------------


def test_web_filing_without_javascript_choose_the_household_and_post_the_result_there(
    town: Town,
) -> None:
    client = signed_in(town.anh)
    draft_id = start(client, town)
    step = client.get(f"/ho-so/nhap/{draft_id}/buoc/0/")
    body = step.content.decode()
    assert f'<option value="{town.home.code}">' in body
    assert 'name="dia_chi_so_0"' in body and town.other_home.code not in body
    saved = client.post(
        f"/ho-so/nhap/{draft_id}/buoc/0/",
        {"ho_ten": "Nguyễn Văn Anh", "dia_chi_so_1": town.home.code, "action": "next"},
    )
    assert saved.status_code == 302
    review = client.get(f"/ho-so/nhap/{draft_id}/hoan-tat/").content.decode()
    assert "24 Trần Phú, Phường Hải Châu" in review  # the answer shown as its text
    assert 'name="delivery_place_1"' in review  # the post: to a digital address
    filed = client.post(
        f"/ho-so/nhap/{draft_id}/hoan-tat/",
        {
            "action": "submit",
            "delivery": "post",
            "delivery_place_1": town.home.code,
            "delivery_address": "",
            "declared": "on",
        },
    )
    assert filed.status_code == 302, filed.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.delivery == "post"
    assert dossier.delivery_address == uses.label(town.home)
    kept = {a.field: a for a in DossierAddress.objects.filter(dossier=dossier)}
    assert set(kept) == {"dia_chi_so", DELIVERY_FIELD}
    assert kept[DELIVERY_FIELD].text == "24 Trần Phú, Phường Hải Châu, Thành phố Đà Nẵng"


def test_a_guessed_code_gets_the_unknown_code_message_beside_the_field(town: Town) -> None:
    client = signed_in(town.anh)
    draft_id = start(client, town)
    answers = {}
    for code in (town.other_home.code, "4800099995"):
        page = client.post(
            f"/ho-so/nhap/{draft_id}/buoc/0/",
            {"ho_ten": "An", "dia_chi_so_0": code, "action": "next"},
        )
        body = page.content.decode()
        assert page.status_code == 400
        assert f'value="{code}"' in body  # what was typed stays
        assert "Bạch Đằng" not in body  # nothing of the guessed place is shown
        # the page less its one-time tokens (CSRF, CSP nonce) and the code typed
        answers[code] = re.sub(r'(middlewaretoken" value="|nonce=")[^"]*', "", body).replace(
            code, "CODE"
        )
    assert answers[town.other_home.code] == answers["4800099995"]  # the same page either way


def test_the_post_to_another_households_code_is_refused_beside_the_field(town: Town) -> None:
    client = signed_in(town.anh)
    draft_id = start(client, town)
    client.post(
        f"/ho-so/nhap/{draft_id}/buoc/0/",
        {"ho_ten": "An", "dia_chi_so_1": town.home.code, "action": "next"},
    )
    page = client.post(
        f"/ho-so/nhap/{draft_id}/hoan-tat/",
        {
            "action": "submit",
            "delivery": "post",
            "delivery_place_0": town.other_home.code,
            "declared": "on",
        },
    )
    assert page.status_code == 400
    assert escape(str(uses.NOT_USABLE)) in page.content.decode()
    assert not Dossier.objects.exists()
    # Online delivery: a code left in the box does not matter.
    page = client.post(
        f"/ho-so/nhap/{draft_id}/hoan-tat/",
        {
            "action": "submit",
            "delivery": "online",
            "delivery_place_0": town.other_home.code,
            "declared": "on",
        },
    )
    assert page.status_code == 302
    assert DossierAddress.objects.filter(field=DELIVERY_FIELD).count() == 0


def test_a_typed_postal_address_ending_in_a_phone_number_stays_text(town: Town) -> None:
    dossier = _file(
        town,
        town.anh,
        town.home.code,
        delivery="post",
        address="5 Lê Duẩn, Hải Châu (0905123456)",
    )
    assert dossier.delivery_address == "5 Lê Duẩn, Hải Châu (0905123456)"
    assert not DossierAddress.objects.filter(field=DELIVERY_FIELD).exists()


def test_the_api_refuses_another_households_code_like_an_unknown_one(town: Town) -> None:
    client = Client()
    headers = bearer(town.anh)
    answers = []
    for code in (town.other_home.code, "4800099995"):
        response = client.post(
            "/api/v1/dossiers/",
            {
                "procedure": town.procedure.code,
                "case_position": 0,
                "data": json.dumps({"ho_ten": "An", "dia_chi_so": code}),
            },
            headers={"Idempotency-Key": f"key-{code}"},
            **headers,
        )
        assert response.status_code == 400, response.content
        answers.append(response.json())
    assert answers[0] == answers[1]
    assert not Dossier.objects.exists()
