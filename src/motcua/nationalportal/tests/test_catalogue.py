"""The catalogue from the national procedure database: imported, then updated, through the
sandbox's published demo catalogue over HTTP, with the catalogue's own import."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from motcua.agencies.demo import load_demo_agencies
from motcua.catalog import services as catalog_services
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.serialization import procedure_to_dict
from motcua.nationalportal import catalogue, sandbox, services

DEMO = json.loads(sandbox.DEMO_CATALOGUE.read_text(encoding="utf-8"))
# What the national format carries, compared procedure by procedure with the demo file.
NATIONAL_KEYS = (
    "code",
    "name",
    "field",
    "applicant_type",
    "agency_level",
    "online_level",
    "result_document",
    "legal_basis",
    "conditions",
)
CASE_KEYS = ("name", "time_limit", "time_unit", "fee", "fee_description", "components")


def _defaults(component: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": component["name"],
        "document_type": component.get("document_type", ""),
        "mandatory": component.get("mandatory", True),
        "originals": component.get("originals", 1),
        "copies": component.get("copies", 0),
        "form_template": component.get("form_template", ""),
    }


def _expected_case(case: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": case["name"],
        "time_limit": case["time_limit"],
        "time_unit": case["time_unit"],
        "fee": case.get("fee", 0),
        "fee_description": case.get("fee_description", ""),
        "components": [_defaults(c) for c in case.get("components", [])],
    }


def test_every_demo_procedure_survives_the_national_format() -> None:
    """The whole demo catalogue, published in the national format and read back."""
    fields = {f["code"]: f for f in DEMO["fields"]}
    known = {code for r in DEMO["procedures"] for code in r["agencies"]} - {"all-wards"}
    for record in DEMO["procedures"]:
        national = catalogue.to_national(record, fields)
        back = catalogue.from_national(national, None, known)
        for key in NATIONAL_KEYS:
            assert back[key] == record.get(key, back[key]), (record["code"], key)
        assert [{k: c[k] for k in CASE_KEYS} for c in back["cases"]] == [
            _expected_case(c) for c in record["cases"]
        ], record["code"]
        assert back["agencies"] == sorted(record["agencies"])
        assert back["status"] == "draft"  # a new procedure: the city reviews it first


# Ward and city procedures, one and several agencies and cases, fees, public services.
SAMPLE = ["1.001193", "2.000488", "2.000505", "1.005095", "1.012101", "3.000101", "1.012115.H17"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_procedures_come_in_from_the_national_database_once(portal_url: str) -> None:
    load_demo_agencies()
    report = services.import_from_national(actor=None, codes=SAMPLE)
    assert report.created == tuple(SAMPLE) and not report.updated
    for record in (r for r in DEMO["procedures"] if r["code"] in SAMPLE):
        imported = procedure_to_dict(Procedure.objects.get(code=record["code"]))
        assert imported["status"] == "draft"
        for key in NATIONAL_KEYS:
            assert imported[key] == record.get(key, imported[key]), (record["code"], key)
        assert [{k: c[k] for k in CASE_KEYS} for c in imported["cases"]] == [
            _expected_case(c) for c in record["cases"]
        ]

    # Nothing changed there: nothing changes here, no new version.
    versions = ProcedureVersion.objects.count()
    again = services.import_from_national(actor=None, codes=SAMPLE)
    assert again.unchanged == len(SAMPLE) and not (again.created or again.updated)
    assert ProcedureVersion.objects.count() == versions
    # The database lists every demo procedure.
    assert len(services.portal().procedure_codes()) == len(DEMO["procedures"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_update_keeps_what_only_the_city_holds(
    portal_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_demo_agencies()
    # The city's catalogue: the demo with its e-forms, steps and publication.
    city = copy.deepcopy(DEMO)
    city["procedures"] = [r for r in city["procedures"] if r["code"] in SAMPLE]
    catalog_services.import_catalog(city, actor=None)
    code = "2.000488"
    before = procedure_to_dict(Procedure.objects.get(code=code))
    assert before["cases"][0]["eform"] and before["status"] == "published"

    # The national database shortens the first case and adds a document to it.
    changed = copy.deepcopy(DEMO)
    record = next(r for r in changed["procedures"] if r["code"] == code)
    record["cases"][0]["time_limit"] = 7
    record["cases"][0]["components"].append(
        {"name": "Tờ khai bổ sung", "document_type": "TO_KHAI_BO_SUNG", "mandatory": True}
    )
    source = tmp_path / "national.json"
    source.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(sandbox, "catalogue_source", lambda: source)

    versions = ProcedureVersion.objects.filter(procedure__code=code).count()
    report = services.import_from_national(actor=None, codes=[code, "9.999999"])
    assert report.updated == (code,) and report.not_found == ("9.999999",)
    after = procedure_to_dict(Procedure.objects.get(code=code))
    assert after["cases"][0]["time_limit"] == 7
    assert after["cases"][0]["components"][-1]["document_type"] == "TO_KHAI_BO_SUNG"
    # The e-form, the steps and the publication are the city's: kept.
    assert after["cases"][0]["eform"] == before["cases"][0]["eform"]
    assert after["cases"][0]["steps"] == before["cases"][0]["steps"]
    assert after["status"] == "published"
    assert ProcedureVersion.objects.filter(procedure__code=code).count() == versions + 1
