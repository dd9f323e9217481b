"""Catalogue JSON import/export: all or nothing, errors named by record and field."""

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from motcua.agencies.demo import load_demo_agencies
from motcua.catalog import services
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.serialization import export_catalog
from motcua.catalog.tests.factories import EFORM, catalogue, record
from motcua.eforms.tests.strategies import DEMO_CATALOGUE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    # Problems are translated; these tests read the English labels.
    with translation.override("en"):
        yield


def test_import_creates_procedures_with_cases_and_a_version(agencies: None) -> None:
    report = services.import_catalog(
        catalogue(record(), record("2.000488", agency_level="city", agencies=["H17.02"])),
        actor=None,
    )
    assert (report.created, report.updated) == (2, 0)
    birth = Procedure.objects.get(code="1.001193")
    assert sorted(a.code for a in birth.agencies.all()) == ["H17.50.01", "H17.50.02"]
    case = birth.cases.get()
    assert case.components.get().name == "Tờ khai"
    assert case.steps.get().role == "receiver"
    assert birth.version == 1
    assert birth.versions.get().snapshot["cases"][0]["eform"] == EFORM


def test_reimport_updates_and_keeps_every_version(agencies: None) -> None:
    services.import_catalog(catalogue(record()), actor=None)
    report = services.import_catalog(catalogue(record(name="Đăng ký khai sinh (sửa)")), actor=None)
    assert (report.created, report.updated) == (0, 1)
    versions = ProcedureVersion.objects.filter(procedure__code="1.001193").order_by("number")
    assert [v.snapshot["name"] for v in versions] == [
        "Đăng ký khai sinh",
        "Đăng ký khai sinh (sửa)",
    ]


def test_reversed_agency_codes_are_accepted(agencies: None) -> None:
    services.import_catalog(
        catalogue(record(agency_level="city", agencies=["000.00.02.H17"])), actor=None
    )
    assert list(Procedure.objects.get().agencies.values_list("code", flat=True)) == ["H17.02"]


def test_one_bad_record_imports_nothing_and_names_record_and_field(agencies: None) -> None:
    bad_eform = record("1.000894", name="Đăng ký kết hôn")
    bad_eform["cases"][0]["eform"] = {"type": "object", "properties": {"x": {"type": "nope"}}}
    data = catalogue(
        record(),
        record("1.000656", applicant_type="alien"),
        record("1.000657", agencies=["H99.01"]),
        bad_eform,
        record("1.000658", field="khong-co"),
    )
    with pytest.raises(services.CatalogImportError) as caught:
        services.import_catalog(data, actor=None)
    problems = caught.value.problems
    assert Procedure.objects.count() == 0
    # Structural errors are reported first and alone: fix the shape, then the references.
    assert [(p.record, p.field) for p in problems] == [
        ("procedure #2 (1.000656)", "applicant_type")
    ]

    data["procedures"][1]["applicant_type"] = "citizen"
    with pytest.raises(services.CatalogImportError) as caught:
        services.import_catalog(data, actor=None)
    found = {(p.record, p.field) for p in caught.value.problems}
    assert found == {
        ("procedure #3 (1.000657)", "agencies"),
        ("procedure #4 (1.000894)", "case 1 “Thông thường” · eform"),
        ("procedure #5 (1.000658)", "field"),
    }
    assert Procedure.objects.count() == 0


def test_duplicate_codes_are_refused(agencies: None) -> None:
    with pytest.raises(services.CatalogImportError) as caught:
        services.import_catalog(catalogue(record(), record()), actor=None)
    found = {(p.record, p.field) for p in caught.value.problems}
    assert ("procedure #2 (1.001193)", "code") in found


def test_fractional_days_as_the_national_database_states_them_are_imported(
    agencies: None,
) -> None:
    data = record()
    data["cases"][0]["time_limit"] = 1.5
    data["cases"][0]["steps"] = [
        {"name": "Tiếp nhận", "role": "receiver", "duration": 0.12},
        {"name": "Xử lý", "role": "processor", "duration": 1.12},
        {"name": "Ký duyệt", "role": "approver", "duration": 0.26},
    ]
    report = services.import_catalog(catalogue(data), actor=None)
    assert report.warnings == ()
    case = Procedure.objects.get().cases.get()
    assert str(case.time_limit) == "1.50"
    assert [str(step.duration) for step in case.steps.all()] == ["0.12", "1.12", "0.26"]
    snapshot = Procedure.objects.get().versions.get().snapshot["cases"][0]
    assert [step["duration"] for step in snapshot["steps"]] == [0.12, 1.12, 0.26]


@pytest.mark.parametrize("duration", [-0.5, "0.5", None])
def test_negative_or_non_numeric_durations_are_refused_naming_procedure_case_and_step(
    agencies: None, duration: Any
) -> None:
    data = record()
    data["cases"][0]["steps"].append({"name": "Ký duyệt", "role": "approver", "duration": duration})
    with pytest.raises(services.CatalogImportError) as caught:
        services.import_catalog(catalogue(data), actor=None)
    [problem] = caught.value.problems
    assert problem.record == "procedure #1 (1.001193)"
    assert problem.field == "case 1 “Thông thường” · step 2 “Ký duyệt” · duration"
    assert Procedure.objects.count() == 0


