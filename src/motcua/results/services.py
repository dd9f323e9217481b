"""Issuing, revoking and posting signed results.

``issue_result`` renders the decision, signs it with the issuing agency's key (PAdES) and
stores it with its SHA-256; it does not change the dossier's status (the caller decides the
dossier in the same transaction). Every operation checks who acts first.
"""

from __future__ import annotations

import hashlib
import secrets
import weakref

import structlog
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import errors
from motcua.accounts.models import AgencyMembership, User
from motcua.agencies.models import Agency
from motcua.dossiers.access import officer_roles, roles_for
from motcua.dossiers.lifecycle import Actor, Status
from motcua.dossiers.models import Dossier
from motcua.errors import DomainError
from motcua.printing.frame import local, place_name

from . import documents, signing
from .models import (
    DELIVERY_STEPS,
    DeliveryStatus,
    IssuedResult,
    PostalDelivery,
    PostalDeliveryEvent,
    ResultDraft,
    ResultTemplate,
)

logger = structlog.get_logger(__name__)

# The applicant receives the result once the dossier is decided (DOMAIN.md §4, codes 9, 10).
RESULT_AVAILABLE = frozenset({Status.DECIDED, Status.RETURNED})
OFFICER_ROLES = frozenset({Actor.RECEIVER, Actor.PROCESSOR, Actor.APPROVER})
# Who prepares the decision: fills its fields and looks at the preview.
DECIDING_ROLES = frozenset({Actor.PROCESSOR, Actor.APPROVER})


class ResultError(DomainError):
    """A refused operation on a result; ``str()`` is a translated message for the person."""


class NotAllowed(errors.NotAllowed, ResultError):
    status = 400  # explained next to the form, as every other refusal of a result


def verify_url(token: str) -> str:
    """The absolute address printed in the result's QR code."""
    return settings.MOTCUA_PUBLIC_URL + reverse("results:verify_token", kwargs={"token": token})


def _issuing_agency(officer: User, dossier: Dossier) -> Agency | None:
    """The agency in whose name the approver signs: the processing unit first."""
    for agency in (dossier.processing_unit, dossier.receiving_agency):
        if agency is not None and Actor.APPROVER in officer_roles(officer, agency):
            return agency
    return None


def _number(dossier: Dossier) -> str:
    previous = IssuedResult.objects.filter(dossier=dossier).count()
    return f"KQ-{dossier.code}" + (f"-{previous + 1}" if previous else "")


def signer_title(officer: User, agency: Agency) -> str:
    """The officer's title (chức vụ) at ``agency``: the approver role's first, else any role's."""
    titles = (
        AgencyMembership.objects.active()
        .filter(user=officer, agency=agency)
        .exclude(title="")
        .order_by("role")
        .values_list("role", "title")
    )
    by_role = dict(titles)
    return by_role.get(Actor.APPROVER) or next(iter(by_role.values()), "")


# --- the decision's fields and the preview ---------------------------------------------------


def result_template(dossier: Dossier) -> ResultTemplate | None:
    return ResultTemplate.objects.filter(procedure_id=dossier.procedure_id).first()


def decision_values(dossier: Dossier) -> dict[str, object]:
    draft = ResultDraft.objects.filter(dossier=dossier).first()
    return dict(draft.values) if draft else {}


def missing_decision_fields(dossier: Dossier) -> list[str]:
    """The labels of the required decision fields not filled yet for this dossier."""
    template = result_template(dossier)
    if template is None:
        return []
    values = decision_values(dossier)
    return [
        field.label
        for field in template.fields
        if field.required and str(values.get(field.name, "") or "").strip() == ""
    ]


def may_prepare_decision(user: User, dossier: Dossier) -> bool:
    """The dossier's processor or approver (after the second factor), while it is processed."""
    return dossier.status == Status.PROCESSING and bool(roles_for(user, dossier) & DECIDING_ROLES)


