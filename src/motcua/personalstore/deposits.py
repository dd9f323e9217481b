"""Another agency's system deposits a signed document into a citizen's or business's store
(issue 14, point 6), authenticated with client credentials an administrator registered.

A deposit from an unregistered or inactive issuer, of a document type the issuer may not
deposit, for nobody known, or with a file that is not what it claims (not a PDF, not signed,
changed after signing) is refused with the reason, and nothing is stored."""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from motcua.accounts.models import Business, BusinessMembership, BusinessRole, User

from .errors import DepositRefused
from .models import IssuerClient, Purpose, Source, StoredDocument
from .services import log_read


class UnknownIssuer(DepositRefused):
    status = 401


def set_secret(client: IssuerClient, secret: str) -> None:
    client.secret_hash = make_password(secret)


def authenticate(client_id: str, secret: str) -> IssuerClient:
    client = IssuerClient.objects.filter(client_id=client_id, active=True).first()
    if client is None or not secret or not check_password(secret, client.secret_hash):
        # the same work and answer whether the id exists or not
        if client is None:
            make_password(secret or "x")
        raise UnknownIssuer(_("This issuer is not registered, or its credentials are wrong."))
    return client


@dataclass(frozen=True)
class Deposit:
    document_type: str
    title: str
    number: str
    issued_on: datetime.date
    expires_on: datetime.date | None
    personal_id: str = ""
    tax_code: str = ""
    data: Mapping[str, Any] | None = None


def _signed_pdf_problem(content: bytes) -> str:
    """Why ``content`` is not a signed, intact PDF ("" when it is)."""
    if not content.startswith(b"%PDF-"):
        return _("The file is not a PDF.")
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # a broken PDF fails in many ways inside the parser
        return _("The PDF cannot be read.")
    if not signatures:
        return _("The PDF is not signed.")
    try:
        # Integrity only: the issuer's own trust chain is the issuer's business (no fetching).
        status = validate_pdf_signature(
            signatures[-1], ValidationContext(trust_roots=[], allow_fetching=False)
        )
    except Exception:
        return _("The PDF's signature cannot be checked.")
    if not status.intact:
        return _("The PDF was changed after it was signed.")
    return ""


@transaction.atomic
def deposit(*, issuer: IssuerClient, given: Deposit, content: bytes) -> StoredDocument:
    if given.document_type not in (issuer.document_types or []):
        raise DepositRefused(
            _("This issuer may not deposit documents of type “%(type)s”.")
            % {"type": given.document_type}
        )
    if given.expires_on is not None and given.expires_on < given.issued_on:
        raise DepositRefused(_("The expiry date is before the issue date."))
    problem = _signed_pdf_problem(content)
    if problem:
        raise DepositRefused(problem)
    owner: dict[str, Any]
    if given.tax_code:
        business = Business.objects.filter(tax_code=given.tax_code).first()
        membership = (
            BusinessMembership.objects.active()
            .filter(business=business, role=BusinessRole.LEGAL_REPRESENTATIVE)
            .select_related("user")
            .first()
            if business is not None
            else None
        )
        if business is None or membership is None:
            raise DepositRefused(_("No business with this tax code uses the platform."))
        owner = {"owner_business": business, "owner_user": membership.user}
    else:
        user = User.objects.filter(personal_id=given.personal_id).first()
        if not given.personal_id or user is None:
            raise DepositRefused(_("No citizen with this personal ID uses the platform."))
        owner = {"owner_user": user}
    sha256 = hashlib.sha256(content).hexdigest()
    document = StoredDocument(
        **owner,
        document_type=given.document_type,
        title=given.title[:255],
        issuer=(issuer.agency.name if issuer.agency else issuer.name)[:255],
        issuer_agency=issuer.agency,
        number=given.number[:64],
        issued_on=given.issued_on,
        expires_on=given.expires_on,
        source=Source.DEPOSIT,
        content_type="application/pdf",
        size=len(content),
        sha256=sha256,
        data=dict(given.data or {}),
        deposited_by=issuer,
    )
    document.file.save(sha256, ContentFile(content), save=False)
    document.save()
    log_read(document, reader=None, purpose=Purpose.DEPOSIT, agency=issuer.agency, channel="api")
    return document
