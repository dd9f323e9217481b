"""Every change of the personal data store: filled from results and verified attachments,
shared, hidden, given to a dossier, and every read written to its log (DOMAIN.md §8)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.dossiers import access as dossier_access
from motcua.dossiers.lifecycle import Actor
from motcua.dossiers.models import Attachment, Dossier, DossierDraft
from motcua.dossiers.selectors import draft_case
from motcua.printing.frame import local
from motcua.results.models import IssuedResult
from motcua.results.services import decision_values

from . import access
from .access import Owner
from .connectors.base import ConnectorDown, NotInDatabase, Subject, for_document_type
from .errors import LinkGone, NotAllowed, NotUsable
from .models import (
    AgencyFetch,
    FetchOutcome,
    Purpose,
    Read,
    ResultType,
    Reuse,
    ShareLink,
    Source,
    StoredDocument,
)

# --- the log --------------------------------------------------------------------------------


def log_read(
    document: StoredDocument,
    *,
    reader: User | None,
    purpose: str,
    dossier: Dossier | None = None,
    share_link: ShareLink | None = None,
    agency: Agency | None = None,
    channel: str = "web",
) -> Read:
    """One line of the owner's "who used my data" log; never changed."""
    read = Read(
        document=document,
        reader=reader if reader is not None and reader.is_authenticated else None,
        reader_agency=agency,
        dossier=dossier,
        share_link=share_link,
        purpose=purpose,
        channel=channel,
    )
    read.save()
    return read


# --- filling the store ----------------------------------------------------------------------


def _owner_fields(dossier: Dossier) -> dict[str, Any]:
    if dossier.on_behalf_of_id is not None:
        return {"owner_user_id": dossier.applicant_id, "owner_business_id": dossier.on_behalf_of_id}
    return {"owner_user_id": dossier.applicant_id, "owner_business": None}


@transaction.atomic
def store_result(*, dossier: Dossier) -> StoredDocument | None:
    """The dossier's live signed result into the applicant's (or business's) store, once.

    Its document-type code is the procedure's ``ResultType`` (``KQ.<procedure code>`` when an
    administrator has named none); the decision's values and the chosen form answers are its
    structured data. The file is the signed PDF itself, with the result's SHA-256.
    """
    result = (
        IssuedResult.objects.live()
        .select_related("agency")
        .filter(dossier=dossier)
        .order_by("-issued_at")
        .first()
    )
    if result is None:
        return None
    existing = StoredDocument.objects.filter(origin_result=result).first()
    if existing is not None:
        return existing
    kind = ResultType.objects.filter(procedure_id=dossier.procedure_id).first()
    issued_on = local(result.issued_at).date()
    data: dict[str, Any] = {}
    if kind is not None:
        for name in kind.form_fields or []:
            value = (dossier.form_data or {}).get(name)
            if value not in (None, ""):
                data[str(name)] = value
    data.update({k: v for k, v in decision_values(dossier).items() if v not in (None, "")})
    document = StoredDocument(
        **_owner_fields(dossier),
        document_type=kind.document_type if kind else f"KQ.{dossier.procedure.code}",
        title=(
            (kind.title if kind else "")
            or dossier.procedure.result_document
            or dossier.procedure.name
        )[:255],
        issuer=result.agency.name[:255],
        issuer_agency=result.agency,
        number=result.number,
        issued_on=issued_on,
        expires_on=(
            issued_on + datetime.timedelta(days=kind.valid_for_days)
            if kind is not None and kind.valid_for_days
            else None
        ),
        source=Source.RESULT,
        content_type="application/pdf",
        size=result.size,
        sha256=result.sha256,
        data=data,
        origin_dossier=dossier,
        origin_result=result,
    )
    document.file.name = result.file.name  # the signed PDF itself: never copied, never changed
    document.save()
    return document


VERIFYING_ROLES = frozenset({Actor.RECEIVER, Actor.PROCESSOR})


