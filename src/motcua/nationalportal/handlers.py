"""The dossier's changes the national portal is told of, queued in their own transaction.

Registered from ``NationalPortalConfig.ready``; the dossier app does not know this app.
"""

from __future__ import annotations

from motcua.dossiers.hooks import Change, Phase, on_transition

from . import services


@on_transition(phase=Phase.IN_TRANSACTION)
def queue_for_the_national_portal(change: Change) -> None:
    """The filing, and each change of the national status (codes 1–10; our local 11 goes as
    3), become an outbox row in the change's transaction (ADR 0006): synchronised if and only
    if the change commits. Changes that keep the national status (a hand-over, a consultation,
    a moved appointment) are not status changes for the portal and are not sent."""
    if change.event is None:
        return
    if not services.changes_status(change.from_status, change.to_status):
        return
    creation = change.from_status is None
    services.queue(change.dossier, change.event, change.to_status, creation=creation)
