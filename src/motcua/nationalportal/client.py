"""The national portal's integration service, as a plugin (ADR 0005).

Its protocol, as provincial systems call it: sign in for a session (``auth``: username and
password → ``session``), then POST JSON envelopes ``{"session", "madonvi", "service", …}``:
``DongBoHoSoMC`` with ``isUpdating`` and ``data`` to synchronise dossiers (``sync``), and
``LayDanhSachTTHC`` / ``LayThuTuc`` with ``maTTHC`` to read the national procedure database
(``share``). The answer carries ``error_code``: "00" (or 0) is success.

``national`` talks to the address and account of the settings; ``sandbox`` to the stand-in at
``/sandbox/cong-dvcqg/`` on this server (or at ``MOTCUA_NATIONAL_SYNC_URL`` when set), with the
sandbox's own account. Both speak HTTP.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urljoin

import requests
from django.conf import settings

from motcua.plugins import Plugin, Registry

SANDBOX_PATH = "/sandbox/cong-dvcqg/"
SANDBOX_USERNAME = "motcua-sandbox"
# The sandbox's own account, published in the code: not a credential of anything real.
SANDBOX_PASSWORD = "sandbox-not-a-secret"  # noqa: S105


class PortalUnavailable(Exception):
    """The call did not get an answer about the payload: try again later."""


class PortalRefused(Exception):
    """The portal answered and refused the payload; ``str()`` is its reason."""

    def __init__(self, message: str, answer: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.answer = dict(answer or {})


# A 4xx that says nothing about the payload: sign-in, throttling, timeouts.
TRANSIENT_STATUSES = frozenset({401, 403, 408, 425, 429})


def succeeded(answer: Mapping[str, Any]) -> bool:
    return str(answer.get("error_code", "")).strip() in ("0", "00")


class NationalPortal(Plugin):
    """A client of the national portal's integration service."""

    def __init__(self) -> None:
        self._session = ""
        self._lock = threading.Lock()
        self._http = requests.Session()

    # what the plugin is pointed at
    def base_url(self) -> str:
        return str(settings.MOTCUA_NATIONAL_SYNC_URL)

    def credentials(self) -> tuple[str, str]:
        return (
            str(settings.MOTCUA_NATIONAL_SYNC_USERNAME),
            str(settings.MOTCUA_NATIONAL_SYNC_PASSWORD),
        )

    def check_config(self) -> list[str]:
        problems = []
        if not self.base_url():
            problems.append("MOTCUA_NATIONAL_SYNC_URL is empty")
        username, password = self.credentials()
        if not username or not password:
            problems.append("MOTCUA_NATIONAL_SYNC_USERNAME or _PASSWORD is empty")
        for name in ("auth", "sync", "share"):
            if name not in settings.MOTCUA_NATIONAL_SYNC_ENDPOINTS:
                problems.append(f"MOTCUA_NATIONAL_SYNC_ENDPOINTS has no {name!r}")
        return problems

    def url(self, endpoint: str) -> str:
        base = self.base_url()
        if not base.endswith("/"):
            base += "/"
        return urljoin(base, settings.MOTCUA_NATIONAL_SYNC_ENDPOINTS[endpoint])

    # the calls
    def synchronise(self, envelope: Mapping[str, Any]) -> dict[str, Any]:
        """One ``DongBoHoSoMC`` call; its answer, or ``PortalRefused`` / ``PortalUnavailable``."""
        return self._call("sync", envelope)

    def procedure_codes(self) -> list[str]:
        """``LayDanhSachTTHC``: the codes of the procedures the national database publishes."""
        answer = self._call("share", {"service": "LayDanhSachTTHC"})
        return [str(item.get("MATTHC", "")) for item in _results(answer) if item.get("MATTHC")]

    def procedure(self, code: str) -> dict[str, Any] | None:
        """``LayThuTuc``: one procedure in the national database's format, None if unknown."""
        answer = self._call("share", {"service": "LayThuTuc", "maTTHC": code})
        results = _results(answer)
        return results[0] if results else None

    def _call(self, endpoint: str, body: Mapping[str, Any]) -> dict[str, Any]:
        for attempt in (1, 2):
            session = self._signed_in(renew=attempt == 2)
            try:
                response = self._http.post(
                    self.url(endpoint),
                    json={"session": session, **body},
                    timeout=settings.MOTCUA_NATIONAL_SYNC_TIMEOUT,
                )
            except requests.RequestException as exc:
                raise PortalUnavailable(f"{type(exc).__name__}: {exc}") from exc
            if response.status_code == 401 and attempt == 1:
                continue  # the session expired: sign in again once
            return _answer(response)
        raise PortalUnavailable("the portal refused a new session")  # pragma: no cover

    def _signed_in(self, *, renew: bool) -> str:
        with self._lock:
            if self._session and not renew:
                return self._session
            username, password = self.credentials()
            try:
                response = self._http.post(
                    self.url("auth"),
                    json={"username": username, "password": password},
                    timeout=settings.MOTCUA_NATIONAL_SYNC_TIMEOUT,
                )
            except requests.RequestException as exc:
                raise PortalUnavailable(f"sign-in: {type(exc).__name__}: {exc}") from exc
            try:
                answer = response.json()
            except ValueError:
                answer = {}
            if response.status_code != 200 or not succeeded(answer) or not answer.get("session"):
                # Wrong credentials are the platform's problem, not the dossier's: try later.
                raise PortalUnavailable(f"sign-in refused (HTTP {response.status_code})")
            self._session = str(answer["session"])
            return self._session