@transaction.atomic
def verify_attachment(
    *,
    officer: User,
    attachment: Attachment,
    document_type: str = "",
    number: str = "",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    data: Mapping[str, Any] | None = None,
) -> StoredDocument:
    """Số hóa: the officer vouches that the attachment matches the original they saw; it
    enters the applicant's store with its checksum (once per attachment)."""
    dossier = attachment.dossier
    if dossier is None:
        raise NotAllowed(_("This attachment belongs to no dossier."))
    roles = dossier_access.roles_for(officer, dossier)
    if not roles & VERIFYING_ROLES or not access.is_open(dossier):
        raise NotAllowed(_("You may not do this on this dossier."))
    existing = StoredDocument.objects.filter(origin_attachment=attachment).first()
    if existing is not None:
        raise NotUsable(_("This attachment is already in the applicant's store."))
    components = dossier.rules.components
    component = (
        components[attachment.component_position]
        if 0 <= attachment.component_position < len(components)
        else None
    )
    code = (document_type or (component.document_type if component else "")).strip()
    if not code:
        raise NotUsable(_("Give the document-type code of this document."))
    if expires_on is not None and issued_on is not None and expires_on < issued_on:
        raise NotUsable(_("The expiry date is before the issue date."))
    document = StoredDocument(
        **_owner_fields(dossier),
        document_type=code[:64],
        title=(component.name if component else attachment.component_name)[:255],
        issuer=_("Verified against the original by %(agency)s")
        % {"agency": dossier.receiving_agency.name},
        issuer_agency=dossier.receiving_agency,
        number=number.strip()[:64],
        issued_on=issued_on or timezone.localdate(),
        expires_on=expires_on,
        source=Source.VERIFIED,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        data=dict(data or {}),
        origin_dossier=dossier,
        origin_attachment=attachment,
        added_by=officer,
    )
    document.file.name = attachment.file.name
    if not document.file_matches():
        raise NotUsable(_("The attachment's file does not match its checksum; it is not stored."))
    document.save()
    return document


# --- the owner's choices --------------------------------------------------------------------


def _managed(owner: Owner, document: StoredDocument) -> StoredDocument:
    if not owner.owns(document):
        raise NotAllowed(_("This document does not exist."))
    if not owner.may_manage:
        raise NotAllowed(_("Only the business's legal representative may do this."))
    return document


@transaction.atomic
def hide(*, owner: Owner, document: StoredDocument, hidden: bool = True) -> StoredDocument:
    """Hidden documents are never offered for reuse (shown again when ``hidden`` is False)."""
    _managed(owner, document)
    document.hidden_at = timezone.now() if hidden else None
    document.save(update_fields=["hidden_at"])
    return document


def share_hours_allowed() -> int:
    return int(settings.MOTCUA_STORE_SHARE_MAX_HOURS)


@transaction.atomic
def share(*, owner: Owner, document: StoredDocument, hours: int, note: str = "") -> ShareLink:
    """A link that lets whoever holds it download this document until it expires."""
    _managed(owner, document)
    if not 1 <= hours <= share_hours_allowed():
        raise NotUsable(
            _("A link lasts from 1 to %(hours)s hours.") % {"hours": share_hours_allowed()}
        )
    if document.is_flagged:
        raise NotUsable(_("This document was found altered; it cannot be shared."))
    now = timezone.now()
    return ShareLink.objects.create(
        document=document,
        token=secrets.token_urlsafe(32),
        note=note.strip()[:200],
        created_by=owner.user,
        created_at=now,
        expires_at=now + datetime.timedelta(hours=hours),
    )


@transaction.atomic
def withdraw_share(*, owner: Owner, link: ShareLink) -> ShareLink:
    _managed(owner, link.document)
    if link.withdrawn_at is None:
        link.withdrawn_at = timezone.now()
        link.withdrawn_by = owner.user
        link.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return link


def open_share(token: str) -> ShareLink:
    """The live link ``token``; ``LinkGone`` (410) once expired or withdrawn."""
    link = (
        ShareLink.objects.select_related("document").filter(token=token).first() if token else None
    )
    if link is None:
        raise NotAllowed(_("This link does not exist."))
    if link.withdrawn_at is not None:
        raise LinkGone(_("The owner withdrew this link; ask them for a new one."))
    if not link.is_live:
        raise LinkGone(_("This link has expired; ask the owner for a new one."))
    if link.document.is_flagged:
        raise LinkGone(_("This document is no longer available."))
    return link


