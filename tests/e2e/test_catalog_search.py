"""A citizen searches "giay khai sinh" from the home page and opens birth registration."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_search_from_home_and_open_birth_registration(live_server: object, page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    call_command("load_demo", verbosity=0)

    page.goto(live_server.url + "/")  # type: ignore[attr-defined]
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    # The stylesheet loaded: the header has the city's red, not the browser default.
    header_colour = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert header_colour == "rgb(165, 14, 14)"
    page.get_by_role("searchbox").fill("giay khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()

    expect(page).to_have_url(re.compile(r"q=giay\+khai\+sinh"))
    first = page.locator("ol.results li.result h2 a").first
    expect(first).to_contain_text("khai sinh")
    page.get_by_role("link", name="Đăng ký khai sinh").first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Đăng ký khai sinh")
    expect(page.locator("body")).to_contain_text("1.001193")
    # Nothing overflows a 360 px phone screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width


def test_catalogue_works_without_javascript(live_server: object, browser: object) -> None:
    call_command("load_demo", verbosity=0)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(live_server.url + "/thu-tuc/?q=ket+hon")  # type: ignore[attr-defined]
    assert "Đăng ký kết hôn" in page.inner_text("main")
    page.click(".filter-panel summary")  # <details> opens natively, no script needed
    page.select_option("#id_agency_level", "ward")
    page.click(".filter-panel button[type=submit]")
    assert "agency_level=ward" in page.url
    assert "Đăng ký kết hôn" in page.inner_text("main")
    context.close()
