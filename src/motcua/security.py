"""Answer headers that keep personal data out of caches, and files away from the page's origin.

The Content-Security-Policy of pages comes from django-csp (``CONTENT_SECURITY_POLICY`` in
settings); ``X-Frame-Options``, ``Referrer-Policy`` and ``nosniff`` from Django's own security
settings. This module adds what neither does: ``Cache-Control: private, no-store`` on every
answer with personal data, and one way to answer with a file (:func:`file_response`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import IO, overload
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_cache_control

PRIVATE = "private, no-store"
# A file is never a page of ours: no script, no plug-in, no same-origin access, even if a
# browser were talked into rendering it.
FILE_POLICY = "sandbox; default-src 'none'; frame-ancestors 'none'"
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "text/csv": ".csv",
    # Open-data resources (always downloads, as every file here).
    "application/json": ".json",
    "application/geo+json": ".geojson",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


def is_private(request: HttpRequest) -> bool:
    """Whether the answer to ``request`` may hold personal data."""
    if "Authorization" in request.headers:
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    prefixes = tuple(settings.MOTCUA_PRIVATE_PATH_PREFIXES)
    return request.path_info.startswith(prefixes)


class PrivacyMiddleware:
    """``Cache-Control: private, no-store`` on every answer that may hold personal data.

    A signed-in person's pages, every officer page, token-protected look-ups and any API call
    that carries credentials: no shared cache keeps them, and the browser does not either (a
    shared computer at a one-stop desk, the back button after signing out).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # A view that already said no-store (never_cache, OAuth's token answer) is kept as it
        # is: no cache may keep it at all. Otherwise both are added and "public" is dropped.
        if is_private(request) and "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True, no_store=True)
        return response


def ascii_filename(name: str) -> str:
    """A name any browser and file system takes: letters without diacritics, digits, ``._-``."""
    name = name.replace("đ", "d").replace("Đ", "D")
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._-")
    return name[:100] or "file"


def _download_names(name: str, content_type: str) -> tuple[str, str]:
    """The ASCII fallback and the UTF-8 name, both ending as the bytes are (``poly.html`` →
    ``poly.pdf``): a download never opens as something other than what was checked."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    stem = name.rsplit(".", 1)[0] if "." in name else name
    extension = EXTENSIONS.get(content_type.split(";")[0].strip(), "")
    stem = stem.strip(" .")[:150] or "file"
    return ascii_filename(stem) + extension, stem + extension


def content_disposition(name: str, content_type: str) -> str:
    """``attachment`` with an ASCII ``filename`` and the UTF-8 ``filename*`` (RFC 6266, 5987)."""
    fallback, utf8 = _download_names(name, content_type)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(utf8, safe='')}"


@overload
def file_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse: ...
@overload
def file_response(content: IO[bytes], *, filename: str, content_type: str) -> FileResponse: ...
def file_response(
    content: bytes | IO[bytes], *, filename: str, content_type: str
) -> HttpResponse | FileResponse:
    """The one way a file leaves the platform, after the view has checked who may have it.

    Always a download (never rendered on our origin), of the type its bytes were found to be,
    sandboxed, not sniffed, and kept in no cache. Bytes made on the fly (forms, receipts,
    reports) are answered whole; stored files are streamed.
    """
    if content_type.split(";")[0].strip() not in EXTENSIONS:
        content_type = "application/octet-stream"
    response: HttpResponse | FileResponse
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    response["Cache-Control"] = PRIVATE
    return response
