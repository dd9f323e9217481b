"""Citizens see and share their household's digital address and ask the ward to correct it;
nobody reaches another household, and a shared address shows no one who lives there."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.addresses import services
from motcua.addresses.errors import AddressError, NotYourWard
from motcua.addresses.models import Correction, CorrectionStatus, PlaceAction

from .factories import HOA_CUONG, make_place, make_ward, ward_officer

pytestmark = pytest.mark.django_db


def household() -> tuple[object, object, object]:
    ward = make_ward()
    place = make_place(ward.officer)
    head = UserFactory.create(full_name="Lê Thị Hoa")
    services.create_household(officer=ward.officer, place=place, head=head)
    return ward, place, head


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_citizen_sees_their_code_a_qr_code_and_a_link_to_share() -> None:
    _ward, place, head = household()
    page = signed_in(head).get("/dia-chi-so/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Địa chỉ số của tôi" in body and place.code in body  # type: ignore[attr-defined]
    assert 'src="data:image/svg+xml' in body and "Mã QR của địa chỉ số" in body
    assert f"/dia-chi/{place.code}/" in body  # type: ignore[attr-defined]
    assert "Hải Châu" in body


def test_the_shared_page_shows_the_place_and_nobody_living_there() -> None:
    _ward, place, head = household()
    page = Client().get(f"/dia-chi/{place.code}/")  # type: ignore[attr-defined]
    body = page.content.decode()
    assert page.status_code == 200 and place.plus_code in body  # type: ignore[attr-defined]
    assert "Lê Thị Hoa" not in body and head.username not in body  # type: ignore[attr-defined]
    assert Client().get("/dia-chi/4800099995/").status_code == 404


def test_a_citizen_without_a_household_is_told_to_ask_the_ward() -> None:
    household()
    stranger = signed_in(UserFactory.create())
    page = stranger.get("/dia-chi-so/")
    assert (
        page.status_code == 200 and "Phường/xã chưa ghi nhận hộ gia đình" in page.content.decode()
    )
    # Nobody else's address leaks onto the page, and there is nothing to correct.
    assert "Lê Thị Hoa" not in page.content.decode()
    assert stranger.get("/dia-chi-so/yeu-cau-sua/").status_code == 404
    with pytest.raises(NotYourWard):
        services.request_correction(
            citizen=UserFactory.create(),
            street="Trần Phú",
            house_number="26",
            latitude=None,
            longitude=None,
            reason="Sai số nhà",
        )
    assert Client().get("/dia-chi-so/").status_code == 302  # to sign-in


def test_a_correction_asked_by_the_resident_and_approved_by_the_ward() -> None:
    ward, place, head = household()
    resident = signed_in(head)
    response = resident.post(
        "/dia-chi-so/yeu-cau-sua/",
        {"house_number": "26", "street": "Trần Phú", "reason": "Số nhà đã đổi thành 26"},
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.status == CorrectionStatus.PENDING
    # A second request waits for the first.
    again = resident.post(
        "/dia-chi-so/yeu-cau-sua/",
        {"house_number": "28", "street": "Trần Phú", "reason": "Nhầm"},
    )
    assert again.status_code == 400 and "đang xử lý yêu cầu trước" in again.content.decode()
    assert 'value="28"' in again.content.decode()  # what was typed is kept

    officer = Client()
    sign_in_with_second_factor(officer, ward.officer)  # type: ignore[attr-defined]
    listing = officer.get("/can-bo/dia-chi/yeu-cau-sua/").content.decode()
    assert "Số nhà đã đổi thành 26" in listing
    # An officer of another ward sees no request and cannot decide it.
    outsider = Client()
    sign_in_with_second_factor(outsider, ward_officer(HOA_CUONG))
    assert "Số nhà đã đổi" not in outsider.get("/can-bo/dia-chi/yeu-cau-sua/").content.decode()
    denied = outsider.post(f"/can-bo/dia-chi/yeu-cau-sua/{correction.pk}/", {"decision": "approve"})
    assert denied.status_code == 404
    # Rejecting needs a reason the resident will read.
    refused = officer.post(f"/can-bo/dia-chi/yeu-cau-sua/{correction.pk}/", {"decision": "reject"})
    assert refused.status_code == 400 and "Hãy ghi lý do từ chối" in refused.content.decode()
    approved = officer.post(
        f"/can-bo/dia-chi/yeu-cau-sua/{correction.pk}/", {"decision": "approve", "note": "Đúng"}
    )
    assert approved.status_code == 302
    place.refresh_from_db()  # type: ignore[attr-defined]
    assert place.house_number == "26"  # type: ignore[attr-defined]
    assert place.events.last().action == PlaceAction.CORRECTED  # type: ignore[attr-defined]
    assert place.events.first().snapshot["house_number"] == "24"  # type: ignore[attr-defined]
    page = resident.get("/dia-chi-so/").content.decode()
    assert "Đã chấp thuận" in page and "26 Trần Phú" in page
    with pytest.raises(AddressError):
        services.decide_correction(
            officer=ward.officer,  # type: ignore[attr-defined]
            correction=correction,
            approve=True,
        )


def test_a_correction_with_a_point_outside_the_city_is_refused() -> None:
    _ward, _place, head = household()
    response = signed_in(head).post(
        "/dia-chi-so/yeu-cau-sua/",
        {"street": "Trần Phú", "latitude": "10.77", "longitude": "106.70", "reason": "Sai vị trí"},
    )
    assert (
        response.status_code == 400 and "nằm ngoài Thành phố Đà Nẵng" in response.content.decode()
    )
    assert not Correction.objects.exists()
