"""The one plugin registry: identifiers unique, lookups typed, every integration on it."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any, ClassVar

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from motcua import plugins
from motcua.accounts import eid
from motcua.plugins import DuplicatePlugin, Plugin, Registry, SandboxSwitchedOff, UnknownPlugin


class Thing(Plugin):
    identifier: ClassVar[str] = "thing"


class Stub(Thing):
    identifier: ClassVar[str] = "stub"
    is_sandbox: ClassVar[bool] = True
    sandbox_setting: ClassVar[str] = "MOTCUA_SANDBOX_ENABLED"


def test_a_registry_refuses_a_duplicate_identifier() -> None:
    registry: Registry[Thing] = Registry(Thing)
    registry.register(Thing)

    class Another(Thing):
        identifier: ClassVar[str] = "thing"

    with pytest.raises(DuplicatePlugin):
        registry.register(Another)
    assert list(registry) == [Thing]


def test_a_registry_refuses_a_plugin_of_another_kind() -> None:
    registry: Registry[Thing] = Registry(Thing)

    class Stranger(Plugin):
        identifier: ClassVar[str] = "stranger"

    with pytest.raises(TypeError):
        registry.register(Stranger)


def test_an_unknown_identifier_is_a_lookup_error() -> None:
    registry: Registry[Thing] = Registry(Thing)
    with pytest.raises(UnknownPlugin) as raised:
        registry["missing"]
    assert isinstance(raised.value, LookupError)
    assert "missing" not in registry


def test_a_sandbox_is_refused_while_its_switch_is_off(settings: Any) -> None:
    registry: Registry[Thing] = Registry(Thing)
    registry.register(Stub)
    settings.MOTCUA_SANDBOX_ENABLED = False
    assert registry["stub"] is Stub  # known, listed
    with pytest.raises(SandboxSwitchedOff):
        registry.usable("stub")
    settings.MOTCUA_SANDBOX_ENABLED = True
    assert registry.usable("stub") is Stub


def test_two_registries_of_one_kind_are_refused() -> None:
    with pytest.raises(DuplicatePlugin):
        Registry(Thing, kind="payment_gateway")


def test_every_kind_is_registered_at_start_up() -> None:
    # The backoffice app's ready() discovered every app's plugins module.
    assert plugins._discovered
    found = {
        kind: {plugin.identifier: plugin.is_sandbox for plugin in registry}
        for kind, registry in plugins.registries().items()
    }
    # At least these (a test module may add a plugin of its own while it runs).
    expected = {
        "payment_gateway": {"vnpay": False, "vnpay-sandbox": True},
        "signing_backend": {"files": False, "development": True, "pkcs11": False},
        "notification_channel": {"outbox": False, "django-email": False},
        "upload_scanner": {"none": False},
        "eid_provider": {"national": False, "sandbox": True},
        "speech_synthesiser": {"espeak-ng": False},
        "national_database": {"population": False, "population-sandbox": True},
        "national_portal": {"national": False, "sandbox": True},
    }
    for kind, identifiers in expected.items():
        assert identifiers.items() <= found[kind].items(), kind
    assert set(found) == {
        "national_database",
        "payment_gateway",
        "signing_backend",
        "notification_channel",
        "upload_scanner",
        "eid_provider",
        "speech_synthesiser",
        "national_portal",
    }


def test_the_defaults_select_the_outbox_and_no_scanner() -> None:
    selected = {(entry.kind, entry.use): entry.identifier for entry in plugins.check_selected()}
    assert selected[("notification_channel", "email")] == "outbox"
    assert selected[("notification_channel", "sms")] == "outbox"
    assert selected[("upload_scanner", "uploads")] == "none"


def test_sandbox_switches_name_declared_settings() -> None:
    from django.conf import settings

    for registry in plugins.registries().values():
        for plugin in registry:
            if plugin.sandbox_setting:
                assert plugin.is_sandbox and hasattr(settings, plugin.sandbox_setting)


# --- the e-ID provider ----------------------------------------------------------------------


def test_the_sandbox_eid_is_refused_when_the_sandbox_is_off(settings: Any, client: Client) -> None:
    settings.MOTCUA_EID_PROVIDER = "sandbox"
    settings.MOTCUA_SANDBOX_ENABLED = False
    with pytest.raises(SandboxSwitchedOff):
        eid.provider()
    assert not eid.is_configured()
    assert client.get("/accounts/eid/start/").status_code == 503
    settings.MOTCUA_SANDBOX_ENABLED = True
    assert eid.provider().identifier == "sandbox" and eid.is_configured()


def test_the_national_provider_is_chosen_once_configured(settings: Any) -> None:
    settings.MOTCUA_EID_PROVIDER = ""
    settings.MOTCUA_SANDBOX_ENABLED = True
    settings.MOTCUA_EID_DISCOVERY_URL = ""
    assert eid.provider().identifier == "sandbox"
    settings.MOTCUA_EID_DISCOVERY_URL = "https://id.example.vn/.well-known/openid-configuration"
    settings.MOTCUA_EID_CLIENT_ID = settings.MOTCUA_EID_CLIENT_SECRET = ""
    chosen = eid.provider()
    assert chosen.identifier == "national"
    assert chosen.check_config() == ["MOTCUA_EID_CLIENT_ID or MOTCUA_EID_CLIENT_SECRET is not set"]


# --- manage.py check_integrations ------------------------------------------------------------


def ready_settings(settings: Any) -> None:
    """Every selected plugin configured: no problems to report."""
    settings.MOTCUA_SANDBOX_ENABLED = True
    settings.MOTCUA_PAYMENT_SANDBOX_ENABLED = True
    settings.MOTCUA_EID_PROVIDER = "sandbox"
    settings.MOTCUA_PAYMENT_GATEWAYS = {
        "sandbox": {**settings.MOTCUA_PAYMENT_GATEWAYS["sandbox"]},
    }
    settings.MOTCUA_PAYMENT_GATEWAY = "sandbox"


def test_check_integrations_lists_registries_plugins_and_choices(
    settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    ready_settings(settings)
    call_command("check_integrations", "--fail-on-problems")
    out = capsys.readouterr().out
    for kind in plugins.registries():
        assert f"{kind} (chosen by MOTCUA_" in out
    assert "  vnpay-sandbox: VNPay sandbox" in out
    assert "[sandbox, MOTCUA_PAYMENT_SANDBOX_ENABLED: on]" in out
    assert "selected for sandbox (new payments): vnpay-sandbox (sandbox), ready" in out
    assert "selected for sign-in: sandbox (sandbox), ready" in out
    assert "selected for email: outbox, ready" in out
    assert "selected for uploads: none, ready" in out
    assert "0 with problems" in out


def test_check_integrations_fails_on_problems_when_asked(
    settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    ready_settings(settings)
    settings.MOTCUA_SIGNING_BACKEND = "pkcs11"
    settings.MOTCUA_PKCS11_MODULE = ""
    settings.MOTCUA_VIRUS_SCANNER = "clamav"  # not registered
    call_command("check_integrations")  # informative only: exit status 0
    out = capsys.readouterr().out
    assert "selected for signing: pkcs11, problems: " in out
    assert "MOTCUA_PKCS11_MODULE is not set" in out
    assert "selected for uploads: -, problems: " in out and "'clamav'" in out
    assert "2 with problems" in out
    with pytest.raises(CommandError):
        call_command("check_integrations", "--fail-on-problems")


def test_check_integrations_reports_a_default_gateway_not_configured(
    settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    ready_settings(settings)
    settings.MOTCUA_PAYMENT_GATEWAY = "momo"
    with pytest.raises(CommandError):
        call_command("check_integrations", "--fail-on-problems")
    out = capsys.readouterr().out
    assert "selected for new payments: -, problems: " in out and "'momo'" in out


def test_check_integrations_exit_status(settings: Any) -> None:
    # A real process: the exit status a deployment's health check sees.
    done = subprocess.run(
        [sys.executable, "manage.py", "check_integrations", "--fail-on-problems"],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "MOTCUA_SIGNING_BACKEND": "pkcs11",
            "MOTCUA_PKCS11_MODULE": "",
        },
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "selected for signing: pkcs11, problems:" in done.stdout
