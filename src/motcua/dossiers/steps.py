"""Per-step deadlines: the case's processing steps, planned at acceptance and ticked off.

A step ends when the work leaves it: the receiver's step when the dossier is forwarded, a
processor's step at a hand-over, a coordinating agency's step when it answers its part,
everything up to the approver's step at the decision, the rest when the result is returned.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from motcua.workcalendar.calendar import WorkingCalendar
from motcua.workcalendar.deadlines import Pause, add_paused, due_at

from .lifecycle import Transition
from .models import Dossier, DossierStep


def plan(dossier: Dossier, calendar: WorkingCalendar, accepted_at: datetime.datetime) -> None:
    rules = dossier.rules
    elapsed = Decimal(0)
    planned = []
    for position, step in enumerate(rules.steps):
        elapsed += step.duration
        planned.append(
            DossierStep(
                dossier=dossier,
                position=position,
                name=step.name[:255],
                role=step.role[:16],
                due_at=due_at(calendar, accepted_at, elapsed, rules.time_unit),
            )
        )
    DossierStep.objects.bulk_create(planned)


ENDS_A_STEP = frozenset(
    {
        Transition.FORWARD,
        Transition.HAND_OVER,
        Transition.CONSULTATION_ANSWERED,
        Transition.DECIDE,
        Transition.RETURN_RESULT,
    }
)


def advance(dossier: Dossier, transition: str, now: datetime.datetime) -> None:
    if transition not in ENDS_A_STEP:
        return  # no query for the other transitions
    open_steps = list(dossier.steps.filter(finished_at__isnull=True))
    if not open_steps:
        return
    if transition == Transition.FORWARD:
        # Every receiving step at the head of the plan ends with the forwarding.
        done = _leading(open_steps, "receiver")
    elif transition == Transition.HAND_OVER:
        done = open_steps[:1]
    elif transition == Transition.CONSULTATION_ANSWERED:
        done = [s for s in open_steps if s.role == "coordinator"][:1]
    elif transition == Transition.DECIDE:
        approver = [s.position for s in open_steps if s.role == "approver"]
        done = [s for s in open_steps if not approver or s.position <= approver[-1]]
    else:  # the result is returned: whatever remains is done
        done = open_steps
    DossierStep.objects.filter(pk__in=[s.pk for s in done]).update(finished_at=now)


def _leading(steps: list[DossierStep], role: str) -> list[DossierStep]:
    leading = []
    for step in steps:
        if step.role != role:
            break
        leading.append(step)
    return leading


def shift(dossier: Dossier, calendar: WorkingCalendar, pause: Pause) -> None:
    """Open steps move by the paused working time, as the appointment does."""
    for step in dossier.steps.filter(finished_at__isnull=True):
        step.due_at = add_paused(calendar, step.due_at, [pause])
        step.save(update_fields=["due_at"])
