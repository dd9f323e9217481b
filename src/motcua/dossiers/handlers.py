"""The dossier app's own handlers of its changes: telling the applicant, and the log line.

Registered at start-up (``DossiersConfig.ready``) before any other app's, so that the
applicant's message about a status is queued before those of what follows from it (the fee
asked for after acceptance).
"""

from __future__ import annotations

import structlog
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.notifications.services import enqueue_with_transaction, notify

from . import lifecycle, selectors
from .hooks import Change, Phase, on_transition
from .lifecycle import Status, Transition
from .models import Dossier

logger = structlog.get_logger(__name__)


@on_transition(phase=Phase.IN_TRANSACTION)
def tell_applicant_of_new_status(change: Change) -> None:
    """Queue the message about the new status, in the transaction: the task row commits with
    the change or not at all, and the worker writes the messages once it is committed."""
    rule = lifecycle.RULES.get(change.transition)
    if rule is not None and not rule.tells_applicant:
        return
    from .tasks import tell_applicant  # the task module imports this one's message writer

    enqueue_with_transaction(tell_applicant, change.dossier.pk, change.to_status)


def tell_applicant_now(dossier_id: int, status: int) -> int:
    """Queue the e-mail and SMS that tell the applicant of ``status``; how many were queued.

    In Vietnamese, the citizen's language here (the request that changed the status may have
    been an officer's, in another language).
    """
    dossier = Dossier.objects.select_related("applicant").filter(pk=dossier_id).first()
    if dossier is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        body = _("Dossier %(code)s: %(status)s.") % {
            "code": dossier.code,
            "status": Status(status).label,
        }
        guided = selectors.guided_to(dossier) if status == Status.GUIDED_ELSEWHERE else None
        if guided is not None and guided.to_unit is not None:
            body += " " + _("Please file it with %(agency)s. %(reason)s") % {
                "agency": guided.to_unit.name,
                "reason": guided.reason,
            }
    return _send(dossier, subject=body, body=body)


@on_transition(Transition.REQUEST_SUPPLEMENT, phase=Phase.IN_TRANSACTION)
def apologise_for_a_second_supplement_request(change: Change) -> None:
    """A second request carries the agency's apology (DOMAIN.md §4): sent with what is missing."""
    if not change.apology:
        return
    dossier = change.dossier
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "Dossier %(code)s: we apologise for asking you again for documents. "
            "%(apology)s. What is missing: %(missing)s."
        ) % {
            "code": dossier.code,
            "apology": change.apology.rstrip("."),
            "missing": change.reason,
        }
    _send(dossier, subject=dossier.code, body=body)


@on_transition(Transition.APPOINTMENT_MOVED, phase=Phase.IN_TRANSACTION)
def send_the_apology_letter(change: Change) -> None:
    """Form 04 to the applicant: the reason and the new appointment (DOMAIN.md §4.8)."""
    dossier = change.dossier
    assert dossier.apology_due_at is not None  # set by ``deadlines.send_apology``
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "Dossier %(code)s: we apologise, the result will be late. Reason: %(reason)s. "
            "New appointment: %(date)s."
        ) % {
            "code": dossier.code,
            "reason": change.reason,
            "date": timezone.localtime(dossier.apology_due_at).strftime("%d/%m/%Y %H:%M"),
        }
    _send(dossier, subject=dossier.code, body=body)


def _send(dossier: Dossier, *, subject: str, body: str) -> int:
    applicant = dossier.applicant
    queued = 0
    if applicant.email:
        notify(channel="email", recipient=applicant.email, subject=subject, body=body)
        queued += 1
    if applicant.phone:
        notify(channel="sms", recipient=applicant.phone, body=body)
        queued += 1
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
