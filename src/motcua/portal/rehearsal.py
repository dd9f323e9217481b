"""A dress rehearsal of the catalogue: every case taken through its whole lifecycle.

For each case of each procedure, a stand-in applicant files online (answers made to satisfy
the case's e-form, a file for every document), and stand-in officers of the receiving agency
accept it, collect the fee where it falls due before processing, forward it, send each
coordinating step to a coordinating agency and take its answer, decide with a signed result,
collect the fee where it falls due at the result, and return it (DOMAIN.md §4). Every step goes
through the same services the pages and the API call, so what fails here fails for citizens.

It writes: run it inside a transaction that is rolled back (``check_catalog`` does, and the
tests run in one). The stand-ins are named ``rehearsal-…`` so they are never mistaken for
people.
"""

from __future__ import annotations

import secrets
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import (
    AgencyMembership,
    Business,
    BusinessMembership,
    BusinessRole,
    User,
)
from motcua.accounts.second_factor import set_verified
from motcua.addresses.demo import stand_in_household
from motcua.addresses.uses import LIST_NAME
from motcua.agencies.models import Agency, AgencyKind
from motcua.catalog.models import ApplicantType, Procedure
from motcua.catalog.rules import CaseRules
from motcua.dossiers import coordination, services
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Dossier
from motcua.eforms.examples import NoAnswer, example_document
from motcua.eforms.references import personal_names
from motcua.eforms.validation import validate_document
from motcua.payments import sandbox
from motcua.payments import services as payments
from motcua.payments.gateways.registry import UnknownGateway, gateway
from motcua.results.demo import fill_example_decision
from motcua.results.models import IssuedResult

#: A one-page PDF, enough for the content check at upload (``dossiers.uploads``).
SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
SANDBOX_GATEWAY = "sandbox"
# A valid checksummed tax code (python-stdnum) for the stand-in business.
REHEARSAL_TAX_CODE = "0100109106"


class RehearsalFailed(Exception):
    """One stage of the lifecycle did not go through; the message says which and why."""

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(f"{stage}: {message}")
        self.stage = stage
        self.message = message


@dataclass
class CaseOutcome:
    """What happened to one case: the statuses it went through, or where it stopped."""

    procedure_code: str
    procedure_name: str
    case_position: int
    case_name: str
    statuses: list[int] = field(default_factory=list)
    stage: str = ""
    problem: str = ""
    dossier_code: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem

    def __str__(self) -> str:
        where = f"{self.procedure_code} · {_('case')} {self.case_position + 1} “{self.case_name}”"
        if self.ok:
            return f"{where}: {' → '.join(str(s) for s in self.statuses)}"
        return f"{where}: {self.stage}: {self.problem}"


