"""The refusals of the open-data services, each with the CKAN error type it is answered as."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.errors import DomainError, NotAllowed, NotFound


class OpendataError(DomainError):
    """A refusal; ``ckan_type`` is the ``__type`` CKAN clients (ckanapi) recognise."""

    ckan_type = "Validation Error"
    status = 409  # CKAN answers validation errors with 409 Conflict


class InvalidInput(OpendataError):
    """Fields that do not validate, each with its messages (CKAN's Validation Error)."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        self.fields = fields
        super().__init__(
            "; ".join(f"{name}: {' '.join(messages)}" for name, messages in fields.items())
        )


class BadRequest(OpendataError):
    ckan_type = "Bad Request"
    status = 400


class SearchQueryError(OpendataError):
    ckan_type = "Search Query Error"
    status = 400


class UploadTooLarge(OpendataError):
    status = 413

    def __init__(self, limit: int) -> None:
        super().__init__(
            _("The file is larger than the %(limit)s MB allowed.")
            % {"limit": f"{limit / 1_000_000:g}"}
        )


class NotAuthorized(NotAllowed, OpendataError):
    ckan_type = "Authorization Error"
    status = 403


class DatasetNotFound(NotFound, OpendataError):
    """Also what a private dataset is to someone who may not see it: not even its existence
    is disclosed."""

    ckan_type = "Not Found Error"
    status = 404
