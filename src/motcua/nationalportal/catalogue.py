"""The national procedure database's format, to and from the catalogue's import format.

The national database publishes a procedure (``LayThuTuc``) as upper-case keys: ``MATTHC``,
``TENTTHC``, ``LINHVUCTHUCHIEN`` [``MALINHVUC``, ``TENLINHVUC``], ``CAPTHUCHIEN``,
``DOITUONGTHUCHIEN``, ``TRINHTUTHUCHIEN`` [``TRUONGHOP``, ``TRINHTU`` [``TENTRINHTU``]],
``CACHTHUCTHUCHIEN`` [``KENH``, ``THOIGIAN`` [``THOIGIANGIAIQUYET``, ``DONVITINH``, ``MOTA``,
``PHILEPHI`` [``MAPHILEPHI``, ``SOTIEN``, ``DONVI``, ``MOTA``]]], ``THANHPHANHOSO``
[``TRUONGHOP``, ``GIAYTO`` [``MAGIAYTO``, ``TENGIAYTO``, ``TENMAUDON``, ``URL`` …]],
``KETQUATHUCHIEN`` [``MAKETQUA``, ``TENKETQUA``], ``CANCUPHAPLY`` [``SOVANBAN``,
``TENVANBAN``], ``YEUCAU``, ``COQUANTHUCHIEN`` [``MADONVI``, ``TENDONVI``], ``TRANGTHAI``.
docs/national-portal-sync.md says which names come from a public source and which are ours.

A case (trường hợp) is matched by its name: ``TRUONGHOP`` of the documents, ``MOTA`` of the
time limit. What the national format does not carry (the e-form, the processing steps and
their roles, fee rules, the kind of service, the assurance level asked, the publication state)
is the city's and is kept when a procedure is updated; a new procedure comes in as a draft.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from motcua.catalog.services import ALL_WARDS

LEVELS = {"city": "Cấp Tỉnh", "ward": "Cấp Xã"}
UNITS = {
    "working_days": "Ngày làm việc",
    "calendar_days": "Ngày",
    "working_hours": "Giờ làm việc",
}
APPLICANTS = {
    "citizen": ["Công dân Việt Nam"],
    "business": ["Doanh nghiệp"],
    "both": ["Công dân Việt Nam", "Doanh nghiệp"],
}
ONLINE = {"full": "Toàn trình", "partial": "Một phần"}
WARDS = "Ủy ban nhân dân xã, phường, đặc khu"
CHANNEL_IN_PERSON, CHANNEL_ONLINE = 1, 2
DOCUMENT_NUMBER = re.compile(r"\d+/\d{4}/[A-ZĐ0-9-]+")


def _number(value: Decimal | int | float) -> int | float:
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def to_national(record: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """A procedure of the catalogue's import format as the national database publishes it."""
    field = fields.get(record["field"], {"name": record["field"]})
    cases = record["cases"]
    times = [
        {
            "THOIGIANGIAIQUYET": case["time_limit"],
            "DONVITINH": UNITS[case["time_unit"]],
            "MOTA": case["name"],
            "PHILEPHI": [
                {
                    "MAPHILEPHI": "LP",
                    "SOTIEN": case.get("fee", 0),
                    "DONVI": "Đồng",
                    "MOTA": case.get("fee_description", ""),
                }
            ],
        }
        for case in cases
    ]
    channels = [{"KENH": CHANNEL_IN_PERSON, "THOIGIAN": times}]
    channels.append({"KENH": CHANNEL_ONLINE, "THOIGIAN": times})
    agencies = record["agencies"]
    return {
        "MATTHC": record["code"],
        "TENTTHC": record["name"],
        "LINHVUCTHUCHIEN": [{"MALINHVUC": record["field"], "TENLINHVUC": field["name"]}],
        "CAPTHUCHIEN": LEVELS[record["agency_level"]],
        "DOITUONGTHUCHIEN": APPLICANTS[record["applicant_type"]],
        "MUCDO": ONLINE[record["online_level"]],
        "TRINHTUTHUCHIEN": [
            {
                "TRUONGHOP": case["name"],
                "TRINHTU": [{"TENTRINHTU": step["name"]} for step in case.get("steps", [])],
            }
            for case in cases
        ],
        "CACHTHUCTHUCHIEN": channels,
        "THANHPHANHOSO": [
            {
                "TRUONGHOP": case["name"],
                "GIAYTO": [
                    {
                        "MAGIAYTO": item.get("document_type", ""),
                        "TENGIAYTO": item["name"],
                        "SOBANCHINH": item.get("originals", 1),
                        "SOBANSAO": item.get("copies", 0),
                        "TENMAUDON": item.get("form_template", ""),
                        "URL": "",
                        "BATBUOC": 1 if item.get("mandatory", True) else 0,
                    }
                    for item in case.get("components", [])
                ],
            }
            for case in cases
        ],
        "KETQUATHUCHIEN": [{"MAKETQUA": "", "TENKETQUA": record["result_document"]}],
        "CANCUPHAPLY": [
            {"SOVANBAN": _document_number(text), "TENVANBAN": text}
            for text in record.get("legal_basis", [])
        ],
        "YEUCAU": record.get("conditions", ""),
        "COQUANTHUCHIEN": (
            [{"MADONVI": "", "TENDONVI": WARDS}]
            if agencies == [ALL_WARDS]
            else [{"MADONVI": code, "TENDONVI": ""} for code in agencies]
        ),
        "TRANGTHAI": 1,
    }


