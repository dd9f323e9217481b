"""Large files in, without holding them in memory and without filling the disk.

The request's declared length is checked before a byte of the body is read; while Django
parses the body, a handler counts every chunk and stops the upload the moment it passes the
limit (files over 2.5 MB go to a temporary file chunk by chunk, smaller ones stay in memory).
The stored copy and its SHA-256 are then made chunk by chunk from that file.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .constants import EXTENSION_FORMATS, ResourceFormat
from .errors import InvalidInput, UploadTooLarge

# Room for the other fields of a multipart request beside the file.
FORM_OVERHEAD = 64 * 1024


class SizeLimitedUploadHandler(FileUploadHandler):
    """Refuses a file as soon as more than the limit has arrived."""

    def __init__(self, request: HttpRequest | None = None, limit: int = 0) -> None:
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            raise UploadTooLarge(self.limit)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def guard_upload(request: HttpRequest) -> None:
    """Call before touching ``request.POST`` or ``request.FILES``."""
    limit = settings.MOTCUA_OPENDATA_MAX_UPLOAD_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit + FORM_OVERHEAD:
        raise UploadTooLarge(limit)
    request.upload_handlers = [SizeLimitedUploadHandler(request, limit), *request.upload_handlers]


def format_of(upload: UploadedFile, declared: str) -> ResourceFormat:
    """The format named (or, failing that, the file's extension), checked against its first
    bytes where the format has a signature."""
    extension = PurePath(upload.name or "").suffix.lower()
    chosen = _declared_format(declared) or EXTENSION_FORMATS.get(extension)
    if chosen is None:
        raise InvalidInput({"upload": [_("Upload a CSV, JSON, XLSX, GeoJSON or PDF file.")]})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if chosen == ResourceFormat.PDF and not head.startswith(b"%PDF-"):
        raise InvalidInput({"upload": [_("This file is not a PDF.")]})
    if chosen == ResourceFormat.XLSX and not head.startswith(b"PK\x03\x04"):
        raise InvalidInput({"upload": [_("This file is not an XLSX workbook.")]})
    return chosen


def _declared_format(declared: str) -> ResourceFormat | None:
    if not declared:
        return None
    for value in ResourceFormat:
        if value.value.lower() == declared.strip().lower().lstrip("."):
            return value
    raise InvalidInput({"format": [_("Format must be one of: CSV, JSON, XLSX, GeoJSON, PDF.")]})


def checksum_and_size(upload: UploadedFile) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def safe_filename(name: str, fmt: ResourceFormat) -> str:
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in PurePath(name).stem)
    extension = next(ext for ext, value in EXTENSION_FORMATS.items() if value == fmt)
    return (stem.strip("-")[:80] or "data") + extension


def declared_format_only(value: Any) -> ResourceFormat | None:
    return _declared_format(str(value or ""))
