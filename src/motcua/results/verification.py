"""Is this PDF a result of this platform, intact, and still in force?

The signature is validated by pyHanko against the platform's CA only (not the operating
system's trust store): a document signed by anyone else is "not a result of this platform".
The signature must cover the whole file: bytes appended after it, even ones a PDF reader
ignores, make the file "changed after signing". The signed document is then matched to its
``IssuedResult`` by SHA-256, or by the verification address in the signature's ContactInfo
(covered by the signature).
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import io
import logging
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from . import signing
from .models import IssuedResult

log = logging.getLogger(__name__)

TOKEN_MAX = 64


class Outcome(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"  # genuine and intact, but no longer in force
    INVALID = "invalid"  # signed by the platform, but changed after signing
    NOT_A_RESULT = "not_a_result"  # not a PDF, unsigned, signed by someone else, unknown


@dataclass(frozen=True)
class Verification:
    outcome: Outcome
    message: str
    result: IssuedResult | None = None
    signed_by: str = ""
    signed_at: datetime.datetime | None = None

    @property
    def recognised(self) -> bool:
        """A result of this platform (valid or revoked): the API answers 200."""
        return self.outcome in (Outcome.VALID, Outcome.REVOKED)


def _not_a_result(message: str) -> Verification:
    return Verification(Outcome.NOT_A_RESULT, message)


def _issued_by_platform(cert: asn1_x509.Certificate, ca: asn1_x509.Certificate) -> bool:
    try:
        x509.load_der_x509_certificate(cert.dump()).verify_directly_issued_by(
            x509.load_der_x509_certificate(ca.dump())
        )
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _token_from(contact: object) -> str:
    """The token at the end of the verification address (``…/verify/<token>/``)."""
    parts = [part for part in str(contact or "").split("/") if part]
    return parts[-1][:TOKEN_MAX] if parts else ""


def validation_context() -> ValidationContext:
    return ValidationContext(
        trust_roots=[signing.ca_certificate()],
        allow_fetching=settings.MOTCUA_SIGNING_ALLOW_FETCHING,
        revocation_mode=settings.MOTCUA_SIGNING_REVOCATION_MODE,
    )


def verify_pdf(data: bytes) -> Verification:
    """Check an uploaded file; never raises on bad input."""
    if b"%PDF-" not in data[:1024]:
        return _not_a_result(_("This file is not a PDF, so it is not a result of this platform."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # a broken PDF can fail in many ways inside the parser
        log.info("unreadable PDF uploaded for verification", exc_info=True)
        return _not_a_result(_("This PDF cannot be read, so it is not a result of this platform."))
    if not signatures:
        return _not_a_result(_("This PDF is not signed, so it is not a result of this platform."))

    ca = signing.ca_certificate()
    embedded = signatures[0]
    try:
        signer_cert = embedded.signer_cert
    except Exception:
        log.info("unreadable signature in uploaded PDF", exc_info=True)
        return _not_a_result(_("This PDF's signature cannot be read."))
    if signer_cert is None or not _issued_by_platform(signer_cert, ca):
        return _not_a_result(
            _("This PDF was signed by someone else: it is not a result of this platform.")
        )
    signed_by = signer_cert.subject.human_friendly
    try:
        status = validate_pdf_signature(embedded, validation_context())
    except Exception:
        log.info("signature validation failed on uploaded PDF", exc_info=True)
        return Verification(
            Outcome.INVALID,
            _("The signature could not be validated: the document was damaged or changed."),
            signed_by=signed_by,
        )
    signed_at = status.signer_reported_dt
    if not (status.intact and status.valid):
        return Verification(
            Outcome.INVALID,
            _("The document was changed after it was signed: the signature is not valid."),
            signed_by=signed_by,
            signed_at=signed_at,
        )
    # The signature must cover every byte of the file. pyHanko calls a signature followed by
    # bytes that are no revision at all (junk after %%EOF) "entire revision" with nothing
    # modified; the platform signs once and never updates a result, so anything after the
    # signed bytes (even an update a viewer calls harmless) means the file is not as signed.
    unchanged = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not (status.trusted and unchanged):
        return Verification(
            Outcome.INVALID,
            _("The document was changed after it was signed, or its certificate is not valid."),
            signed_by=signed_by,
            signed_at=signed_at,
        )

    sha256 = hashlib.sha256(data).hexdigest()
    queryset = IssuedResult.objects.select_related("dossier__procedure", "agency")
    result = queryset.filter(sha256=sha256).first()
    if result is None:
        token = _token_from(embedded.sig_object.get("/ContactInfo"))
        result = queryset.filter(token=token).first() if token else None
    if result is None or result.signer_serial != format(signer_cert.serial_number, "x"):
        return _not_a_result(_("This platform has no record of this document."))
    if result.is_revoked:
        return Verification(
            Outcome.REVOKED,
            _("This result was revoked by the issuing agency: it is no longer valid."),
            result=result,
            signed_by=signed_by,
            signed_at=signed_at,
        )
    return Verification(
        Outcome.VALID,
        _("The signature is valid and the document has not been changed since it was signed."),
        result=result,
        signed_by=signed_by,
        signed_at=signed_at,
    )


def verify_token(token: str) -> Verification | None:
    """The stored result behind a QR code, checked again; None for an unknown token."""
    result = IssuedResult.objects.filter(token=token[:TOKEN_MAX]).first()
    if result is None:
        return None
    with result.file.open("rb") as stored:
        return verify_pdf(stored.read())
