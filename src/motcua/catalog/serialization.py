"""Procedures as plain data: the JSON import/export format and version snapshots."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import Field, Procedure


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def procedure_to_dict(procedure: Procedure) -> dict[str, Any]:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field.code,
        "service_kind": procedure.service_kind,
        "applicant_type": procedure.applicant_type,
        "agency_level": procedure.agency_level,
        "online_level": procedure.online_level,
        "agencies": sorted(a.code for a in procedure.agencies.all()),
        "description": procedure.description,
        "method": procedure.method,
        "conditions": procedure.conditions,
        "result_document": procedure.result_document,
        "legal_basis": list(procedure.legal_basis),
        "publishing_decision": procedure.publishing_decision,
        "status": procedure.status,
        "required_assurance_level": procedure.required_assurance_level,
        "cases": [
            {
                "name": case.name,
                "time_limit": _number(case.time_limit),
                "time_unit": case.time_unit,
                "fee": case.fee,
                "fee_description": case.fee_description,
                "fee_basis": case.fee_basis,
                "fee_copies_field": case.fee_copies_field,
                "fee_rules": list(case.fee_rules),
                "payment_timing": case.payment_timing,
                "components": [
                    {
                        "name": c.name,
                        "document_type": c.document_type,
                        "mandatory": c.mandatory,
                        "originals": c.originals,
                        "copies": c.copies,
                        "form_template": c.form_template,
                        # only when set: catalogues without them read back unchanged
                        **({"per_row_of": c.per_row_of} if c.per_row_of else {}),
                        **({"fetched_by_agency": True} if c.fetched_by_agency else {}),
                    }
                    for c in case.components.all()
                ],
                "steps": [
                    {"name": s.name, "role": s.role, "duration": _number(s.duration)}
                    for s in case.steps.all()
                ],
                "eform": case.eform_schema,
            }
            for case in procedure.cases.all()
        ],
    }


def export_catalog(procedures: QuerySet[Procedure] | None = None) -> dict[str, Any]:
    """The catalogue (or a selection of it) in the format ``import_catalog`` reads back."""
    if procedures is None:
        procedures = Procedure.objects.all()
    procedures = procedures.select_related("field").prefetch_related(
        "agencies", "cases__components", "cases__steps"
    )
    field_ids = set(procedures.values_list("field_id", flat=True))
    return {
        "format": "motcua-catalog",
        "format_version": 1,
        "exported_at": timezone.now().isoformat(),
        "fields": [
            {"code": f.code, "name": f.name, "name_en": f.name_en}
            for f in Field.objects.filter(pk__in=field_ids).order_by("code")
        ],
        "procedures": [procedure_to_dict(p) for p in procedures.order_by("code")],
    }
