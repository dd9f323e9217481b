"""Pages outside the journeys work under the Content-Security-Policy: the API docs (Swagger UI
from drf-spectacular's sidecar), the admin's sign-in, the sandbox e-ID and the verify page.
The ``page`` fixture fails the test if the browser reports anything the policy blocked."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_pages_outside_the_journeys_run_under_the_policy(live_server: object, page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    base = live_server.url  # type: ignore[attr-defined]

    page.goto(base + "/api/v1/docs/")
    # Swagger UI started from its script file and rendered the schema's operations.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Motcua API")
    expect(page.locator(".opblock").first).to_be_visible()

    page.goto(base + "/admin/login/")
    expect(page.locator("#id_username")).to_be_visible()
    # The admin's own style sheet applied (its header is not the browser default).
    assert page.evaluate("getComputedStyle(document.querySelector('#header')).display") == "flex"

    page.goto(base + "/verify/")
    expect(page.locator("input[type=file]")).to_be_visible()
    page.goto(base + "/accounts/login/")
    expect(page.locator("#id_username")).to_be_visible()
