"""A ward officer places a household on the map (or by typing its coordinates), records who
lives there, and the head of household sees and shares the digital address on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.tests.factories import UserFactory
from motcua.addresses import wards
from motcua.addresses.models import Place
from motcua.addresses.tests.factories import HAI_CHAU, ward_officer
from tests.e2e.people import sign_in
from tests.e2e.test_accessibility import violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN"}


def officer_signs_in(page: Any, base: str, username: str, device: TOTPDevice) -> None:
    sign_in(page, base, username)
    page.goto(base + "/can-bo/dia-chi/")
    assert "/accounts/second-factor/" in page.url
    token = totp(device.bin_key, step=device.step, digits=device.digits)
    page.fill("input[name=token]", f"{token:06d}")
    page.locator("form button[type=submit]").last.click()


def test_an_officer_places_a_household_on_the_map_and_the_head_sees_it(
    live_server: Any, browser: Any
) -> None:
    officer = ward_officer(HAI_CHAU)
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    head = UserFactory.create(full_name="Lê Thị Hoa", personal_id="048190000123")
    base = live_server.url
    desk = browser.new_context(**PHONE).new_page()
    blocked: list[str] = []
    desk.on(
        "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
    )

    officer_signs_in(desk, base, officer.username, device)
    desk.goto(base + "/can-bo/dia-chi/moi/")
    desk.fill("#id_house_number", "24")
    desk.fill("#id_street", "Trần Phú")
    # The map (Leaflet, from a static file) opens on the ward; a tap fills the coordinates.
    map_box = desk.locator("#address-map")
    map_box.wait_for(state="visible")
    found = violations(desk)
    assert desk.input_value("#id_latitude") == ""
    map_box.click(position={"x": 150, "y": 150})
    latitude = float(desk.input_value("#id_latitude"))
    longitude = float(desk.input_value("#id_longitude"))
    hai_chau = wards.ward(HAI_CHAU)
    assert hai_chau is not None and hai_chau.latitude and hai_chau.longitude
    assert abs(latitude - hai_chau.latitude) < 0.01 and abs(longitude - hai_chau.longitude) < 0.01
    desk.locator("form button[type=submit]").last.click()
    place = Place.objects.get()
    assert desk.url.endswith(f"/can-bo/dia-chi/{place.code}/")
    assert abs(place.latitude - latitude) < 1e-6
    assert place.plus_code in desk.inner_text("main")
    # The history table scrolls inside the page: the page itself fits the phone.
    assert desk.evaluate("document.documentElement.scrollWidth") <= 360
    found += violations(desk)

    # The household: its head, by the number on the identity card.
    desk.fill("#id_head", "048190000123")
    desk.locator("form:has(#id_head) button[type=submit]").click()
    assert "Hộ gia đình đã được ghi nhận" in desk.inner_text("main")
    assert blocked == [], blocked

    # The head of household sees the address, its QR code and the link to share.
    citizen = browser.new_context(**PHONE).new_page()
    sign_in(citizen, base, head.username)
    citizen.goto(base + "/dia-chi-so/")
    main = citizen.inner_text("main")
    assert place.code in main and "24 Trần Phú" in main and "Hải Châu" in main
    assert citizen.locator("img.address-qr").is_visible()
    found += violations(citizen)
    assert found == [], "\n".join(found)  # WCAG: nothing axe rates serious or critical
    shared = citizen.input_value("#share-url")
    citizen.goto(shared)
    assert place.code in citizen.inner_text("main")
    assert "Lê Thị Hoa" not in citizen.content()


def test_without_the_map_typed_coordinates_place_the_household(
    live_server: Any, browser: Any
) -> None:
    officer = ward_officer(HAI_CHAU)
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    context = browser.new_context(java_script_enabled=False, **PHONE)
    desk = context.new_page()
    officer_signs_in(desk, live_server.url, officer.username, device)
    desk.goto(live_server.url + "/can-bo/dia-chi/moi/")
    assert not desk.locator("#address-map").is_visible()  # no script, no map: fields only
    desk.fill("#id_street", "Bạch Đằng")
    desk.fill("#id_house_number", "5")
    desk.fill("#id_latitude", "16,0720")
    desk.fill("#id_longitude", "108.2240")
    desk.locator("form button[type=submit]").last.click()
    place = Place.objects.get()
    assert (place.latitude, place.longitude) == (16.072, 108.224)
    assert place.code in desk.inner_text("h1")