@transaction.atomic
def save_decision_values(
    *, dossier: Dossier, officer: User, values: dict[str, object]
) -> ResultDraft:
    """Keep what the officer filled; only the template's fields, as the form cleaned them."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not may_prepare_decision(officer, locked):
        raise NotAllowed(_("You may not do this on this dossier."))
    template = result_template(locked)
    names = {field.name for field in template.fields} if template else set()
    kept = {name: value for name, value in values.items() if name in names}
    draft, _created = ResultDraft.objects.update_or_create(
        dossier=locked, defaults={"values": kept, "updated_by": officer}
    )
    return draft


def preview_pdf(*, dossier: Dossier, officer: User) -> bytes:
    """The result as it will be signed, marked as a preview, unsigned and stored nowhere."""
    if not may_prepare_decision(officer, dossier):
        raise NotAllowed(_("You may not do this on this dossier."))
    agency = dossier.processing_unit or dossier.receiving_agency
    signer = _issuing_agency(officer, dossier)
    return documents.result_pdf(
        dossier,
        agency=signer or agency,
        number=_number(dossier),
        issued_on=local(timezone.now()).date(),
        verify_url="",
        signer_name=(officer.full_name or officer.username) if signer else "",
        signer_title=signer_title(officer, signer) if signer else "",
        decision=decision_values(dossier),
        preview=True,
    )


@transaction.atomic
def issue_result(*, dossier: Dossier, officer: User) -> IssuedResult:
    """Render, sign (PAdES, the agency's certificate and chain embedded) and store the result."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if Actor.APPROVER not in roles_for(officer, locked):
        raise NotAllowed(_("Only an approver of this dossier's agency signs its result."))
    agency = _issuing_agency(officer, locked)
    if agency is None:
        raise NotAllowed(_("Only an approver of this dossier's agency signs its result."))
    if IssuedResult.objects.live().filter(dossier=locked).exists():
        raise ResultError(_("This dossier already has a signed result; revoke it first."))
    # A decided dossier gets a new result only to replace a revoked one (a correction).
    replacing = (
        locked.status in RESULT_AVAILABLE
        and IssuedResult.objects.filter(dossier=locked, revoked_at__isnull=False).exists()
    )
    if locked.status != Status.PROCESSING and not replacing:
        raise ResultError(
            _("A result is signed while the dossier is being processed, not “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    missing = missing_decision_fields(locked)
    if missing:
        raise ResultError(
            _("Fill in the result's decision fields first: %(fields)s.")
            % {"fields": ", ".join(missing)}
        )
    try:
        signer = signing.key_store().signer(agency)
        certificate = signing.signing_certificate(signer)
    except signing.SigningUnavailable as exc:
        raise ResultError(
            _("The agency's signing key is not available: %(problem)s") % {"problem": exc}
        ) from exc

    now = timezone.now()
    token = secrets.token_urlsafe(24)
    number = _number(locked)
    url = verify_url(token)
    name = officer.full_name or officer.username
    title = signer_title(officer, agency)
    unsigned = documents.result_pdf(
        locked,
        agency=agency,
        number=number,
        issued_on=local(now).date(),
        verify_url=url,
        signer_name=name,
        signer_title=title,
        decision=decision_values(locked),
    )
    signed = signing.sign_pdf(
        unsigned,
        signer=signer,
        reason=f"Kết quả giải quyết hồ sơ {locked.code}",
        location=place_name(agency) or agency.name,
        contact=url,
    )
    result = IssuedResult(
        dossier=locked,
        number=number,
        sha256=hashlib.sha256(signed).hexdigest(),
        size=len(signed),
        agency=agency,
        signer_subject=certificate.subject.human_friendly[:500],
        signer_serial=format(certificate.serial_number, "x"),
        signer_name=name[:200],
        signer_title=title[:200],
        issued_by=officer,
        issued_at=now,
        token=token,
    )
    result.file.save(f"{token}.pdf", ContentFile(signed), save=False)
    try:
        with transaction.atomic():
            result.save()
    except IntegrityError:
        result.file.delete(save=False)
        raise ResultError(_("This dossier already has a signed result; revoke it first.")) from None
    except BaseException:
        result.file.delete(save=False)
        raise
    # The decision that called us may still fail and roll back: the file goes with it.
    delete_on_rollback(result.file.storage, result.file.name)
    return result


def _delete_quietly(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:  # cleaning up must not hide why the transaction failed
        logger.exception("result.orphan_not_deleted", name=name)
    else:
        logger.info("result.file_deleted_on_rollback", name=name)


class _KeepOnCommit:
    """An on-commit callback whose finaliser deletes a stored file unless it was called.

    Django has on-commit hooks but no on-rollback hook. When a transaction (or the savepoint
    this was registered in) rolls back, Django drops its on-commit callbacks without calling
    them; this object is then released (CPython frees it at once, nothing else refers to it)
    and its finaliser deletes the file. A commit calls it first, which keeps the file.
    """

    def __init__(self, storage: Storage, name: str) -> None:
        self._finalizer = weakref.finalize(self, _delete_quietly, storage, name)

    def __call__(self) -> None:
        self._finalizer.detach()


def delete_on_rollback(storage: Storage, name: str, *, using: str | None = None) -> None:
    """Delete ``name`` from ``storage`` if the current transaction does not commit."""
    transaction.on_commit(_KeepOnCommit(storage, name), using=using)


@transaction.atomic
def revoke_result(*, result: IssuedResult, officer: User, reason: str) -> IssuedResult:
    """Withdraw a result's legal value (the file stays; verification shows it as revoked)."""
    locked = IssuedResult.objects.select_for_update().get(pk=result.pk)
    if Actor.APPROVER not in officer_roles(officer, locked.agency):
        raise NotAllowed(_("Only an approver of the issuing agency revokes a result."))
    reason = reason.strip()
    if not reason:
        raise ResultError(_("Give the reason for revoking the result."))
    if locked.revoked_at is not None:
        raise ResultError(_("This result is already revoked."))
    locked.revoked_at = timezone.now()
    locked.revoked_by = officer
    locked.revocation_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return locked


# --- who may see it --------------------------------------------------------------------------


def is_officer_of(user: User, dossier: Dossier) -> bool:
    """An officer of the dossier's receiving agency or processing unit."""
    return bool(roles_for(user, dossier) & OFFICER_ROLES)


def may_download(user: User, result: IssuedResult, *, verified_officer: bool) -> bool:
    """The applicant once the dossier is decided; officers of its agencies (second factor)."""
    dossier = result.dossier
    roles = roles_for(user, dossier)
    if Actor.APPLICANT in roles and dossier.status in RESULT_AVAILABLE:
        return True
    return verified_officer and bool(roles & OFFICER_ROLES)


# --- delivery by post ------------------------------------------------------------------------


@transaction.atomic
def request_postal_delivery(
    *, result: IssuedResult, user: User, recipient: str, address: str, phone: str
) -> PostalDelivery:
    """The applicant asks for a paper copy by post, once per result."""
    locked = IssuedResult.objects.select_for_update().select_related("dossier").get(pk=result.pk)
    dossier = locked.dossier
    if Actor.APPLICANT not in roles_for(user, dossier) or dossier.status not in RESULT_AVAILABLE:
        raise NotAllowed(_("You may not do this on this dossier."))
    if locked.revoked_at is not None:
        raise ResultError(_("This result was revoked; it cannot be sent."))
    if PostalDelivery.objects.filter(result=locked).exists():
        raise ResultError(_("A paper copy of this result was already requested."))
    now = timezone.now()
    delivery = PostalDelivery.objects.create(
        result=locked,
        recipient=recipient.strip(),
        address=address.strip(),
        phone=phone.strip(),
        requested_by=user,
        requested_at=now,
        updated_at=now,
    )
    PostalDeliveryEvent.objects.create(
        delivery=delivery, status=DeliveryStatus.REQUESTED, actor=user, created_at=now
    )
    return delivery


@transaction.atomic
def update_postal_delivery(
    *,
    delivery: PostalDelivery,
    officer: User,
    status: str,
    tracking_number: str = "",
    note: str = "",
) -> PostalDelivery:
    """An officer of the dossier's agency records the next step: sent, delivered, returned."""
    locked = (
        PostalDelivery.objects.select_for_update()
        .select_related("result__dossier")
        .get(pk=delivery.pk)
    )
    if not is_officer_of(officer, locked.result.dossier):
        raise NotAllowed(_("You may not do this on this dossier."))
    if status not in DELIVERY_STEPS.get(locked.status, frozenset()):
        raise ResultError(
            _("A delivery that is “%(status)s” cannot become “%(next)s”.")
            % {
                "status": locked.get_status_display(),
                "next": DeliveryStatus(status).label if status in DeliveryStatus.values else status,
            }
        )
    tracking_number = tracking_number.strip()
    if status == DeliveryStatus.SENT:
        if not tracking_number:
            raise ResultError(_("Give the postal tracking number."))
        locked.tracking_number = tracking_number
    now = timezone.now()
    locked.status = status
    locked.updated_at = now
    locked.save(update_fields=["status", "tracking_number", "updated_at"])
    PostalDeliveryEvent.objects.create(
        delivery=locked,
        status=status,
        tracking_number=tracking_number if status == DeliveryStatus.SENT else "",
        note=note.strip(),
        actor=officer,
        created_at=now,
    )
    return locked