def _results(answer: Mapping[str, Any]) -> list[dict[str, Any]]:
    result = answer.get("result")
    return [item for item in result if isinstance(item, dict)] if isinstance(result, list) else []


def _answer(response: requests.Response) -> dict[str, Any]:
    status = response.status_code
    if status >= 500 or status in TRANSIENT_STATUSES:
        raise PortalUnavailable(f"HTTP {status}")
    try:
        answer = response.json()
    except ValueError:
        raise PortalUnavailable(f"HTTP {status}: the answer is not JSON") from None
    if not isinstance(answer, dict):
        raise PortalUnavailable(f"HTTP {status}: the answer is not a JSON object")
    if status >= 400 or not succeeded(answer):
        message = str(answer.get("message") or answer.get("error") or f"HTTP {status}")
        raise PortalRefused(f"{answer.get('error_code', status)}: {message}", answer)
    return answer


national_portals: Registry[NationalPortal] = Registry(
    NationalPortal, kind="national_portal", setting="MOTCUA_NATIONAL_SYNC_CLIENT"
)


@national_portals.register
class HttpNationalPortal(NationalPortal):
    identifier = "national"
    verbose_name = "National public-service portal (Cổng Dịch vụ công quốc gia)"


@national_portals.register
class SandboxNationalPortal(NationalPortal):
    identifier = "sandbox"
    verbose_name = "SANDBOX national public-service portal on this server (/sandbox/cong-dvcqg/)"
    is_sandbox = True
    sandbox_setting = "MOTCUA_SANDBOX_ENABLED"

    def base_url(self) -> str:
        return str(settings.MOTCUA_NATIONAL_SYNC_URL) or (
            str(settings.MOTCUA_PUBLIC_URL) + SANDBOX_PATH
        )

    def credentials(self) -> tuple[str, str]:
        return SANDBOX_USERNAME, SANDBOX_PASSWORD


def selected_identifier() -> str:
    chosen = str(settings.MOTCUA_NATIONAL_SYNC_CLIENT)
    if chosen:
        return chosen
    return "sandbox" if settings.MOTCUA_SANDBOX_ENABLED else "national"


_clients: dict[tuple[str, str, str], NationalPortal] = {}


def portal() -> NationalPortal:
    """The client the settings select, kept per process (its session is reused)."""
    identifier = selected_identifier()
    plugin = national_portals.usable(identifier)
    key = (identifier, str(settings.MOTCUA_NATIONAL_SYNC_URL), str(settings.MOTCUA_PUBLIC_URL))
    client = _clients.get(key)
    if client is None:
        client = _clients[key] = plugin()
    return client


@national_portals.selector
def selection() -> dict[str, Callable[[], NationalPortal]]:
    return {"dossier synchronisation and procedure database": portal}