def test_a_negative_limit_is_refused_naming_the_case(agencies: None) -> None:
    data = record()
    data["cases"][0]["time_limit"] = -1
    with pytest.raises(services.CatalogImportError) as caught:
        services.import_catalog(catalogue(data), actor=None)
    assert [p.field for p in caught.value.problems] == ["case 1 “Thông thường” · time_limit"]


def test_steps_longer_than_the_limit_import_with_a_warning(agencies: None, capsys: Any) -> None:
    data = record()
    data["cases"][0]["steps"].append({"name": "Xử lý", "role": "processor", "duration": 0.75})
    report = services.import_catalog(catalogue(data), actor=None)
    assert report.created == 1
    [warning] = report.warnings
    assert warning.field == "case 1 “Thông thường”"
    assert "add up to 1.25, more than the time limit of 1" in warning.message


def test_an_eform_no_answer_can_satisfy_is_refused(agencies: None) -> None:
    data = record()
    data["cases"][0]["eform"] = {
        "type": "object",
        "required": ["so_cccd"],
        "properties": {
            "so_cccd": {"type": "string", "pattern": "^[0-9]{12}$", "maxLength": 9},
        },
    }
    with pytest.raises(services.CatalogImportError) as caught:
        services.import_catalog(catalogue(data), actor=None)
    [problem] = caught.value.problems
    assert problem.field == "case 1 “Thông thường” · eform"
    assert "No answer can satisfy this e-form" in problem.message
    assert "so_cccd" in problem.message


def test_a_required_component_without_a_document_type_is_refused(agencies: None) -> None:
    data = record()
    data["cases"][0]["components"].append({"name": "Giấy chứng sinh", "mandatory": True})
    data["cases"][0]["components"].append({"name": "Giấy ủy quyền", "mandatory": False})
    with pytest.raises(services.CatalogImportError) as caught:
        services.import_catalog(catalogue(data), actor=None)
    [problem] = caught.value.problems
    assert problem.field == "case 1 “Thông thường” · component 2 “Giấy chứng sinh”"
    assert "document-type code" in problem.message


def test_the_demo_catalogue_imports_without_problem_or_warning() -> None:
    load_demo_agencies(48)
    data = services.parse_catalog(DEMO_CATALOGUE.read_bytes())
    assert services.validate_catalog(data) == []
    assert services.catalog_warnings(data) == []


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[]", "JSON object"),
    ],
)
def test_malformed_files_are_refused_clearly(raw: bytes, expected: str) -> None:
    with pytest.raises(services.CatalogImportError) as caught:
        services.parse_catalog(raw)
    assert expected in str(caught.value.problems[0])


def test_wrong_format_marker_is_refused(agencies: None) -> None:
    data = catalogue(record())
    data["format"] = "something-else"
    assert services.validate_catalog(data)[0].field == "format"


def test_export_round_trips(agencies: None) -> None:
    services.import_catalog(catalogue(record()), actor=None)
    exported = export_catalog()
    assert exported["procedures"][0]["agencies"] == ["H17.50.01", "H17.50.02"]
    Procedure.objects.all().delete()
    services.import_catalog(json.loads(json.dumps(exported)), actor=None)
    again = export_catalog()
    assert again["procedures"] == exported["procedures"]


def test_management_commands_import_and_export(agencies: None, tmp_path: Any) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalogue(record())), encoding="utf-8")
    call_command("import_catalog", str(path))
    out = tmp_path / "out.json"
    call_command("export_catalog", "--output", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["procedures"][0]["code"] == "1.001193"

    path.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_catalog", str(path))


def test_fee_basis_rules_and_timing_are_imported_and_kept_in_the_version(agencies: None) -> None:
    by_copy = record()
    by_copy["cases"][0].update(
        fee=8000, fee_basis="per_copy", fee_copies_field="so_ban_sao", payment_timing="at_result"
    )
    by_rule = record("1.000894", name="Đăng ký kết hôn")
    by_rule["cases"][0].update(
        fee=1000,
        fee_basis="rule",
        fee_rules=[{"field": "doi_tuong", "equals": "sinh_vien", "amount": 500}],
    )
    services.import_catalog(catalogue(by_copy, by_rule), actor=None)
    case = Procedure.objects.get(code="1.001193").cases.get()
    assert (case.fee_basis, case.fee_copies_field, case.payment_timing) == (
        "per_copy",
        "so_ban_sao",
        "at_result",
    )
    snapshot = Procedure.objects.get(code="1.000894").versions.get().snapshot["cases"][0]
    assert snapshot["fee_rules"] == [{"field": "doi_tuong", "equals": "sinh_vien", "amount": 500}]
    assert snapshot["payment_timing"] == "before_processing"


def test_fee_per_copy_without_its_field_and_bad_rules_are_refused(agencies: None) -> None:
    no_field = record()
    no_field["cases"][0].update(fee=8000, fee_basis="per_copy")
    bad_rule = record("1.000894", name="Đăng ký kết hôn")
    bad_rule["cases"][0].update(fee_basis="rule", fee_rules=[{"field": "x", "amount": -1}])
    with pytest.raises(services.CatalogImportError) as caught:
        services.import_catalog(catalogue(no_field, bad_rule), actor=None)
    found = {(p.record, p.field) for p in caught.value.problems}
    assert ("procedure #1 (1.001193)", "case 1 “Thông thường”") in found
    assert any(
        where == "procedure #2 (1.000894)"
        and field.startswith("case 1 “Thông thường” · fee_rules.0")
        for where, field in found
    )
    assert Procedure.objects.count() == 0
