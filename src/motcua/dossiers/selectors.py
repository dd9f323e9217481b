"""Dossier reads: the applicant's list, officers' worklists, the public status lookup."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import F, Q, QuerySet, Subquery
from django.utils import timezone

from motcua.accounts import access as accounts_access
from motcua.accounts.models import BusinessMembership, User
from motcua.agencies.models import Agency
from motcua.catalog.cache import catalog_cache
from motcua.catalog.models import (
    Component,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    PublicationStatus,
)
from motcua.catalog.rules import CaseRules

from . import lifecycle
from .lifecycle import Status
from .models import Dossier, DossierDraft, DossierEvent

WORKLISTS = ("to_receive", "in_progress", "due_soon", "overdue", "waiting")
SORTS = {
    "due": "due_at",
    "-due": "-due_at",
    "submitted": "submitted_at",
    "-submitted": "-submitted_at",
    "code": "code",
}


def dossiers_of(user: User) -> QuerySet[Dossier]:
    """The person's own dossiers and those of businesses they act for now."""
    businesses = BusinessMembership.objects.active().filter(user=user).values("business_id")
    return (
        Dossier.objects.filter(
            Q(applicant=user, on_behalf_of__isnull=True) | Q(on_behalf_of__in=businesses)
        )
        .select_related("procedure", "receiving_agency")
        .order_by("-submitted_at", "-id")
    )


@dataclass(frozen=True)
class ListPage:
    """One page of a list read without counting it: the rows, and whether more follow."""

    rows: list[Any]
    number: int
    has_next: bool

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def next_page_number(self) -> int:
        return self.number + 1


def my_dossiers_page(user: User, number: str | None, per_page: int = 20) -> ListPage:
    """A page of the person's dossiers with only what the list shows (code, procedure,
    status, appointment); one query, no count: the page links only to the next one."""
    try:
        page = max(int(number or 1), 1)
    except ValueError:
        page = 1
    start = (page - 1) * per_page
    rows = list(
        dossiers_of(user)
        .select_related(None)
        .select_related("procedure")
        .only("code", "status", "due_at", "submitted_at", "procedure__name")[
            start : start + per_page + 1
        ]
    )
    return ListPage(rows=rows[:per_page], number=page, has_next=len(rows) > per_page)


def drafts_of(user: User, limit: int = 10) -> list[DossierDraft]:
    """The person's drafts not yet filed, newest first, with their procedure's name."""
    return list(
        DossierDraft.objects.filter(applicant=user, dossier__isnull=True)
        .select_related("procedure")
        .only("step", "updated_at", "procedure__name")[:limit]
    )


def late(now: datetime.datetime) -> Q:
    """``Dossier.is_late`` as a query: finished, or still open at ``now``, after the first
    appointment, or supplement requested more than once (Decision 766/QĐ-TTg; DOMAIN.md §9).
    A sent apology's new date (``apology_due_at``) never makes a dossier on time."""
    return (
        Q(supplement_requests__gt=1)
        | Q(finished_at__isnull=True, due_at__lt=now)
        | Q(finished_at__gt=F("due_at"))
    )


def _worklist_filters(now: datetime.datetime) -> dict[str, Q]:
    soon = now + datetime.timedelta(days=2)
    active = [Status.ACCEPTED, Status.PROCESSING]
    return {
        "to_receive": Q(status=Status.SUBMITTED),
        "in_progress": Q(status__in=active),
        "due_soon": Q(status__in=active, due_at__gte=now, due_at__lte=soon),
        "overdue": Q(status__in=active) & late(now),
        "waiting": Q(status__in=list(lifecycle.PAUSED))
        | Q(status=Status.PROCESSING, consultations__answered_at__isnull=True),
    }


def _agency_dossiers(user: User, query: str) -> QuerySet[Dossier]:
    """Only dossiers received or processed by the officer's agencies (or asked of them)."""
    agencies = accounts_access.agency_ids(user)
    found = Dossier.objects.filter(
        Q(receiving_agency__in=agencies)
        | Q(processing_unit__in=agencies)
        | Q(consultations__coordinating_agency__in=agencies)
    )
    return search(found, query)


