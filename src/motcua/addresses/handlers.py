"""At filing, a dossier keeps the digital addresses it gives, with their text as it was then.

Registered from ``AddressesConfig.ready`` into the dossier's hooks (ADR 0006): the dossier app
imports nothing of this one. In the transaction of the filing: a code the applicant may not
use undoes it.
"""

from __future__ import annotations

from motcua.dossiers.hooks import Change, Phase, on_transition
from motcua.dossiers.lifecycle import Transition

from . import services


@on_transition(Transition.SUBMIT, phase=Phase.IN_TRANSACTION)
def keep_addresses_at_filing(change: Change) -> None:
    services.keep_dossier_addresses(change.dossier)
