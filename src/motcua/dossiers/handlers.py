"""The dossier app's own handlers of its changes: telling the applicant, and the log line.

The applicant's messages are written from the editable templates of the notifications app,
one per event (``EVENTS``), with the reason, amount, appointment and a link to the dossier.

Registered at start-up (``DossiersConfig.ready``) before any other app's, so that the
applicant's message about a status is queued before those of what follows from it (the fee
asked for after acceptance).
"""

from __future__ import annotations

import datetime

import structlog
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.notifications.services import enqueue_with_transaction, notify_event

from . import lifecycle
from .hooks import Change, Phase, on_transition
from .lifecycle import Actor, Status, Transition
from .models import Delivery, Dossier, DossierEvent

logger = structlog.get_logger(__name__)


# The message template (``notifications.MessageTemplate.event``) of each change the
# applicant is told of. A hand-over between officers is not told (the status stays
# "processing", the appointment given at acceptance stands; one message per hand-over made
# the most of the 18 messages one dossier sent).
EVENTS: dict[str, str] = {
    Transition.SUBMIT: "dossier.submitted",
    Transition.ACCEPT: "dossier.accepted",
    Transition.FORWARD: "dossier.processing",
    Transition.REQUEST_SUPPLEMENT: "dossier.supplement_requested",
    Transition.SUPPLEMENT: "dossier.supplement_received",
    Transition.ASK_PAYMENT: "dossier.fee_due",
    Transition.CONFIRM_PAYMENT: "dossier.payment_received",
    Transition.DECIDE: "dossier.decided",
    Transition.RETURN_RESULT: "dossier.returned",
    Transition.REFUSE: "dossier.refused",
    Transition.GUIDE_ELSEWHERE: "dossier.guided_elsewhere",
    Transition.STOP: "dossier.stopped",
    Transition.WITHDRAW: "dossier.withdrawn",
    Transition.APPOINTMENT_MOVED: "dossier.appointment_moved",
}
# A second supplement request carries the agency's apology (DOMAIN.md §4).
SUPPLEMENT_AGAIN = "dossier.supplement_requested_again"


@on_transition(phase=Phase.IN_TRANSACTION)
def tell_applicant_of_new_status(change: Change) -> None:
    """Queue the message about the change, in the transaction: the task row commits with
    the change or not at all, and the worker writes the messages once it is committed."""
    rule = lifecycle.RULES.get(change.transition)
    if rule is not None and not rule.tells_applicant:
        return
    if change.transition not in EVENTS:
        return
    if change.event is not None and _fee_asked_at_acceptance(change.event):
        return  # the acceptance's message already says how much to pay
    if change.event is not None and (
        change.apology or change.transition == Transition.APPOINTMENT_MOVED
    ):
        # The agency's apologies (DOMAIN.md §4, §4.8) are written with the change itself, as
        # they always were: the letter is part of it.
        tell_applicant_now(change.dossier.pk, change.to_status, change.event.pk)
        return
    from .tasks import tell_applicant  # the task module imports this one's message writer

    event_id = change.event.pk if change.event is not None else None
    enqueue_with_transaction(tell_applicant, change.dossier.pk, change.to_status, event_id)