class Cast:
    """The stand-in people of a rehearsal, made once and reused across cases."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(3)
        self._officers: dict[tuple[int, str], User] = {}
        self._citizen: User | None = None
        self._business: Business | None = None

    def _user(self, name: str, **extra: object) -> User:
        return User.objects.create(
            username=f"rehearsal-{self.token}-{name}"[:150],
            full_name=f"Rehearsal {name}"[:200],
            assurance_level=2,
            **extra,
        )

    def citizen(self) -> User:
        if self._citizen is None:
            ward = (
                Agency.objects.current()
                .filter(kind=AgencyKind.WARD_COMMITTEE, ward_code__isnull=False)
                .order_by("code")
                .first()
            )
            self._citizen = self._user(
                "citizen",
                current_ward_code=ward.ward_code if ward else None,
                email="rehearsal@example.invalid",
            )
        return self._citizen

    def business(self) -> Business:
        if self._business is None:
            business, _created = Business.objects.get_or_create(
                tax_code=REHEARSAL_TAX_CODE,
                defaults={"name": "Rehearsal business", "representative_name": "Rehearsal"},
            )
            BusinessMembership.objects.create(
                business=business,
                user=self.citizen(),
                role=BusinessRole.LEGAL_REPRESENTATIVE,
            )
            self._business = business
        return self._business

    def forget(self) -> None:
        """After a rollback: the people made since are gone with it."""
        self._officers.clear()
        self._citizen = None
        self._business = None

    def officer(self, agency: Agency, role: str) -> User:
        key = (agency.pk, role)
        if key not in self._officers:
            user = self._user(f"{agency.code}-{role}")
            AgencyMembership.objects.create(user=user, agency=agency, role=role)
            # Stand-ins for officers at work: as if signed in with their second factor.
            set_verified(user, True)
            self._officers[key] = user
        return self._officers[key]


def rehearse_catalog(
    procedures: Iterable[Procedure], cast: Cast | None = None
) -> list[CaseOutcome]:
    """Every case of ``procedures``, each in a savepoint rolled back after it (cases do not
    see each other's dossiers); the caller's transaction holds the whole run."""
    cast = cast or Cast()
    outcomes = []
    for procedure in procedures:
        for position in range(procedure.cases.count()):
            outcomes.append(rehearse_case(procedure, position, cast))
    return outcomes


def rehearse_case(procedure: Procedure, position: int, cast: Cast) -> CaseOutcome:
    case = procedure.cases.order_by("position", "id")[position]
    outcome = CaseOutcome(procedure.code, procedure.name, position, case.name)
    try:
        with transaction.atomic():
            _run(procedure, position, cast, outcome)
            transaction.set_rollback(True)
    except RehearsalFailed as exc:
        outcome.stage, outcome.problem = exc.stage, exc.message
    except Exception as exc:  # a crash is a finding too, reported with where it happened
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        outcome.stage = outcome.stage or "error"
        outcome.problem = f"{type(exc).__name__}: {exc} ({frame.filename}:{frame.lineno})"
    finally:
        cast.forget()  # each case's stand-ins went with its savepoint
    return outcome


def _run(procedure: Procedure, position: int, cast: Cast, outcome: CaseOutcome) -> None:
    applicant = cast.citizen()
    acting_for = cast.business() if procedure.applicant_type == ApplicantType.BUSINESS else None
    dossier = _file(procedure, position, applicant, acting_for)
    outcome.dossier_code = dossier.code
    outcome.statuses.append(dossier.status)

    def step(stage: str, user: User, transition: str, **kwargs: object) -> None:
        nonlocal dossier
        outcome.stage = stage
        try:
            dossier = services.act(dossier=dossier, user=user, transition=transition, **kwargs)  # type: ignore[arg-type]
        except services.DossierError as exc:
            raise RehearsalFailed(stage, str(exc)) from exc
        outcome.statuses.append(dossier.status)

    receiving = dossier.receiving_agency
    step("accept", cast.officer(receiving, "receiver"), Transition.ACCEPT)
    if dossier.status == Status.AWAITING_PAYMENT:
        dossier = _pay("pay before processing", dossier, cast, outcome)
    step("forward", cast.officer(receiving, "receiver"), Transition.FORWARD)
    lead = dossier.processing_unit or receiving
    for planned in dossier.steps.filter(role="coordinator", finished_at__isnull=True):
        outcome.stage = "coordinate"
        _coordinate(dossier, planned.name, lead, cast, procedure, position)
    # An approver fills the result's decision fields (the permit's number …) before deciding.
    outcome.stage = "decide"
    fill_example_decision(dossier=dossier, officer=cast.officer(lead, "approver"))
    step("decide", cast.officer(lead, "approver"), Transition.DECIDE)
    if not IssuedResult.objects.filter(dossier=dossier).exists():
        raise RehearsalFailed("decide", _("The decision left no signed result."))
    if dossier.status == Status.AWAITING_PAYMENT:
        dossier = _pay("pay at the result", dossier, cast, outcome)
    step("return", cast.officer(receiving, "receiver"), Transition.RETURN_RESULT)
    unfinished = list(dossier.steps.filter(finished_at__isnull=True).values_list("name", flat=True))
    if unfinished:
        raise RehearsalFailed("return", _("Steps left open: %(names)s") % {"names": unfinished})
    # The statuses as the history records them (a fee asked for at acceptance shows 2 → 6).
    outcome.statuses = [
        event.to_status
        for event in dossier.events.order_by("pk")
        if event.to_status != event.from_status
    ]
    outcome.stage = ""


def _file(
    procedure: Procedure, position: int, applicant: User, acting_for: Business | None
) -> Dossier:
    try:
        draft = services.start_draft(
            user=applicant, procedure=procedure, acting_for=acting_for, case_position=position
        )
        rules = CaseRules.from_snapshot(
            draft.procedure.versions.order_by("-number")[0].snapshot, position
        )
        schema = rules.eform if rules is not None else {}
        if LIST_NAME in personal_names(schema):
            # a digital address is asked: the stand-in lives somewhere, as a citizen would
            stand_in_household(applicant, applicant.current_ward_code)
        try:
            answers = example_document(schema, person=applicant)
        except NoAnswer as exc:
            raise RehearsalFailed("file", _("No answer satisfies the e-form: %s") % exc) from exc
        services.save_draft(draft=draft, user=applicant, values=answers)
        components = draft.procedure.cases.order_by("position", "id")[position].components.all()
        for index, component in enumerate(components):
            # a document asked once per row of a repeating group: one for each row answered
            rows = draft.data.get(component.per_row_of) if component.per_row_of else None
            for row in range(len(rows)) if isinstance(rows, list) else [None]:
                upload = SimpleUploadedFile(
                    f"giay-to-{index + 1}.pdf", SAMPLE_PDF, "application/pdf"
                )
                services.attach(
                    draft=draft, user=applicant, component_position=index, upload=upload, row=row
                )
        errors = validate_document(schema, draft.data, person=applicant)
        if errors:
            raise RehearsalFailed("file", str(errors))
        # As the review step files it: result online, the declaration ticked.
        return services.submit(
            draft=draft,
            user=applicant,
            form_errors=errors,
            declaration=services.Declaration(declared=True),
        )
    except services.DossierError as exc:
        raise RehearsalFailed("file", str(exc)) from exc


def _pay(stage: str, dossier: Dossier, cast: Cast, outcome: CaseOutcome) -> Dossier:
    """Online, through the sandbox gateway's own protocol (signed request, signed IPN); at
    the desk where the sandbox gateway is not configured (a production catalogue check)."""
    outcome.stage = stage
    try:
        gateway(SANDBOX_GATEWAY)
    except UnknownGateway:
        return _pay_at_the_desk(stage, dossier, cast, outcome)
    try:
        _payment, url = payments.start_payment(
            dossier=dossier,
            user=cast.citizen(),
            return_url="http://127.0.0.1/thanh-toan/ket-qua/",
            client_ip="127.0.0.1",
            gateway_name=SANDBOX_GATEWAY,
        )
        order = sandbox.read_order(dict(parse_qsl(urlsplit(url).query)))
    except (payments.PaymentError, sandbox.SandboxRefused) as exc:
        raise RehearsalFailed(stage, str(exc)) from exc
    paid = sandbox.complete(order.transaction, "success")
    answer = payments.handle_notification(
        gateway_name=SANDBOX_GATEWAY, params=sandbox.result_params(paid)
    )
    if answer.get("RspCode") != "00":
        raise RehearsalFailed(stage, _("The payment notification was answered %s.") % answer)
    dossier.refresh_from_db()
    if dossier.status == Status.AWAITING_PAYMENT:
        raise RehearsalFailed(stage, _("The dossier still waits for its payment."))
    outcome.statuses.append(dossier.status)
    return dossier


def _pay_at_the_desk(stage: str, dossier: Dossier, cast: Cast, outcome: CaseOutcome) -> Dossier:
    try:
        dossier = services.act(
            dossier=dossier,
            user=cast.officer(dossier.receiving_agency, "receiver"),
            transition=Transition.CONFIRM_PAYMENT,
            reason=_("Paid at the one-stop desk."),
        )
    except services.DossierError as exc:
        raise RehearsalFailed(stage, str(exc)) from exc
    outcome.statuses.append(dossier.status)
    return dossier


def _coordinate(
    dossier: Dossier, part: str, lead: Agency, cast: Cast, procedure: Procedure, position: int
) -> None:
    """The lead's processor sends the coordinating step's part out; that agency answers."""
    case = procedure.cases.order_by("position", "id")[position]
    duration = next((step.duration for step in case.steps.all() if step.name == part), Decimal(1))
    partner = (
        Agency.objects.current()
        .exclude(pk=lead.pk)
        .filter(kind=AgencyKind.DEPARTMENT)
        .order_by("code")
        .first()
    )
    if partner is None:
        raise RehearsalFailed("coordinate", _("No other agency to coordinate with."))
    try:
        consultation = coordination.request_part(
            dossier=dossier,
            officer=cast.officer(lead, "processor"),
            agency=partner,
            part=part,
            working_days=max(duration, Decimal("0.01")),
        )
        coordination.answer_part(
            consultation=consultation,
            officer=cast.officer(partner, "processor"),
            answer=_("Agreed."),
        )
    except services.DossierError as exc:
        raise RehearsalFailed("coordinate", str(exc)) from exc
