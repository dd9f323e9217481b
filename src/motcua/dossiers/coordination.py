"""Inter-agency processing (liên thông): parts sent to coordinating agencies and back.

The dossier stays "processing" at the lead agency; each hand-over out and back is a line of
the control sheet (form 06). DOMAIN.md §4.5.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import AgencyMembership, User
from motcua.agencies.models import Agency
from motcua.workcalendar.deadlines import due_at
from motcua.workcalendar.selectors import load_calendar

from . import steps
from .access import officer_roles
from .lifecycle import Actor, Status, Transition
from .models import Consultation, Dossier, DossierEvent
from .services import DossierError, NotAllowed


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
    if not officer_roles(officer, lead) & {Actor.PROCESSOR, Actor.APPROVER}:
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
    DossierEvent.objects.create(
        dossier=locked,
        transition=Transition.CONSULT,
        from_status=locked.status,
        to_status=locked.status,
        actor=officer,
        actor_role=Actor.PROCESSOR,
        from_unit=lead,
        to_unit=agency,
        reason=part.strip(),
    )
    return consultation


@transaction.atomic
def answer_part(*, consultation: Consultation, officer: User, answer: str) -> Consultation:
    locked = (
        Consultation.objects.select_for_update().select_related("dossier").get(pk=consultation.pk)
    )
    if (
        not AgencyMembership.objects.active()
        .filter(user=officer, agency=locked.coordinating_agency)
        .exists()
    ):
        raise NotAllowed(_("You may not do this on this dossier."))
    if not locked.is_open:
        raise NotAllowed(_("This request was already answered."))
    if not answer.strip():
        raise DossierError(_("Write the answer."))
    locked.answer = answer.strip()
    locked.answered_at = timezone.now()
    locked.answered_by = officer
    locked.save()
    dossier = locked.dossier
    steps.advance(dossier, Transition.CONSULTATION_ANSWERED, locked.answered_at)
    DossierEvent.objects.create(
        dossier=dossier,
        transition=Transition.CONSULTATION_ANSWERED,
        from_status=dossier.status,
        to_status=dossier.status,
        actor=officer,
        actor_role=Actor.COORDINATOR,
        from_unit=locked.coordinating_agency,
        to_unit=locked.lead_agency,
        reason=locked.answer,
    )
    return locked
