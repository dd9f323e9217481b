"""Checks on uploaded files: by content (magic bytes), size and checksum; a virus-scan hook."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

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


class UploadRefused(Exception):
    """The file cannot be accepted; ``str()`` is a translated message."""


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


class VirusScanner(ABC):
    @abstractmethod
    def is_clean(self, data: bytes) -> bool: ...


class NoScanner(VirusScanner):
    """Development default: no scanning. Production plugs in e.g. a ClamAV client."""

    def is_clean(self, data: bytes) -> bool:
        return True


def max_file_bytes() -> int:
    return int(getattr(settings, "MOTCUA_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))


def max_dossier_bytes() -> int:
    return int(getattr(settings, "MOTCUA_MAX_DOSSIER_BYTES", 50 * 1024 * 1024))


def check_upload(upload: UploadedFile, *, already_attached: int = 0) -> CheckedFile:
    """Accept a PDF, JPEG or PNG within the size limits, or raise ``UploadRefused``."""
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
    scanner_path = getattr(settings, "MOTCUA_VIRUS_SCANNER", "motcua.dossiers.uploads.NoScanner")
    scanner: VirusScanner = import_string(scanner_path)()
    if not scanner.is_clean(data):
        raise UploadRefused(_("The file was refused by the virus check."))
    upload.seek(0)
    return CheckedFile(content_type, size, hashlib.sha256(data).hexdigest())
