"""Dossier operations: drafts, attachments, submission, every lifecycle transition.

Each operation checks who is acting (role and agency) first, runs in one transaction, and
appends to the dossier's history; notifications leave only after the transaction commits.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import JSONField, OuterRef, Subquery, Sum
from django.db.models.fields.json import KeyTransform
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from motcua import errors
from motcua.accounts.models import Business, User
from motcua.agencies.models import Agency, AgencyKind
from motcua.catalog.models import Procedure, ProcedureVersion, PublicationStatus
from motcua.catalog.rules import CaseRules, ComponentRule
from motcua.catalog.services import eligibility_problem
from motcua.errors import DomainError
from motcua.workcalendar.deadlines import add_paused, due_at
from motcua.workcalendar.selectors import load_calendar

from . import hooks, lifecycle, selectors, sources, steps
from .access import roles_for
from .lifecycle import Actor, Status, Transition
from .models import Attachment, Delivery, Dossier, DossierCounter, DossierDraft, DossierEvent
from .uploads import CheckedFile, check_upload


class DossierError(DomainError):
    """A refused dossier operation; ``str()`` is a translated message for the person."""


class NotAllowed(errors.NotAllowed, DossierError):
    # Refused actions are explained on the page (400); views that must not disclose a
    # draft's existence answer 404 themselves.
    status = 400


class DraftAlreadySubmitted(errors.Conflict, DossierError):
    """A change aimed at a draft that became a dossier: it would belong to no dossier."""


class IdempotencyKeyReused(errors.Conflict, DossierError):
    """The client sent a key it had already used for a different dossier."""

    status = 422  # what the one-call filing API has always answered


# --- drafts ---------------------------------------------------------------------------------


def _ward_committee(user: User) -> Agency | None:
    if not user.current_ward_code and not user.permanent_ward_code:
        return None
    code = user.current_ward_code or user.permanent_ward_code
    return Agency.objects.current().filter(kind=AgencyKind.WARD_COMMITTEE, ward_code=code).first()


@transaction.atomic
def start_draft(
    *,
    user: User,
    procedure: Procedure,
    acting_for: Business | None,
    case_position: int = 0,
    initial: Mapping[str, Any] | None = None,
) -> DossierDraft:
    problem = eligibility_problem(user=user, procedure=procedure, acting_for=acting_for)
    if problem:
        raise NotAllowed(problem)
    if case_position >= procedure.cases.count():
        raise DossierError(_("This procedure has no such case."))
    return DossierDraft.objects.create(
        applicant=user,
        on_behalf_of=acting_for,
        procedure=procedure,
        case_position=case_position,
        receiving_agency=_receiving_agency(user, procedure),
        data=dict(initial or {}),
    )


def _receiving_agency(
    user: User, procedure: Procedure, agencies: Sequence[Agency] | None = None
) -> Agency | None:
    """The applicant's ward committee for a ward procedure it handles, else the first agency.

    ``agencies``: the procedure's, in order, when the caller has them already.
    """
    if agencies is None:
        agencies = list(procedure.agencies.order_by(*(Agency._meta.ordering or ["pk"])))
    ward = _ward_committee(user) if procedure.agency_level == "ward" else None
    if ward is not None and any(agency.pk == ward.pk for agency in agencies):
        return ward
    return agencies[0] if agencies else None


def draft_for(user: User, draft_id: int) -> DossierDraft:
    draft = DossierDraft.objects.select_related("procedure").filter(pk=draft_id).first()
    if draft is None or draft.applicant_id != user.pk:
        raise NotAllowed(_("This draft does not exist."))
    return draft


@transaction.atomic
def save_draft(
    *, draft: DossierDraft, user: User, values: Mapping[str, Any], step: int | None = None
) -> DossierDraft:
    """Keep what was typed; the draft is never lost, whatever the step's validity."""
    if draft.applicant_id != user.pk:
        raise NotAllowed(_("This draft does not exist."))
    if hasattr(draft, "dossier") and draft.dossier is not None:
        raise DraftAlreadySubmitted(_("This draft was already submitted."))
    draft.data = {**draft.data, **values}
    if step is not None:
        draft.step = step
    draft.save(update_fields=["data", "step", "updated_at"])
    return draft


