"""What the petition services refuse (ADR 0009)."""

from __future__ import annotations

from motcua.errors import DomainError, NotAllowed, NotFound


class PetitionError(DomainError):
    """Bad input: no text, a point outside the province, a file that cannot be used (400)."""


class OutsideProvince(PetitionError):
    pass


class NotVerified(PetitionError):
    """An anonymous report without a phone number verified by a one-time code."""

    status = 403


class NotYours(NotAllowed):
    """Someone else's report, or an agency that does not handle it: 404, nothing disclosed."""

    status = 404


class ReportNotFound(NotFound):
    pass


class WrongState(PetitionError):
    status = 409
