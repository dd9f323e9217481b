"""The fee a dossier owes, from the case it was filed under (DOMAIN.md §2, §4.6).

The case's rules (``dossier.rules``, read from the version's snapshot) carry ``fee``
(integer đồng), ``fee_basis`` ("fixed", "per_copy" or "rule"), ``fee_copies_field``,
``fee_rules`` and ``payment_timing``. Snapshots taken before those keys existed are read with
the defaults of ``catalog.rules.CaseRules``, so old dossiers keep a fee.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from motcua.catalog.models import FeeBasis, PaymentTiming
from motcua.catalog.rules import CaseRules, whole

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier

BEFORE_PROCESSING = PaymentTiming.BEFORE_PROCESSING.value
AT_RESULT = PaymentTiming.AT_RESULT.value


def _equals(answer: Any, expected: Any) -> bool:
    # Form answers may arrive as text ("2") where the rule holds a number (2), and back.
    if answer == expected:
        return True
    return answer is not None and expected is not None and str(answer) == str(expected)


def fee_for(case: CaseRules | Mapping[str, Any], form: Mapping[str, Any]) -> int:
    """Integer đồng owed for ``case`` (its rules, or the case as a snapshot holds it) given
    the e-form answers ``form``; never negative."""
    rules = case if isinstance(case, CaseRules) else CaseRules.from_case(case)
    if rules.fee_basis == FeeBasis.PER_COPY:
        copies = whole(form.get(rules.fee_copies_field), 1)
        return rules.fee * max(copies, 1)
    if rules.fee_basis == FeeBasis.RULE:
        for rule in rules.fee_rules:
            if _equals(form.get(rule.field), rule.equals):
                return rule.amount
    return rules.fee


def amount_due(dossier: Dossier) -> int:
    """What the applicant pays for this dossier, in đồng."""
    form = dossier.form_data if isinstance(dossier.form_data, Mapping) else {}
    return fee_for(dossier.rules, form)


def payment_timing(dossier: Dossier) -> str:
    """``before_processing`` (after acceptance) or ``at_result``; the dossier app acts on it."""
    return dossier.rules.payment_timing
