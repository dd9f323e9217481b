"""Connectors to national databases (population, business registration, social insurance) on
the platform's plugin registry (ADR 0005).

A connector answers, for one person or business, the record of one document type its
database holds, over HTTP + JSON with X-Road-style signed headers (``xroad``). Each database
has a national connector (the address of the province's data-sharing platform and the key
registered for this platform) and a sandbox one that asks the platform's own stand-in
(``personalstore.sandbox``), clearly labelled and refused while ``MOTCUA_SANDBOX_ENABLED`` is
off. ``MOTCUA_NATIONAL_DATABASES`` chooses one connector per database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.plugins import Plugin, Registry, UnknownPlugin

from . import xroad

POPULATION = "population"
BUSINESS_REGISTRY = "business-registry"
SOCIAL_INSURANCE = "social-insurance"
DATABASE_NAMES = {
    POPULATION: gettext_lazy("National population database"),
    BUSINESS_REGISTRY: gettext_lazy("National business registration database"),
    SOCIAL_INSURANCE: gettext_lazy("National social insurance database"),
}


class ConnectorDown(Exception):
    """The database cannot be reached or answered badly; ``str()`` says why, for a person."""


class NotInDatabase(Exception):
    """The database answered: it holds no such record."""


@dataclass(frozen=True)
class Subject:
    """Whose record is asked: a citizen's 12-digit ID or a business's tax code."""

    personal_id: str = ""
    tax_code: str = ""
    user_id: str = ""  # X-Road-UserId: the officer (or person) on whose behalf
    issue: str = ""  # X-Road-Issue: the dossier code


@dataclass(frozen=True)
class NationalRecord:
    """What a database answered: the record and the signed exchange's raw bytes."""

    document_type: str
    title: str
    issuer: str
    number: str
    issued_on: str  # ISO date
    expires_on: str  # ISO date or ""
    data: Mapping[str, Any]
    raw: bytes  # the answer's body as received (stored as the document's file)
    exchange_id: str
    headers: Mapping[str, str] = field(default_factory=dict)


