"""The demo's own birth registration (1.001193), filed by a citizen and accepted by the ward's
one-stop desk in a real browser: the journey that once answered 500 for 45 of 58 procedures.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.tests.factories import UserFactory
from motcua.agencies.models import AgencyKind
from motcua.catalog.models import Procedure
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import PDF, officer
from motcua.eforms.examples import example_document
from tests.e2e.people import PASSWORD, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def fill_step(page: Any, answers: dict[str, Any]) -> None:
    """Answer the fields this step shows, as a person would: type, pick, tick."""
    form = page.locator("main form[method=post]").first
    for name, value in answers.items():
        field = form.locator(f"[name='{name}']")
        if field.count() == 0:
            continue
        first = field.first
        tag = first.evaluate("element => element.tagName.toLowerCase()")
        kind = (first.get_attribute("type") or "").lower()
        if tag == "select":
            first.select_option(str(value))
        elif kind == "radio":
            form.locator(f"[name='{name}'][value='{value}']").check()
        elif kind == "checkbox":
            first.set_checked(bool(value))
        else:
            first.fill(str(value))


def test_a_citizen_files_the_demo_birth_registration_and_the_ward_accepts_it(
    live_server: Any, browser: Any, tmp_path: Path
) -> None:
    call_command("load_demo", stdout=io.StringIO())
    procedure = Procedure.objects.get(code="1.001193")
    ward = procedure.agencies.filter(kind=AgencyKind.WARD_COMMITTEE).order_by("code").first()
    assert ward is not None
    citizen_user = UserFactory.create(
        full_name="Lê Thị Thu Hà", assurance_level=2, current_ward_code=ward.ward_code
    )
    citizen_user.set_password(PASSWORD)
    citizen_user.save()
    desk_officer = officer(ward, "receiver")
    desk_officer.set_password(PASSWORD)
    desk_officer.save()
    device = TOTPDevice.objects.create(user=desk_officer, name="phone", confirmed=True)
    answers = example_document(
        procedure.versions.order_by("-number")[0].snapshot["cases"][0]["eform"]
    )
    document = tmp_path / "giay-to.pdf"
    document.write_bytes(PDF)
    base = live_server.url
    phone = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN"}
    citizen = browser.new_context(**phone).new_page()
    desk = browser.new_context(**phone).new_page()

    # The citizen files the ordinary case online, step by step, then attaches every document.
    sign_in(citizen, base, citizen_user.username)
    citizen.goto(base + "/thu-tuc/1.001193/nop-truc-tuyen/")
    citizen.locator("#case-0").check()
    # Each click loads a new page: wait for it before looking at what it shows.
    with citizen.expect_navigation():
        citizen.locator("form[action$='/ho-so/nop/1.001193/'] button").click()
    for _step in range(10):
        if citizen.locator("button[value=next]").count() == 0:
            break
        fill_step(citizen, answers)
        with citizen.expect_navigation():
            citizen.locator("button[value=next]").click()
    # The identity card is proved by the citizen's level-2 e-ID: not asked for as an upload.
    uploads = citizen.locator("input[type=file]").evaluate_all("inputs => inputs.map(i => i.id)")
    assert uploads == ["file-0", "file-1", "file-3"]  # tờ khai, giấy chứng sinh, kết hôn
    assert "đã xác thực qua tài khoản định danh điện tử" in citizen.inner_text("main")
    for upload in uploads:
        citizen.locator(f"#{upload}").set_input_files(str(document))
        with citizen.expect_navigation():
            citizen.locator(f"form:has(#{upload}) button").click()
    # The last step shows the answers with their labels, the agency and the fee.
    review = citizen.inner_text("main")
    assert answers["ho_ten_tre"] in review and ward.name in review
    assert "Miễn phí" in review
    citizen.locator("#id_declared").check()
    with citizen.expect_navigation():
        citizen.locator("button[value=submit]").click()
    dossier = Dossier.objects.get()
    assert citizen.url.endswith(f"/ho-so/{dossier.code}/")
    assert dossier.code.startswith(ward.code + "-")
    assert dossier.form_data["ho_ten_tre"] == answers["ho_ten_tre"]

    # The ward's one-stop officer signs in with the second factor and accepts it.
    sign_in(desk, base, desk_officer.username)
    desk.goto(base + "/can-bo/ho-so/")
    token = totp(device.bin_key, step=device.step, digits=device.digits)
    desk.fill("input[name=token]", f"{token:06d}")
    desk.locator("form button[type=submit]").last.click()
    desk.goto(base + "/can-bo/ho-so/?list=to_receive")
    desk.get_by_role("link", name=dossier.code).click()
    # Every document ticked valid in the checklist: accepted without a question.
    for box in desk.locator("#checklist input[name^=valid-]").all():
        box.check()
    with desk.expect_navigation():
        desk.locator("form:has(#checklist) button[type=submit]").click()
    with desk.expect_navigation():
        desk.locator("form:has(input[name=transition][value=accept]) button[type=submit]").click()
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED
    assert dossier.due_at is not None
    # 0.12 + 0.62 + 0.26 working days: each step has its own deadline, the last one the case's.
    planned = list(dossier.steps.order_by("position").values_list("due_at", flat=True))
    assert len(planned) == 3 and planned == sorted(planned) and planned[-1] == dossier.due_at
    assert dossier.code in desk.inner_text("main")

    # The citizen sees the acceptance and the appointment.
    citizen.reload()
    assert "Được tiếp nhận" in citizen.inner_text("main")
