"""A case of a version's snapshot read as typed rules, with one default per field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.catalog.models import Component, ProcessingStep
from motcua.catalog.rules import CaseRules, ComponentRule, FeeRule, StepRule
from motcua.catalog.serialization import procedure_to_dict
from motcua.catalog.tests.factories import EFORM, make_procedure


@pytest.mark.django_db
def test_the_rules_read_back_what_the_snapshot_wrote() -> None:
    procedure = make_procedure(required_assurance_level=2)
    case = procedure.cases.get()
    case.time_limit = Decimal("0.5")
    case.fee = 20_000
    case.fee_description = "20.000 đồng/bản"
    case.fee_basis = "per_copy"
    case.fee_copies_field = "so_ban"
    case.payment_timing = "at_result"
    case.save()
    Component.objects.create(
        case=case, position=0, name="Tờ khai", document_type="TK01", originals=1, copies=2
    )
    Component.objects.create(case=case, position=1, name="Ủy quyền", mandatory=False)
    ProcessingStep.objects.create(
        case=case, position=0, name="Tiếp nhận", role="receiver", duration=Decimal("0.12")
    )

    rules = CaseRules.from_snapshot(procedure_to_dict(procedure), 0)

    assert rules == CaseRules(
        name="Trường hợp thông thường",
        time_limit=Decimal("0.5"),
        time_unit="working_days",
        fee=20_000,
        fee_description="20.000 đồng/bản",
        fee_basis="per_copy",
        fee_copies_field="so_ban",
        payment_timing="at_result",
        components=(
            ComponentRule("Tờ khai", True, "TK01", 1, 2, ""),
            ComponentRule("Ủy quyền", False, "", 1, 0, ""),
        ),
        steps=(StepRule("Tiếp nhận", "receiver", Decimal("0.12")),),
        required_assurance_level=2,
    )
    assert rules is not None and rules.eform == EFORM
    assert CaseRules.from_snapshot(procedure_to_dict(procedure), 1) is None


def test_an_old_or_sparse_snapshot_reads_with_one_default_per_field() -> None:
    rules = CaseRules.from_snapshot({"cases": [{"name": "Cũ", "components": [{"name": "A"}]}]}, 0)
    assert rules == CaseRules(name="Cũ", components=(ComponentRule("A"),))
    assert rules is not None
    assert rules.time_limit == Decimal(0) and rules.time_unit == ""
    assert (rules.fee, rules.fee_basis, rules.fee_rules) == (0, "fixed", ())
    assert rules.payment_timing == "before_processing"
    assert rules.components[0].mandatory is False
    assert rules.eform == {} and rules.required_assurance_level == 1
    assert CaseRules.from_snapshot({}, 0) is None
    assert CaseRules.from_snapshot({"cases": "broken"}, 0) is None


def test_values_are_typed_whatever_json_held() -> None:
    rules = CaseRules.from_case(
        {
            "time_limit": 1.5,
            "fee": "30000",
            "fee_basis": "",
            "payment_timing": None,
            "fee_rules": [
                {"field": "doi_tuong", "equals": "ho_ngheo", "amount": 0},
                "not a rule",
                {"equals": 1, "amount": 5},
            ],
            "steps": [{"name": "Xử lý", "role": "processor", "duration": None}],
        }
    )
    assert rules.time_limit == Decimal("1.5")
    assert rules.fee == 30_000
    assert rules.fee_basis == "fixed"
    assert rules.payment_timing == "before_processing"
    assert rules.fee_rules == (FeeRule("doi_tuong", "ho_ngheo", 0),)
    assert rules.steps == (StepRule("Xử lý", "processor", Decimal(0)),)
