"""A citizen on a phone listens to birth registration, and finds the help page without script."""

from __future__ import annotations

import shutil

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (scripts/test installs it: apt-get install espeak-ng)",
)
def test_listen_to_a_procedure_on_a_phone(live_server: object, page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    call_command("load_demo", verbosity=0)
    page.goto(live_server.url + "/thu-tuc/1.001193/")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="Nghe hướng dẫn thủ tục")).to_be_visible()
    page.get_by_label("Giọng đọc").select_option("south")
    page.get_by_role("button", name="Nghe", exact=True).click()

    audio = page.locator("audio[controls]")
    expect(audio).to_have_count(1)
    expect(page.get_by_label("Giọng đọc")).to_have_value("south")
    expect(page.locator(".transcript")).to_contain_text("Đăng ký khai sinh")
    duration = page.evaluate(
        """() => new Promise((resolve, reject) => {
            const audio = document.querySelector('audio');
            const done = () => resolve(audio.duration);
            if (audio.readyState >= 3) { done(); return; }
            audio.addEventListener('canplay', done, {once: true});
            audio.addEventListener('error', () => reject(new Error('audio error')), {once: true});
            audio.load();
            setTimeout(() => reject(new Error('no canplay')), 15000);
        })"""
    )
    assert duration > 1, duration
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width


def test_help_page_without_javascript_on_a_phone(live_server: object, browser: object) -> None:
    from motcua.helpdesk.models import Question, Topic

    # The migration's questions may have been flushed by an earlier browser test: put one back.
    topic, _ = Topic.objects.get_or_create(
        slug="phi-le-phi", defaults={"title": "Phí, lệ phí và thanh toán"}
    )
    Question.objects.get_or_create(
        topic=topic,
        question="Tôi thanh toán phí, lệ phí trực tuyến bằng cách nào?",
        defaults={"answer": "Biên lai điện tử được gửi ngay sau khi thanh toán."},
    )
    context = browser.new_context(  # type: ignore[attr-defined]
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="vi-VN"
    )
    page = context.new_page()
    page.goto(live_server.url + "/")  # type: ignore[attr-defined]
    page.locator("header").get_by_role("link", name="Hỗ trợ").click()
    assert page.url.endswith("/ho-tro/")
    assert "1022" in page.inner_text("main")
    question = page.locator("details.faq summary", has_text="Tôi thanh toán phí")
    question.click()  # <details> opens natively
    assert page.locator("details.faq[open]").count() == 1
    assert "iên lai điện tử" in page.locator("details.faq[open]").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    context.close()
