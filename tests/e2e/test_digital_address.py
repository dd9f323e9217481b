"""A ward officer places a household on the map (or by typing its coordinates), records who
lives there, and the head of household sees and shares the digital address on a phone, then
files a dossier with it that the officer reads with the address written out."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.tests.factories import UserFactory
from motcua.addresses import wards
from motcua.addresses.models import DossierAddress, Place
from motcua.addresses.tests.factories import HAI_CHAU, ward_officer
from motcua.agencies.models import AgencyKind
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import PDF, officer
from motcua.eforms.examples import example_document
from tests.e2e.people import PASSWORD, sign_in
from tests.e2e.test_accessibility import violations
from tests.e2e.test_demo_birth_registration import fill_step

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


def test_a_household_placed_by_the_ward_files_the_demo_procedure_with_its_digital_address(
    live_server: Any, browser: Any, tmp_path: Path
) -> None:
    """Issue 17, point 6: the ward officer places a household (typed coordinates, no script),
    its head files the demo's emergency housing support (1.010805) choosing that digital
    address for the damaged house and for the post, and the officer reads the address text on
    the dossier, as it was at filing."""
    call_command("load_demo", stdout=io.StringIO())
    procedure = Procedure.objects.get(code="1.010805")
    ward = procedure.agencies.get(kind=AgencyKind.WARD_COMMITTEE, ward_code=HAI_CHAU)
    desk_officer = officer(ward, "receiver")
    desk_officer.set_password(PASSWORD)
    desk_officer.save()
    device = TOTPDevice.objects.create(user=desk_officer, name="phone", confirmed=True)
    head = UserFactory.create(
        full_name="Phan Thị Mai",
        personal_id="048190000777",
        assurance_level=2,
        current_ward_code=HAI_CHAU,
    )
    head.set_password(PASSWORD)
    head.save()
    base = live_server.url
    schema = procedure.versions.order_by("-number")[0].snapshot["cases"][0]["eform"]
    answers = example_document(schema)
    document = tmp_path / "giay-to.pdf"
    document.write_bytes(PDF)

    # The ward officer places the house by its typed coordinates, then records the household.
    desk = browser.new_context(java_script_enabled=False, **PHONE).new_page()
    officer_signs_in(desk, base, desk_officer.username, device)
    desk.goto(base + "/can-bo/dia-chi/moi/")
    desk.fill("#id_house_number", "77")
    desk.fill("#id_street", "Lý Tự Trọng")
    desk.fill("#id_latitude", "16.0751")
    desk.fill("#id_longitude", "108.2169")
    desk.locator("form button[type=submit]").last.click()
    place = Place.objects.get(street="Lý Tự Trọng")
    assert desk.url.endswith(f"/can-bo/dia-chi/{place.code}/")
    desk.fill("#id_head", "048190000777")
    desk.locator("form:has(#id_head) button[type=submit]").click()
    assert "Hộ gia đình đã được ghi nhận" in desk.inner_text("main")

    # The head of household files online on a phone and chooses the household's address.
    citizen = browser.new_context(**PHONE).new_page()
    sign_in(citizen, base, head.username)
    citizen.goto(base + "/thu-tuc/1.010805/nop-truc-tuyen/")
    citizen.locator("#case-0").check()
    with citizen.expect_navigation():
        citizen.locator("form[action$='/ho-so/nop/1.010805/'] button").click()
    answers.pop("dia_chi_so")
    answers["dia_chi_so_1"] = place.code  # the list box of the household's own addresses
    chose = False
    found: list[str] = []
    for _step in range(10):
        if citizen.locator("button[value=next]").count() == 0:
            break
        box = citizen.locator("select[name=dia_chi_so_1]")
        if box.count():
            options = box.locator("option").all_inner_texts()
            assert any("77 Lý Tự Trọng, Phường Hải Châu" in text for text in options), options
            assert citizen.locator("label[for=id_dia_chi_so_0]").is_visible()
            found = violations(citizen)  # the list box and the code box, labelled
            chose = True
        fill_step(citizen, answers)
        with citizen.expect_navigation():
            citizen.locator("button[value=next]").click()
    assert chose
    for upload in citizen.locator("input[type=file]").evaluate_all("l => l.map(i => i.id)"):
        citizen.locator(f"#{upload}").set_input_files(str(document))
        with citizen.expect_navigation():
            citizen.locator(f"form:has(#{upload}) button").click()
    review = citizen.inner_text("main")
    assert f"77 Lý Tự Trọng, Phường Hải Châu, Thành phố Đà Nẵng ({place.code})" in review
    # The result by post, to the same digital address, chosen rather than typed.
    citizen.locator("input[name=delivery][value=post]").check()
    citizen.locator("select[name=delivery_place_1]").select_option(place.code)
    citizen.locator("#id_declared").check()
    with citizen.expect_navigation():
        citizen.locator("button[value=submit]").click()
    dossier = Dossier.objects.get()
    assert citizen.url.endswith(f"/ho-so/{dossier.code}/")
    assert dossier.form_data["dia_chi_so"] == place.code
    assert dossier.delivery == "post" and place.code in dossier.delivery_address
    kept = {a.field: a.text for a in DossierAddress.objects.filter(dossier=dossier)}
    text = "77 Lý Tự Trọng, Phường Hải Châu, Thành phố Đà Nẵng"
    assert kept == {"dia_chi_so": text, "delivery": text}

    # The officer reads the address text on the dossier, with a link to the ward's place.
    desk.goto(base + f"/can-bo/ho-so/{dossier.code}/")
    main = desk.inner_text("main")
    assert text in main and place.code in main
    link = desk.locator(f"a[href='/can-bo/dia-chi/{place.code}/']")
    assert link.count() >= 1
    found += violations(citizen)
    assert found == [], "\n".join(found)
