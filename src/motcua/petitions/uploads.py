"""Photos and files of a report, checked as dossier attachments are (``dossiers.uploads``):
by their first and last bytes, size, active PDF content and the virus scanner. A "photo"
must be a JPEG or PNG image, whatever its name says."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers.uploads import SIGNATURES, CheckedFile, UploadRefused, check_upload

from .models import FileKind

MAX_FILES = 5
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})


def check(
    upload: UploadedFile, *, kind: str, uploader: User | None, already: int = 0
) -> CheckedFile:
    """The file's checked description, or ``UploadRefused`` with a translated message."""
    if kind == FileKind.PHOTO:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(sig) for t in IMAGE_TYPES for sig in SIGNATURES[t]):
            raise UploadRefused(_not_a_photo(upload))
    checked = check_upload(upload, already_attached=already, uploader=uploader)
    if kind == FileKind.PHOTO and checked.content_type not in IMAGE_TYPES:
        raise UploadRefused(_not_a_photo(upload))
    return checked


def _not_a_photo(upload: UploadedFile) -> str:
    return _("“%(name)s” is not a photo: only JPEG and PNG images are accepted as photos.") % {
        "name": (upload.name or "")[:80]
    }


__all__ = ["MAX_FILES", "UploadRefused", "check"]
