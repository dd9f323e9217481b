"""What the personal data store refuses (ADR 0009)."""

from __future__ import annotations

from motcua import errors


class StoreError(errors.DomainError):
    """A refusal of the personal data store."""


class NotAllowed(errors.NotAllowed, StoreError):
    status = 404  # whose document it is, or whether it exists, is not disclosed


class NotUsable(StoreError):
    """The document may not be used (hidden, expired, altered) or the action makes no sense."""

    status = 400


class LinkGone(StoreError):
    """A share link that expired or was withdrawn."""

    status = 410


class DepositRefused(StoreError):
    status = 400
