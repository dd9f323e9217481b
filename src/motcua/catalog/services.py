"""Operations that change the catalogue: versioning, search index upkeep, JSON import.

Every write goes through here, in a transaction, so that a version is recorded for each change
and the search columns never drift from the text they index.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Value
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from motcua.accounts.models import Business, User
from motcua.accounts.services import AssuranceTooLow, check_assurance
from motcua.agencies.codes import normalize_agency_code
from motcua.agencies.models import Agency, AgencyKind
from motcua.eforms.examples import NoAnswer, example_document
from motcua.errors import DomainError

from .eforms import eform_schema_errors
from .models import (
    ApplicantType,
    Component,
    FeeBasis,
    Field,
    PaymentTiming,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    ProcessingStep,
    PublicationStatus,
    ServiceKind,
    per_row_problem,
)
from .serialization import procedure_to_dict
from .text import fold

ALL_WARDS = "all-wards"
CATALOG_SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "catalog.schema.json").read_text(encoding="utf-8")
)


# --- versions and search -----------------------------------------------------------------


def refresh_search(procedures: Iterable[Procedure]) -> None:
    """Recompute the folded search columns (and the PostgreSQL vector) of ``procedures``."""
    for procedure in procedures:
        procedure.search_name = fold(procedure.name)
        pieces = [procedure.code, procedure.name, procedure.field.name, procedure.result_document]
        pieces += [case.name for case in procedure.cases.all()]
        procedure.search_text = fold(" ".join(pieces))
        Procedure.objects.filter(pk=procedure.pk).update(
            search_name=procedure.search_name, search_text=procedure.search_text
        )
        if connection.vendor == "postgresql":
            # Folded text indexed with the 'simple' configuration: no stemming, no accents.
            Procedure.objects.filter(pk=procedure.pk).update(
                search_vector=SearchVector(
                    Value(procedure.search_name), weight="A", config="simple"
                )
                + SearchVector(Value(procedure.search_text), weight="B", config="simple")
            )


@transaction.atomic
def record_version(*, procedure: Procedure, actor: User | None, note: str = "") -> ProcedureVersion:
    """Keep a snapshot of the procedure as it is now, and refresh its search columns."""
    locked = Procedure.objects.select_for_update().get(pk=procedure.pk)
    number = locked.version + 1
    Procedure.objects.filter(pk=procedure.pk).update(version=number)
    procedure.version = number
    refresh_search([procedure])
    from .cache import bump_catalog_version  # cached searches must not outlive this change

    bump_catalog_version()
    return ProcedureVersion.objects.create(
        procedure=procedure,
        number=number,
        snapshot=procedure_to_dict(procedure),
        status=procedure.status,
        created_by=actor,
        note=note[:255],
    )


@transaction.atomic
def set_status(*, procedure: Procedure, status: str, actor: User | None) -> Procedure:
    """Publish or withdraw to draft; the change is a new version like any other."""
    if status not in PublicationStatus.values:
        raise ValueError(status)
    procedure.status = status
    procedure.save(update_fields=["status", "updated_at"])
    record_version(procedure=procedure, actor=actor, note=f"status → {status}")
    return procedure


# --- who may file --------------------------------------------------------------------------


def eligibility_problem(
    *, user: User, procedure: Procedure, acting_for: Business | None
) -> str | None:
    """Why this person cannot file this procedure online now (``None`` when they can)."""
    try:
        check_assurance(user, procedure.required_assurance_level)
    except AssuranceTooLow as exc:
        return str(exc)
    if procedure.applicant_type == ApplicantType.BUSINESS and acting_for is None:
        return _(
            "Only businesses and organisations file this procedure. Choose the business you "
            "act for in “My businesses”, or sign in with the business's national e-ID account."
        )
    if procedure.applicant_type == ApplicantType.CITIZEN and acting_for is not None:
        return _(
            "Citizens file this procedure for themselves. Stop acting for %(business)s first."
        ) % {"business": acting_for.name}
    return None


# --- import -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an import file: which record, which field, what."""

    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.record} · {self.field}: {self.message}"


