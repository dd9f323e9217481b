"""The register of places and households: codes derived, identifiers checked, history kept."""

from __future__ import annotations

import pytest

from motcua.accounts.tests.factories import UserFactory
from motcua.addresses import codes, plus_codes, services
from motcua.addresses.errors import AddressError, MalformedCode, NotYourWard, UnknownWard
from motcua.addresses.models import PlaceAction, PlaceEvent, Scheme

from .factories import HAI_CHAU, HOA_CUONG, TRAN_PHU, make_place, make_ward, ward_officer

pytestmark = pytest.mark.django_db


def test_a_place_gets_its_plus_code_platform_code_and_first_history_line() -> None:
    ward = make_ward()
    place = make_place(
        ward.officer,
        former_ward_name="Phường Thạch Thang",
        identifiers={Scheme.VPOSTCODE: "55000 3632QV8", Scheme.NATIONAL: "4800012345"},
    )
    assert place.plus_code == plus_codes.encode(*TRAN_PHU)
    assert place.plus_code.startswith("7P8C") and len(place.plus_code) == 12
    assert place.code.startswith("48") and codes.is_platform_code(place.code)
    assert place.province_code == 48 and place.ward_code == HAI_CHAU
    assert place.search_text == "24 tran phu hai chau"
    assert sorted(place.identifiers.values_list("scheme", "code")) == [
        ("national", "4800012345"),
        ("platform", place.code),
        ("vpostcode", "550003632QV8"),
    ]
    event = PlaceEvent.objects.get(place=place)
    assert event.action == PlaceAction.CREATED and event.actor == ward.officer
    assert event.snapshot["former_ward_name"] == "Phường Thạch Thang"
    assert ["vpostcode", "550003632QV8"] in event.snapshot["identifiers"]


def test_codes_are_given_in_sequence_and_a_mistyped_digit_is_caught() -> None:
    ward = make_ward()
    first = make_place(ward.officer)
    second = make_place(ward.officer, house_number="26", point=(16.0690, 108.2208))
    assert int(second.code[2:9]) == int(first.code[2:9]) + 1
    typo = first.code[:-2] + str((int(first.code[-2]) + 1) % 10) + first.code[-1]
    assert not codes.is_platform_code(typo)
    with pytest.raises(MalformedCode):
        codes.normalise(Scheme.PLATFORM, typo)


@pytest.mark.parametrize(
    ("scheme", "code"),
    [("vpostcode", "5500 3632QV8"), ("vpostcode", "55000 3632QVA"), ("national", "12345")],
)
def test_malformed_identifiers_are_refused(scheme: str, code: str) -> None:
    ward = make_ward()
    with pytest.raises(MalformedCode):
        make_place(ward.officer, identifiers={scheme: code})


def test_an_identifier_belongs_to_one_place() -> None:
    ward = make_ward()
    make_place(ward.officer, identifiers={Scheme.NATIONAL: "4800012345"})
    with pytest.raises(AddressError, match="đã được gán"):
        make_place(
            ward.officer,
            house_number="90",
            point=(16.0600, 108.2200),
            identifiers={Scheme.NATIONAL: "4800012345"},
        )


def test_an_officer_of_another_ward_cannot_create_a_place_here() -> None:
    outsider = ward_officer(HOA_CUONG)
    with pytest.raises(NotYourWard):
        make_place(outsider)


def test_a_ward_code_of_another_province_is_unknown() -> None:
    officer = ward_officer(70)  # Phường Hoàn Kiếm, Hà Nội
    with pytest.raises(UnknownWard, match="Không có phường"):
        make_place(officer, ward_code=70)


def test_a_household_links_citizens_to_a_place_with_a_head() -> None:
    ward = make_ward()
    place = make_place(ward.officer)
    head, child = UserFactory.create(), UserFactory.create()
    household = services.create_household(
        officer=ward.officer, place=place, head=head, members=[child]
    )
    assert household.head == head
    assert set(household.members.values_list("user", flat=True)) == {head.pk, child.pk}
    place.refresh_from_db()
    assert place.version == 2
    assert list(place.events.values_list("action", flat=True)) == ["created", "household"]
    # One household at a time.
    other = make_place(ward.officer, house_number="30", point=(16.0700, 108.2208))
    with pytest.raises(AddressError):
        services.create_household(officer=ward.officer, place=other, head=child)
