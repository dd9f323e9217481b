"""Result templates for the demo's main procedures, and example decision values for rehearsals.

Loaded by ``manage.py load_demo``: the birth registration (1.001193) gives an extract of the
birth registration, the building permit for a house (1.009994) a permit with its site, area,
floors and validity. Safe to run again: an existing template (maybe edited by an
administrator) is left as it is.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.printing.frame import local

from . import services
from .models import ResultTemplate

BIRTH_REGISTRATION = "1.001193"
HOUSE_BUILDING_PERMIT = "1.009994"

DEMO_TEMPLATES: dict[str, dict[str, object]] = {
    BIRTH_REGISTRATION: {
        "title": "Trích lục khai sinh",
        "decision_fields": [
            {
                "name": "so_dang_ky",
                "label": "Số đăng ký khai sinh",
                "type": "text",
                "required": True,
            },
            {"name": "quyen_so", "label": "Quyển số", "type": "text", "required": False},
            {
                "name": "so_dinh_danh_tre",
                "label": "Số định danh cá nhân của trẻ",
                "type": "text",
                "required": False,
            },
        ],
        "body": "\n".join(
            [
                "Số đăng ký: {{ decision.so_dang_ky }}{% if decision.quyen_so %}, "
                "quyển số {{ decision.quyen_so }}{% endif %}.",
                "Họ, chữ đệm và tên: {{ form.ho_ten_tre|upper }}",
                "Ngày, tháng, năm sinh: {{ form.ngay_sinh }}",
                "Giới tính: {{ form.gioi_tinh }}",
                "Nơi sinh: {{ form.noi_sinh }}",
                "{% if decision.so_dinh_danh_tre %}Số định danh cá nhân: "
                "{{ decision.so_dinh_danh_tre }}{% endif %}",
                "Họ, chữ đệm và tên người mẹ: {{ form.ho_ten_me }}"
                "{% if form.quoc_tich_me %}, quốc tịch {{ form.quoc_tich_me }}{% endif %}",
                "Họ, chữ đệm và tên người cha: "
                "{{ form.ho_ten_cha|default:'(không có thông tin)' }}",
                "Người đi khai sinh: {{ applicant }}"
                "{% if form.quan_he_nguoi_khai %} ({{ form.quan_he_nguoi_khai }}){% endif %}.",
                "Nơi đăng ký: {{ agency.name }}; hồ sơ {{ dossier.code }}.",
                "Trích lục này được cấp dạng điện tử, có giá trị như bản chính Giấy khai sinh "
                "trong các giao dịch.",
            ]
        ),
    },
    HOUSE_BUILDING_PERMIT: {
        "title": "Giấy phép xây dựng số {{ decision.so_giay_phep }}",
        "decision_fields": [
            {"name": "so_giay_phep", "label": "Số giấy phép", "type": "text", "required": True},
            {
                "name": "dien_tich_xay_dung",
                "label": "Diện tích xây dựng tầng 1 được cấp (m²)",
                "type": "number",
                "required": False,
            },
            {"name": "so_tang", "label": "Số tầng được cấp", "type": "number", "required": False},
            {
                "name": "chieu_cao",
                "label": "Chiều cao công trình được cấp (m)",
                "type": "number",
                "required": False,
            },
            {
                "name": "hieu_luc_den",
                "label": "Khởi công trước ngày",
                "type": "date",
                "required": True,
            },
        ],
        "body": "\n".join(
            [
                "Cấp cho: {{ form.ho_ten_chu_dau_tu|default:applicant }}"
                "{% if form.so_dinh_danh %}, số định danh cá nhân {{ form.so_dinh_danh }}"
                "{% endif %}.",
                "Được phép thực hiện: {{ dossier.case }}, theo hồ sơ {{ dossier.code }}, "
                "với các nội dung sau:",
                "Địa điểm xây dựng: {{ form.dia_diem_xay_dung }}",
                "Giấy chứng nhận quyền sử dụng đất số: {{ form.so_giay_cn_qsdd }}",
                "Diện tích xây dựng tầng 1: "
                "{{ decision.dien_tich_xay_dung|default:form.dien_tich_xay_dung }} m²",
                "{% if form.tong_dien_tich_san %}Tổng diện tích sàn: "
                "{{ form.tong_dien_tich_san }} m²{% endif %}",
                "Số tầng: {{ decision.so_tang|default:form.so_tang }}",
                "{% if decision.chieu_cao or form.chieu_cao %}Chiều cao công trình: "
                "{{ decision.chieu_cao|default:form.chieu_cao }} m{% endif %}",
                "Giấy phép này có hiệu lực khởi công xây dựng trong thời hạn 12 tháng kể từ ngày "
                "cấp; công trình phải khởi công trước ngày {{ decision.hieu_luc_den }}.",
                "Chủ đầu tư phải thông báo ngày khởi công cho {{ agency.name }} và thực hiện "
                "đúng giấy phép này.",
            ]
        ),
    },
}


@transaction.atomic
def load_demo_result_templates() -> int:
    """Create the demo templates the catalogue's procedures lack; returns how many were made."""
    created = 0
    for code, values in DEMO_TEMPLATES.items():
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            continue
        _template, made = ResultTemplate.objects.get_or_create(procedure=procedure, defaults=values)
        created += made
    return created


def fill_example_decision(*, dossier: Dossier, officer: User) -> None:
    """Example values for the required decision fields still empty (rehearsals, demos)."""
    template = services.result_template(dossier)
    if template is None:
        return
    values = services.decision_values(dossier)
    today = local(timezone.now()).date()
    for field in template.fields:
        if not field.required or values.get(field.name):
            continue
        if field.type == "date":
            values[field.name] = (today + datetime.timedelta(days=365)).strftime("%d/%m/%Y")
        elif field.type == "number":
            values[field.name] = "1"
        else:
            values[field.name] = f"{dossier.code}/{today.year}"
    services.save_decision_values(dossier=dossier, officer=officer, values=values)