class CatalogImportError(DomainError):
    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the catalogue file")
        self.problems = problems


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    fields: int
    warnings: tuple[ImportProblem, ...] = ()


def _record_label(data: Any, path: list[Any]) -> str:
    if len(path) >= 2 and path[0] in ("procedures", "fields") and isinstance(path[1], int):
        items = data.get(path[0]) if isinstance(data, dict) else None
        code = ""
        if isinstance(items, list) and path[1] < len(items) and isinstance(items[path[1]], dict):
            code = str(items[path[1]].get("code", ""))
        kind = _("procedure") if path[0] == "procedures" else _("field")
        return f"{kind} #{path[1] + 1}" + (f" ({code})" if code else "")
    return _("file")


def _named(items: Any, index: Any) -> str:
    """“name” of ``items[index]`` when it has one (a case, a step, a component)."""
    if isinstance(items, list) and isinstance(index, int) and 0 <= index < len(items):
        item = items[index]
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            return f" “{item['name'][:80]}”"
    return ""


def _field_label(data: Any, path: list[Any]) -> str:
    """The place inside a procedure, naming its case and step: ``case 2 “…” · step 1 “…” ·
    duration`` rather than ``cases.1.steps.0.duration``."""
    if len(path) < 2 or path[0] != "procedures" or not isinstance(path[1], int):
        return ".".join(str(p) for p in path) or _("(record)")
    node: Any = data.get("procedures") if isinstance(data, dict) else None
    node = node[path[1]] if isinstance(node, list) and path[1] < len(node) else None
    parts: list[str] = []
    inner = path[2:]
    index = 0
    labels = {"cases": _("case"), "steps": _("step"), "components": _("component")}
    while index < len(inner):
        key = inner[index]
        items = node.get(key) if isinstance(node, dict) else None
        if key in labels and index + 1 < len(inner) and isinstance(inner[index + 1], int):
            position = inner[index + 1]
            parts.append(f"{labels[key]} {position + 1}{_named(items, position)}")
            node = items[position] if isinstance(items, list) and position < len(items) else None
            index += 2
            continue
        parts.append(".".join(str(p) for p in inner[index:]))
        break
    return " · ".join(parts) or _("(record)")


def _structure_problems(data: Any) -> list[ImportProblem]:
    validator = Draft202012Validator(CATALOG_SCHEMA)
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = list(error.path)
        problems.append(
            ImportProblem(_record_label(data, path), _field_label(data, path), error.message)
        )
    return problems


def _resolve_agencies(refs: list[str], known: dict[str, Agency]) -> tuple[list[Agency], list[str]]:
    agencies: list[Agency] = []
    errors: list[str] = []
    for ref in refs:
        if ref == ALL_WARDS:
            agencies.extend(a for a in known.values() if a.kind == AgencyKind.WARD_COMMITTEE)
            continue
        try:
            code = normalize_agency_code(ref)
        except Exception:
            errors.append(_("%(code)s is not an agency code.") % {"code": ref})
            continue
        if code not in known:
            errors.append(_("No agency has the code %(code)s.") % {"code": ref})
        else:
            agencies.append(known[code])
    return agencies, errors


