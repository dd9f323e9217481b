"""The fee a dossier owes, from the case it was filed under (DOMAIN.md §2, §4.6).

The case snapshot (``dossier.case``) carries ``fee`` (integer đồng), ``fee_basis`` ("fixed",
"per_copy" or "rule"), ``fee_copies_field``, ``fee_rules`` and ``payment_timing``. Snapshots
taken before those keys existed are read with the defaults below, so old dossiers keep a fee.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier

BEFORE_PROCESSING = "before_processing"
AT_RESULT = "at_result"


def _whole(value: Any, default: int) -> int:
    """A non-negative whole number out of a JSON value, or ``default`` when there is none."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, float) and value.is_integer():
        return max(int(value), 0)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return default


def _equals(answer: Any, expected: Any) -> bool:
    # Form answers may arrive as text ("2") where the rule holds a number (2), and back.
    if answer == expected:
        return True
    return answer is not None and expected is not None and str(answer) == str(expected)


def fee_for(case: Mapping[str, Any], form: Mapping[str, Any]) -> int:
    """Integer đồng owed for ``case`` given the e-form answers ``form``; never negative."""
    base = _whole(case.get("fee"), 0)
    basis = case.get("fee_basis") or "fixed"
    if basis == "per_copy":
        copies = _whole(form.get(str(case.get("fee_copies_field") or "")), 1)
        return base * max(copies, 1)
    if basis == "rule":
        rules = case.get("fee_rules") or []
        for rule in rules if isinstance(rules, list) else []:
            if not isinstance(rule, Mapping) or "field" not in rule:
                continue
            if _equals(form.get(str(rule["field"])), rule.get("equals")):
                return _whole(rule.get("amount"), 0)
    return base


def amount_due(dossier: Dossier) -> int:
    """What the applicant pays for this dossier, in đồng."""
    form = dossier.form_data if isinstance(dossier.form_data, Mapping) else {}
    return fee_for(dossier.case, form)


def payment_timing(dossier: Dossier) -> str:
    """``before_processing`` (after acceptance) or ``at_result``; the dossier app acts on it."""
    timing = dossier.case.get("payment_timing") or BEFORE_PROCESSING
    return str(timing)
