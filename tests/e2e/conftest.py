"""Browser journeys: Playwright for Python driving Debian's Chromium against a live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (fixtures) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("MOTCUA_CHROMIUM")
        or shutil.which("chromium")
        or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    )


@pytest.fixture(autouse=True)
def _plain_http_live_server(settings: Any) -> None:
    # The live server speaks plain http: cookies marked Secure would never come back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        pytest.fail("Chromium is missing: scripts/test installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    # A phone-sized viewport: the journeys must work on a 360 px wide screen.
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 360, "height": 740}, locale="vi-VN"
    )
    # Anything the Content-Security-Policy blocks is reported on the console: a journey that
    # passes with a blocked script or style sheet is still broken.
    blocked: list[str] = []
    context.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page = context.new_page()
    yield page
    context.close()
    assert blocked == [], blocked
