"""The deadline sweep: flag dossiers due soon and overdue, draft apology letters (form 04).

Run periodically (``manage.py sweep_deadlines``, e.g. every 15 minutes from the scheduler;
see docs/operations.md). Re-running is harmless: each flag and letter is made once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.notifications.services import notify
from motcua.workcalendar.calendar import add_working_days, close_of_day, next_working_day
from motcua.workcalendar.selectors import load_calendar

from . import lifecycle
from .models import ApologyLetter, ApologyStatus, Dossier


@dataclass(frozen=True)
class SweepReport:
    due_soon: int
    overdue: int
    letters: int


ACTIVE = [lifecycle.Status.ACCEPTED, lifecycle.Status.PROCESSING]


def sweep_deadlines(now: datetime.datetime | None = None) -> SweepReport:
    """Due soon = the appointment falls before the end of the next working day."""
    now = now or timezone.now()
    calendar = load_calendar()
    horizon = close_of_day(calendar, next_working_day(calendar, timezone.localdate(now)))
    due_soon = overdue = letters = 0
    soon = Dossier.objects.filter(
        status__in=ACTIVE, due_at__gt=now, due_at__lte=horizon, due_soon_flagged_at__isnull=True
    )
    for dossier in soon:
        with transaction.atomic():
            locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
            if locked.due_soon_flagged_at is not None:
                continue
            locked.due_soon_flagged_at = now
            locked.save(update_fields=["due_soon_flagged_at"])
            due_soon += 1
            if not locked.apologies.exists():
                # At least one working day before the appointment (DOMAIN.md §4.8).
                limit = Decimal(str(locked.case.get("time_limit", 1) or 1))
                extra = max(1, int(limit) // 2)
                assert locked.due_at is not None
                proposed = close_of_day(
                    calendar,
                    add_working_days(calendar, timezone.localdate(locked.due_at), extra),
                )
                ApologyLetter.objects.create(
                    dossier=locked, previous_due_at=locked.due_at, proposed_due_at=proposed
                )
                letters += 1
    late = Dossier.objects.filter(
        status__in=ACTIVE, due_at__lt=now, overdue_flagged_at__isnull=True
    )
    overdue = late.update(overdue_flagged_at=now)
    return SweepReport(due_soon=due_soon, overdue=overdue, letters=letters)


@transaction.atomic
def send_apology(
    *, letter: ApologyLetter, officer: User, reason: str, new_due: datetime.datetime | None = None
) -> ApologyLetter:
    """The officer completes and sends form 04; the appointment moves to the new date."""
    from .services import NotAllowed, roles_for

    locked = ApologyLetter.objects.select_for_update().select_related("dossier").get(pk=letter.pk)
    dossier = locked.dossier
    if not roles_for(officer, dossier) & {lifecycle.Actor.RECEIVER, lifecycle.Actor.PROCESSOR}:
        raise NotAllowed(_("You may not do this on this dossier."))
    if locked.status == ApologyStatus.SENT:
        raise NotAllowed(_("This letter was already sent."))
    if not reason.strip():
        raise NotAllowed(_("Give the reason; it is sent to the applicant."))
    if new_due is not None:
        if new_due <= locked.previous_due_at:
            raise NotAllowed(_("The new appointment must be later than the previous one."))
        locked.proposed_due_at = new_due
    locked.reason = reason.strip()
    locked.status = ApologyStatus.SENT
    locked.sent_at = timezone.now()
    locked.sent_by = officer
    locked.save()
    Dossier.objects.filter(pk=dossier.pk).update(due_at=locked.proposed_due_at)
    body = _(
        "Dossier %(code)s: we apologise, the result will be late. Reason: %(reason)s. "
        "New appointment: %(date)s."
    ) % {
        "code": dossier.code,
        "reason": locked.reason,
        "date": timezone.localtime(locked.proposed_due_at).strftime("%d/%m/%Y %H:%M"),
    }
    applicant = dossier.applicant
    if applicant.email:
        notify(channel="email", recipient=applicant.email, subject=dossier.code, body=body)
    if applicant.phone:
        notify(channel="sms", recipient=applicant.phone, body=body)
    return locked
