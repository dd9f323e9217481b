"""A ward's form designer adds the household's members (a repeating group) and "filed on
someone's behalf" (a condition) to the demo's emergency housing support form in the builder,
publishes it, and a citizen files the procedure with the new form in a real browser."""

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
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import PDF, officer
from motcua.eforms.examples import example_document
from tests.e2e.people import PASSWORD, sign_in
from tests.e2e.test_demo_birth_registration import fill_step

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CODE = "1.010805"


def _submit(page: Any, selector: str = "main form[method=post] button[type=submit]") -> None:
    with page.expect_navigation():
        page.locator(selector).last.click()


def _add_field(page: Any, base: str, kind: str, title: str, **where: str) -> None:
    query = "&".join(f"{key}={value}" for key, value in where.items())
    page.goto(f"{base}/can-bo/bieu-mau/{CODE}/0/them-truong/?{query}")
    with page.expect_navigation():
        page.locator(f"main a[href*='kind={kind}&']").click()
    page.fill("#id_title", title)


def test_staff_build_a_form_with_members_and_a_condition_and_a_citizen_files_it(
    live_server: Any, browser: Any, tmp_path: Path
) -> None:
    call_command("load_demo", stdout=io.StringIO())
    procedure = Procedure.objects.get(code=CODE)
    ward = procedure.agencies.filter(kind=AgencyKind.WARD_COMMITTEE).order_by("code").first()
    assert ward is not None
    designer_user = officer(ward, "form_designer")
    designer_user.set_password(PASSWORD)
    designer_user.save()
    device = TOTPDevice.objects.create(user=designer_user, name="phone", confirmed=True)
    citizen_user = UserFactory.create(full_name="Trần Văn Bình", current_ward_code=ward.ward_code)
    citizen_user.set_password(PASSWORD)
    citizen_user.save()
    base = live_server.url
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()

    # The designer signs in with the second factor and opens the procedure's first case.
    sign_in(staff, base, designer_user.username)
    staff.goto(base + "/can-bo/bieu-mau/")
    token = totp(device.bin_key, step=device.step, digits=device.digits)
    staff.fill("input[name=token]", f"{token:06d}")
    staff.locator("form button[type=submit]").last.click()
    staff.goto(base + "/can-bo/bieu-mau/")
    with staff.expect_navigation():
        staff.locator(f"main a[href='/can-bo/bieu-mau/{CODE}/0/']").click()
    assert "Họ tên chủ hộ" in staff.inner_text("main")  # the published form opens as it is

    # "Filed on someone's behalf" and whom for, shown and required only then.
    _add_field(staff, base, "yes_no", "Tôi nộp thay cho chủ hộ", step="0")
    _submit(staff)
    _add_field(staff, base, "text", "Họ tên người nhờ nộp thay", step="0")
    _submit(staff)
    staff.goto(f"{base}/can-bo/bieu-mau/{CODE}/0/dieu-kien/them/?group=")
    staff.select_option("#id_field", "toi_nop_thay_cho_chu_ho")
    with staff.expect_navigation():
        staff.locator("main form[method=get] button[type=submit]").click()
    staff.locator("input[name=value][value=true]").check()
    staff.locator("input[name=shown][value=ho_ten_nguoi_nho_nop_thay]").check()
    staff.locator("input[name=required][value=ho_ten_nguoi_nho_nop_thay]").check()
    _submit(staff)

    # A new step with the household's members: a repeating group with two fields a row.
    staff.fill("#new-step-title", "Thành viên hộ gia đình")
    _submit(staff, "form:has(#new-step-title) button")
    _add_field(staff, base, "rows", "Thành viên hộ gia đình", step="1")
    staff.fill("#id_row_title", "Thành viên")
    staff.fill("#id_max_items", "10")
    staff.locator("#id_required").check()
    _submit(staff)
    _add_field(staff, base, "text", "Họ và tên", group="thanh_vien_ho_gia_dinh")
    staff.locator("#id_required").check()
    _submit(staff)
    _add_field(staff, base, "date", "Ngày sinh", group="thanh_vien_ho_gia_dinh")
    _submit(staff)

    # The builder shows the fields, the preview and the schema; the form can be filled.
    builder = staff.inner_text("main")
    assert "thanh_vien_ho_gia_dinh.ho_va_ten" in builder
    assert staff.locator("#check ~ .builder-ok").count() == 1
    phone_preview = staff.frame_locator("iframe.preview-phone")
    assert phone_preview.locator("main h1").inner_text()
    staff.goto(f"{base}/can-bo/bieu-mau/{CODE}/0/xem-truoc/?step=1")
    assert staff.locator("[name='thanh_vien_ho_gia_dinh.0.ho_va_ten']").count() == 1
    staff.goto(f"{base}/can-bo/bieu-mau/{CODE}/0/")
    before = procedure.versions.count()
    _submit(staff, "form[action$='/xuat-ban/'] button")
    assert procedure.versions.count() == before + 1
    schema = procedure.versions.order_by("-number")[0].snapshot["cases"][0]["eform"]
    assert schema["properties"]["thanh_vien_ho_gia_dinh"]["items"]["required"] == ["ho_va_ten"]

    # A citizen files the procedure with the new form: on behalf, two members.
    citizen = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN").new_page()
    sign_in(citizen, base, citizen_user.username)
    citizen.goto(f"{base}/thu-tuc/{CODE}/nop-truc-tuyen/")
    citizen.locator("#case-0").check()
    with citizen.expect_navigation():
        citizen.locator(f"form[action$='/ho-so/nop/{CODE}/'] button").click()
    answers = example_document(schema)
    answers.pop("thanh_vien_ho_gia_dinh", None)
    answers |= {"toi_nop_thay_cho_chu_ho": True, "ho_ten_nguoi_nho_nop_thay": "Trần Thị Mai"}
    # With JavaScript the name of the person filed for appears once the box is ticked.
    fill_step(citizen, {"toi_nop_thay_cho_chu_ho": True})
    assert citizen.locator("[name=ho_ten_nguoi_nho_nop_thay]").is_visible()
    fill_step(citizen, answers)
    with citizen.expect_navigation():
        citizen.locator("button[value=next]").click()
    # The members' step: one row to start with, a second added.
    citizen.fill("[name='thanh_vien_ho_gia_dinh.0.ho_va_ten']", "Trần Văn Bình")
    citizen.locator("button[value^='add:thanh_vien_ho_gia_dinh']").click()
    citizen.locator("[name='thanh_vien_ho_gia_dinh.1.ho_va_ten']").fill("Trần Thị Mai")
    citizen.fill("[name='thanh_vien_ho_gia_dinh.1.ngay_sinh']", "2012-05-01")
    with citizen.expect_navigation():
        citizen.locator("button[value=next]").click()
    document = tmp_path / "giay-to.pdf"
    document.write_bytes(PDF)
    uploads = citizen.locator("input[type=file]").evaluate_all("inputs => inputs.map(i => i.id)")
    for upload in uploads:
        citizen.locator(f"#{upload}").set_input_files(str(document))
        with citizen.expect_navigation():
            citizen.locator(f"form:has(#{upload}) button").click()
    review = citizen.inner_text("main")
    assert "Trần Thị Mai" in review and "Thành viên 2" in review
    citizen.locator("#id_declared").check()
    with citizen.expect_navigation():
        citizen.locator("button[value=submit]").click()

    dossier = Dossier.objects.get()
    assert dossier.procedure_version.number == procedure.versions.order_by("-number")[0].number
    assert dossier.form_data["ho_ten_nguoi_nho_nop_thay"] == "Trần Thị Mai"
    assert [row["ho_va_ten"] for row in dossier.form_data["thanh_vien_ho_gia_dinh"]] == [
        "Trần Văn Bình",
        "Trần Thị Mai",
    ]