def _document_number(text: str) -> str:
    found = DOCUMENT_NUMBER.search(text)
    return found.group(0) if found else ""


# --- from the national format ---------------------------------------------------------------


def field_code(national: str) -> str:
    """A national field code as the catalogue's field code (lower case, letters and digits)."""
    plain = unicodedata.normalize("NFKD", national).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:64] or "khac"


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _integer(value: Any, default: int = 0) -> int:
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return default


def _unit(text: str) -> str:
    lowered = text.lower()
    if "giờ" in lowered:
        return "working_hours"
    if "làm việc" in lowered:
        return "working_days"
    return "calendar_days"


def _applicant_type(values: Any, default: str) -> str:
    texts = " ".join(_text(v) for v in values) if isinstance(values, list) else _text(values)
    lowered = texts.lower()
    people = "công dân" in lowered or "cá nhân" in lowered
    organisations = "doanh nghiệp" in lowered or "tổ chức" in lowered
    if people and organisations:
        return "both"
    if organisations:
        return "business"
    if people:
        return "citizen"
    return default


def fields_of(national: Mapping[str, Any]) -> list[dict[str, str]]:
    return [
        {"code": field_code(_text(item.get("MALINHVUC"))), "name": _text(item.get("TENLINHVUC"))}
        for item in _list(national.get("LINHVUCTHUCHIEN"))[:1]
    ]


def from_national(
    national: Mapping[str, Any],
    existing: Mapping[str, Any] | None,
    known_agencies: set[str],
) -> dict[str, Any]:
    """A record of the catalogue's import format from a national record, keeping what only
    the city holds from ``existing`` (the procedure's current export, None when new).

    ``known_agencies``: codes of the agencies the platform has (as the catalogue stores them).
    """
    base: dict[str, Any] = dict(existing or {})
    field = fields_of(national)
    level_text = _text(national.get("CAPTHUCHIEN")).lower()
    if "xã" in level_text or "phường" in level_text:
        level = "ward"
    elif level_text:
        level = "city"
    else:
        level = str(base.get("agency_level", "city"))
    online_text = _text(national.get("MUCDO")).lower()
    if online_text in ("toàn trình", "4"):
        online = "full"
    elif online_text:
        online = "partial"
    else:
        online = str(base.get("online_level", "partial"))
    results = [_text(i.get("TENKETQUA")) for i in _list(national.get("KETQUATHUCHIEN"))]
    record = {
        **base,
        "code": _text(national.get("MATTHC")),
        "name": _text(national.get("TENTTHC")) or base.get("name", ""),
        "field": field[0]["code"] if field else base.get("field", "khac"),
        "applicant_type": _applicant_type(
            national.get("DOITUONGTHUCHIEN"), str(base.get("applicant_type", "citizen"))
        ),
        "agency_level": level,
        "online_level": online,
        "agencies": _agencies(national, level, base, known_agencies),
        "result_document": "; ".join(r for r in results if r) or base.get("result_document", ""),
        "legal_basis": [
            _text(i.get("TENVANBAN")) or _text(i.get("SOVANBAN"))
            for i in _list(national.get("CANCUPHAPLY"))
            if _text(i.get("TENVANBAN")) or _text(i.get("SOVANBAN"))
        ],
        "conditions": _text(national.get("YEUCAU")),
        "cases": _cases(national, base.get("cases", [])),
    }
    record.setdefault("status", "draft")
    for key in ("exported_at",):
        record.pop(key, None)
    return record


