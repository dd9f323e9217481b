"""What happens to a dossier, told to the apps that registered for it.

The dossier app records every change of a dossier (``services.record``) and announces it
here; it imports none of the apps that act on it. Payments asks for the fee, results signs the
decision, the applicant is told, and later apps count and synchronise, each from a handler it
registers at start-up (its ``AppConfig.ready``), in one of three phases:

- ``CHECK``: before the change, in its transaction, on the locked row. The change stands only
  if every such handler returns; raising a ``DossierError`` refuses it and nothing is written
  (the signed result: no signature, no decision).
- ``IN_TRANSACTION``: after the change and its history line, in the same transaction. Work
  that must commit with the change or not at all (the fee asked for by the rules, the outbox
  row of the applicant's message); raising undoes the change.
- ``AFTER_COMMIT``: once the change is committed. Work that must not hold up or undo it
  (logs, counters, synchronisation with other systems); a failure is logged, the change stands.

Handlers of one phase run in the order they were registered, so apps listed earlier in
``INSTALLED_APPS`` run first.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING

import structlog
from django.db import transaction

if TYPE_CHECKING:
    from motcua.accounts.models import User
    from motcua.agencies.models import Agency

    from .models import Dossier, DossierEvent

logger = structlog.get_logger(__name__)


class Phase(enum.Enum):
    CHECK = "check"
    IN_TRANSACTION = "in_transaction"
    AFTER_COMMIT = "after_commit"


@dataclass(frozen=True)
class Change:
    """One change of a dossier: the locked row, what is done, by whom and why.

    ``event`` is the history line; it is None in the ``CHECK`` phase (nothing is written yet).
    """

    dossier: Dossier
    transition: str
    from_status: int | None
    to_status: int
    actor: User | None
    role: str
    reason: str = ""
    to_unit: Agency | None = None
    apology: str = ""
    event: DossierEvent | None = None


Handler = Callable[[Change], None]


@dataclass(frozen=True)
class Registration:
    handler: Handler
    phase: Phase
    transitions: frozenset[str] | None  # None: every transition

    def wants(self, transition: str) -> bool:
        return self.transitions is None or transition in self.transitions

    @property
    def name(self) -> str:
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


_registrations: list[Registration] = []


def on_transition(
    *transitions: str, phase: Phase = Phase.IN_TRANSACTION
) -> Callable[[Handler], Handler]:
    """Register the decorated function for ``transitions`` (all of them when none is named).

    A function is registered once: registering it again (a module imported twice under two
    names, a copy-paste) is refused rather than run twice.
    """

    def register(handler: Handler) -> Handler:
        registration = Registration(handler, phase, frozenset(transitions) or None)
        if any(r.name == registration.name for r in _registrations):
            raise ValueError(f"The dossier handler {registration.name} is already registered.")
        _registrations.append(registration)
        return handler

    return register


def registrations() -> list[Registration]:
    return list(_registrations)


@contextmanager
def registered(
    handler: Handler, *transitions: str, phase: Phase = Phase.IN_TRANSACTION
) -> Iterator[None]:
    """For tests: ``handler`` is registered inside the ``with`` block only."""
    on_transition(*transitions, phase=phase)(handler)
    try:
        yield
    finally:
        _registrations[:] = [r for r in _registrations if r.handler is not handler]


def check(change: Change) -> None:
    """Run the ``CHECK`` handlers; the first that raises refuses the change."""
    for registration in _registrations:
        if registration.phase is Phase.CHECK and registration.wants(change.transition):
            registration.handler(change)


def announce(change: Change) -> None:
    """Run the ``IN_TRANSACTION`` handlers now and leave the ``AFTER_COMMIT`` ones for the
    commit of the caller's transaction."""
    for registration in _registrations:
        if not registration.wants(change.transition):
            continue
        if registration.phase is Phase.IN_TRANSACTION:
            registration.handler(change)
        elif registration.phase is Phase.AFTER_COMMIT:
            # robust: one failing handler is logged and neither stops the others nor the caller.
            transaction.on_commit(_later(registration.handler, change), robust=True)


def _later(handler: Handler, change: Change) -> Callable[[], None]:
    @wraps(handler)  # the handler's name in the log when it fails
    def run() -> None:
        handler(change)

    return run