def tell_applicant_now(dossier_id: int, status: int, event_id: int | None = None) -> int:
    """Queue the e-mail and SMS that tell the applicant of the change (the history line
    ``event_id``; without it, the dossier's latest); how many were queued.

    Written from the event's message templates, in Vietnamese, the citizen's language here
    (the request that changed the status may have been an officer's, in another language),
    on the channels the applicant chose.
    """
    dossier = (
        Dossier.objects.select_related("applicant", "procedure", "receiving_agency")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        return 0
    events = DossierEvent.objects.filter(dossier=dossier).select_related("to_unit")
    event = (
        events.filter(pk=event_id).first()
        if event_id is not None
        else events.order_by("-created_at", "-id").first()
    )
    if event is None:
        return 0
    key = EVENTS.get(event.transition)
    if key is None:
        return 0
    if event.transition == Transition.REQUEST_SUPPLEMENT and event.apology:
        key = SUPPLEMENT_AGAIN
    with translation.override(settings.LANGUAGE_CODE):
        context = message_context(dossier, event, status)
    return _send(dossier, key, context)


def message_context(dossier: Dossier, event: DossierEvent, status: int) -> dict[str, str]:
    """What a message template may show, as plain strings (the engine calls nothing)."""
    context = {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "status": str(Status(status).label),
        "reason": event.reason,
        "apology": event.apology,
        "agency": dossier.receiving_agency.name,
        "amount": "",
        "amount_plain": "",
        "appointment": _when(dossier.due_at),
        "receive_at": "",
        "link": settings.MOTCUA_PUBLIC_URL + reverse("dossiers:detail", args=[dossier.code]),
    }
    fee = event.transition == Transition.ASK_PAYMENT or (
        event.transition == Transition.ACCEPT and _fee_asked_after(event) is not None
    )
    if fee:
        form = dossier.form_data if isinstance(dossier.form_data, dict) else {}
        amount = f"{dossier.rules.fee_for(form):,}".replace(",", ".")
        context["amount"] = f"{amount} đ"
        context["amount_plain"] = f"{amount} VND"  # no diacritics in an SMS
    if event.transition == Transition.GUIDE_ELSEWHERE and event.to_unit is not None:
        context["agency"] = event.to_unit.name
    if event.transition == Transition.APPOINTMENT_MOVED:
        context["appointment"] = _when(dossier.apology_due_at)
    if event.transition in (Transition.DECIDE, Transition.RETURN_RESULT):
        context["receive_at"] = _where_the_result_is(dossier)
    return context


def _when(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def _where_the_result_is(dossier: Dossier) -> str:
    if dossier.delivery == Delivery.POST:
        return _("by post to %(address)s") % {"address": dossier.delivery_address}
    if dossier.delivery == Delivery.COUNTER:
        return _("at the one-stop counter of %(agency)s") % {
            "agency": dossier.receiving_agency.name
        }
    return _("online: download it from your dossier page")


def _fee_asked_after(accept: DossierEvent) -> DossierEvent | None:
    """The platform's fee request made with the acceptance (the rules ask for it then)."""
    following = (
        DossierEvent.objects.filter(dossier_id=accept.dossier_id, pk__gt=accept.pk)
        .order_by("pk")
        .first()
    )
    if following is None or following.transition != Transition.ASK_PAYMENT:
        return None
    return following if following.actor_role == Actor.SYSTEM else None


def _fee_asked_at_acceptance(event: DossierEvent) -> bool:
    """A fee request by the platform right after the acceptance: told in the acceptance's
    message (one message, not an "accepted" and a "fee due" pair)."""
    if event.transition != Transition.ASK_PAYMENT or event.actor_role != Actor.SYSTEM:
        return False
    before = (
        DossierEvent.objects.filter(dossier_id=event.dossier_id, pk__lt=event.pk)
        .order_by("-pk")
        .first()
    )
    return before is not None and before.transition == Transition.ACCEPT


def _send(dossier: Dossier, event: str, context: dict[str, str]) -> int:
    """Queue the event's message on each channel the applicant has and chose."""
    applicant = dossier.applicant
    queued = 0
    for channel, recipient, wanted in (
        ("email", applicant.email, applicant.notify_by_email),
        ("sms", applicant.phone, applicant.notify_by_sms),
    ):
        if recipient and wanted:
            told = notify_event(event=event, channel=channel, recipient=recipient, context=context)
            queued += told is not None
    return queued


@on_transition(phase=Phase.AFTER_COMMIT)
def log_change(change: Change) -> None:
    """One log line per committed change, for operations (no personal data: the code only)."""
    logger.info(
        "dossier.changed",
        code=change.dossier.code,
        transition=change.transition,
        from_status=change.from_status,
        to_status=change.to_status,
        role=change.role,
    )