@transaction.atomic
def attach(
    *,
    draft: DossierDraft,
    user: User,
    component_position: int,
    upload: UploadedFile,
    row: int | None = None,
) -> Attachment:
    """Attach a file to the draft's component (and ``row`` of a component asked per row)."""
    if draft.applicant_id != user.pk:
        raise NotAllowed(_("This draft does not exist."))
    if Dossier.objects.filter(draft=draft).exists():  # the file would belong to no dossier
        raise DraftAlreadySubmitted(_("This draft was already submitted."))
    components = list(selectors.draft_case(draft).components.all())
    if not 0 <= component_position < len(components):
        raise DossierError(_("This procedure has no such document."))
    component = components[component_position]
    name = _slot_name(component.name, component.per_row_of, row, draft.data)
    attached = draft.attachments.aggregate(total=Sum("size"))["total"] or 0
    checked = check_upload(upload, already_attached=attached, uploader=user)
    attachment = _stored(
        upload,
        checked,
        user=user,
        component_position=component_position,
        component_name=name,
        draft=draft,
        row=row,
    )
    attachment.save()
    return attachment


def _stored(
    upload: UploadedFile,
    facts: CheckedFile,
    *,
    user: User,
    component_position: int,
    component_name: str,
    **more: Any,
) -> Attachment:
    """The attachment of a checked upload, its file saved to storage (not yet its row)."""
    attachment = Attachment(
        component_position=component_position,
        component_name=component_name,
        original_name=(upload.name or "file")[:255],
        content_type=facts.content_type,
        size=facts.size,
        sha256=facts.sha256,
        uploaded_by=user,
        **more,
    )
    attachment.file.save(facts.sha256, upload, save=False)
    return attachment


@transaction.atomic
def attach_supplement(
    *, dossier: Dossier, user: User, component_position: int, upload: UploadedFile
) -> Attachment:
    """The applicant uploads what the supplement request asked for (status 5 only)."""
    if Actor.APPLICANT not in roles_for(user, dossier):
        raise NotAllowed(_("You may not do this on this dossier."))
    if dossier.status != Status.SUPPLEMENT_REQUESTED:
        raise NotAllowed(_("No supplement was requested for this dossier."))
    components = dossier.rules.components
    if not 0 <= component_position < len(components):
        raise DossierError(_("This procedure has no such document."))
    attached = dossier.attachments.aggregate(total=Sum("size"))["total"] or 0
    checked = check_upload(upload, already_attached=attached, uploader=user)
    attachment = _stored(
        upload,
        checked,
        user=user,
        component_position=component_position,
        component_name=components[component_position].name,
        dossier=dossier,
        for_supplement=True,
    )
    attachment.save()
    return attachment


# --- submission -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Declaration:
    """What the applicant chose and declared on the last step before submitting: how the
    result reaches them (``Delivery``; an address for the post) and the declaration that
    what they wrote is true. The web form asks both; a filing given one is refused without
    the tick."""

    delivery: str = Delivery.ONLINE.value
    address: str = ""
    declared: bool = False


NOT_DECLARED = _lazy("Tick the declaration that the information you gave is true.")
NO_POSTAL_ADDRESS = _lazy("Give the address the result should be posted to.")


def _declaration_problem(declaration: Declaration) -> str:
    if declaration.delivery not in Delivery.values:
        return str(_("Choose how you will receive the result."))
    if declaration.delivery == Delivery.POST and not declaration.address.strip():
        return str(NO_POSTAL_ADDRESS)
    if not declaration.declared:
        return str(NOT_DECLARED)
    return ""


