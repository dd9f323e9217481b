"""A citizen fills an e-form with a repeating group and a condition in a real browser, with
JavaScript (rows added in the page, the condition's section shown as it applies) and without
(round trips that keep every typed value; the section always shown with its note)."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.models import DossierDraft
from motcua.dossiers.tests.factories import make_world
from motcua.dossiers.tests.test_eform_features import RESIDENCE, with_form
from tests.e2e.people import PASSWORD, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN"}


def open_the_form(browser: Any, base: str, *, javascript: bool) -> Any:
    world = make_world()
    with_form(world, RESIDENCE)
    citizen = UserFactory.create(full_name="Trần Văn Bình", assurance_level=2)
    citizen.set_password(PASSWORD)
    citizen.save()
    context = browser.new_context(java_script_enabled=javascript, **PHONE)
    blocked: list[str] = []
    context.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page = context.new_page()
    page.blocked = blocked
    sign_in(page, base, citizen.username)
    page.goto(f"{base}/thu-tuc/{world.procedure.code}/nop-truc-tuyen/")
    with page.expect_navigation():
        page.locator(f"form[action$='/ho-so/nop/{world.procedure.code}/'] button").click()
    return page


def test_with_javascript_rows_and_sections_change_in_the_page(
    live_server: Any, browser: Any
) -> None:
    page = open_the_form(browser, live_server.url, javascript=True)
    section = page.locator(".eform-conditional")
    assert section.is_hidden()  # not filing on someone's behalf: the section does not apply
    page.fill("[name='thanh_vien.0.ho_ten_tv']", "Nguyễn Thị Lan")
    posts: list[str] = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )
    page.get_by_role("button", name="Thêm thành viên").click()
    page.fill("[name='thanh_vien.1.ho_ten_tv']", "Trần Minh Khôi")
    assert page.locator("[name='thanh_vien']").input_value() == "2"
    page.get_by_role("button", name="Xoá Thành viên 1").click()
    assert page.locator("[name='thanh_vien.0.ho_ten_tv']").input_value() == "Trần Minh Khôi"
    assert page.locator("[name='thanh_vien']").input_value() == "1"
    page.get_by_role("button", name="Thêm thành viên").click()
    page.fill("[name='thanh_vien.1.ho_ten_tv']", "Lê Thị Hoa")
    assert posts == []  # rows were added and removed in the page, without a round trip
    page.check("[name='nop_thay']")
    assert section.is_visible()
    page.fill("[name='ho_ten_chu_ho']", "Trần Văn Cả")
    with page.expect_navigation():
        page.locator("button[value=next]").click()
    assert "/hoan-tat/" in page.url
    review = page.inner_text("main")
    assert "Thành viên 2 – Họ và tên thành viên" in review and "Lê Thị Hoa" in review
    draft = DossierDraft.objects.get()
    assert [row["ho_ten_tv"] for row in draft.data["thanh_vien"]] == [
        "Trần Minh Khôi",
        "Lê Thị Hoa",
    ]
    assert draft.data["ho_ten_chu_ho"] == "Trần Văn Cả"
    assert page.blocked == []


def test_without_javascript_every_button_is_a_round_trip_that_keeps_what_was_typed(
    live_server: Any, browser: Any
) -> None:
    page = open_the_form(browser, live_server.url, javascript=False)
    section = page.locator(".eform-conditional")
    assert section.is_visible()
    assert "Chỉ trả lời khi «Tôi khai thay cho chủ hộ» là «Có»." in section.inner_text()
    page.fill("[name='thanh_vien.0.ho_ten_tv']", "Nguyễn Thị Lan")
    with page.expect_navigation():
        page.get_by_role("button", name="Thêm thành viên").click()
    assert page.locator("[name='thanh_vien.0.ho_ten_tv']").input_value() == "Nguyễn Thị Lan"
    page.fill("[name='thanh_vien.1.ho_ten_tv']", "Trần Minh Khôi")
    # A field the condition rules out, filled anyway: refused, shown again, not stored.
    page.fill("[name='ho_ten_chu_ho']", "Trần Văn Cả")
    with page.expect_navigation():
        page.locator("button[value=next]").click()
    assert "không áp dụng" in page.inner_text("main")
    assert page.locator("[name='thanh_vien.1.ho_ten_tv']").input_value() == "Trần Minh Khôi"
    assert DossierDraft.objects.get().data.get("ho_ten_chu_ho") is None
    page.fill("[name='ho_ten_chu_ho']", "")
    with page.expect_navigation():
        page.get_by_role("button", name="Xoá Thành viên 1").click()
    assert page.locator("[name='thanh_vien.0.ho_ten_tv']").input_value() == "Trần Minh Khôi"
    # Enter in a field continues (the hidden first button), it does not add or remove a row
    with page.expect_navigation():
        page.locator("[name='thanh_vien.0.ho_ten_tv']").press("Enter")
    assert "/hoan-tat/" in page.url
    assert DossierDraft.objects.get().data["thanh_vien"] == [{"ho_ten_tv": "Trần Minh Khôi"}]


def test_the_form_with_rows_and_a_section_has_no_serious_accessibility_violation(
    live_server: Any, browser: Any
) -> None:
    from tests.e2e.test_accessibility import violations

    page = open_the_form(browser, live_server.url, javascript=True)
    page.get_by_role("button", name="Thêm thành viên").click()
    page.check("[name='nop_thay']")
    assert violations(page) == []
    # refused: the error summary links to the rows' fields
    with page.expect_navigation():
        page.locator("button[value=next]").click()
    assert violations(page) == []