# --- reuse when filing ----------------------------------------------------------------------


def owner_of_draft(draft: DossierDraft) -> Owner:
    return Owner(draft.applicant, draft.on_behalf_of)


def flag_if_altered(document: StoredDocument) -> bool:
    """Whether the file still matches its checksum; an altered one is flagged for good."""
    if document.file_matches():
        return True
    if document.flagged_at is None:
        # Its own transaction: the flag stays even when the caller's work is refused.
        StoredDocument.objects.filter(pk=document.pk, flagged_at__isnull=True).update(
            flagged_at=timezone.now(),
            flag_reason="checksum mismatch",
        )
        document.flagged_at = timezone.now()
        document.flag_reason = "checksum mismatch"
    return False


def reusable(document: StoredDocument) -> bool:
    """Offered and accepted: usable (not hidden, expired, flagged), its result not revoked,
    and its file unaltered."""
    if not document.usable:
        return False
    if document.origin_result_id is not None and document.origin_result.revoked_at is not None:  # type: ignore[union-attr]
        return False
    return flag_if_altered(document)


def use_in_draft(
    *, user: User, draft: DossierDraft, component_position: int, document: StoredDocument
) -> Reuse:
    """ "Use the document you already have" for one component of the draft."""
    if draft.applicant_id != user.pk:
        raise NotAllowed(_("This draft does not exist."))
    if Dossier.objects.filter(draft=draft).exists():
        raise NotUsable(_("This draft was already submitted."))
    owner = owner_of_draft(draft)
    if not owner.owns(document):
        raise NotAllowed(_("This document does not exist."))
    components = list(draft_case(draft).components.all())
    if not 0 <= component_position < len(components):
        raise NotUsable(_("This procedure has no such document."))
    component = components[component_position]
    if not component.document_type or component.document_type != document.document_type:
        raise NotUsable(_("This document is not the kind this part of the dossier asks for."))
    if not reusable(document):
        if document.is_flagged:
            raise NotUsable(
                _(
                    "This document does not match the copy that was stored: it was altered and "
                    "cannot be used. Upload the document instead."
                )
            )
        raise NotUsable(_("This document is hidden, expired or revoked: it cannot be used."))
    # Checked (and an altered file flagged) before this transaction: a refusal keeps the flag.
    with transaction.atomic():
        Reuse.objects.filter(draft=draft, component_position=component_position).delete()
        return Reuse.objects.create(
            document=document,
            draft=draft,
            component_position=component_position,
            component_name=component.name[:500],
            sha256=document.sha256,
            chosen_by=user,
        )


@transaction.atomic
def stop_using(*, user: User, draft: DossierDraft, component_position: int) -> None:
    if draft.applicant_id != user.pk:
        raise NotAllowed(_("This draft does not exist."))
    if Dossier.objects.filter(draft=draft).exists():
        raise NotUsable(_("This draft was already submitted."))
    Reuse.objects.filter(draft=draft, component_position=component_position).delete()


def satisfied(draft: DossierDraft) -> set[int]:
    """The draft's components given from the store whose documents are still good now."""
    filled = set()
    for reuse in Reuse.objects.filter(draft=draft).select_related("document__origin_result"):
        if reuse.document.sha256 == reuse.sha256 and reusable(reuse.document):
            filled.add(reuse.component_position)
    return filled


def filed(*, dossier: Dossier) -> int:
    """The draft's reuses now belong to the dossier; each is logged as a use."""
    if dossier.draft_id is None:
        return 0
    pending = Reuse.objects.filter(draft_id=dossier.draft_id, dossier__isnull=True)
    documents = list(pending.values_list("document_id", flat=True))
    if not documents:
        return 0
    pending.update(dossier=dossier)
    # one line of the log per document, written at once (rows are only ever inserted)
    Read.objects.bulk_create(
        Read(
            document_id=document_id,
            reader_id=dossier.applicant_id,
            reader_agency_id=dossier.receiving_agency_id,
            dossier=dossier,
            purpose=Purpose.FILING,
        )
        for document_id in documents
    )
    return len(documents)


