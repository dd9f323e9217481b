"""Inter-agency processing (liên thông): parts sent to coordinating agencies and back.

The dossier stays "processing" at the lead agency; each hand-over out and back is a line of
the control sheet (form 06). DOMAIN.md §4.5.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.workcalendar.deadlines import due_at
from motcua.workcalendar.selectors import load_calendar

from .access import officer_roles
from .lifecycle import Actor, Status, Transition
from .models import Consultation, Dossier
from .services import DossierError, NotAllowed, record_in_place


def lead_agency(dossier: Dossier) -> Agency:
    return dossier.processing_unit or dossier.receiving_agency


@transaction.atomic
def request_part(
    *, dossier: Dossier, officer: User, agency: Agency, part: str, working_days: int | Decimal
) -> Consultation:
    """A part for a coordinating agency, with its own time slice in working days, which may be
    a fraction of a day as the national database states coordinating steps (DOMAIN.md §4.5, §6).
    """
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    lead = lead_agency(locked)
    # Recorded under the role the officer holds at the lead agency (a processor, else the
    # approver who sends it himself).
    held = officer_roles(officer, lead)
    role = next((r for r in (Actor.PROCESSOR, Actor.APPROVER) if r in held), None)
    if role is None:
        raise NotAllowed(_("You may not do this on this dossier."))
    if locked.status != Status.PROCESSING:
        raise NotAllowed(_("Only a dossier being processed can be sent to another agency."))
    if agency.pk == lead.pk:
        raise DossierError(_("Choose another agency than the lead agency."))
    if not part.strip():
        raise DossierError(_("Say what the coordinating agency should do."))
    if not 0 < working_days <= 60:
        raise DossierError(_("The time slice is more than 0 and at most 60 working days."))
    now = timezone.now()
    slice_due = due_at(load_calendar(), now, working_days, "working_days")
    if locked.due_at is not None and slice_due > locked.due_at:
        raise DossierError(_("The time slice must end before the dossier's appointment."))
    consultation = Consultation.objects.create(
        dossier=locked,
        lead_agency=lead,
        coordinating_agency=agency,
        part=part.strip(),
        requested_by=officer,
        due_at=slice_due,
    )
    record_in_place(
        locked,
        Transition.CONSULT,
        officer,
        role,
        reason=part.strip(),
        to_unit=agency,
        from_unit=lead,
    )
    return consultation


@transaction.atomic
def answer_part(*, consultation: Consultation, officer: User, answer: str) -> Consultation:
    # The dossier first, as every change of it does: its history and open steps change too.
    dossier = Dossier.objects.select_for_update().get(pk=consultation.dossier_id)
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    # An officer of the coordinating agency, after the second factor like every officer power.
    if not officer_roles(officer, locked.coordinating_agency):
        raise NotAllowed(_("You may not do this on this dossier."))
    if not locked.is_open:
        raise NotAllowed(_("This request was already answered."))
    if not answer.strip():
        raise DossierError(_("Write the answer."))
    locked.answer = answer.strip()
    locked.answered_at = timezone.now()
    locked.answered_by = officer
    locked.save()
    record_in_place(
        dossier,
        Transition.CONSULTATION_ANSWERED,
        officer,
        Actor.COORDINATOR,
        reason=locked.answer,
        to_unit=locked.lead_agency,
        from_unit=locked.coordinating_agency,
    )
    return locked
