"""Level 4 end to end, in a real browser on a phone-sized screen.

The approver decides (which signs the result); the fee is due at result time, so the citizen
pays it in the sandbox gateway; the desk returns the result; the citizen downloads the signed
PDF and checks it on the public verification page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.dossiers import services
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.tests.factories import file_dossier, make_world, officer
from motcua.payments.tests.factories import set_fee
from motcua.results.models import IssuedResult

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a-long-passphrase-1"
# On failure, name what sticks out of a 360 px screen (tables scroll inside their wrapper).
WIDE = (
    "[...document.querySelectorAll('body *')]"
    ".filter(e => e.getBoundingClientRect().right > 360 && !e.closest('.table-scroll'))"
    ".slice(0, 6).map(e => e.tagName + '.' + e.className)"
)


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()


def act(page: Any, transition: str) -> None:
    page.locator(f"form:has(input[name=transition][value={transition}]) button").click()


def test_decide_pay_in_the_sandbox_return_download_and_verify(
    live_server: Any, browser: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MOTCUA_PAYMENT_SANDBOX_ENABLED = True
    settings.MOTCUA_PAYMENT_GATEWAY = "sandbox"
    settings.MOTCUA_PAYMENT_BASE_URL = ""
    settings.MOTCUA_PUBLIC_URL = live_server.url
    world = make_world()
    set_fee(world, 75_000, payment_timing="at_result")
    staff = officer(world.agency, "receiver", "processor", "approver")
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    dossier = file_dossier(world)
    for transition in (Transition.ACCEPT, Transition.FORWARD):
        dossier = services.act(dossier=dossier, user=staff, transition=transition)
    assert dossier.status == Status.PROCESSING  # the fee is not asked for before processing

    base = live_server.url
    phone = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN"}
    desk = browser.new_context(**phone).new_page()
    citizen = browser.new_context(**phone).new_page()

    # The approver decides: that signs the result, and the fee becomes due.
    sign_in(desk, base, staff.username)
    desk.goto(f"{base}/can-bo/ho-so/{dossier.code}/")
    token = totp(device.bin_key, step=device.step, digits=device.digits)
    desk.fill("input[name=token]", f"{token:06d}")
    desk.locator("form button[type=submit]").last.click()
    desk.goto(f"{base}/can-bo/ho-so/{dossier.code}/")
    act(desk, "decide")
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT
    assert IssuedResult.objects.filter(dossier=dossier).count() == 1

    # The citizen pays in the sandbox and comes back.
    sign_in(citizen, base, world.applicant.username)
    citizen.goto(f"{base}/ho-so/{dossier.code}/")
    citizen.locator(f"form[action='/thanh-toan/ho-so/{dossier.code}/'] button").click()
    assert "SANDBOX" in citizen.inner_text(".sandbox-banner")
    citizen.locator("#sandbox-confirm").click()
    assert citizen.get_attribute("#payment-state", "data-state") == "paid"
    dossier.refresh_from_db()
    assert dossier.status == Status.DECIDED

    # The desk returns the result.
    desk.reload()
    act(desk, "return_result")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED

    # The citizen downloads the signed result ...
    citizen.goto(f"{base}/ho-so/{dossier.code}/")
    link = citizen.locator("#result-heading ~ p a.button")
    response = citizen.request.get(base + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    saved = tmp_path / "ket-qua.pdf"
    saved.write_bytes(response.body())
    signed = saved.read_bytes()
    assert signed.startswith(b"%PDF")
    [signature] = PdfFileReader(saved.open("rb")).embedded_signatures
    assert signature.field_name

    # ... and checks it on the public verification page, signed out.
    checker = browser.new_context(**phone).new_page()
    checker.goto(base + "/verify/")
    checker.locator("input[type=file]").set_input_files(str(saved))
    checker.locator("form[action='/verify/'] button[type=submit]").click()
    assert checker.get_attribute("[data-outcome]", "data-outcome") == "valid"
    assert dossier.code in checker.inner_text("main")
    for name, page in (("desk", desk), ("citizen", citizen), ("checker", checker)):
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (name, width, page.evaluate(WIDE))
