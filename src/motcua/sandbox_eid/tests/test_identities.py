"""The seeded demo identities are valid, and the model refuses invalid ones."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from stdnum.vn import mst
from vietnam_provinces import Ward, WardCode

from motcua.accounts.identifiers import parse_cccd
from motcua.sandbox_eid.models import AccountType, SandboxIdentity

pytestmark = pytest.mark.django_db


def test_seeded_identities_cover_the_cases_testers_need() -> None:
    citizens = SandboxIdentity.objects.filter(account_type=AccountType.CITIZEN)
    businesses = SandboxIdentity.objects.filter(account_type=AccountType.BUSINESS)
    assert citizens.count() >= 6
    assert businesses.count() >= 2
    assert {"1", "2"} <= set(citizens.values_list("assurance_level", flat=True))
    assert len(set(citizens.values_list("permanent_ward_code", flat=True))) >= 5
    level_1 = citizens.filter(assurance_level="1")
    assert all("Mức 1" in identity.note for identity in level_1)
    assert SandboxIdentity.objects.values("sub").distinct().count() == 9


def test_seeded_cccd_numbers_match_birth_date_and_sex() -> None:
    for identity in SandboxIdentity.objects.filter(account_type=AccountType.CITIZEN):
        parts = parse_cccd(identity.personal_id)
        assert identity.birthdate is not None
        assert parts.birth_year == identity.birthdate.year, identity
        assert parts.female == (identity.gender == "female"), identity
        assert parts.province_code in {"046", "048", "049"}


def test_seeded_tax_codes_are_valid_and_representatives_have_a_cccd() -> None:
    for identity in SandboxIdentity.objects.filter(account_type=AccountType.BUSINESS):
        assert len(identity.tax_code) == 10
        assert mst.is_valid(identity.tax_code), identity.tax_code
        assert identity.representative_name
        parse_cccd(identity.personal_id)


def test_seeded_addresses_are_wards_of_da_nang_and_pass_model_validation() -> None:
    for identity in SandboxIdentity.objects.all():
        for code in (identity.permanent_ward_code, identity.current_ward_code):
            assert int(Ward.from_code(WardCode(code)).province_code) == 48
        identity.full_clean()


def citizen(**changes: object) -> SandboxIdentity:
    identity = SandboxIdentity(
        account_type=AccountType.CITIZEN,
        personal_id="048185001111",
        name="Ngô Thị Hoa",
        birthdate=datetime.date(1985, 6, 1),
        gender="female",
        permanent_ward_code=20242,
        permanent_street="1 Lê Duẩn",
        current_ward_code=20242,
        current_street="1 Lê Duẩn",
        assurance_level="2",
    )
    for name, value in changes.items():
        setattr(identity, name, value)
    return identity


def test_a_valid_new_citizen_passes() -> None:
    citizen().full_clean()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"gender": "male"}, "personal_id"),
        ({"birthdate": datetime.date(1986, 6, 1)}, "personal_id"),
        ({"personal_id": "999185001111"}, "personal_id"),
        ({"personal_id": "04818500111"}, "personal_id"),
        ({"birthdate": None}, "birthdate"),
        ({"permanent_ward_code": 99999}, "permanent_ward_code"),
        ({"phone_number": "0905123456"}, "phone_number"),
        ({"account_type": AccountType.BUSINESS}, "tax_code"),
        ({"account_type": AccountType.BUSINESS, "tax_code": "0401234567"}, "tax_code"),
        ({"account_type": AccountType.BUSINESS, "tax_code": "0401234566"}, "representative_name"),
    ],
)
def test_invalid_identities_are_refused(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        citizen(**changes).full_clean()
    assert field in excinfo.value.message_dict


def test_testers_can_manage_identities_in_the_admin(admin_client: Client) -> None:
    changelist = admin_client.get("/admin/sandbox_eid/sandboxidentity/")
    assert changelist.status_code == 200
    assert "Nguyễn Văn An" in changelist.text
    response = admin_client.post(
        "/admin/sandbox_eid/sandboxidentity/add/",
        {
            "account_type": "1",
            "name": "Ngô Thị Hoa",
            "assurance_level": "1",
            "note": "Mức 1 — thêm bởi người kiểm thử",
            "is_active": "on",
            "personal_id": "048185001111",
            "birthdate": "1985-06-01",
            "gender": "female",
            "tax_code": "",
            "representative_name": "",
            "permanent_ward_code": "20242",
            "permanent_street": "1 Lê Duẩn",
            "current_ward_code": "20242",
            "current_street": "1 Lê Duẩn",
            "email": "",
            "phone_number": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].errors
    added = SandboxIdentity.objects.get(name="Ngô Thị Hoa")
    assert len(added.sub) == 36
