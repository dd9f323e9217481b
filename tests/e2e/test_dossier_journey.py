"""The whole dossier journey in a real browser, on a phone-sized screen.

A citizen files with an attachment; an officer receives it and asks for a supplement; the
citizen supplements; officers process, decide and return; the citizen sees the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import PDF, make_world, officer
from tests.e2e.people import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def act(page: Any, transition: str, reason: str = "") -> None:
    form = page.locator(f"form:has(input[name=transition][value={transition}])")
    if reason:
        form.locator("textarea").fill(reason)
    form.locator("button[type=submit]").click()


def test_file_receive_supplement_process_return(
    live_server: Any, browser: Any, tmp_path: Path
) -> None:
    world = make_world()
    staff = officer(world.agency, "receiver", "processor", "approver")
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    document = tmp_path / "to-khai.pdf"
    document.write_bytes(PDF)
    base = live_server.url
    phone = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN"}
    citizen = browser.new_context(**phone).new_page()
    desk = browser.new_context(**phone).new_page()

    # The citizen files online.
    sign_in(citizen, base, world.applicant.username)
    citizen.goto(base + "/thu-tuc/2.000488/nop-truc-tuyen/")
    citizen.locator("form[action$='/ho-so/nop/2.000488/'] button").click()
    citizen.fill("input[name=ho_ten]", "Nguyễn Văn An")
    citizen.fill("input[name=ngay_sinh]", "1990-01-02")
    citizen.locator("button[value=next]").click()
    citizen.locator("#file-0").set_input_files(str(document))
    citizen.locator("form:has(#file-0) button").click()
    citizen.locator("#id_declared").check()  # the declaration that what was written is true
    citizen.locator("button[value=submit]").click()
    dossier = Dossier.objects.get()
    assert citizen.url.endswith(f"/ho-so/{dossier.code}/")
    assert dossier.code in citizen.inner_text("h1")

    # The officer signs in with the second factor and receives it.
    sign_in(desk, base, staff.username)
    desk.goto(base + "/can-bo/ho-so/")
    assert "/accounts/second-factor/" in desk.url
    token = totp(device.bin_key, step=device.step, digits=device.digits)
    desk.fill("input[name=token]", f"{token:06d}")
    desk.locator("form button[type=submit]").last.click()
    desk.goto(base + "/can-bo/ho-so/?list=to_receive")
    desk.get_by_role("link", name=dossier.code).click()
    # The desk ticks the documents valid in the checklist, then accepts without a question.
    desk.locator("#valid-0").check()
    desk.locator("form:has(#checklist) button[type=submit]").click()
    act(desk, "accept")
    act(desk, "request_supplement", "Thiếu giấy ủy quyền có chứng thực")

    # The citizen sees what is missing and supplements only that.
    citizen.reload()
    assert "Thiếu giấy ủy quyền có chứng thực" in citizen.inner_text("main")
    assert "Thiếu giấy ủy quyền có chứng thực" in citizen.inner_text("#next-action")  # first
    citizen.select_option("#component", "1")
    citizen.locator("#supplement-file").set_input_files(str(document))
    citizen.locator("form:has(#supplement-file) button").click()
    citizen.locator("button[value=supplement]").click()

    # Officers process, decide and return.
    desk.reload()
    for transition in ("forward", "decide", "return_result"):
        act(desk, transition)
    dossier.refresh_from_db()
    assert dossier.status == 10

    citizen.reload()
    assert "Đã trả kết quả" in citizen.inner_text(
        "main"
    ) or "Result returned" in citizen.inner_text("main")
    assert dossier.attachments.filter(for_supplement=True).count() == 1
    width = citizen.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
