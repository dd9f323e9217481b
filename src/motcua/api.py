"""Shared pieces of the public HTTP API (``/api/v1/``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from motcua.errors import DomainError


@extend_schema_field({"type": "string", "format": "binary"})
class UploadField(serializers.FileField):
    """A file sent as a multipart part. DRF's ``FileField`` is published as a URL (what it
    answers); an upload is the file's bytes."""


class StandardPagination(PageNumberPagination):
    """Lists come as ``count``, ``next``, ``previous``, ``results``."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class _Refused(exceptions.APIException):
    """A ``DomainError`` as DRF answers it: ``{"detail": message}`` with the error's status."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(str(error))
        self.status_code = error.status


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with a translated message for unknown objects and every refusal of a
    service (``DomainError``) answered with its status and message, never a 500."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DomainError):
        exc = _Refused(exc)
    return drf_exception_handler(exc, context)