def _semantic_problems(
    data: dict[str, Any], known_agencies: dict[str, Agency]
) -> list[ImportProblem]:
    problems: list[ImportProblem] = []
    field_codes = {f["code"] for f in data.get("fields", [])} | set(
        Field.objects.values_list("code", flat=True)
    )
    seen_fields: set[str] = set()
    for index, field in enumerate(data.get("fields", [])):
        if field["code"] in seen_fields:
            label = _record_label(data, ["fields", index])
            problems.append(ImportProblem(label, "code", _("This code appears twice in the file.")))
        seen_fields.add(field["code"])

    seen_codes: set[str] = set()
    for index, record in enumerate(data["procedures"]):
        label = _record_label(data, ["procedures", index])
        if record["code"] in seen_codes:
            problems.append(ImportProblem(label, "code", _("This code appears twice in the file.")))
        seen_codes.add(record["code"])
        if record["field"] not in field_codes:
            problems.append(
                ImportProblem(
                    label, "field", _("Unknown field %(code)s.") % {"code": record["field"]}
                )
            )
        _agencies, agency_errors = _resolve_agencies(record["agencies"], known_agencies)
        problems.extend(ImportProblem(label, "agencies", message) for message in agency_errors)
        for case_index, case in enumerate(record["cases"]):
            where = ["procedures", index, "cases", case_index]
            schema_errors = eform_schema_errors(case.get("eform", {}))
            for message in schema_errors:
                field = _field_label(data, [*where, "eform"])
                problems.append(ImportProblem(label, field, message))
            if not schema_errors:
                try:
                    example_document(case.get("eform", {}))
                except NoAnswer as exc:
                    problems.append(
                        ImportProblem(
                            label,
                            _field_label(data, [*where, "eform"]),
                            _("No answer can satisfy this e-form (%(fields)s).") % {"fields": exc},
                        )
                    )
            for component_index, component in enumerate(case.get("components", [])):
                if problem := per_row_problem(component.get("per_row_of", ""), case.get("eform")):
                    field = _field_label(data, [*where, "components", component_index])
                    problems.append(ImportProblem(label, field, problem))
                if component.get("mandatory", True) and not component.get("document_type"):
                    field = _field_label(data, [*where, "components", component_index])
                    problems.append(
                        ImportProblem(
                            label,
                            field,
                            _(
                                "A required document needs its document-type code, so that a "
                                "document the city already holds can be reused."
                            ),
                        )
                    )
    return problems


def catalog_warnings(data: dict[str, Any]) -> list[ImportProblem]:
    """What imports but deserves a look: a case whose steps take longer than its limit."""
    warnings = []
    for index, record in enumerate(data.get("procedures", [])):
        label = _record_label(data, ["procedures", index])
        for case_index, case in enumerate(record.get("cases", [])):
            message = _steps_over_limit(
                Decimal(str(case.get("time_limit", 0))),
                [Decimal(str(step.get("duration", 0))) for step in case.get("steps", [])],
            )
            if message:
                where = ["procedures", index, "cases", case_index]
                warnings.append(ImportProblem(label, _field_label(data, where), message))
    return warnings


def case_warnings(case: ProcedureCase) -> list[str]:
    """The same look at a case saved in the admin."""
    message = _steps_over_limit(case.time_limit, [step.duration for step in case.steps.all()])
    return [f"{case.procedure.code} · {case.name}: {message}"] if message else []


