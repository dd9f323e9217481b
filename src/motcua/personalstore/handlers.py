"""The store's part in a dossier's lifecycle (ADR 0006)."""

from __future__ import annotations

from motcua.dossiers.hooks import Change, Phase, on_transition
from motcua.dossiers.lifecycle import Transition

from . import services


@on_transition(Transition.RETURN_RESULT, phase=Phase.IN_TRANSACTION)
def keep_the_result(change: Change) -> None:
    """Every signed result goes into the applicant's store when it is returned (DOMAIN.md §8),
    in the same transaction: returned and stored, or neither."""
    services.store_result(dossier=change.dossier)


@on_transition(Transition.SUBMIT, phase=Phase.IN_TRANSACTION)
def tie_reuses_to_the_dossier(change: Change) -> None:
    """The documents given from the store while drafting now belong to the filed dossier."""
    services.filed(dossier=change.dossier)
