"""The approver fills the result's decision fields, previews it and signs it, on a phone.

Without JavaScript-only steps: the refusal while a required field is empty, the fields form in
the results panel, the preview PDF (not signed, marked as such), the decision, and the public
verification page naming the signer with their title and agency.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

from motcua.accounts.models import AgencyMembership
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.tests.factories import file_dossier, make_world, officer
from motcua.results.models import IssuedResult, ResultTemplate

from .test_fee_and_signed_result import WIDE, act, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def text_of(data: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages).split()
    )


def test_fill_preview_and_sign_a_permit_on_a_phone(
    live_server: Any, browser: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MOTCUA_PUBLIC_URL = live_server.url
    world = make_world()
    ResultTemplate.objects.create(
        procedure=world.procedure,
        title="Giấy phép số {{ decision.so_giay_phep }}",
        body="Cấp cho {{ form.ho_ten }}; khởi công trước ngày {{ decision.han }}.",
        decision_fields=[
            {"name": "so_giay_phep", "label": "Số giấy phép", "type": "text", "required": True},
            {"name": "han", "label": "Khởi công trước ngày", "type": "date", "required": False},
        ],
    )
    staff = officer(world.agency, "receiver", "processor", "approver")
    staff.full_name = "Trần Thị Bích"
    staff.save(update_fields=["full_name"])
    AgencyMembership.objects.filter(user=staff, role="approver").update(title="Phó Giám đốc")
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    dossier = file_dossier(world)
    for transition in (Transition.ACCEPT, Transition.FORWARD):
        dossier = services.act(dossier=dossier, user=staff, transition=transition)

    base = live_server.url
    phone = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN"}
    desk = browser.new_context(java_script_enabled=False, **phone).new_page()
    sign_in(desk, base, staff.username)
    desk.goto(f"{base}/can-bo/ho-so/{dossier.code}/")
    token = totp(device.bin_key, step=device.step, digits=device.digits)
    desk.fill("input[name=token]", f"{token:06d}")
    desk.locator("form button[type=submit]").last.click()
    desk.goto(f"{base}/can-bo/ho-so/{dossier.code}/")

    # Deciding with the permit number empty is refused, and says what is missing.
    act(desk, "decide")
    assert "Số giấy phép" in desk.inner_text("main")
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and not IssuedResult.objects.exists()

    # The panel's form, then the preview.
    desk.goto(f"{base}/can-bo/ho-so/{dossier.code}/")
    desk.fill("#id_decision_so_giay_phep", "125/GPXD")
    desk.fill("#id_decision_han", "2027-12-31")
    desk.locator("form:has(#id_decision_so_giay_phep) button[type=submit]").click()
    assert desk.input_value("#id_decision_so_giay_phep") == "125/GPXD"
    preview = desk.locator("#decision-heading ~ p a.button").get_attribute("href")
    answer = desk.request.get(base + preview)
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    text = text_of(answer.body())
    assert "BẢN XEM TRƯỚC" in text and "GIẤY PHÉP SỐ 125/GPXD" in text
    assert "31/12/2027" in text and "Đã ký số" not in text
    width = desk.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, (width, desk.evaluate(WIDE))

    # The decision signs the very same text.
    act(desk, "decide")
    dossier.refresh_from_db()
    assert dossier.status == Status.DECIDED
    result = IssuedResult.objects.get(dossier=dossier)
    signed = text_of(result.file.open("rb").read())
    assert "GIẤY PHÉP SỐ 125/GPXD" in signed and "PHÓ GIÁM ĐỐC" in signed
    assert "BẢN XEM TRƯỚC" not in signed

    checker = browser.new_context(**phone).new_page()
    checker.goto(f"{base}/verify/{result.token}/")
    assert checker.get_attribute("[data-outcome]", "data-outcome") == "valid"
    assert "Trần Thị Bích, Phó Giám đốc, Sở Tư pháp" in checker.inner_text("main")