def next_code(agency: Agency, day: Any) -> str:
    """``{agency}-{yyMMdd}-{NNNN}`` (DOMAIN.md §5): unique, never reused, per agency and day.

    The counter row is created or incremented and stays locked until the caller's transaction
    ends, so concurrent submissions get consecutive numbers. On PostgreSQL that is one
    ``INSERT … ON CONFLICT DO UPDATE … RETURNING``; elsewhere (SQLite serialises writers) the
    row is created if missing, locked and incremented.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO dossiers_dossiercounter AS c (agency_id, day, last) "
                "VALUES (%s, %s, 1) "
                "ON CONFLICT (agency_id, day) DO UPDATE SET last = c.last + 1 "
                "RETURNING last",
                [agency.pk, day],
            )
            row = cursor.fetchone()
        assert row is not None  # RETURNING always yields the row
        number = int(row[0])
    else:
        DossierCounter.objects.bulk_create(
            [DossierCounter(agency=agency, day=day, last=0)], ignore_conflicts=True
        )
        counter = DossierCounter.objects.select_for_update().get(agency=agency, day=day)
        counter.last += 1
        counter.save(update_fields=["last"])
        number = counter.last
    return f"{agency.code}-{day:%y%m%d}-{number:04d}"


def row_label(form_data: Mapping[str, Any], group: str, row: int) -> str:
    """How a row of a repeating group is named beside its document: ``2. Lê Thị B``."""
    rows = form_data.get(group)
    found = rows[row] if isinstance(rows, list) and 0 <= row < len(rows) else {}
    first = next((v for v in found.values() if isinstance(v, str) and v), "") if found else ""
    return f"{row + 1}. {first}".strip()


def _slot_name(name: str, per_row_of: str, row: int | None, form_data: Mapping[str, Any]) -> str:
    """The component's name, with the row for one asked per row; refuses a row that is not."""
    if not per_row_of:
        if row is not None:
            raise DossierError(_("This document is one for the whole dossier."))
        return name
    rows = form_data.get(per_row_of)
    if row is None or not isinstance(rows, list) or not 0 <= row < len(rows):
        raise DossierError(_("Choose the row of the form this document is for."))
    return f"{name} — {row_label(form_data, per_row_of, row)}"


#: A place for files: (component position, row of its repeating group or None).
Slot = tuple[int, int | None]


def missing_slots(
    components: Sequence[ComponentRule],
    form_data: Mapping[str, Any],
    filled: set[Slot],
    assurance_level: int,
) -> list[str]:
    """The names of the documents still missing: a component asked per row needs a file
    for each row of the answers."""
    missing: list[str] = []
    for position, component in enumerate(components):
        if not component.required_of(assurance_level):
            continue
        if component.per_row_of:
            missing.extend(
                f"{component.name} — {row_label(form_data, component.per_row_of, row)}"
                for row in range(component.rows(form_data))
                if (position, row) not in filled
            )
        elif not any(slot[0] == position for slot in filled):
            missing.append(component.name)
    return missing


def missing_components(draft: DossierDraft) -> list[str]:
    components = [
        ComponentRule(
            name=c.name,
            mandatory=c.mandatory,
            document_type=c.document_type,
            per_row_of=c.per_row_of,
            fetched_by_agency=c.fetched_by_agency,
        )
        for c in selectors.draft_case(draft).components.all()
    ]
    filled = set(draft.attachments.order_by().values_list("component_position", "row"))
    # filled without an upload by a registered source (a document of the applicant's store)
    filled |= {(position, 0) for position in sources.registry.satisfied(draft)}
    return missing_slots(components, draft.data, filled, 0)