def search(dossiers: QuerySet[Dossier], query: str) -> QuerySet[Dossier]:
    """Dossiers whose code, applicant's name, business's name or CCCD holds ``query``.

    Any letter case; spaces in a code are ignored (a code read out or copied from a receipt
    comes as ``h17.02-241204 0001``), so is a CCCD's.
    """
    text = " ".join(query.split())
    if not text:
        return dossiers
    packed = "".join(text.split())
    return dossiers.filter(
        Q(code__icontains=packed)
        | Q(applicant__full_name__icontains=text)
        | Q(on_behalf_of__name__icontains=text)
        | Q(applicant__personal_id=packed)
    )


def worklist(user: User, name: str, *, sort: str = "due", query: str = "") -> QuerySet[Dossier]:
    """One worklist of the officer's agencies, narrowed by ``query`` (``search``)."""
    filters = _worklist_filters(timezone.now())
    return (
        _agency_dossiers(user, query)
        .filter(filters.get(name, filters["to_receive"]))
        .distinct()
        .select_related("procedure", "applicant", "receiving_agency", "on_behalf_of")
        .order_by(SORTS.get(sort, "due_at"), "id")
    )


def worklist_counts(user: User, *, query: str = "") -> dict[str, int]:
    """How many dossiers each worklist holds (with the same ``query``), for the tabs."""
    filters = _worklist_filters(timezone.now())
    base = _agency_dossiers(user, query)
    return {name: base.filter(filters[name]).distinct().count() for name in WORKLISTS}


# The public look-up's one query on PostgreSQL, written out: building it with the ORM cost
# 1.4 ms of CPU per look-up, more than everything else the view does (benchmarks/dossiers.py).
PUBLIC_STATUS_SQL = (
    "SELECT d.id, d.code, d.status, d.due_at, d.lookup_secret, d.procedure_id, p.name{timeline} "
    "FROM dossiers_dossier AS d JOIN catalog_procedure AS p ON p.id = d.procedure_id{join} "
    "WHERE d.code = %s LIMIT 1"
)
# The public timeline in the same round trip: the changes of status, oldest first.
PUBLIC_TIMELINE_COLUMNS = ", t.times, t.statuses"
PUBLIC_TIMELINE_JOIN = (
    " LEFT JOIN LATERAL (SELECT array_agg(e.created_at ORDER BY e.created_at, e.id) AS times,"
    " array_agg(e.to_status ORDER BY e.created_at, e.id) AS statuses"
    " FROM dossiers_dossierevent AS e"
    " WHERE e.dossier_id = d.id AND e.from_status IS DISTINCT FROM e.to_status) AS t ON true"
)
PUBLIC_STATUS_FIELDS = ["id", "code", "status", "due_at", "lookup_secret", "procedure_id"]


def public_status(code: str, secret: str) -> Dossier | None:
    """Code plus the secret printed on the receipt; nothing else is revealed.

    One indexed query (the unique code) for only what the answer shows; the dossier comes
    back with its other fields deferred, as ``only()`` would give it.
    """
    return _public_status(code, secret, with_timeline=False)[0]


def public_status_and_timeline(code: str, secret: str) -> tuple[Dossier | None, list[PublicStep]]:
    """``public_status`` and, when the secret matches, ``public_timeline``: on PostgreSQL in
    the same single query (the look-up page is opened far more often than anything else)."""
    return _public_status(code, secret, with_timeline=True)


