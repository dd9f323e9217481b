"""The payments app's part in a dossier's lifecycle: asking for the fee when the rules say so."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.dossiers import services as dossier_services
from motcua.dossiers.hooks import Change, Phase, on_transition
from motcua.dossiers.lifecycle import Transition

from .fees import AT_RESULT, BEFORE_PROCESSING, amount_due, payment_timing


@on_transition(Transition.ACCEPT, Transition.DECIDE, phase=Phase.IN_TRANSACTION)
def ask_for_the_fee_when_due(change: Change) -> None:
    """Status 6 when the fee is paid now: after acceptance, or at the result (DOMAIN.md §4.6).

    In the transition's transaction: the dossier is never seen accepted without its fee
    asked for. The case (as filed) says when; nothing is asked for a free case, nor twice.
    """
    dossier = change.dossier
    timing = payment_timing(dossier)
    due_now = (change.transition == Transition.ACCEPT and timing == BEFORE_PROCESSING) or (
        change.transition == Transition.DECIDE and timing == AT_RESULT
    )
    if not due_now:
        return
    amount = amount_due(dossier)
    if amount <= 0:
        return
    reason = _("Fee due: %(amount)s đồng. Pay online from your dossier page or at the desk.") % {
        "amount": f"{amount:,}".replace(",", ".")
    }
    dossier_services.apply_as_platform(dossier, Transition.ASK_PAYMENT, reason=reason)