def submit(
    *,
    draft: DossierDraft,
    user: User,
    form_errors: Mapping[str, list[str]],
    declaration: Declaration | None = None,
) -> Dossier:
    """File the draft: one dossier per draft, however many times this is called.

    ``form_errors`` is the e-form's validation of ``draft.data`` (done by the caller with the
    e-form module); any error refuses the submission and keeps the draft as it is. The draft
    is filed under its procedure's latest version and checked against that version's case
    (``_file``), as ``file_at_once`` files.
    """
    with transaction.atomic():
        # Lock the draft only (not its procedure or agency), read them, the id of the
        # procedure's latest version and that version's case (not its whole snapshot) in
        # the same query. A draft never changes its case.
        latest_version = ProcedureVersion.objects.filter(procedure=OuterRef("procedure"))
        latest_version = latest_version.order_by("-number")
        case_in_snapshot = KeyTransform(str(draft.case_position), KeyTransform("cases", "snapshot"))
        locked = (
            DossierDraft.objects.select_for_update(of=("self",))
            .select_related("procedure", "receiving_agency", "on_behalf_of")
            .annotate(
                latest_version_id=Subquery(latest_version.values("pk")[:1]),
                latest_case=Subquery(
                    latest_version.values(case=case_in_snapshot)[:1], output_field=JSONField()
                ),
            )
            .get(pk=draft.pk)
        )
        # Read after the lock is granted: a concurrent submission of this draft has committed.
        existing = Dossier.objects.filter(draft=locked).first()
        if existing is not None:
            return existing  # a double click or a retried request
        if locked.applicant_id != user.pk:
            raise NotAllowed(_("This draft does not exist."))
        procedure = locked.procedure
        case = locked.latest_case  # type: ignore[attr-defined]
        rules = (
            # The procedure's level is the latest version's: every change records a version.
            CaseRules.from_case(case, required_assurance_level=procedure.required_assurance_level)
            if isinstance(case, Mapping)
            else None
        )
        return _file(
            user=user,
            procedure=procedure,
            version_id=locked.latest_version_id,  # type: ignore[attr-defined]
            rules=rules,
            case_position=locked.case_position,
            acting_for=locked.on_behalf_of,
            receiving=lambda: locked.receiving_agency,
            no_receiver=_("Choose the agency that should receive the dossier."),
            form_data=locked.data,
            form_errors=form_errors,
            # uploaded, or filled by a registered source (a document the applicant's store
            # holds), which checks its documents again now
            attached=lambda _rules: (
                set(locked.attachments.order_by().values_list("component_position", "row"))
                | {(position, 0) for position in sources.registry.satisfied(locked)}
            ),
            attach=lambda dossier, _rules: locked.attachments.update(dossier=dossier),
            draft=locked,
            declaration=declaration,
        )


def file_at_once(
    *,
    user: User,
    target: selectors.FilingTarget,
    case_position: int,
    acting_for: Business | None,
    values: Mapping[str, Any],
    uploads: Sequence[tuple[Slot, UploadedFile]],
    idempotency_key: str,
    form_errors: Mapping[str, list[str]],
    declaration: Declaration | None = None,
) -> tuple[Dossier, bool]:
    """File a whole dossier in one call (an app or another system that holds it all already).

    The dossier is filed under the target's version and checked against its case
    (``_file``, as ``submit`` files a draft). ``uploads`` are ((component position, row or
    None), file). Returns the dossier and whether it is new: a request repeated with the
    same ``idempotency_key`` gets the first one back, also when both arrive at once (the
    second waits on the unique key, then finds the first). Nothing is written unless
    everything is accepted.
    """
    version = target.version
    checked: list[tuple[Slot, UploadedFile, CheckedFile]] = []

    def check_files(rules: CaseRules) -> set[Slot]:
        total = 0
        for (position, row), upload in uploads:
            if not 0 <= position < len(rules.components):
                raise DossierError(_("This procedure has no such document."))
            component = rules.components[position]
            _slot_name(component.name, component.per_row_of, row, values)
            facts = check_upload(upload, already_attached=total, uploader=user)
            total += facts.size
            checked.append(((position, row), upload, facts))
        return {slot for slot, _upload, _facts in checked}

    def store_files(dossier: Dossier, rules: CaseRules) -> None:
        files = [
            _stored(
                upload,
                facts,
                user=user,
                component_position=position,
                component_name=_slot_name(
                    rules.components[position].name,
                    rules.components[position].per_row_of,
                    row,
                    values,
                ),
                dossier=dossier,
                uploaded_at=dossier.submitted_at,
                row=row,
            )
            for (position, row), upload, facts in checked
        ]
        Attachment.objects.bulk_create(files)

    try:
        dossier = _file(
            user=user,
            procedure=version.procedure,
            version_id=version.pk,
            rules=CaseRules.from_snapshot(version.snapshot, case_position),
            case_position=case_position,
            acting_for=acting_for,
            receiving=lambda: _receiving_agency(user, version.procedure, target.agencies),
            no_receiver=_("No agency receives this procedure online."),
            form_data=values,
            form_errors=form_errors,
            attached=check_files,
            attach=store_files,
            idempotency_key=idempotency_key,
            declaration=declaration,
            own_transaction=True,  # the files are checked (and scanned) before it opens
        )
    except IntegrityError:
        earlier = Dossier.objects.filter(applicant=user, idempotency_key=idempotency_key).first()
        if earlier is None:
            raise
        if not _same_filing(earlier, version, case_position, values, checked):
            raise IdempotencyKeyReused(
                _("This Idempotency-Key was already used for another dossier (%(code)s).")
                % {"code": earlier.code}
            ) from None
        return earlier, False
    return dossier, True