def _public_status(
    code: str, secret: str, *, with_timeline: bool
) -> tuple[Dossier | None, list[PublicStep]]:
    code = normalised(code)
    timeline: list[PublicStep] | None = None
    if connection.vendor == "postgresql":
        sql = PUBLIC_STATUS_SQL.format(
            timeline=PUBLIC_TIMELINE_COLUMNS if with_timeline else "",
            join=PUBLIC_TIMELINE_JOIN if with_timeline else "",
        )
        with _planned_once_cursor() as cursor:
            cursor.execute(sql, [code])
            row = cursor.fetchone()
        if row is None:
            return None, []
        values = dict(zip(PUBLIC_STATUS_FIELDS, row, strict=False))
        # ``from_db`` takes the values in the model's field order.
        names = [f.attname for f in Dossier._meta.concrete_fields if f.attname in values]
        dossier = Dossier.from_db(connection.alias, names, [values[name] for name in names])
        procedure = Procedure.from_db(connection.alias, ["id", "name"], [row[5], row[6]])
        Dossier.procedure.field.set_cached_value(dossier, procedure)
        if with_timeline:
            timeline = _public_steps(zip(row[7] or [], row[8] or [], strict=True))
    else:  # the same with the ORM (SQLite hands dates back as text)
        rows = (
            Dossier.objects.filter(code=code)
            .select_related("procedure")
            .only("code", "status", "due_at", "lookup_secret", "procedure__name")
            .order_by()[:1]
        )
        first = next(iter(rows), None)
        if first is None:
            return None, []
        dossier = first
    if not secret or dossier.lookup_secret != normalised(secret):
        return None, []
    if with_timeline and timeline is None:
        timeline = public_timeline(dossier)
    return dossier, timeline or []


def _planned_once_cursor() -> CursorWrapper:
    """A cursor whose statements PostgreSQL plans once per connection.

    Django binds parameters on the client, so the server parses and plans every look-up anew,
    and planning the look-up's joins costs more than running them. With server-side binding,
    psycopg prepares a statement once it has run ``prepare_threshold`` times (5) on a
    connection. Queries are still logged and counted as Django's own cursors' are.
    """
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    wrapper = CursorDebugWrapper if connection.queries_logged else CursorWrapper
    return wrapper(raw, connection)


def normalised(text: str) -> str:
    """A dossier code or lookup code as typed from a receipt: any letter case, any spacing
    (codes are upper case and hold no spaces)."""
    return "".join(text.split()).upper()


@dataclass(frozen=True)
class PublicStep:
    """One line of the public timeline: a status and when it was reached, nothing else
    (no reason, no person: the look-up is open to whoever holds the receipt)."""

    at: datetime.datetime
    status: int
    label: str


def public_timeline(dossier: Dossier) -> list[PublicStep]:
    """The statuses the dossier went through, with their dates, oldest first."""
    rows = (
        DossierEvent.objects.filter(dossier_id=dossier.pk)
        .exclude(from_status=F("to_status"))  # changes that keep the status are internal
        .order_by("created_at", "id")
        .values_list("created_at", "to_status")
    )
    return _public_steps(rows)


def _public_steps(rows: Iterable[tuple[datetime.datetime, int]]) -> list[PublicStep]:
    labels = dict(Status.choices)
    return [
        PublicStep(at=at, status=to_status, label=str(labels.get(to_status, to_status)))
        for at, to_status in rows
    ]


# Where ``draft_case`` keeps what it read on the draft instance (one request's worth).
_CASE_MEMO = "_motcua_case"


def draft_case(draft: DossierDraft) -> ProcedureCase:
    """The draft's case with its components, read once per draft instance.

    One query: the components joined with their case (a second one only for a case without
    components). The pages and the API read it for the e-form schema and the components;
    submitting checks the draft against the rules of the version it is filed under instead
    (``services.submit``).
    """
    key = (draft.procedure_id, draft.case_position)
    memo = getattr(draft, _CASE_MEMO, None)
    if memo is not None and memo[0] == key:
        return memo[1]  # type: ignore[no-any-return]
    # The case at this position in the procedure's case order, as ``cases.all()[n]`` finds it.
    cases = ProcedureCase.objects.filter(procedure_id=draft.procedure_id)
    case_id = cases.values("pk")[draft.case_position : draft.case_position + 1]
    components = list(Component.objects.filter(case_id=Subquery(case_id)).select_related("case"))
    if components:
        case = components[0].case
        for component in components:
            Component.case.field.set_cached_value(component, case)
        # What prefetch_related("components") leaves on the case.
        prefetched = case.components.all()
        prefetched._result_cache = components
        prefetched._prefetch_done = True  # type: ignore[attr-defined]
        case._prefetched_objects_cache = {"components": prefetched}  # type: ignore[attr-defined]
    else:
        case = cases.prefetch_related("components")[draft.case_position]
    setattr(draft, _CASE_MEMO, (key, case))
    return case


