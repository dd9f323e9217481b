"""The payload of the national portal's dossier synchronisation (``DongBoHoSoMC``).

Field names follow the national portal's synchronisation service as provincial systems call
it; docs/national-portal-sync.md gives each field's meaning, our source and where the name
comes from. Built by the worker when it sends a change, from the dossier as it is then, with
the status of that change; kept on the outbox row, so the administrator sees what was sent.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from motcua.dossiers.lifecycle import Transition, national_code
from motcua.dossiers.models import Delivery, Dossier, DossierEvent
from motcua.results.models import IssuedResult

from .formats import national_time

SERVICE = "DongBoHoSoMC"
CITIZEN, BUSINESS = "1", "2"  # LoaiDoiTuong


def build(dossier: Dossier, status: int) -> dict[str, Any]:
    """One element of ``data``: the dossier as it is now, with the national ``status``
    (load the dossier with its procedure's field, version, applicant, business and agencies)."""
    procedure = dossier.procedure
    applicant = dossier.applicant
    business = dossier.on_behalf_of
    events = list(
        DossierEvent.objects.filter(dossier=dossier)
        .select_related("actor")
        .order_by("created_at", "id")
    )
    decided = _last(events, Transition.DECIDE)
    returned = _last(events, Transition.RETURN_RESULT)
    unit = dossier.processing_unit or dossier.receiving_agency
    rules = dossier.rules
    form = dossier.form_data if isinstance(dossier.form_data, dict) else {}
    fee = rules.fee_for(form)
    last_reason = next((e.reason for e in reversed(events) if e.reason), "")
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": procedure.field.code,
        "TenLinhVuc": procedure.field.name,
        "KenhThucHien": str(dossier.channel),
        "ChuHoSo": business.name if business else (applicant.full_name or applicant.username),
        "LoaiDoiTuong": BUSINESS if business else CITIZEN,
        "SoGiayToChuHoSo": (business.tax_code if business else applicant.personal_id) or "",
        "MaDoiTuong": "",
        "ThongTinKhac": "",
        "Email": applicant.email,
        "Fax": "",
        "SoDienThoai": applicant.phone,
        "TrichYeuHoSo": f"{procedure.name}: {dossier.case_name}"[:500],
        "NgayTiepNhan": national_time(dossier.accepted_at or dossier.submitted_at),
        "NgayHenTra": national_time(dossier.due_at),
        "TrangThaiHoSo": str(national_code(status)),
        "NgayTra": national_time(returned.created_at if returned else None),
        "ThongTinTra": "",
        "HinhThuc": "1" if dossier.delivery == Delivery.POST else "0",
        "NgayKetThucXuLy": national_time(
            decided.created_at if decided else (dossier.finished_at if not returned else None)
        ),
        "DonViXuLy": unit.name,
        "GhiChu": last_reason[:1000],
        "TaiLieuNop": _components(dossier),
        "DanhSachLePhi": (
            [
                {
                    "TenPhiLePhi": rules.fee_description or procedure.name,
                    "MaPhiLePhi": "",
                    "HinhThucThu": "",
                    "Gia": str(fee),
                    "LoaiPhiLePhi": "",
                }
            ]
            if fee
            else []
        ),
        "DanhSachTepDinhKemKhac": [],
        "DanhSachHoSoBoSung": _supplements(events),
        "DanhSachGiayToKetQua": _results(dossier),
    }


def _last(events: list[DossierEvent], transition: str) -> DossierEvent | None:
    return next((e for e in reversed(events) if e.transition == transition), None)


def _components(dossier: Dossier) -> list[dict[str, str]]:
    """The files filed (names only: the files stay with the city, which shows them to whoever
    may see them)."""
    components = dossier.rules.components
    items = []
    for attachment in dossier.attachments.all().order_by("component_position", "uploaded_at"):
        position = attachment.component_position
        document_type = (
            components[position].document_type if 0 <= position < len(components) else ""
        )
        items.append(
            {
                "TepDinhKemId": str(attachment.pk),
                "TenTepDinhKem": attachment.component_name,
                "IsDeleted": "False",
                "MaThanhPhanHoSo": document_type,
                "DuongDanTaiTepTin": "",
            }
        )
    return items


def _supplements(events: list[DossierEvent]) -> list[dict[str, Any]]:
    """Each supplement request (form 02) and, once given, the applicant's answer."""
    items: list[dict[str, Any]] = []
    for index, event in enumerate(events):
        if event.transition != Transition.REQUEST_SUPPLEMENT:
            continue
        answer = next(
            (
                e
                for e in events[index + 1 :]
                if e.transition in (Transition.SUPPLEMENT, Transition.REQUEST_SUPPLEMENT)
            ),
            None,
        )
        answered_at = (
            answer.created_at
            if answer is not None and answer.transition == Transition.SUPPLEMENT
            else None
        )
        items.append(
            {
                "HoSoBoSungId": str(event.pk),
                "NguoiYeuCauBoSung": (event.actor.full_name if event.actor else ""),
                "NoiDungBoSung": event.reason,
                "NgayBoSung": national_time(event.created_at),
                "NguoiTiepNhanBoSung": "",
                "ThongTinTiepNhan": "",
                "NgayTiepNhanBoSung": national_time(answered_at),
                "TrangThaiBoSung": "1" if answered_at else "0",
                "DanhSachGiayToBoSung": [],
                "DanhSachLePhiBoSung": [],
                "NgayHenTraTruoc": "",
                "NgayHenTraMoi": "",
            }
        )
    return items


def _results(dossier: Dossier) -> list[dict[str, str]]:
    """The signed results in force, each with the page where anyone can verify it."""
    items = []
    for result in IssuedResult.objects.filter(dossier=dossier, revoked_at__isnull=True):
        verify = settings.MOTCUA_PUBLIC_URL + reverse("results:verify_token", args=[result.token])
        items.append(
            {
                "TenGiayTo": dossier.procedure.result_document,
                "MaThanhPhanHoSo": "",
                "GiayToId": result.number,
                "DuongDanTepTinKetQua": verify,
            }
        )
    return items