def _file(
    *,
    user: User,
    procedure: Procedure,
    version_id: int | None,
    rules: CaseRules | None,
    case_position: int,
    acting_for: Business | None,
    receiving: Callable[[], Agency | None],
    no_receiver: str,
    form_data: Mapping[str, Any],
    form_errors: Mapping[str, list[str]],
    attached: Callable[[CaseRules], set[Slot]],
    attach: Callable[[Dossier, CaseRules], object],
    draft: DossierDraft | None = None,
    idempotency_key: str = "",
    declaration: Declaration | None = None,
    own_transaction: bool = False,
) -> Dossier:
    """Check a filing and create its dossier: the one path of the web form and the API.

    ``rules`` are the case of the version filed under (``version_id``), None when that
    version has no such case. The checks, in order: the applicant may file this procedure
    now, it is still offered online, the case exists, the form has no errors, the files
    (``attached``: the entry's own check of its files against the rules, the positions they
    fill) cover every mandatory component (but the identity card a level-2 e-ID proves), the
    ``declaration`` (when given) is ticked with a way to receive the result, an agency
    receives it (``receiving``, asked only when everything else is in order: it may need a
    query). Then the dossier is created with its day code, its files are tied to it
    (``attach``), SUBMIT is recorded and the applicant told after commit. Runs in the
    caller's transaction, or (``own_transaction``) creates the dossier in one of its own
    after the checks.
    """
    problem = eligibility_problem(user=user, procedure=procedure, acting_for=acting_for)
    if problem:
        raise NotAllowed(problem)
    if procedure.status != PublicationStatus.PUBLISHED or version_id is None:
        raise DossierError(_("This procedure is no longer offered online."))
    if rules is None:
        raise DossierError(_("This procedure has no such case."))
    if form_errors:
        raise DossierError(_("Some answers in the form need correcting."))
    filled = attached(rules)
    missing = missing_slots(rules.components, form_data, filled, user.assurance_level)
    if missing:
        raise DossierError(
            _("These documents are still missing: %(names)s.") % {"names": "; ".join(missing)}
        )
    if declaration is not None and (problem := _declaration_problem(declaration)):
        raise DossierError(problem)
    agency = receiving()
    if agency is None:
        raise DossierError(no_receiver)
    with transaction.atomic() if own_transaction else nullcontext():
        now = timezone.now()
        dossier = Dossier.objects.create(
            code=next_code(agency, timezone.localdate(now)),
            procedure=procedure,
            procedure_version_id=version_id,
            case_position=case_position,
            case_name=rules.name,
            applicant=user,
            on_behalf_of=acting_for,
            receiving_agency=agency,
            form_data=dict(form_data),
            lookup_secret=secrets.token_hex(4).upper(),
            draft=draft,
            submitted_at=now,
            idempotency_key=idempotency_key,
            **(
                {
                    "delivery": declaration.delivery,
                    "delivery_address": declaration.address.strip()
                    if declaration.delivery == Delivery.POST
                    else "",
                    "declared_at": now,
                }
                if declaration is not None
                else {}
            ),
        )
        # The rules it is filed under are these: the handlers of SUBMIT read them from the
        # dossier without loading the version's snapshot again.
        dossier.__dict__["rules"] = rules
        attach(dossier, rules)
        record(dossier, Transition.SUBMIT, None, Status.SUBMITTED, user, Actor.APPLICANT)
    return dossier


