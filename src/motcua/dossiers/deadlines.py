"""The deadline sweep: flag dossiers due soon and late, draft apology letters (form 04).

Run periodically (``manage.py sweep_deadlines``, e.g. every 15 minutes from the scheduler;
see docs/operations.md). Re-running is harmless: each flag and letter is made once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.workcalendar.calendar import (
    WorkingCalendar,
    add_working_days,
    close_of_day,
    next_working_day,
)
from motcua.workcalendar.deadlines import due_at
from motcua.workcalendar.selectors import load_calendar

from . import lifecycle, selectors
from .access import roles_for
from .models import ApologyLetter, ApologyStatus, Dossier, DossierStep
from .services import NotAllowed, record_in_place


@dataclass(frozen=True)
class SweepReport:
    due_soon: int
    overdue: int
    letters: int


ACTIVE = [lifecycle.Status.ACCEPTED, lifecycle.Status.PROCESSING]


def sweep_deadlines(now: datetime.datetime | None = None) -> SweepReport:
    """Flag dossiers due soon and late; draft form 04 where the appointment will be missed.

    Due soon = the appointment falls before the end of the next working day (a worklist
    flag). Late = as ``selectors.late`` counts it, against the first appointment. A letter is
    drafted only where ``needs_apology`` says so, at most one draft per dossier at a time.
    """
    now = now or timezone.now()
    calendar = load_calendar()
    horizon = close_of_day(calendar, next_working_day(calendar, timezone.localdate(now)))
    due_soon = Dossier.objects.filter(
        status__in=ACTIVE, due_at__gt=now, due_at__lte=horizon, due_soon_flagged_at__isnull=True
    ).update(due_soon_flagged_at=now)
    letters = 0
    candidates = (
        Dossier.objects.filter(status__in=ACTIVE, due_at__isnull=False)
        .exclude(apologies__status=ApologyStatus.DRAFT)
        .prefetch_related(_OPEN_STEPS)  # the case (a large snapshot) only for those behind
        .order_by("pk")
    )
    for dossier in candidates.iterator(chunk_size=200):
        proposal = needs_apology(dossier, calendar, now)
        if proposal is None:
            continue
        with transaction.atomic():
            locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
            if locked.apologies.filter(status=ApologyStatus.DRAFT).exists():
                continue  # a concurrent sweep drafted it
            ApologyLetter.objects.create(
                dossier=locked, previous_due_at=promised(locked), proposed_due_at=proposal
            )
            letters += 1
    overdue = Dossier.objects.filter(
        selectors.late(now), status__in=ACTIVE, overdue_flagged_at__isnull=True
    ).update(overdue_flagged_at=now)
    return SweepReport(due_soon=due_soon, overdue=overdue, letters=letters)


_OPEN_STEPS = Prefetch(
    "steps",
    queryset=DossierStep.objects.filter(finished_at__isnull=True).order_by("position"),
    to_attr="open_steps",
)


def promised(dossier: Dossier) -> datetime.datetime:
    """The date the applicant was last given: a sent apology's, else the appointment."""
    due = dossier.apology_due_at or dossier.due_at
    assert due is not None  # accepted dossiers only
    return due


def _open_steps(dossier: Dossier) -> list[DossierStep]:
    prefetched: list[DossierStep] | None = getattr(dossier, "open_steps", None)
    if prefetched is not None:
        return prefetched
    return list(dossier.steps.filter(finished_at__isnull=True).order_by("position"))


def expected_finish(
    dossier: Dossier, calendar: WorkingCalendar, now: datetime.datetime
) -> datetime.datetime | None:
    """When the open processing steps will be done; None when no step is open.

    On schedule (the current step's own deadline has not passed) the plan holds: the last open
    step's deadline. Behind schedule, the open steps still take their durations (in the
    case's time unit, fractions allowed, DOMAIN.md §6), counted from now.
    """
    open_steps = _open_steps(dossier)
    if not open_steps:
        return None
    if now <= open_steps[0].due_at:
        return open_steps[-1].due_at
    rules = dossier.rules
    planned = rules.steps
    remaining = sum(
        (planned[step.position].duration for step in open_steps if step.position < len(planned)),
        Decimal(0),
    )
    return due_at(calendar, now, remaining, rules.time_unit)


def needs_apology(
    dossier: Dossier, calendar: WorkingCalendar, now: datetime.datetime
) -> datetime.datetime | None:
    """The new appointment to propose in form 04, or None when no letter is needed now.

    The agency apologises before the appointment it gave (DOMAIN.md §4.8): a letter is
    needed when that date has passed, or, before a first apology, when the open steps cannot
    be done by the appointment (``expected_finish``). After a sent apology only the passing of
    its new date calls for another one: a dossier behind schedule always looks a little
    later at each sweep, and one letter per promise is enough. The proposal is the expected
    finish; without a step plan, half the time limit (at least one working day) from now.
    """
    promise = promised(dossier)
    late = promise < now
    first_promise = dossier.apology_due_at is None
    finish = expected_finish(dossier, calendar, now) if late or first_promise else None
    cannot_finish = first_promise and finish is not None and finish > promise
    if not (late or cannot_finish):
        return None
    if finish is None or finish <= now:
        extra = max(1, int(dossier.rules.time_limit) // 2)
        finish = close_of_day(calendar, add_working_days(calendar, timezone.localdate(now), extra))
    return max(finish, promise + datetime.timedelta(minutes=1))


@transaction.atomic
def send_apology(
    *, letter: ApologyLetter, officer: User, reason: str, new_due: datetime.datetime | None = None
) -> ApologyLetter:
    """The officer completes and sends form 04 with the new appointment (DOMAIN.md §4.8).

    The new date is kept beside the first appointment (``Dossier.apology_due_at``), which
    stays the legal one for lateness. Without ``new_due``, the letter's proposal, or the
    remaining steps' expected end if that is later by now.
    """
    dossier = Dossier.objects.select_for_update().get(pk=letter.dossier_id)
    locked = ApologyLetter.objects.select_for_update().get(pk=letter.pk)
    held = roles_for(officer, dossier)
    role = next(
        (r for r in (lifecycle.Actor.RECEIVER, lifecycle.Actor.PROCESSOR) if r in held), None
    )
    if role is None:
        raise NotAllowed(_("You may not do this on this dossier."))
    if locked.status == ApologyStatus.SENT:
        raise NotAllowed(_("This letter was already sent."))
    if not reason.strip():
        raise NotAllowed(_("Give the reason; it is sent to the applicant."))
    if new_due is not None:
        if new_due <= locked.previous_due_at:
            raise NotAllowed(_("The new appointment must be later than the previous one."))
        locked.proposed_due_at = new_due
    else:
        now = timezone.now()
        finish = expected_finish(dossier, load_calendar(), now)
        if finish is not None and finish > locked.proposed_due_at:
            locked.proposed_due_at = finish  # the draft waited: its date would be missed
    locked.reason = reason.strip()
    locked.status = ApologyStatus.SENT
    locked.sent_at = timezone.now()
    locked.sent_by = officer
    locked.save()
    # The new appointment is a change of the dossier like any other: in its history, and
    # announced (the applicant receives the letter from the dossier app's handler).
    dossier.apology_due_at = locked.proposed_due_at
    dossier.save(update_fields=["apology_due_at"])
    record_in_place(
        dossier, lifecycle.Transition.APPOINTMENT_MOVED, officer, role, reason=locked.reason
    )
    return locked
