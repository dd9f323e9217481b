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
- ``backfill`` queues the dossiers filed before the synchronisation existed: their filing and
  their changes of status before those queued since, batch by batch (``manage.py
  backfill_national_sync``).

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
from django.db.models import Exists, F, Min, OuterRef, Q, QuerySet
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


# --- dossiers filed before the synchronisation existed -------------------------------------


def never_introduced() -> QuerySet[Dossier]:
    """Dossiers the portal was never told were filed: no filing row in the outbox and nothing
    delivered. Filed before this app existed: with no row at all, or with rows of the changes
    made since (which the portal refuses, not knowing the dossier)."""
    rows = SyncItem.objects.filter(dossier=OuterRef("pk"))
    return Dossier.objects.filter(
        ~Exists(rows.filter(is_creation=True)), ~Exists(rows.filter(state=SyncState.DELIVERED))
    )


@dataclass(frozen=True)
class Backfill:
    dossiers: int = 0  # dossiers queued
    changes: int = 0  # outbox rows written (the filing and each change of status)
    without_history: int = 0  # dossiers with no history line to key a row to: left out


def changes_status(from_status: int | None, to_status: int) -> bool:
    """Whether a change is one the portal is told of: the filing, or a change of the national
    status (a hand-over or a consultation keeps it; our local 11 is the portal's 3)."""
    return from_status is None or national_code(from_status) != national_code(to_status)


def backfill(*, batch_size: int = 500, deliver: bool = True) -> Backfill:
    """Queue, for every dossier never introduced to the portal, its filing and its status
    changes up to the first change already queued (or to its current status), as the handler
    would have queued them had the synchronisation existed.

    The rows are keyed to the history lines, so they go in the history's order, before the
    changes queued since. Every change of the national status is replayed, not only the last
    one: the portal (and the sandbox) refuse a status the dossier could not have moved to from
    the one it holds (1 → 4 without 2), and its figures count the steps. The payload is built
    when each is sent, from the dossier as it is then, as for every row. A change queued since
    and refused (the portal did not know the dossier) is sent again after them.

    Batches of ``batch_size`` dossiers in order of id, each in its own transaction, so a
    database of hundreds of thousands of dossiers is never held in memory and an interrupted
    run resumes where it stopped. Running it again queues nothing more: a dossier with its
    filing queued is introduced, and the rows are keyed one-to-one to history lines.

    Each batch's dossiers are locked (``SELECT … FOR UPDATE``, as a change locks its dossier)
    and looked at again once locked, so a change committed meanwhile is seen. ``deliver=False``
    only queues: the scheduler's sweep delivers later (the demo seeding calls nothing over
    the network).
    """
    from .tasks import deliver_dossiers_task

    after = 0
    queued = changes = without_history = 0
    while True:
        with transaction.atomic():
            ids = list(
                never_introduced()
                .filter(pk__gt=after)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            after = ids[-1]
            # Lock them, then keep those still never introduced (a change may have committed).
            list(Dossier.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
            locked = set(never_introduced().filter(pk__in=ids).values_list("pk", flat=True))
            # The first change queued since the app exists, per dossier: replay what precedes it.
            queued_from = dict(
                SyncItem.objects.filter(dossier_id__in=locked)
                .order_by()
                .values("dossier_id")
                .annotate(first=Min("event_id"))
                .values_list("dossier_id", "first")
            )
            items: list[SyncItem] = []
            seen: set[int] = set()
            for event in (
                DossierEvent.objects.filter(dossier_id__in=locked)
                .order_by("dossier_id", "pk")
                .only("pk", "dossier_id", "from_status", "to_status", "created_at")
            ):
                first = event.dossier_id not in seen
                seen.add(event.dossier_id)
                if event.pk >= queued_from.get(event.dossier_id, event.pk + 1):
                    continue
                if first or changes_status(event.from_status, event.to_status):
                    items.append(
                        SyncItem(
                            dossier_id=event.dossier_id,
                            event=event,
                            status=national_code(event.to_status),
                            is_creation=first,
                            created_at=event.created_at,
                        )
                    )
            without_history += len(locked - seen)
            # A row of an event already queued (a run alongside) is skipped, not doubled.
            SyncItem.objects.bulk_create(items, ignore_conflicts=True)
            # Refused for want of the filing: sent again behind it (refused again, it is kept
            # with its new error).
            SyncItem.objects.filter(dossier_id__in=seen, state=SyncState.REFUSED).update(
                state=SyncState.PENDING, next_attempt_at=None, claimed_at=None
            )
            queued += len(seen)
            changes += len(items)
            if deliver and seen:
                enqueue_with_transaction(deliver_dossiers_task, sorted(seen))
    logger.info(
        "national_sync.backfill",
        dossiers=queued,
        changes=changes,
        without_history=without_history,
    )
    return Backfill(queued, changes, without_history)


def ask_backfill(*, user: User) -> None:
    """An administrator asks for the dossiers never introduced to the portal to be queued;
    the worker does it (it may be hundreds of thousands of dossiers)."""
    check_administrator(user)
    from .tasks import backfill_task

    enqueue_with_transaction(backfill_task)
    logger.info("national_sync.backfill_asked", user=user.pk)


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
