"""Checks on uploaded files: by content (magic bytes), size and checksum; a virus-scan hook.

PDFs that could act when opened (JavaScript, launching programs, actions run on events) are
refused: an officer opens every attachment, and a script in one would run with their viewer's
rights. Each person's files together stay within a storage quota.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pypdf
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Sum
from django.utils.translation import gettext as _
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from motcua.errors import DomainError

# The scanner plugins live in .scanners; their names stay importable from here.
from .scanners import NoScanner, VirusScanner, selected_scanner  # noqa: F401

if TYPE_CHECKING:
    from motcua.accounts.models import User

logger = logging.getLogger(__name__)

# Only these kinds of file, recognised by their first bytes, never by their name.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
# Ends a file of each kind must have; a truncated upload lacks them.
TRAILERS: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%%EOF",),
    "image/jpeg": (b"\xff\xd9",),
    "image/png": (b"IEND\xaeB`\x82",),
}


class UploadRefused(DomainError):
    """The file cannot be accepted; ``str()`` is a translated message."""


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def max_file_bytes() -> int:
    return int(settings.MOTCUA_MAX_ATTACHMENT_BYTES)


def max_dossier_bytes() -> int:
    return int(settings.MOTCUA_MAX_DOSSIER_BYTES)


def storage_quota_bytes() -> int:
    """Each person's files together, in bytes; 0: no quota."""
    return int(settings.MOTCUA_STORAGE_QUOTA_BYTES)


def check_upload(
    upload: UploadedFile, *, already_attached: int = 0, uploader: User | None
) -> CheckedFile:
    """Accept a PDF, JPEG or PNG within the size limits, or raise ``UploadRefused``.

    ``uploader`` is the person whose storage quota counts (None: an anonymous upload, such as
    a report filed with a verified phone number, which has no quota of its own).
    """
    size = upload.size or 0
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    if size > max_file_bytes():
        raise UploadRefused(
            _("The file is larger than %(limit)d MB.") % {"limit": max_file_bytes() // 2**20}
        )
    if already_attached + size > max_dossier_bytes():
        raise UploadRefused(
            _("The dossier's files together would exceed %(limit)d MB.")
            % {"limit": max_dossier_bytes() // 2**20}
        )
    upload.seek(0)
    data = upload.read()
    content_type = next(
        (kind for kind, heads in SIGNATURES.items() if data.startswith(heads)), None
    )
    if content_type is None:
        raise UploadRefused(_("Only PDF, JPEG and PNG files are accepted."))
    tail = data[-1024:].rstrip(b"\r\n\x00 ")
    if not any(tail.endswith(end) or end in tail for end in TRAILERS[content_type]):
        raise UploadRefused(_("The file seems incomplete. Please upload it again."))
    if content_type == "application/pdf":
        _refuse_active_pdf(data)
    _check_quota(uploader, size)
    if not selected_scanner().is_clean(data):
        raise UploadRefused(_("The file was refused by the virus check."))
    upload.seek(0)
    return CheckedFile(content_type, size, hashlib.sha256(data).hexdigest())


# --- the person's quota ---------------------------------------------------------------------


def _check_quota(user: User | None, size: int) -> None:
    quota = storage_quota_bytes()
    if not quota or user is None:
        return
    from .models import Attachment

    used = Attachment.objects.filter(uploaded_by=user).aggregate(total=Sum("size"))["total"]
    if (used or 0) + size > quota:
        raise UploadRefused(
            _(
                "Your files on the platform would exceed your storage space of %(limit)d MB. "
                "Please contact the one-stop desk."
            )
            % {"limit": quota // 2**20}
        )


# --- PDFs that could act when opened ------------------------------------------------------------

# Names that make a PDF run something: JavaScript (an action, the document's JavaScript name
# tree, a form's calculation), launching a program, and additional actions run on events
# (opening a page, closing the file, entering a field). /OpenAction alone (open at page 2) is
# harmless; an /OpenAction that runs script carries /JavaScript or /JS and is refused.
ACTIVE_NAMES = frozenset({"JS", "JavaScript", "Launch", "AA"})
# A name token: / and its regular characters, any of them written as #xx (PDF 1.7 §7.3.5).
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r).*?endstream", re.DOTALL)
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _refuse_active_pdf(data: bytes) -> None:
    """Refuse a PDF with JavaScript, launch or event actions, wherever they are written.

    Two readings, because a viewer and one parser may disagree about a crafted file:

    * pypdf reads the file as a viewer does (cross-reference tables and streams, compressed
      object streams, ``#xx`` escapes in names, files encrypted without a password) and every
      object it lists is looked at;
    * every name written outside a stream in the raw bytes is looked at too, so an object the
      cross-reference leaves out (a viewer repairing the file may still find it) is seen.

    Outside compressed object streams, dictionaries are plain text, so the second reading
    alone is complete for a file without them. A file that pypdf cannot read is therefore
    accepted only if it has no object streams and is not encrypted.
    """
    if _names_outside_streams(data) & ACTIVE_NAMES:
        raise UploadRefused(_active_message())
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UploadRefused(
                _("Password-protected PDFs are not accepted. Please upload it without a password.")
            )
        found = _names_in_objects(reader) & ACTIVE_NAMES
    except UploadRefused:
        raise
    except Exception as exc:  # any parser failure: fall back to the raw reading
        logger.info("pdf_not_parsed", extra={"error": type(exc).__name__})
        if _names_outside_streams(data) & {"ObjStm", "Encrypt"}:
            raise UploadRefused(
                _("This PDF could not be read. Please save it again as PDF and upload it again.")
            ) from None
        return
    if found:
        raise UploadRefused(_active_message())


def _active_message() -> str:
    return _(
        "PDFs containing scripts or actions (JavaScript, launching programs) are not accepted. "
        "Please print the document to a new PDF, or scan it, and upload that."
    )


def _names_outside_streams(data: bytes) -> set[str]:
    text = _STREAM.sub(b" ", data)
    return {
        _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")
        for raw in _NAME.findall(text)
    }


def _names_in_objects(reader: pypdf.PdfReader) -> set[str]:
    """Every name used in the document's objects, keys and values, compressed ones included."""
    numbers = {(num, gen) for gen, entries in reader.xref.items() for num in entries}
    numbers |= {(num, 0) for num in reader.xref_objStm}
    names: set[str] = set()
    _collect(reader.trailer, names)
    for num, gen in sorted(numbers):
        _collect(IndirectObject(num, gen, reader).get_object(), names)
    return names


def _collect(obj: object, names: set[str]) -> None:
    # References are not followed: each indirect object is visited once, from the xref.
    stack: list[object] = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, NameObject):
            names.add(str(item)[1:])
        elif isinstance(item, DictionaryObject):
            names.update(str(key)[1:] for key in item)
            stack.extend(_direct(item.values()))
        elif isinstance(item, ArrayObject):
            stack.extend(_direct(item))


def _direct(items: Iterable[object]) -> list[object]:
    return [item for item in items if not isinstance(item, IndirectObject)]
