"""The demo's document types of results (``manage.py load_demo``): the birth registration's
extract (1.001193) is the birth certificate (GIAY_KHAI_SINH) that the correction of civil
status (1.004859) and the inheritance agreement (2.001019) ask for, so the extract of a first
dossier is offered in the second. The death extract (1.000656) keeps the deceased's name and
date of death, which the inheritance agreement's form (2.001019) takes with ``x-prefill``.
Safe to run again: an existing row is left as it is."""

from __future__ import annotations

from motcua.catalog.models import Procedure

from .models import ResultType

DEMO_RESULT_TYPES = {
    "1.001193": ("GIAY_KHAI_SINH", "Trích lục khai sinh", ["ho_ten_tre", "ngay_sinh"]),
    "1.000894": ("GIAY_CHUNG_NHAN_KET_HON", "Giấy chứng nhận kết hôn", []),
    "1.000656": (
        "TRICH_LUC_KHAI_TU",
        "Trích lục khai tử",
        ["ho_ten_nguoi_chet", "ngay_chet", "so_dinh_danh_nguoi_chet"],
    ),
    "1.004873": ("GIAY_XN_TINH_TRANG_HON_NHAN", "Giấy xác nhận tình trạng hôn nhân", []),
}


def load_demo_result_types() -> int:
    created = 0
    for code, (document_type, title, fields) in DEMO_RESULT_TYPES.items():
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            continue
        _, new = ResultType.objects.get_or_create(
            procedure=procedure,
            defaults={"document_type": document_type, "title": title, "form_fields": fields},
        )
        created += new
    return created
