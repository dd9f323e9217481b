"""A citizen signs in with the (sandbox) national e-ID in a real browser and sees their account."""

from __future__ import annotations

import re
from typing import Any

import pytest

from motcua.sandbox_eid.clients import DEFAULT_CLIENT_ID, default_client_secret
from motcua.sandbox_eid.models import SandboxIdentity

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sign_in_with_national_eid(
    live_server: Any, page: Any, settings: Any, sandbox_identities: None
) -> None:
    from playwright.sync_api import expect

    settings.MOTCUA_SANDBOX_ENABLED = True
    settings.MOTCUA_EID_DISCOVERY_URL = (
        f"{live_server.url}/sandbox/eid/.well-known/openid-configuration"
    )
    # The national provider plugin, pointed at the sandbox: the platform's registration there.
    settings.MOTCUA_EID_CLIENT_ID = DEFAULT_CLIENT_ID
    settings.MOTCUA_EID_CLIENT_SECRET = default_client_secret()
    who = SandboxIdentity.objects.get(name="Trần Thị Bích Ngọc")

    page.goto(live_server.url + "/accounts/login/")
    page.locator("a[href^='/accounts/eid/start/']").click()

    # At the provider: clearly a sandbox, choose the identity and allow.
    expect(page).to_have_url(re.compile(r"/sandbox/eid/authorize\?"))
    expect(page.locator("body")).to_contain_text("SANDBOX")
    page.locator(f"input[value='{who.sub}']").check()
    page.locator("button[value='allow']").click()

    # Back at the platform, signed in.
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Trần Thị Bích Ngọc")
    expect(page.locator("main")).to_contain_text(who.personal_id)
    assert page.url.endswith("/accounts/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
