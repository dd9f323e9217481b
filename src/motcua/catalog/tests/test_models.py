from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog.eforms import eform_schema_errors
from motcua.catalog.models import ProcedureVersion, validate_fee_rules
from motcua.catalog.tests.factories import CaseFactory, make_procedure

pytestmark = pytest.mark.django_db


def test_eform_must_be_valid_json_schema_describing_an_object() -> None:
    assert eform_schema_errors({"type": "object", "properties": {}}) == []
    assert eform_schema_errors({}) == []
    assert eform_schema_errors({"type": "string"})
    assert eform_schema_errors({"type": "object", "properties": {"a": {"type": 3}}})
    assert eform_schema_errors([1, 2])


def test_an_eform_the_form_cannot_show_is_refused_with_its_path() -> None:
    schema = {
        "type": "object",
        "properties": {
            "thanh_vien": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"noi_o": {"type": "string", "x-reference": "streets"}},
                },
            }
        },
    }
    errors = eform_schema_errors(schema)
    assert len(errors) == 1 and "thanh_vien[].noi_o" in errors[0]


def test_a_case_with_an_invalid_eform_is_refused_when_saved_through_validation() -> None:
    case = CaseFactory.build(procedure=make_procedure(), eform_schema={"type": "nothing"})
    with pytest.raises(ValidationError) as caught:
        case.full_clean()
    assert "eform_schema" in caught.value.message_dict


def test_an_invalid_eform_is_refused_on_every_save() -> None:
    case = CaseFactory.create(procedure=make_procedure())
    case.eform_schema = {"type": "object", "properties": {"x": {"type": "nope"}}}
    with pytest.raises(ValidationError):
        case.save()
    case.refresh_from_db()
    assert case.eform_schema["properties"]["ho_ten"]["type"] == "string"


def test_limits_may_be_fractions_of_a_day_but_not_negative() -> None:
    case = CaseFactory.build(procedure=make_procedure(), time_limit=Decimal("1.25"))
    case.full_clean()  # a fraction of a working day is that fraction of its office hours
    case.time_limit = Decimal("-0.5")
    with pytest.raises(ValidationError):
        case.full_clean()


def test_procedure_code_format_is_checked() -> None:
    procedure = make_procedure(code="1.001193")
    procedure.code = "1-001193"
    with pytest.raises(ValidationError):
        procedure.full_clean()
    procedure.code = "1.000948.H38"
    procedure.full_clean()


def test_versions_are_never_changed() -> None:
    version = make_procedure().versions.get()
    version.note = "edited"
    with pytest.raises(ValidationError):
        version.save()
    assert ProcedureVersion.objects.get(pk=version.pk).note == "factory"


@pytest.mark.parametrize(
    "rules",
    [
        {"field": "x", "equals": 1, "amount": 1},
        [{"field": "x", "equals": 1}],
        [{"field": "", "equals": 1, "amount": 1}],
        [{"field": "x", "equals": 1, "amount": -5}],
        [{"field": "x", "equals": 1, "amount": True}],
        [{"field": "x", "equals": 1, "amount": 1.5}],
    ],
)
def test_malformed_fee_rules_are_refused(rules: object) -> None:
    with pytest.raises(ValidationError):
        validate_fee_rules(rules)


def test_well_formed_fee_rules_pass() -> None:
    validate_fee_rules([{"field": "doi_tuong", "equals": "sinh_vien", "amount": 0}])
