"""Signed request and answer headers in the manner of X-Road (Estonia; Vietnam's NGSP/LGSP).

Every exchange names its client (``X-Road-Client``: instance/class/member/subsystem) and the
service it asks (``X-Road-Service``: instance/class/member/subsystem/service/version), carries a
unique id (``X-Road-Id``), the person on whose behalf it is made (``X-Road-UserId``) and why
(``X-Road-Issue``: the dossier code), and is signed: ``X-Road-Signature`` is an HMAC-SHA256
over those headers, the date, the method, the path and the body's digest. The answer echoes
the id and is signed the same way, so each side can prove what it sent and received (both are
logged). Real X-Road signs with the security servers' keys; the shape of the exchange is the
same, the key is a shared one registered for the client.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
from collections.abc import Mapping
from email.utils import format_datetime, parsedate_to_datetime

SIGNED_HEADERS = ("x-road-client", "x-road-service", "x-road-id", "x-road-userid", "x-road-issue")
MAX_SKEW = datetime.timedelta(minutes=5)


class BadSignature(ValueError):
    """Headers missing, signature wrong, or the date too far from now."""


def digest(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _signed_text(method: str, path: str, headers: Mapping[str, str], body: bytes) -> bytes:
    lowered = _lower(headers)
    lines = [f"(request-target): {method.lower()} {path}", f"date: {lowered.get('date', '')}"]
    lines.append(f"digest: {digest(body)}")
    lines.extend(f"{name}: {lowered.get(name, '')}" for name in SIGNED_HEADERS)
    return "\n".join(lines).encode("utf-8")


def _signature(key: bytes, text: bytes) -> str:
    return base64.b64encode(hmac.new(key, text, hashlib.sha256).digest()).decode("ascii")


def sign(
    *,
    key_id: str,
    key: bytes,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    now: datetime.datetime | None = None,
) -> dict[str, str]:
    """``headers`` with ``Date``, ``Digest`` and ``X-Road-Signature`` added."""
    signed = dict(headers)
    signed["Date"] = format_datetime(now or datetime.datetime.now(datetime.UTC), usegmt=True)
    signed["Digest"] = digest(body)
    value = _signature(key, _signed_text(method, path, signed, body))
    signed["X-Road-Signature"] = (
        f'keyId="{key_id}",algorithm="hmac-sha256",'
        f'headers="(request-target) date digest {" ".join(SIGNED_HEADERS)}",'
        f'signature="{value}"'
    )
    return signed


def key_id_of(headers: Mapping[str, str]) -> str:
    signature = _lower(headers).get("x-road-signature", "")
    for part in signature.split(","):
        name, _, value = part.partition("=")
        if name.strip() == "keyId":
            return value.strip().strip('"')
    return ""


def verify(
    *,
    key: bytes,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    now: datetime.datetime | None = None,
) -> None:
    """Raise ``BadSignature`` unless the headers are complete, fresh and signed with ``key``."""
    lowered = _lower(headers)
    for name in ("x-road-client", "x-road-service", "x-road-id", "date", "x-road-signature"):
        if not lowered.get(name):
            raise BadSignature(f"missing header {name}")
    if lowered.get("digest") and lowered["digest"] != digest(body):
        raise BadSignature("the body does not match its digest")
    try:
        sent = parsedate_to_datetime(lowered["date"])
    except (TypeError, ValueError) as exc:
        raise BadSignature("unreadable date") from exc
    if abs((now or datetime.datetime.now(datetime.UTC)) - sent) > MAX_SKEW:
        raise BadSignature("the date is too far from now")
    given = ""
    for part in lowered["x-road-signature"].split(","):
        name, _, value = part.partition("=")
        if name.strip() == "signature":
            given = value.strip().strip('"')
    expected = _signature(key, _signed_text(method, path, lowered, body))
    if not given or not hmac.compare_digest(given, expected):
        raise BadSignature("wrong signature")
