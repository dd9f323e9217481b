"""The dossier lifecycle: statuses, transitions, who may make them (DOMAIN.md §4).

One table, asked by every service; nothing else decides whether a status may change.
Status codes 1–10 are those used to synchronise with the national public-service portal.

Code 11 is local: a dossier that is not this agency's competence, the applicant guided to
the competent agency (DOMAIN.md §4.2, first intake outcome). The national list has no code
for it; it is synchronised as 3 "Không được tiếp nhận" (the dossier was not received here,
which is true), through ``national_code``. It has its own code here so that it is never shown
or counted as a refusal (form 03): a refusal judges the dossier, guiding elsewhere does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.IntegerChoices):
    SUBMITTED = 1, _("Submitted")
    ACCEPTED = 2, _("Accepted")
    REFUSED = 3, _("Not accepted")
    PROCESSING = 4, _("Processing")
    SUPPLEMENT_REQUESTED = 5, _("Supplement requested")
    AWAITING_PAYMENT = 6, _("Awaiting payment")
    WITHDRAWN = 7, _("Withdrawn by the applicant")
    STOPPED = 8, _("Processing stopped")
    DECIDED = 9, _("Result ready")
    RETURNED = 10, _("Result returned")
    # Local; synchronised as REFUSED (see the module's docstring and ``national_code``).
    GUIDED_ELSEWHERE = 11, _("Not this agency's competence: guided to the competent agency")


class Actor(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RECEIVER = "receiver", _("One-stop receiver")
    PROCESSOR = "processor", _("Processing officer")
    APPROVER = "approver", _("Approver / leader")
    COORDINATOR = "coordinator", _("Coordinating agency")
    # The platform itself: a payment gateway's confirmation, a fee asked for by the rules.
    SYSTEM = "system", _("The platform")


class Transition(models.TextChoices):
    SUBMIT = "submit", _("Submitted online")
    ACCEPT = "accept", _("Accepted (receipt, form 01)")
    REQUEST_SUPPLEMENT = "request_supplement", _("Supplement requested (form 02)")
    SUPPLEMENT = "supplement", _("Supplement provided")
    REFUSE = "refuse", _("Not accepted (form 03)")
    GUIDE_ELSEWHERE = "guide_elsewhere", _("Not this agency's competence: guided elsewhere")
    FORWARD = "forward", _("Forwarded for processing (form 06)")
    HAND_OVER = "hand_over", _("Handed over (form 06)")
    ASK_PAYMENT = "ask_payment", _("Payment requested")
    CONFIRM_PAYMENT = "confirm_payment", _("Payment received")
    STOP = "stop", _("Processing stopped (form 05)")
    DECIDE = "decide", _("Decided")
    RETURN_RESULT = "return_result", _("Result returned")
    WITHDRAW = "withdraw", _("Withdrawn")
    CONSULT = "consult", _("Part sent to a coordinating agency (form 06)")
    CONSULTATION_ANSWERED = "consultation_answered", _("Coordinating agency answered (form 06)")
    APPOINTMENT_MOVED = "appointment_moved", _("New appointment given with an apology (form 04)")


@dataclass(frozen=True)
class Rule:
    sources: frozenset[int]
    target: int | None  # None: back to the status the dossier had before the pause
    actors: frozenset[str]
    reason_required: bool = False
    # The service that makes it, with what it needs beyond a reason (a consultation, a letter);
    # empty for the transitions ``services.act`` makes. ``act`` refuses the others.
    made_by: str = ""
    # Whether the applicant is sent the new status (the apology letter carries its own text).
    tells_applicant: bool = True
    # A line of the history that does not change the status (``target`` is then unused).
    keeps_status: bool = False


S = Status
RULES: dict[str, Rule] = {
    Transition.ACCEPT: Rule(frozenset({S.SUBMITTED}), S.ACCEPTED, frozenset({Actor.RECEIVER})),
    # One written request, at intake or during processing (form 02); a second one needs the
    # agency's apology and does not pause the clock (``services._apply``, DOMAIN.md §4).
    Transition.REQUEST_SUPPLEMENT: Rule(
        frozenset({S.SUBMITTED, S.ACCEPTED, S.PROCESSING}),
        S.SUPPLEMENT_REQUESTED,
        frozenset({Actor.RECEIVER, Actor.PROCESSOR}),
        reason_required=True,
    ),
    Transition.SUPPLEMENT: Rule(
        frozenset({S.SUPPLEMENT_REQUESTED}), None, frozenset({Actor.APPLICANT})
    ),
    Transition.REFUSE: Rule(
        frozenset({S.SUBMITTED}), S.REFUSED, frozenset({Actor.RECEIVER}), reason_required=True
    ),
    # Outside the agency's competence: the reason and the agency to go to (``to_unit``).
    Transition.GUIDE_ELSEWHERE: Rule(
        frozenset({S.SUBMITTED}),
        S.GUIDED_ELSEWHERE,
        frozenset({Actor.RECEIVER}),
        reason_required=True,
    ),
    Transition.FORWARD: Rule(frozenset({S.ACCEPTED}), S.PROCESSING, frozenset({Actor.RECEIVER})),
    Transition.HAND_OVER: Rule(
        frozenset({S.PROCESSING}), S.PROCESSING, frozenset({Actor.PROCESSOR, Actor.APPROVER})
    ),
    Transition.ASK_PAYMENT: Rule(
        frozenset({S.ACCEPTED, S.PROCESSING, S.DECIDED}),
        S.AWAITING_PAYMENT,
        frozenset({Actor.RECEIVER, Actor.PROCESSOR, Actor.SYSTEM}),
        reason_required=True,
    ),
    # By the gateway's signed notification, or by the desk for a fee paid there.
    Transition.CONFIRM_PAYMENT: Rule(
        frozenset({S.AWAITING_PAYMENT}), None, frozenset({Actor.RECEIVER, Actor.SYSTEM})
    ),
    Transition.STOP: Rule(
        frozenset({S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT}),
        S.STOPPED,
        frozenset({Actor.APPROVER}),
        reason_required=True,
    ),
    Transition.DECIDE: Rule(frozenset({S.PROCESSING}), S.DECIDED, frozenset({Actor.APPROVER})),
    Transition.RETURN_RESULT: Rule(frozenset({S.DECIDED}), S.RETURNED, frozenset({Actor.RECEIVER})),
    # Before a decision only (DOMAIN.md §4).
    Transition.WITHDRAW: Rule(
        frozenset(
            {S.SUBMITTED, S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT}
        ),
        S.WITHDRAWN,
        frozenset({Actor.APPLICANT}),
    ),
    # Changes that keep the status, made by their own services; in the table so that every
    # change of a dossier is checked and recorded the same way (``services.record``).
    Transition.CONSULT: Rule(
        frozenset({S.PROCESSING}),
        S.PROCESSING,
        frozenset({Actor.PROCESSOR, Actor.APPROVER}),
        reason_required=True,
        made_by="coordination.request_part",
        tells_applicant=False,
        keeps_status=True,
    ),
    # The coordinating agency answers its part whatever became of the dossier meanwhile: the
    # answer belongs on the control sheet (form 06) either way.
    Transition.CONSULTATION_ANSWERED: Rule(
        frozenset(S),
        None,
        frozenset({Actor.COORDINATOR}),
        reason_required=True,
        made_by="coordination.answer_part",
        tells_applicant=False,
        keeps_status=True,
    ),
    # Form 04: the agency apologises and gives a new appointment, before the result.
    Transition.APPOINTMENT_MOVED: Rule(
        frozenset({S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT}),
        None,
        frozenset({Actor.RECEIVER, Actor.PROCESSOR}),
        reason_required=True,
        made_by="deadlines.send_apology",
        keeps_status=True,
    ),
}

PAUSED = frozenset({S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT})
FINISHED = frozenset({S.REFUSED, S.GUIDED_ELSEWHERE, S.WITHDRAWN, S.STOPPED, S.RETURNED})
# Statistics groups (DOMAIN.md §4).
IN_PROGRESS = frozenset({S.ACCEPTED, S.PROCESSING})


# Local codes and the national code each is synchronised as (DOMAIN.md §4, §9b).
NATIONAL_CODES: dict[int, int] = {S.GUIDED_ELSEWHERE: S.REFUSED}


def national_code(status: int) -> int:
    """The status code the national portal knows (1–10) for a status of ours."""
    return NATIONAL_CODES.get(status, status)


def rule(transition: str) -> Rule:
    return RULES[transition]


def allowed(status: int, actor_roles: set[str]) -> list[str]:
    """Transitions ``services.act`` may make from ``status`` for someone holding ``actor_roles``
    (those made by their own services are offered by their own forms)."""
    return [
        name
        for name, item in RULES.items()
        if not item.made_by and status in item.sources and item.actors & actor_roles
    ]
