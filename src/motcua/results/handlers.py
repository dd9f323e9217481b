"""The results app's part in a dossier's lifecycle: the decision is the signed result."""

from __future__ import annotations

from motcua.dossiers.hooks import Change, Phase, on_transition
from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.services import DossierError

from .services import ResultError, issue_result


@on_transition(Transition.DECIDE, phase=Phase.CHECK)
def sign_the_decision(change: Change) -> None:
    """No signature, no decision (issue 5): signed before the status changes, in the same
    transaction, so a failed signature refuses the decision and leaves nothing behind.

    See docs/adr/0006-transitions-announce-themselves.md for why it runs inside.
    """
    if change.actor is None:
        return  # the platform decides nothing; a decision is an approver's
    try:
        issue_result(dossier=change.dossier, officer=change.actor)
    except ResultError as exc:
        raise DossierError(str(exc)) from exc
