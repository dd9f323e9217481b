"""SANDBOX: a stand-in for the national public-service portal's integration service.

It answers the platform's client over HTTP as the portal's adapter does (``client``): a
session for the sandbox's account, ``DongBoHoSoMC`` checked and kept, ``LayDanhSachTTHC`` and
``LayThuTuc`` from the demo catalogue turned into the national database's format. It checks
what the real portal is known to check and what this platform promises: the required fields,
the ``yyyyMMddHHmmss`` dates, the codes, and that a dossier's statuses arrive in an order its
lifecycle allows (a repeat of the status it holds is an update, as the portal's replaces).
Nothing here is the real portal; its pages say so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone

from . import catalogue
from .client import SANDBOX_PASSWORD, SANDBOX_USERNAME
from .formats import parse_national_time
from .models import SandboxCall, SandboxDossier

SESSION_SALT = "motcua.nationalportal.sandbox.session"
SESSION_HOURS = 12
DEMO_CATALOGUE = Path(__file__).resolve().parent.parent / "catalog" / "demo" / "catalog_danang.json"

# The national status codes (DOMAIN.md §4) a dossier may move to from each; 3, 7, 8 and 10
# end it. A supplement (5) or a fee (6) goes back to where the dossier was.
NEXT: dict[int, frozenset[int]] = {
    1: frozenset({2, 3, 5, 7}),
    2: frozenset({4, 5, 6, 7, 8}),
    4: frozenset({5, 6, 7, 8, 9}),
    5: frozenset({1, 2, 4, 7, 8}),
    6: frozenset({2, 4, 7, 8, 9}),
    9: frozenset({6, 10}),
    3: frozenset(),
    7: frozenset(),
    8: frozenset(),
    10: frozenset(),
}

REQUIRED = (
    "MaHoSo",
    "MaTTHC",
    "TenTTHC",
    "ChuHoSo",
    "LoaiDoiTuong",
    "SoGiayToChuHoSo",
    "NgayTiepNhan",
    "TrangThaiHoSo",
    "DonViXuLy",
)
DATES = ("NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy")
LISTS = ("TaiLieuNop", "DanhSachLePhi", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua")
DOSSIER_CODE = re.compile(r"^[A-Z][A-Z0-9.]*-\d{6}-\d{4,}$")
PROCEDURE_CODE = re.compile(r"^\d\.\d{6}(\.[A-Z]\d{2}(\.\d{2,3})*)?$")
PERSONAL_ID = re.compile(r"^\d{12}$")
TAX_CODE = re.compile(r"^\d{10}(-?\d{3})?$")


class Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# --- sessions -------------------------------------------------------------------------------


def sign_in(body: Mapping[str, Any]) -> str | None:
    """A session for the sandbox's account; None for any other name or password."""
    if body.get("username") != SANDBOX_USERNAME or body.get("password") != SANDBOX_PASSWORD:
        return None
    return signing.dumps({"u": SANDBOX_USERNAME}, salt=SESSION_SALT)


def session_valid(token: object) -> bool:
    if not isinstance(token, str) or not token:
        return False
    try:
        signing.loads(token, salt=SESSION_SALT, max_age=SESSION_HOURS * 3600)
    except signing.BadSignature:
        return False
    return True


# --- dossier synchronisation ----------------------------------------------------------------


def synchronise(body: Mapping[str, Any]) -> dict[str, Any]:
    """Check a ``DongBoHoSoMC`` call and keep its dossiers, all of them or none (``Refused``)."""
    codes = ""
    try:
        if body.get("service") != "DongBoHoSoMC":
            raise Refused("01", f"Unknown service {body.get('service')!r}.")
        updating = body.get("isUpdating")
        if updating not in ("True", "False", True, False):
            raise Refused("01", 'isUpdating must be "True" or "False".')
        updating = updating in ("True", True)
        if not str(body.get("madonvi", "")).strip():
            raise Refused("01", "madonvi (the sending agency's code) is missing.")
        data = body.get("data")
        if not isinstance(data, list) or not data or len(data) > 100:
            raise Refused("01", "data must be a list of 1 to 100 dossiers.")
        codes = ",".join(str(item.get("MaHoSo", "")) for item in data if isinstance(item, dict))
        with transaction.atomic():
            for index, item in enumerate(data):
                _keep(index, item, updating=updating)
    except Refused as refusal:
        SandboxCall.objects.create(
            service=str(body.get("service", ""))[:40],
            dossier_code=codes[:40],
            accepted=False,
            error=f"{refusal.code}: {refusal}",
        )
        raise
    SandboxCall.objects.create(service="DongBoHoSoMC", dossier_code=codes[:40], accepted=True)
    return {"error_code": "00", "message": "Thành công (sandbox)"}