def _steps_over_limit(limit: Decimal, durations: list[Decimal]) -> str:
    total = sum(durations, Decimal(0))
    if total <= limit:
        return ""
    return _(
        "The processing steps add up to %(total)s, more than the time limit of %(limit)s: the "
        "last steps would fall due after the appointment."
    ) % {"total": _plain(total), "limit": _plain(limit)}


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def parse_catalog(raw: bytes | str) -> dict[str, Any]:
    """Decode an uploaded catalogue file, or raise ``CatalogImportError``."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        data = json.loads(text)
    except UnicodeDecodeError:
        raise CatalogImportError(
            [ImportProblem(_("file"), _("(encoding)"), _("The file is not UTF-8 text."))]
        ) from None
    except json.JSONDecodeError as exc:
        raise CatalogImportError(
            [
                ImportProblem(
                    _("file"),
                    _("line %(line)s, column %(col)s") % {"line": exc.lineno, "col": exc.colno},
                    _("The file is not valid JSON: %(message)s") % {"message": exc.msg},
                )
            ]
        ) from None
    if not isinstance(data, dict):
        raise CatalogImportError(
            [ImportProblem(_("file"), _("(record)"), _("The file must hold a JSON object."))]
        )
    return data


def validate_catalog(data: dict[str, Any]) -> list[ImportProblem]:
    """Every problem in the file; empty when it can be imported as a whole."""
    problems = _structure_problems(data)
    if problems:
        return problems
    known = {a.code: a for a in Agency.objects.current()}
    return _semantic_problems(data, known)


@transaction.atomic
def import_catalog(data: dict[str, Any], *, actor: User | None) -> ImportReport:
    """Import fields and procedures: all of them, or nothing if any record is wrong.

    Existing procedures (same code) are replaced by the file's content as a new version.
    """
    problems = validate_catalog(data)
    if problems:
        raise CatalogImportError(problems)
    known = {a.code: a for a in Agency.objects.current()}

    fields = {f.code: f for f in Field.objects.all()}
    for item in data.get("fields", []):
        field, _created = Field.objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "name_en": item.get("name_en", "")}
        )
        fields[field.code] = field

    warnings = tuple(catalog_warnings(data))
    created = updated = 0
    for record in data["procedures"]:
        procedure, was_created = Procedure.objects.update_or_create(
            code=record["code"],
            defaults={
                "name": record["name"],
                "field": fields[record["field"]],
                "service_kind": record.get("service_kind", ServiceKind.ADMINISTRATIVE),
                "applicant_type": record["applicant_type"],
                "agency_level": record["agency_level"],
                "online_level": record["online_level"],
                "description": record.get("description", ""),
                "method": record.get("method", ""),
                "conditions": record.get("conditions", ""),
                "result_document": record["result_document"],
                "legal_basis": record.get("legal_basis", []),
                "publishing_decision": record.get("publishing_decision", ""),
                "status": record.get("status", PublicationStatus.DRAFT),
                "required_assurance_level": record.get("required_assurance_level", 1),
            },
        )
        agencies, _errors = _resolve_agencies(record["agencies"], known)
        procedure.agencies.set(agencies)
        procedure.cases.all().delete()
        for position, case in enumerate(record["cases"]):
            _create_case(procedure, position, case)
        record_version(procedure=procedure, actor=actor, note="import")
        created += was_created
        updated += not was_created
    return ImportReport(
        created=created,
        updated=updated,
        fields=len(data.get("fields", [])),
        warnings=warnings,
    )


def _create_case(procedure: Procedure, position: int, data: dict[str, Any]) -> ProcedureCase:
    case = ProcedureCase.objects.create(
        procedure=procedure,
        position=position,
        name=data["name"],
        time_limit=Decimal(str(data["time_limit"])),
        time_unit=data["time_unit"],
        fee=data.get("fee", 0),
        fee_description=data.get("fee_description", ""),
        fee_basis=data.get("fee_basis", FeeBasis.FIXED),
        fee_copies_field=data.get("fee_copies_field", ""),
        fee_rules=data.get("fee_rules", []),
        payment_timing=data.get("payment_timing", PaymentTiming.BEFORE_PROCESSING),
        eform_schema=data.get("eform", {}),
    )
    Component.objects.bulk_create(
        Component(
            case=case,
            position=index,
            name=item["name"],
            document_type=item.get("document_type", ""),
            mandatory=item.get("mandatory", True),
            fetched_by_agency=item.get("fetched_by_agency", False),
            originals=item.get("originals", 1),
            copies=item.get("copies", 0),
            form_template=item.get("form_template", ""),
            per_row_of=item.get("per_row_of", ""),
        )
        for index, item in enumerate(data.get("components", []))
    )
    ProcessingStep.objects.bulk_create(
        ProcessingStep(
            case=case,
            position=index,
            name=item["name"],
            role=item["role"],
            duration=Decimal(str(item["duration"])),
        )
        for index, item in enumerate(data.get("steps", []))
    )
    return case
