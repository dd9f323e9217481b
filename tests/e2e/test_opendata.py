"""A developer finds a dataset on the open-data portal, previews its table and downloads it,
on a phone, with and without JavaScript; the pages pass axe's serious checks."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.agencies.tests.factories import AgencyFactory
from motcua.opendata.tests.factories import ThemeFactory, csv_resource, dataset

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CSV = "phuong,so_ho_so,ty_le_dung_han\nHải Châu,1200,0.97\nThanh Khê,800,0.95\n".encode()


def publish() -> None:
    agency = AgencyFactory.create(code="H17.10", name="Sở Khoa học và Công nghệ")
    theme = ThemeFactory.create(name="hanh-chinh", title="Hành chính công")
    ds = dataset(
        agency,
        name="ho-so-theo-phuong",
        title="Hồ sơ thủ tục hành chính theo phường",
        themes=[theme],
        tags=["hồ sơ"],
    )
    csv_resource(ds, CSV, "ho-so.csv")
    dataset(agency, name="khac", title="Danh mục khác")


def test_find_a_dataset_and_preview_it_on_a_phone(live_server: Any, page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    publish()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Dữ liệu mở").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dữ liệu mở thành phố Đà Nẵng")
    page.get_by_label("Tìm bộ dữ liệu").fill("ho so phuong")
    page.get_by_role("button", name="Tìm kiếm", exact=True).click()
    expect(page.locator("main")).to_contain_text("Tìm thấy 1 bộ dữ liệu")
    page.get_by_role("link", name="Hồ sơ thủ tục hành chính theo phường").click()
    preview = page.get_by_role("region", name="Xem trước: các dòng đầu")
    expect(preview).to_contain_text("Thanh Khê")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    serious = [
        v for v in Axe().run(page).response["violations"] if v["impact"] in {"serious", "critical"}
    ]
    assert serious == [], serious
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về").click()
    assert download.value.suggested_filename == "ho-so.csv"


def test_facets_work_without_javascript(live_server: Any, browser: Any) -> None:
    publish()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/du-lieu-mo/")
    page.get_by_role("link", name="Hành chính công (1)").click()
    assert "groups=hanh-chinh" in page.url
    assert "Tìm thấy 1 bộ dữ liệu" in page.inner_text("main")
    context.close()


def test_a_steward_publishes_a_table_from_the_browser(
    live_server: Any, browser: Any, tmp_path: Any
) -> None:
    # The page's upload answered 500 in every browser while the test client, which skips the
    # CSRF check, passed: the whole publication through the pages, as a steward does it.
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from motcua.opendata.tests.factories import steward
    from tests.e2e.people import PASSWORD, sign_in

    agency = AgencyFactory.create(code="H17.10", name="Sở Khoa học và Công nghệ")
    person = steward(agency)
    person.set_password(PASSWORD)
    person.save()
    device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    table = tmp_path / "wifi.csv"
    table.write_bytes("diem,luot_truy_cap\nCầu Rồng,1200\nBiển Mỹ Khê,950\n".encode())
    base = live_server.url
    page = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN").new_page()

    sign_in(page, base, person.username)
    page.goto(base + "/du-lieu-mo/quan-ly/tao/")
    assert "/accounts/second-factor/" in page.url
    page.fill(
        "input[name=token]", f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    )
    page.locator("form button[type=submit]").last.click()
    assert page.url.endswith("/du-lieu-mo/quan-ly/tao/")  # back where the steward was going
    page.fill("#id_name", "diem-wifi")
    page.fill("#id_title", "Điểm wifi công cộng")
    page.select_option("#id_owner_org", label="Sở Khoa học và Công nghệ")
    page.locator("main form button[type=submit]").last.click()
    assert page.url.endswith("/du-lieu-mo/dataset/diem-wifi/")
    page.goto(base + "/du-lieu-mo/quan-ly/diem-wifi/tai-len/")
    page.fill("#id_name", "Danh sách điểm wifi")
    page.set_input_files("#id_upload", str(table))
    page.locator("main form button[type=submit]").last.click()
    assert page.url.endswith("/du-lieu-mo/dataset/diem-wifi/"), page.inner_text("main")[:300]
    page.reload()
    assert "Biển Mỹ Khê" in page.content(), page.inner_text("body")[-1500:]  # loaded, previewed