class NationalDatabase(Plugin):
    """One national database reached through the data-sharing platform."""

    database: ClassVar[str]
    # The document types this database answers, each with the X-Road service code.
    services: ClassVar[Mapping[str, str]]
    provider: ClassVar[str]  # the provider's member/subsystem part of X-Road-Service
    timeout: ClassVar[float] = 5.0

    def base_url(self) -> str:
        return str(settings.MOTCUA_NATIONAL_DATA_URL).rstrip("/")

    def client(self) -> str:
        return str(settings.MOTCUA_NATIONAL_DATA_CLIENT)

    def key(self) -> bytes:
        return str(settings.MOTCUA_NATIONAL_DATA_KEY).encode("utf-8")

    def check_config(self) -> list[str]:
        problems = []
        if not self.base_url():
            problems.append("MOTCUA_NATIONAL_DATA_URL is empty")
        if not self.client():
            problems.append("MOTCUA_NATIONAL_DATA_CLIENT is empty")
        if not settings.MOTCUA_NATIONAL_DATA_KEY:
            problems.append("MOTCUA_NATIONAL_DATA_KEY is empty")
        return problems

    def answers(self, document_type: str) -> bool:
        return document_type in self.services

    def fetch(self, *, document_type: str, subject: Subject) -> NationalRecord:
        """Ask the database for ``subject``'s record of ``document_type``."""
        if not self.answers(document_type):
            raise NotInDatabase(document_type)
        problems = self.check_config()
        if problems:
            raise ConnectorDown(
                _("not configured: %(problems)s") % {"problems": "; ".join(problems)}
            )
        service = f"{self.provider}/{self.services[document_type]}/v1"
        url = f"{self.base_url()}/{self.database}/{self.services[document_type]}"
        body = json.dumps(
            {"personal_id": subject.personal_id, "tax_code": subject.tax_code},
            sort_keys=True,
        ).encode("utf-8")
        exchange_id = str(uuid.uuid4())
        headers = xroad.sign(
            key_id=self.client(),
            key=self.key(),
            method="POST",
            path=urlsplit(url).path,
            headers={
                "Content-Type": "application/json",
                "X-Road-Client": self.client(),
                "X-Road-Service": service,
                "X-Road-Id": exchange_id,
                "X-Road-UserId": subject.user_id,
                "X-Road-Issue": subject.issue,
            },
            body=body,
        )
        try:
            response = requests.post(url, data=body, headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise ConnectorDown(_("no answer (%(error)s)") % {"error": type(exc).__name__}) from exc
        if response.status_code == 404:
            raise NotInDatabase(document_type)
        if response.status_code != 200:
            raise ConnectorDown(
                _("it answered with status %(status)s") % {"status": response.status_code}
            )
        try:
            xroad.verify(
                key=self.key(),
                method="POST",
                path=urlsplit(url).path,
                headers={
                    **dict(response.headers),
                    "X-Road-Id": response.headers.get("X-Road-Id", ""),
                },
                body=response.content,
            )
        except xroad.BadSignature as exc:
            raise ConnectorDown(
                _("its answer is not correctly signed (%(why)s)") % {"why": exc}
            ) from exc
        if response.headers.get("X-Road-Id") != exchange_id:
            raise ConnectorDown(_("its answer belongs to another request"))
        try:
            answer = json.loads(response.content)
            return NationalRecord(
                document_type=document_type,
                title=str(answer["title"]),
                issuer=str(answer["issuer"]),
                number=str(answer.get("number", "")),
                issued_on=str(answer["issued_on"]),
                expires_on=str(answer.get("expires_on") or ""),
                data=dict(answer.get("data") or {}),
                raw=response.content,
                exchange_id=exchange_id,
                headers={
                    k: v for k, v in response.headers.items() if k.lower().startswith("x-road")
                },
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ConnectorDown(_("its answer cannot be read")) from exc

    def unreachable(self) -> str:
        """Why the database cannot be asked now ("" when it answers its health check); the
        answer is kept a minute, so a busy filing page asks once."""
        key = f"personalstore:national:{self.identifier}:health"
        known = cache.get(key)
        if known is not None:
            return str(known)
        problems = self.check_config()
        if problems:
            why = _("not configured: %(problems)s") % {"problems": "; ".join(problems)}
        else:
            try:
                response = requests.get(f"{self.base_url()}/{self.database}/health", timeout=2)
                why = (
                    ""
                    if response.status_code == 200
                    else _("it answered with status %(status)s") % {"status": response.status_code}
                )
            except requests.RequestException as exc:
                why = _("no answer (%(error)s)") % {"error": type(exc).__name__}
        cache.set(key, why, 60)
        return why

    def name(self) -> str:
        return str(DATABASE_NAMES.get(self.database, self.database))


national_databases: Registry[NationalDatabase] = Registry(
    NationalDatabase, kind="national_database", setting="MOTCUA_NATIONAL_DATABASES"
)


@national_databases.selector
def _selected() -> Mapping[str, Callable[[], NationalDatabase]]:
    def builder(identifier: str) -> Callable[[], NationalDatabase]:
        return lambda: national_databases.usable(identifier)()

    return {database: builder(identifier) for database, identifier in chosen().items()}


def chosen() -> dict[str, str]:
    """Database → connector identifier: the setting, else the sandboxes while they are on."""
    configured = dict(settings.MOTCUA_NATIONAL_DATABASES or {})
    if configured:
        return configured
    if settings.MOTCUA_SANDBOX_ENABLED:
        return {db: f"{db}-sandbox" for db in DATABASE_NAMES}
    return {db: db for db in DATABASE_NAMES}


def for_document_type(document_type: str) -> NationalDatabase | None:
    """The chosen connector whose database answers ``document_type`` (None: none does)."""
    for identifier in chosen().values():
        try:
            connector = national_databases.usable(identifier)()
        except UnknownPlugin:
            continue
        if connector.answers(document_type):
            return connector
    return None


def sandbox_key() -> bytes:
    """The sandbox's shared key, derived from the secret key (never a fixed value)."""
    return (
        hmac.new(
            str(settings.SECRET_KEY).encode("utf-8"), b"motcua-national-sandbox", hashlib.sha256
        )
        .hexdigest()
        .encode("ascii")
    )