def _same_filing(
    dossier: Dossier,
    version: ProcedureVersion,
    case_position: int,
    values: Mapping[str, Any],
    checked: Sequence[tuple[Slot, UploadedFile, CheckedFile]],
) -> bool:
    """Whether a repeated request asks for what ``dossier`` already is (same files by checksum)."""
    files = Counter(
        dossier.attachments.filter(for_supplement=False).values_list(
            "component_position", "row", "sha256"
        )
    )
    return (
        dossier.procedure_id == version.procedure_id
        and dossier.case_position == case_position
        and dossier.form_data == dict(values)
        and files == Counter((*slot, facts.sha256) for slot, _upload, facts in checked)
    )


# --- transitions ----------------------------------------------------------------------------


def record(
    dossier: Dossier,
    transition: str,
    from_status: int | None,
    to_status: int,
    actor: User | None,
    role: str,
    reason: str = "",
    to_unit: Agency | None = None,
    from_unit: Agency | None = None,
    apology: str = "",
) -> DossierEvent:
    """The one way a dossier's history grows: every change of a dossier (filing, each status
    transition, consultations, moved appointments) is written here, in the caller's
    transaction, on the row it has locked, and announced to the apps' handlers (``hooks``)."""
    now = timezone.now()
    steps.advance(dossier, transition, now)
    event = DossierEvent.objects.create(
        dossier=dossier,
        transition=transition,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_role=role,
        on_behalf_of=dossier.on_behalf_of if role == Actor.APPLICANT else None,
        from_unit=from_unit or dossier.processing_unit or dossier.receiving_agency,
        to_unit=to_unit,
        reason=reason,
        apology=apology,
    )
    hooks.announce(
        hooks.Change(
            dossier=dossier,
            transition=transition,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            role=role,
            reason=reason,
            to_unit=to_unit,
            apology=apology,
            event=event,
        )
    )
    return event


