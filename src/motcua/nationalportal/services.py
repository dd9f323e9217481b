"""Synchronising dossiers with the national portal: the outbox and its delivery (ADR 0004).

- ``queue`` writes a change's row in the change's transaction, with a delivery task (a task
  row with the database backend: the worker sees both once committed).
- ``deliver_dossier`` sends a dossier's rows in the order of its history. Only the earliest
  row not yet delivered is ever claimed (one conditional UPDATE, a lease), so two workers never
  send one change twice, and a later change never overtakes an earlier one.
- A call that fails (the portal unreachable, a timeout, a 5xx, a refused session) is tried
  again with back-off for as long as it takes; nothing is dropped. An answer that refuses the
  payload (``error_code`` other than "00") leaves the row "refused" with its error, and holds
  the dossier's later changes until an administrator resends it (``resend``).
- ``deliver_due`` (the scheduler's sweep, and what tests drive) takes up every dossier with a
  row due: waiting, due to be retried, or claimed by a worker that died.

A worker killed after the portal accepted a change but before its delivery was recorded
sends that change again once its lease has passed: the national portal's synchronisation
replaces the dossier's record, so the repeat is harmless. Every other change is sent once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import structlog
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.models import Field, Procedure
from motcua.catalog.serialization import procedure_to_dict
from motcua.catalog.services import CatalogImportError, import_catalog
from motcua.dossiers.lifecycle import national_code
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.errors import Conflict
from motcua.notifications.services import enqueue_with_transaction
from motcua.plugins import UnknownPlugin

from . import catalogue, payload
from .access import check_administrator
from .client import NationalPortal, PortalRefused, PortalUnavailable, portal
from .models import WAITING, CatalogueImport, SyncItem, SyncState

logger = structlog.get_logger(__name__)

RETRY_CAP = datetime.timedelta(hours=1)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Back-off after the ``attempts``-th failed try: RETRY_SECONDS × 2^(n-1), at most an hour."""
    base = float(settings.MOTCUA_NATIONAL_SYNC_RETRY_SECONDS)
    return min(datetime.timedelta(seconds=base * 2 ** max(attempts - 1, 0)), RETRY_CAP)


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=float(settings.MOTCUA_NATIONAL_SYNC_LEASE))


def queue(dossier: Dossier, event: DossierEvent, status: int, *, creation: bool) -> SyncItem:
    """The outbox row of one change, in the caller's transaction, and its delivery task.

    One INSERT (and the task's row): the payload is built by the worker when it sends the
    change, from the dossier as it is then, with this change's status (``_send``), so the
    change's own transaction stays as short as ADR 0006 asks.
    """
    item = SyncItem.objects.create(
        dossier=dossier,
        event=event,
        status=national_code(status),
        is_creation=creation,
        created_at=event.created_at,
    )
    from .tasks import deliver_dossier_task

    enqueue_with_transaction(deliver_dossier_task, dossier.pk)
    return item


# --- delivery --------------------------------------------------------------------------------


