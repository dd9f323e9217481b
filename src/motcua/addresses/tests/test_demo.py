"""The demo's places and households: loaded once whatever the number of runs; the sandbox
e-ID's demo citizens find their household's address."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.addresses.demo import load_demo_addresses
from motcua.addresses.models import Household, Place, PlaceStatus, Scheme

from .factories import HAI_CHAU, ward_officer

pytestmark = pytest.mark.django_db


def test_the_demo_places_load_once_with_households_for_the_sandbox_citizens() -> None:
    created = load_demo_addresses()
    assert created == Place.objects.count() == 6
    assert load_demo_addresses() == 0 and Place.objects.count() == 6
    assert Household.objects.count() == 3
    assert Place.objects.filter(status=PlaceStatus.PROPOSED).count() == 1
    bach_dang = Place.objects.get(street="Bạch Đằng")
    vpostcode = bach_dang.identifiers.get(scheme=Scheme.VPOSTCODE).code
    assert vpostcode == "50000" + bach_dang.plus_code[4:].replace("+", "")
    an = User.objects.get(personal_id="048085001234")
    client = Client()
    client.force_login(an)
    page = client.get("/dia-chi-so/").content.decode()
    assert bach_dang.code in page and "12 Bạch Đằng" in page


def test_the_ward_officer_reads_the_history_of_a_place_the_platform_recorded() -> None:
    """The finding: a history line without a person (demo data) broke the place's page."""
    load_demo_addresses()
    officer = Client()
    sign_in_with_second_factor(officer, ward_officer(HAI_CHAU))
    place = Place.objects.get(street="Bạch Đằng")
    page = officer.get(f"/can-bo/dia-chi/{place.code}/")
    body = page.content.decode()
    assert page.status_code == 200 and "<td>Hệ thống</td>" in body