def _agencies(
    national: Mapping[str, Any], level: str, base: Mapping[str, Any], known: set[str]
) -> list[str]:
    from motcua.agencies.codes import normalize_agency_code

    codes = []
    for item in _list(national.get("COQUANTHUCHIEN")):
        raw = _text(item.get("MADONVI"))
        if not raw:
            continue
        try:
            code = normalize_agency_code(raw)
        except Exception:
            code = raw
        codes.append(code)
    resolvable = sorted(code for code in codes if code in known)
    if resolvable and len(resolvable) == len(codes):
        return resolvable
    if base.get("agencies"):
        return list(base["agencies"])  # the city's own choice stands when the codes say less
    if not codes and level == "ward":
        return [ALL_WARDS]
    return codes or [ALL_WARDS]  # unknown codes are reported by the import's check


def _cases(national: Mapping[str, Any], existing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    channels = _list(national.get("CACHTHUCTHUCHIEN"))
    online = next((c for c in channels if _integer(c.get("KENH")) == CHANNEL_ONLINE), None)
    chosen = online or (channels[0] if channels else {})
    times = {_text(t.get("MOTA")): t for t in _list(chosen.get("THOIGIAN"))}
    documents = {_text(d.get("TRUONGHOP")): d for d in _list(national.get("THANHPHANHOSO"))}
    names: list[str] = []
    for name in [*times, *documents]:
        if name not in names:
            names.append(name)
    by_name = {case.get("name"): case for case in existing}
    procedure_name = _text(national.get("TENTTHC"))
    cases = []
    for name in names or [""]:
        old = dict(by_name.get(name or procedure_name) or {})
        time = times.get(name, {})
        fees = _list(time.get("PHILEPHI"))
        fee = fees[0] if fees else {}
        case = {
            **old,
            "name": name or procedure_name,
            "time_limit": _number(Decimal(str(time.get("THOIGIANGIAIQUYET", 0) or 0)))
            if time
            else old.get("time_limit", 0),
            "time_unit": _unit(_text(time.get("DONVITINH")))
            if time
            else old.get("time_unit", "working_days"),
            "fee": _integer(fee.get("SOTIEN")) if fee else old.get("fee", 0),
            "fee_description": _text(fee.get("MOTA")) if fee else old.get("fee_description", ""),
            "components": _components(documents.get(name, {}), old.get("components", [])),
        }
        case.setdefault("steps", [])
        case.setdefault("eform", {})
        cases.append(case)
    return cases


def _components(
    documents: Mapping[str, Any], existing: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    by_name = {item.get("name"): item for item in existing}
    components = []
    for item in _list(documents.get("GIAYTO")):
        name = _text(item.get("TENGIAYTO"))
        old = by_name.get(name, {})
        components.append(
            {
                "name": name,
                "document_type": _text(item.get("MAGIAYTO")) or old.get("document_type", ""),
                "mandatory": bool(_integer(item.get("BATBUOC"), 1)),
                "originals": _integer(item.get("SOBANCHINH"), 1),
                "copies": _integer(item.get("SOBANSAO"), 0),
                "form_template": _text(item.get("TENMAUDON")) or old.get("form_template", ""),
            }
        )
    return components
