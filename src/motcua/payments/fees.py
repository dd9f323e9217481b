"""The fee a dossier owes, from the case it was filed under (DOMAIN.md §2, §4.6).

The case's rules (``dossier.rules``, read from the version's snapshot) carry ``fee``
(integer đồng), ``fee_basis`` ("fixed", "per_copy" or "rule"), ``fee_copies_field``,
``fee_rules`` and ``payment_timing``. Snapshots taken before those keys existed are read with
the defaults of ``catalog.rules.CaseRules``, so old dossiers keep a fee.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from motcua.catalog.models import PaymentTiming
from motcua.catalog.rules import CaseRules

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier

BEFORE_PROCESSING = PaymentTiming.BEFORE_PROCESSING.value
AT_RESULT = PaymentTiming.AT_RESULT.value


def fee_for(case: CaseRules | Mapping[str, Any], form: Mapping[str, Any]) -> int:
    """Integer đồng owed for ``case`` (its rules, or the case as a snapshot holds it) given
    the e-form answers ``form``; never negative. The computation is the case's own
    (``CaseRules.fee_for``), which the review step before submitting also shows."""
    rules = case if isinstance(case, CaseRules) else CaseRules.from_case(case)
    return rules.fee_for(form)


def amount_due(dossier: Dossier) -> int:
    """What the applicant pays for this dossier, in đồng."""
    form = dossier.form_data if isinstance(dossier.form_data, Mapping) else {}
    return fee_for(dossier.rules, form)


def payment_timing(dossier: Dossier) -> str:
    """``before_processing`` (after acceptance) or ``at_result``; the dossier app acts on it."""
    return dossier.rules.payment_timing