def _keep(index: int, item: Any, *, updating: bool) -> None:
    where = f"data[{index}]"
    if not isinstance(item, dict):
        raise Refused("02", f"{where} is not an object.")
    missing = [name for name in REQUIRED if not str(item.get(name, "")).strip()]
    if missing:
        raise Refused("02", f"{where}: required field(s) empty: {', '.join(missing)}.")
    code = str(item["MaHoSo"])
    where = f"{where} {code}"
    if not DOSSIER_CODE.match(code):
        raise Refused("02", f"{where}: MaHoSo is not a dossier code (agency-yyMMdd-NNNN).")
    if not PROCEDURE_CODE.match(str(item["MaTTHC"])):
        raise Refused("02", f"{where}: MaTTHC is not a procedure code (d.dddddd).")
    kind = str(item["LoaiDoiTuong"])
    number = str(item["SoGiayToChuHoSo"])
    if kind not in ("1", "2"):
        raise Refused("02", f"{where}: LoaiDoiTuong must be 1 (citizen) or 2 (business).")
    if kind == "1" and not PERSONAL_ID.match(number):
        raise Refused("02", f"{where}: SoGiayToChuHoSo must be a 12-digit personal number.")
    if kind == "2" and not TAX_CODE.match(number):
        raise Refused("02", f"{where}: SoGiayToChuHoSo must be a 10- or 13-digit tax code.")
    for name in DATES:
        value = str(item.get(name, "") or "")
        if value:
            try:
                parse_national_time(value)
            except ValueError:
                raise Refused(
                    "02", f"{where}: {name} {value!r} is not a time as yyyyMMddHHmmss."
                ) from None
    for name in LISTS:
        if not isinstance(item.get(name, []), list):
            raise Refused("02", f"{where}: {name} must be a list.")
    try:
        status = int(str(item["TrangThaiHoSo"]))
    except ValueError:
        status = 0
    if status not in NEXT:
        raise Refused("02", f"{where}: TrangThaiHoSo must be a status code from 1 to 10.")

    held = SandboxDossier.objects.select_for_update().filter(code=code).first()
    now = timezone.now()
    if held is None:
        if updating:
            raise Refused("03", f"{where}: no such dossier here; send it first (isUpdating False).")
        if status != 1:
            raise Refused("03", f"{where}: a dossier starts as 1 (new), not {status}.")
        SandboxDossier.objects.create(
            code=code,
            procedure_code=str(item["MaTTHC"]),
            agency_code=code.split("-")[0],
            status=status,
            statuses=[status],
            payload=item,
            created_at=now,
            updated_at=now,
        )
        return
    if status != held.status and status not in NEXT[held.status]:
        raise Refused("03", f"{where}: the status cannot go from {held.status} to {status}.")
    if not updating and status != held.status:
        raise Refused("03", f"{where}: the dossier is already here (isUpdating must be True).")
    held.status = status
    held.statuses = [*held.statuses, status]
    held.payload = item
    held.updated_at = now
    held.save(update_fields=["status", "statuses", "payload", "updated_at"])


# --- the national procedure database --------------------------------------------------------


def catalogue_source() -> Path:
    """The file the sandbox publishes as the national database (tests point it elsewhere)."""
    return DEMO_CATALOGUE


@lru_cache(maxsize=4)
def _published(path: str, modified: float) -> dict[str, dict[str, Any]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    fields = {item["code"]: item for item in data.get("fields", [])}
    return {record["code"]: catalogue.to_national(record, fields) for record in data["procedures"]}


def published() -> dict[str, dict[str, Any]]:
    path = catalogue_source()
    return _published(str(path), path.stat().st_mtime)


def share(body: Mapping[str, Any]) -> dict[str, Any]:
    service = body.get("service")
    records = published()
    if service == "LayDanhSachTTHC":
        result = [{"MATTHC": r["MATTHC"], "TENTTHC": r["TENTTHC"]} for r in records.values()]
        return {"error_code": "00", "result": result}
    if service == "LayThuTuc":
        record = records.get(str(body.get("maTTHC", "")))
        return {"error_code": "00", "result": [record] if record else []}
    raise Refused("01", f"Unknown service {service!r}.")
