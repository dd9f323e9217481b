"""The amount due, from the case snapshot and the form answers."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from motcua.payments.fees import fee_for


def test_fixed_fee_and_old_snapshots() -> None:
    assert fee_for({"fee": 50_000}, {}) == 50_000
    assert fee_for({"fee": 50_000, "fee_basis": "fixed"}, {"so_ban": 3}) == 50_000
    assert fee_for({}, {}) == 0  # a snapshot from before fees were recorded


def test_per_copy_fee() -> None:
    case = {"fee": 20_000, "fee_basis": "per_copy", "fee_copies_field": "so_ban"}
    assert fee_for(case, {"so_ban": 3}) == 60_000
    assert fee_for(case, {"so_ban": "4"}) == 80_000
    assert fee_for(case, {"so_ban": 0}) == 20_000  # at least one copy
    assert fee_for(case, {"so_ban": -2}) == 20_000
    assert fee_for(case, {"so_ban": "ba"}) == 20_000
    assert fee_for(case, {}) == 20_000


def test_fee_by_rule_first_match_else_base() -> None:
    case = {
        "fee": 100_000,
        "fee_basis": "rule",
        "fee_rules": [
            {"field": "doi_tuong", "equals": "ho_ngheo", "amount": 0},
            {"field": "doi_tuong", "equals": "nguoi_cao_tuoi", "amount": 50_000},
            {"field": "so_ban", "equals": 2, "amount": 150_000},
            {"field": "doi_tuong", "equals": "nguoi_cao_tuoi", "amount": 1},
        ],
    }
    assert fee_for(case, {"doi_tuong": "ho_ngheo"}) == 0
    assert fee_for(case, {"doi_tuong": "nguoi_cao_tuoi"}) == 50_000
    assert fee_for(case, {"so_ban": "2"}) == 150_000  # text answer, number rule
    assert fee_for(case, {"doi_tuong": "khac"}) == 100_000
    assert fee_for({**case, "fee_rules": "not a list"}, {}) == 100_000


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@given(
    fee=json_values,
    basis=st.sampled_from(["fixed", "per_copy", "rule", "", None, "other"]),
    rules=json_values,
    form=st.dictionaries(st.sampled_from(["so_ban", "doi_tuong", "x"]), json_values),
)
def test_the_fee_is_always_a_non_negative_integer(
    fee: Any, basis: Any, rules: Any, form: dict[str, Any]
) -> None:
    case = {"fee": fee, "fee_basis": basis, "fee_copies_field": "so_ban", "fee_rules": rules}
    amount = fee_for(case, form)
    assert isinstance(amount, int) and not isinstance(amount, bool)
    assert amount >= 0
