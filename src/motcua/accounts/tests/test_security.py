"""Password reset, production transport security, the audit log for administrators."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from motcua.accounts.models import AuditAction, AuditEvent
from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def test_password_reset_by_e_mail_link(client: Client) -> None:
    user = UserFactory.create(email="lan@example.vn")
    sent = client.post("/accounts/password-reset/", {"email": "lan@example.vn"})
    assert sent.status_code == 302
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new = "another-long-passphrase-2"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    # The link works once.
    assert client.get(link.group(1), follow=True).context["validlink"] is False


def test_unknown_e_mail_gives_the_same_answer(client: Client) -> None:
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.vn"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_production_settings_are_secure() -> None:
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='motcua.settings'; "
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
        "s.PASSWORD_HASHERS[0].endswith('Argon2PasswordHasher'), s.SESSION_COOKIE_AGE)"
    )
    env = {**os.environ, "MOTCUA_DEBUG": "0", "SECRET_KEY": "x" * 50}
    env.pop("SESSION_COOKIE_AGE", None)
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "True", "True", "True", "1800"]


def test_production_refuses_the_development_secret_key() -> None:
    env = {**os.environ, "MOTCUA_DEBUG": "0", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "-c", "import motcua.settings"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_administrators_read_the_audit_log(settings: Any) -> None:
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    reader = Client()
    sign_in_with_second_factor(reader, admin)
    assert AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR).exists()
    page = reader.get("/admin/accounts/auditevent/")
    assert page.status_code == 200
    event = AuditEvent.objects.first()
    assert event is not None
    assert reader.post(f"/admin/accounts/auditevent/{event.pk}/delete/").status_code == 403
