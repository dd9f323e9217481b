"""What the address services refuse (ADR 0009)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from motcua.errors import Conflict, DomainError, NotAllowed, NotFound


class AddressError(DomainError):
    """Bad input: a code, a point or a ward that cannot be used (400)."""


class MalformedCode(AddressError):
    pass


class OutsideProvince(AddressError):
    pass


class UnknownWard(AddressError):
    pass


class NotYourWard(NotAllowed):
    """An officer acting on a place of another ward; a citizen on another's household. 404:
    whether the place or household exists is not disclosed."""

    status = 404


class PlaceNotFound(NotFound):
    pass


class PossibleDuplicate(Conflict):
    """Places already there that look like the new one; the officer may confirm anyway."""

    def __init__(self, message: str, candidates: Sequence[Any]) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


class ImportRefused(AddressError):
    """A CSV file with errors: nothing was imported. ``problems`` name line and field."""

    def __init__(self, message: str, problems: list[tuple[int, str, str]]) -> None:
        super().__init__(message)
        self.problems = problems


class AddressNotUsable(AddressError):
    """A dossier gives a digital address its applicant may not use (or none has the code):
    the filing is refused, without saying which."""