def officer_reads(*, officer: User, reuse: Reuse) -> StoredDocument:
    """The officer opens a reused document through its dossier; the read is logged."""
    if not access.officer_may_read(officer, reuse):
        raise NotAllowed(_("This document does not exist."))
    dossier = reuse.dossier
    assert dossier is not None
    log_read(
        reuse.document,
        reader=officer,
        purpose=Purpose.DOSSIER,
        dossier=dossier,
        agency=dossier.processing_unit or dossier.receiving_agency,
    )
    return reuse.document


# --- the agency fetches it --------------------------------------------------------------------


def fetch_for_dossier(*, officer: User, dossier: Dossier, component_position: int) -> AgencyFetch:
    """One click of the receiving officer: the component marked "fetched by the agency" is
    asked of its national database; the record enters the applicant's store and is given to
    the dossier with its source. A database that is down or holds nothing is recorded with
    the reason (the officer then asks the applicant, saying why)."""
    roles = dossier_access.roles_for(officer, dossier)
    if not roles & VERIFYING_ROLES or not access.is_open(dossier):
        raise NotAllowed(_("You may not do this on this dossier."))
    components = dossier.rules.components
    if not 0 <= component_position < len(components):
        raise NotUsable(_("This procedure has no such document."))
    component = components[component_position]
    if not component.fetched_by_agency:
        raise NotUsable(_("The catalogue does not mark this document as fetched by the agency."))
    if Reuse.objects.filter(dossier=dossier, component_position=component_position).exists():
        raise NotUsable(_("This document is already given to the dossier."))
    connector = for_document_type(component.document_type)
    fetch = AgencyFetch(
        dossier=dossier,
        component_position=component_position,
        connector=connector.identifier if connector else "",
        requested_by=officer,
    )
    if connector is None:
        fetch.outcome = FetchOutcome.DOWN
        fetch.reason = _("no national database connected to this platform holds “%(type)s”") % {
            "type": component.document_type
        }
        fetch.save()
        return fetch
    business = dossier.on_behalf_of
    subject = Subject(
        personal_id=dossier.applicant.personal_id or "",
        tax_code=business.tax_code if business is not None else "",
        user_id=officer.personal_id or officer.username,
        issue=dossier.code,
    )
    try:
        record = connector.fetch(document_type=component.document_type, subject=subject)
    except ConnectorDown as exc:
        fetch.outcome = FetchOutcome.DOWN
        fetch.reason = (_("%(database)s: %(why)s") % {"database": connector.name(), "why": exc})[
            :500
        ]
        fetch.save()
        return fetch
    except NotInDatabase:
        fetch.outcome = FetchOutcome.NOT_FOUND
        fetch.reason = (
            _("%(database)s holds no such record for the applicant")
            % {"database": connector.name()}
        )[:500]
        fetch.save()
        return fetch
    with transaction.atomic():
        sha256 = hashlib.sha256(record.raw).hexdigest()
        document = StoredDocument(
            **_owner_fields(dossier),
            document_type=component.document_type,
            title=record.title[:255],
            issuer=record.issuer[:255],
            number=record.number[:64],
            issued_on=datetime.date.fromisoformat(record.issued_on),
            expires_on=datetime.date.fromisoformat(record.expires_on)
            if record.expires_on
            else None,
            source=Source.NATIONAL,
            content_type="application/json",
            size=len(record.raw),
            sha256=sha256,
            data={
                **record.data,
                "x_road_id": record.exchange_id,
                "connector": connector.identifier,
            },
            origin_dossier=dossier,
            added_by=officer,
        )
        document.file.save(sha256, ContentFile(record.raw), save=False)
        document.save()
        Reuse.objects.create(
            document=document,
            dossier=dossier,
            component_position=component_position,
            component_name=component.name[:500],
            sha256=sha256,
            chosen_by=officer,
            fetched_by_agency=True,
        )
        log_read(
            document,
            reader=officer,
            purpose=Purpose.FETCHED,
            dossier=dossier,
            agency=dossier.receiving_agency,
        )
        fetch.outcome = FetchOutcome.FETCHED
        fetch.exchange_id = record.exchange_id
        fetch.document = document
        fetch.save()
    return fetch
