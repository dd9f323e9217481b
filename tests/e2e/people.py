"""How a person signs in with a password in the browser journeys."""

from __future__ import annotations

from typing import Any

PASSWORD = "a-long-passphrase-1"


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