def record_in_place(
    locked: Dossier,
    transition: str,
    actor: User,
    role: str,
    *,
    reason: str,
    to_unit: Agency | None = None,
    from_unit: Agency | None = None,
) -> DossierEvent:
    """A change that keeps the status (``Rule.keeps_status``), made by its own service once it
    has established ``role``; checked against the lifecycle table like any transition."""
    rule = lifecycle.rule(transition)
    if not rule.keeps_status or role not in rule.actors:
        raise NotAllowed(_("You may not do this on this dossier."))
    if locked.status not in rule.sources:
        raise NotAllowed(
            _("This cannot be done while the dossier is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    return record(
        locked,
        transition,
        locked.status,
        locked.status,
        actor,
        role,
        reason=reason,
        to_unit=to_unit,
        from_unit=from_unit,
    )


@transaction.atomic
def act(
    *,
    dossier: Dossier,
    user: User,
    transition: str,
    reason: str = "",
    to_unit: Agency | None = None,
    apology: str = "",
) -> Dossier:
    """Make one lifecycle transition, or refuse it and change nothing.

    ``to_unit``: the unit that takes over (forward, hand-over), or the competent agency the
    applicant is guided to (not this agency's competence). ``apology``: the agency's apology
    that a second supplement request must carry.
    """
    if transition not in lifecycle.RULES or lifecycle.rule(transition).made_by:
        raise NotAllowed(_("Unknown action."))
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    rule = lifecycle.rule(transition)
    roles = roles_for(user, locked)
    acting_role = next((role for role in rule.actors if role in roles), None)
    if acting_role is None:
        raise NotAllowed(_("You may not do this on this dossier."))
    return _apply(
        locked, transition, user, acting_role, reason=reason, to_unit=to_unit, apology=apology
    )


def _apply(
    locked: Dossier,
    transition: str,
    user: User | None,
    acting_role: str,
    *,
    reason: str = "",
    to_unit: Agency | None = None,
    apology: str = "",
) -> Dossier:
    """The transition itself, on a row the caller has locked, once the actor is established."""
    rule = lifecycle.rule(transition)
    if locked.status not in rule.sources:
        raise NotAllowed(
            _("This cannot be done while the dossier is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    reason = reason.strip()
    if rule.reason_required and not reason:
        raise DossierError(_("Give the reason; it is sent to the applicant."))
    if transition == Transition.HAND_OVER and to_unit is None:
        raise DossierError(_("Choose the unit that takes over."))
    if transition == Transition.GUIDE_ELSEWHERE:
        if to_unit is None:
            raise DossierError(_("Choose the competent agency the applicant should go to."))
        if to_unit.pk == locked.receiving_agency_id:
            raise DossierError(_("The competent agency must be another agency than this one."))
    # One supplement request is the rule (DOMAIN.md §4): another one is made only with the
    # agency's apology, does not pause the clock, and makes the dossier count as late.
    again = transition == Transition.REQUEST_SUPPLEMENT and locked.supplement_requests > 0
    apology = apology.strip() if again else ""
    if again and not apology:
        raise DossierError(
            _(
                "A supplement was already requested once. Another request needs the agency's "
                "apology to the applicant, with its reason."
            )
        )
    previous = locked.status
    target = rule.target if rule.target is not None else (locked.resume_status or Status.PROCESSING)
    # The apps' checks (the decision's signed result): any refusal leaves the dossier as it was.
    hooks.check(
        hooks.Change(
            dossier=locked,
            transition=transition,
            from_status=previous,
            to_status=target,
            actor=user,
            role=acting_role,
            reason=reason,
            to_unit=to_unit,
            apology=apology,
        )
    )

    now = timezone.now()
    holder = locked.processing_unit or locked.receiving_agency  # before any hand-over
    calendar = load_calendar()
    if transition == Transition.ACCEPT:
        rules = locked.rules
        locked.accepted_at = now
        locked.due_at = due_at(calendar, now, rules.time_limit, rules.time_unit)
    if target in lifecycle.PAUSED and previous not in lifecycle.PAUSED:
        # The clock keeps running during a second supplement request: its time is the
        # agency's (no ``paused_since``, so nothing is added back when it ends).
        locked.paused_since = None if again else now
        locked.resume_status = previous
    if previous in lifecycle.PAUSED and target not in lifecycle.PAUSED:
        if locked.due_at is not None and locked.paused_since is not None:
            # Time the applicant spent is not the agency's (DOMAIN.md §4, §6).
            pause = (locked.paused_since, now)
            locked.due_at = add_paused(calendar, locked.due_at, [pause])
            if locked.apology_due_at is not None:
                locked.apology_due_at = add_paused(calendar, locked.apology_due_at, [pause])
            steps.shift(locked, calendar, pause)
        locked.paused_since = None
        locked.resume_status = None
    if transition == Transition.REQUEST_SUPPLEMENT:
        locked.supplement_requests += 1
    if transition == Transition.FORWARD:
        locked.processing_unit = to_unit or locked.receiving_agency
    if transition == Transition.HAND_OVER:
        locked.processing_unit = to_unit
    if target in lifecycle.FINISHED or target == Status.DECIDED:
        locked.finished_at = now
    locked.status = target
    locked.save()
    if transition == Transition.ACCEPT:
        steps.plan(locked, calendar, now)
    record(
        locked,
        transition,
        previous,
        target,
        user,
        acting_role,
        reason,
        to_unit,
        from_unit=holder,
        apology=apology,
    )
    return locked


def apply_as_platform(locked: Dossier, transition: str, *, reason: str) -> Dossier:
    """A transition the platform makes (``Actor.SYSTEM``) on a row the caller has locked: the
    fee asked for when the rules say it is due, from the payments app's handler."""
    return _apply(locked, transition, None, Actor.SYSTEM, reason=reason)


@transaction.atomic
def payment_confirmed(*, dossier: Dossier, reference: str) -> Dossier:
    """The fee is paid (a gateway's verified notification): the dossier resumes.

    Idempotent: a dossier that is no longer waiting for payment is returned unchanged.
    """
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.status != Status.AWAITING_PAYMENT:
        return locked
    return _apply(
        locked,
        Transition.CONFIRM_PAYMENT,
        None,
        Actor.SYSTEM,
        reason=_("Paid online, payment %(reference)s.") % {"reference": reference},
    )


def guided_to(dossier: Dossier) -> DossierEvent | None:
    """For a dossier outside this agency's competence: where and why the applicant was sent."""
    if dossier.status != Status.GUIDED_ELSEWHERE:
        return None
    return selectors.guided_to(dossier)


def history(dossier: Dossier) -> list[DossierEvent]:
    return list(dossier.events.select_related("actor", "to_unit", "from_unit"))