@dataclass(frozen=True)
class FilingTarget:
    """What filing a dossier for a procedure needs from the catalogue, read once per catalogue
    version: its latest version (the procedure joined) and the agencies that receive it.

    Shared between requests: never change these objects.
    """

    version: ProcedureVersion
    agencies: tuple[Agency, ...]  # in the order ``procedure.agencies.first()`` picks from


def filing_target(procedure_code: str) -> FilingTarget | None:
    """The filing target of a published procedure, or None; cached per catalogue version
    (every change that could alter it replaces that version, see ``catalog.cache``)."""
    return catalog_cache().remember(  # type: ignore[no-any-return]
        "filing", {"code": procedure_code}, lambda: _read_filing_target(procedure_code)
    )


def _read_filing_target(procedure_code: str) -> FilingTarget | None:
    version = (
        ProcedureVersion.objects.select_related("procedure")
        .filter(procedure__code=procedure_code, procedure__status=PublicationStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )
    if version is None:
        return None
    agencies = version.procedure.agencies.order_by(*(Agency._meta.ordering or ["pk"]))
    return FilingTarget(version=version, agencies=tuple(agencies))


def guided_to(dossier: Dossier) -> DossierEvent | None:
    """The event that guided the applicant to the competent agency (its ``to_unit``)."""
    return (
        dossier.events.filter(transition=lifecycle.Transition.GUIDE_ELSEWHERE)
        .select_related("to_unit")
        .last()
    )


def latest_rules(draft: DossierDraft) -> CaseRules | None:
    """The rules the draft will be filed under: its case in the procedure's latest version
    (what ``services.submit`` checks), for the review step's fee."""
    version = (
        ProcedureVersion.objects.filter(procedure_id=draft.procedure_id)
        .order_by("-number")
        .only("snapshot")
        .first()
    )
    if version is None:
        return None
    return CaseRules.from_snapshot(version.snapshot, draft.case_position)


@dataclass(frozen=True)
class NextAction:
    """The one thing expected of the applicant now, shown first on their dossier page.

    ``kind``: ``supplement`` (what is missing, in the officer's words), ``pay`` (the fee) or
    ``result`` (where the result is, as they chose to receive it)."""

    kind: str
    reason: str = ""
    amount: int = 0

    @property
    def shown_amount(self) -> str:
        return f"{self.amount:,}".replace(",", ".")  # Vietnamese groups thousands with "."


def next_action(dossier: Dossier) -> NextAction | None:
    if dossier.status == Status.SUPPLEMENT_REQUESTED:
        return NextAction(
            "supplement", reason=_latest_reason(dossier, lifecycle.Transition.REQUEST_SUPPLEMENT)
        )
    if dossier.status == Status.AWAITING_PAYMENT:
        form = dossier.form_data if isinstance(dossier.form_data, dict) else {}
        return NextAction(
            "pay",
            reason=_latest_reason(dossier, lifecycle.Transition.ASK_PAYMENT),
            amount=dossier.rules.fee_for(form),
        )
    if dossier.status in (Status.DECIDED, Status.RETURNED):
        return NextAction("result")
    return None


def _latest_reason(dossier: Dossier, transition: str) -> str:
    event = (
        DossierEvent.objects.filter(dossier_id=dossier.pk, transition=transition)
        .order_by("-created_at", "-id")
        .values_list("reason", flat=True)
        .first()
    )
    return event or ""
