"""The demo (scripts/serve) runs with debug off, as production does, and still fully works."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[3]

# Runs in a fresh interpreter with the demo's environment: settings are read once, at start.
CHECK = """
import django, json
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
client = Client(HTTP_HOST="127.0.0.1")
missing = client.get("/khong-co-trang-nay/")
css = client.get("/static/motcua/site.css")
print(json.dumps({
    "debug": settings.DEBUG,
    "sandbox": settings.MOTCUA_SANDBOX_ENABLED,
    "payment_sandbox": settings.MOTCUA_PAYMENT_SANDBOX_ENABLED,
    "gateway": settings.MOTCUA_PAYMENT_GATEWAY,
    "signing": settings.MOTCUA_SIGNING_BACKEND,
    "email": settings.EMAIL_BACKEND,
    "hosts": settings.ALLOWED_HOSTS,
    "secure_cookies": settings.SESSION_COOKIE_SECURE,
    "missing_status": missing.status_code,
    "missing_page": missing.content.decode(),
    "static_status": css.status_code,
}))
"""


def demo_env(var_dir: Path, **extra: str) -> dict[str, str]:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MOTCUA_", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"))
        and key not in {"EMAIL_BACKEND", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"}
    }
    base.update(extra)
    script = f'source scripts/_demo_env.sh && demo_environment "{var_dir}" 8000 && env -0'
    out = subprocess.run(
        [shutil.which("bash") or "/bin/bash", "-c", script],
        cwd=PROJECT,
        env=base,
        capture_output=True,
        check=True,
    ).stdout
    return dict(item.split("=", 1) for item in out.decode().split("\0") if "=" in item)


def test_the_demo_is_not_a_debug_server(tmp_path: Path) -> None:
    env = demo_env(tmp_path / "var")
    assert env["MOTCUA_DEBUG"] == "0"
    key_file = tmp_path / "var" / "secret_key"
    assert env["SECRET_KEY"] == key_file.read_text().strip() and len(env["SECRET_KEY"]) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert demo_env(tmp_path / "var")["SECRET_KEY"] == env["SECRET_KEY"]  # made once, kept

    env.update(
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONPATH=str(PROJECT / "src"),
        DJANGO_SETTINGS_MODULE="motcua.settings",
    )
    answer = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    assert answer.returncode == 0, answer.stderr
    facts = json.loads(answer.stdout.strip().splitlines()[-1])
    assert facts["debug"] is False
    # The platform's own 404 page, not Django's technical one.
    assert facts["missing_status"] == 404
    assert "Django" not in facts["missing_page"] and "URLconf" not in facts["missing_page"]
    assert facts["static_status"] == 200  # collected and served by WhiteNoise
    assert facts["hosts"] == ["127.0.0.1", "localhost", "[::1]"]
    # Everything the demo needs that debug used to switch on.
    assert facts["sandbox"] and facts["payment_sandbox"] and facts["gateway"] == "sandbox"
    assert facts["signing"] == "development"
    assert facts["email"] == "django.core.mail.backends.console.EmailBackend"
    assert facts["secure_cookies"] is False  # plain http on 127.0.0.1


def test_debug_is_one_variable_away(tmp_path: Path) -> None:
    env = demo_env(tmp_path / "var", MOTCUA_DEBUG="1")
    assert env["MOTCUA_DEBUG"] == "1" and "SECRET_KEY" not in env
    assert not (tmp_path / "var" / "secret_key").exists()