def _due(now: datetime.datetime) -> Q:
    waiting = Q(state__in=WAITING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    abandoned = Q(state=SyncState.SENDING, claimed_at__lt=now - lease())
    return waiting | abandoned


def _claim(item: SyncItem, now: datetime.datetime) -> bool:
    taken = (
        SyncItem.objects.filter(pk=item.pk)
        .filter(_due(now))
        .update(state=SyncState.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    return taken == 1


def _first_undelivered(dossier_id: int) -> SyncItem | None:
    return (
        SyncItem.objects.filter(dossier_id=dossier_id)
        .exclude(state=SyncState.DELIVERED)
        .order_by("event_id")
        .first()
    )


@dataclass(frozen=True)
class Delivery:
    delivered: int = 0
    refused: int = 0
    failed: int = 0


def deliver_dossier(dossier_id: int, *, now: datetime.datetime | None = None) -> Delivery:
    """Send the dossier's changes in order until one is not delivered (refused, failed, not
    yet due, or held by another worker)."""
    client = configured_client()
    if client is None:
        return Delivery()  # nothing is claimed: the rows wait for a configured client
    delivered = 0
    while True:
        moment = now or timezone.now()
        item = _first_undelivered(dossier_id)
        if item is None or not _claim(item, moment):
            return Delivery(delivered=delivered)
        item.attempts += 1  # as the claim counted it
        outcome = _send(client, item)
        if outcome == "delivered":
            delivered += 1
            continue
        return Delivery(
            delivered=delivered,
            refused=int(outcome == "refused"),
            failed=int(outcome == "failed"),
        )


def configured_client() -> NationalPortal | None:
    """The selected client, or None (logged) when the settings leave it unusable: no address,
    or the sandbox chosen while the sandboxes are off."""
    try:
        client = portal()
    except UnknownPlugin as exc:
        logger.warning("national_sync.no_client", error=str(exc))
        return None
    if not client.base_url():
        logger.warning("national_sync.no_client", error="MOTCUA_NATIONAL_SYNC_URL is empty")
        return None
    return client


def _send(client: NationalPortal, item: SyncItem) -> str:
    """Build the change's payload from the dossier as it is now (kept on the row: what was
    sent), send it, and record the portal's answer."""
    try:
        dossier = Dossier.objects.select_related(
            "procedure__field",
            "procedure_version",
            "applicant",
            "on_behalf_of",
            "receiving_agency",
            "processing_unit",
        ).get(pk=item.dossier_id)
        data = payload.build(dossier, item.status)
    except Exception as exc:  # a bug in the payload must not stop the worker: tried again
        _failed(item, f"payload: {type(exc).__name__}: {exc}", item.payload)
        return "failed"
    envelope = {
        "service": payload.SERVICE,
        "madonvi": dossier.receiving_agency.code,
        "isUpdating": "False" if item.is_creation else "True",
        "data": [data],
    }
    try:
        answer = client.synchronise(envelope)
    except PortalRefused as refusal:
        SyncItem.objects.filter(pk=item.pk).update(
            state=SyncState.REFUSED,
            payload=data,
            error=str(refusal)[:2000],
            answer=refusal.answer,
            next_attempt_at=None,
        )
        logger.warning("national_sync.refused", item=item.pk, error=str(refusal))
        return "refused"
    except PortalUnavailable as failure:
        _failed(item, str(failure), data)
        return "failed"
    except Exception as exc:  # a broken client must not stop the worker; tried again later
        _failed(item, f"{type(exc).__name__}: {exc}", data)
        return "failed"
    delivered_at = timezone.now()
    SyncItem.objects.filter(pk=item.pk).update(
        state=SyncState.DELIVERED,
        payload=data,
        delivered_at=delivered_at,
        delay_seconds=max((delivered_at - item.created_at).total_seconds(), 0.0),
        error="",
        answer=answer,
        next_attempt_at=None,
    )
    return "delivered"


@transaction.atomic
def _failed(item: SyncItem, error: str, data: dict[str, Any]) -> None:
    next_attempt = timezone.now() + retry_delay(item.attempts)
    SyncItem.objects.filter(pk=item.pk).update(
        state=SyncState.RETRY, payload=data, error=error[:2000], next_attempt_at=next_attempt
    )
    logger.warning("national_sync.retry", item=item.pk, attempts=item.attempts, error=error)
    from .tasks import deliver_dossier_task

    if deliver_dossier_task.get_backend().supports_defer:
        deliver_dossier_task.using(run_after=next_attempt).enqueue(item.dossier_id)


def deliver_due(*, now: datetime.datetime | None = None, limit: int = 1000) -> Delivery:
    """Deliver every dossier whose earliest undelivered change is due (the sweep)."""
    now = now or timezone.now()
    dossier_ids = list(
        SyncItem.objects.filter(_due(now))
        .order_by("dossier_id")
        .values_list("dossier_id", flat=True)
        .distinct()[:limit]
    )
    delivered = refused = failed = 0
    for dossier_id in dossier_ids:
        result = deliver_dossier(dossier_id, now=now)
        delivered += result.delivered
        refused += result.refused
        failed += result.failed
    return Delivery(delivered, refused, failed)


# --- the administrator's resend -------------------------------------------------------------


class NotResendable(Conflict):
    """Only a refused change is sent again: the others are on their way or delivered."""


@transaction.atomic
def resend(*, item: SyncItem, user: User) -> SyncItem:
    """Send a refused change again once the administrator has had the data corrected: its
    payload (like those of the changes waiting behind it) is built again when it is sent."""
    check_administrator(user)
    locked = SyncItem.objects.select_for_update().get(pk=item.pk)
    if locked.state != SyncState.REFUSED:
        raise NotResendable(_("Only a change the portal refused can be sent again."))
    SyncItem.objects.filter(pk=locked.pk).update(
        state=SyncState.PENDING,
        next_attempt_at=None,
        claimed_at=None,
        error=_("Sent again by %(user)s after: %(error)s") % {"user": user, "error": locked.error},
    )
    logger.info("national_sync.resend", item=locked.pk, user=user.pk)
    from .tasks import deliver_dossier_task

    enqueue_with_transaction(deliver_dossier_task, locked.dossier_id)
    locked.refresh_from_db()
    return locked


# --- the catalogue from the national procedure database ------------------------------------


@dataclass(frozen=True)
class CatalogueSync:
    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: int
    not_found: tuple[str, ...] = ()


# What ``procedure_to_dict`` exports that an update compares.
def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key != "exported_at"}


def import_from_national(*, actor: User | None, codes: list[str] | None = None) -> CatalogueSync:
    """Import and update procedures from the national procedure database (DOMAIN.md §2).

    Reads the codes the database publishes (or ``codes``), each procedure in the national
    format, turns it into the catalogue's import format keeping what only the city holds, and
    imports the new and changed ones through the catalogue's own import (``import_catalog``:
    checked as a whole, all or nothing, a new version per changed procedure). A procedure
    unchanged since the last import gets no new version. Raises ``CatalogImportError`` with
    each problem, ``PortalUnavailable`` / ``PortalRefused`` when the database cannot answer.
    """
    if actor is not None:
        check_administrator(actor)
    client = portal()
    wanted = codes if codes is not None else client.procedure_codes()
    known_agencies = set(Agency.objects.current().values_list("code", flat=True))
    existing_fields = {f.code: f for f in Field.objects.all()}
    records: list[dict[str, Any]] = []
    fields: dict[str, dict[str, str]] = {}
    created: list[str] = []
    updated: list[str] = []
    not_found: list[str] = []
    unchanged = 0
    for code in wanted:
        national = client.procedure(code)
        if national is None:
            not_found.append(code)
            continue
        current = (
            Procedure.objects.filter(code=code)
            .select_related("field")
            .prefetch_related("agencies", "cases__components", "cases__steps")
            .first()
        )
        before = procedure_to_dict(current) if current is not None else None
        record = catalogue.from_national(national, before, known_agencies)
        for item in catalogue.fields_of(national):
            old = existing_fields.get(item["code"])
            if old is None or old.name != item["name"]:
                fields[item["code"]] = {
                    **item,
                    "name_en": old.name_en if old is not None else "",
                }
        if before is not None and _comparable(before) == _comparable(record):
            unchanged += 1
            continue
        records.append(record)
        (updated if before is not None else created).append(code)
    if records or fields:
        import_catalog(
            {
                "format": "motcua-catalog",
                "format_version": 1,
                "fields": list(fields.values()),
                "procedures": records,
            },
            actor=actor,
        )
    logger.info(
        "national_catalogue.imported",
        created=len(created),
        updated=len(updated),
        unchanged=unchanged,
        not_found=len(not_found),
    )
    return CatalogueSync(tuple(created), tuple(updated), unchanged, tuple(not_found))


def ask_catalogue_import(*, user: User) -> CatalogueImport:
    """An administrator asks for the catalogue to be imported; the worker runs it
    (``run_catalogue_import``): it reads the national database, which may be this server."""
    check_administrator(user)
    record = CatalogueImport.objects.create(asked_by=user)
    from .tasks import import_catalogue_task

    enqueue_with_transaction(import_catalogue_task, record.pk)
    return record


def run_catalogue_import(record_id: int) -> CatalogueImport | None:
    """Run an asked-for import once, and record what it did or why it did nothing."""
    taken = CatalogueImport.objects.filter(pk=record_id, finished_at__isnull=True).update(
        finished_at=timezone.now()
    )
    if not taken:
        return None  # already run (a task run twice)
    record = CatalogueImport.objects.select_related("asked_by").get(pk=record_id)
    try:
        result = import_from_national(actor=record.asked_by)
    except CatalogImportError as exc:
        record.problems = [str(problem) for problem in exc.problems]
    except (PortalRefused, PortalUnavailable) as exc:
        record.error = str(exc)[:2000]
    else:
        record.created = list(result.created)
        record.updated = list(result.updated)
        record.unchanged = result.unchanged
        record.not_found = list(result.not_found)
    record.finished_at = timezone.now()
    record.save()
    return record
