"""Đà Nẵng's agencies for the demo set-up: city committee, departments, all 94 wards/communes
(from ``vietnam-provinces``), public service units, Party bodies, socio-political organisations.

Codes follow DOMAIN.md §3: the demo city root is H17 (configurable), ward/commune committees are
H17.50.NN in ward-code order. Verify against the published national list before production use.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import ProvinceCode, Ward

from .models import Agency, AgencyKind, AgencyLevel, OneStopDesk

REORGANISATION = datetime.date(2025, 7, 1)
CITY_CENTRE = "Trung tâm Hành chính thành phố, 24 Trần Phú, Đà Nẵng"


@dataclass(frozen=True)
class DemoAgency:
    code: str
    name: str
    name_en: str
    kind: str
    parent: str | None = None


CITY = DemoAgency(
    "H17",
    "Ủy ban nhân dân thành phố Đà Nẵng",
    "Da Nang City People's Committee",
    AgencyKind.PEOPLES_COMMITTEE,
)
DEPARTMENTS = [
    DemoAgency(
        "H17.01",
        "Văn phòng Ủy ban nhân dân thành phố",
        "Office of the City People's Committee",
        AgencyKind.DEPARTMENT,
        "H17",
    ),
    DemoAgency("H17.02", "Sở Tư pháp", "Department of Justice", AgencyKind.DEPARTMENT, "H17"),
    DemoAgency("H17.03", "Sở Xây dựng", "Department of Construction", AgencyKind.DEPARTMENT, "H17"),
    DemoAgency("H17.04", "Sở Tài chính", "Department of Finance", AgencyKind.DEPARTMENT, "H17"),
    DemoAgency(
        "H17.05",
        "Sở Nông nghiệp và Môi trường",
        "Department of Agriculture and Environment",
        AgencyKind.DEPARTMENT,
        "H17",
    ),
    DemoAgency("H17.06", "Sở Y tế", "Department of Health", AgencyKind.DEPARTMENT, "H17"),
    DemoAgency(
        "H17.07",
        "Sở Giáo dục và Đào tạo",
        "Department of Education and Training",
        AgencyKind.DEPARTMENT,
        "H17",
    ),
    DemoAgency("H17.08", "Sở Nội vụ", "Department of Home Affairs", AgencyKind.DEPARTMENT, "H17"),
    DemoAgency(
        "H17.09", "Sở Công Thương", "Department of Industry and Trade", AgencyKind.DEPARTMENT, "H17"
    ),
    DemoAgency(
        "H17.10",
        "Sở Khoa học và Công nghệ",
        "Department of Science and Technology",
        AgencyKind.DEPARTMENT,
        "H17",
    ),
    DemoAgency(
        "H17.11",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Department of Culture, Sports and Tourism",
        AgencyKind.DEPARTMENT,
        "H17",
    ),
    DemoAgency(
        "H17.12",
        "Sở Dân tộc và Tôn giáo",
        "Department of Ethnic and Religious Affairs",
        AgencyKind.DEPARTMENT,
        "H17",
    ),
    DemoAgency("H17.13", "Thanh tra thành phố", "City Inspectorate", AgencyKind.DEPARTMENT, "H17"),
    DemoAgency(
        "H17.14", "Sở Ngoại vụ", "Department of Foreign Affairs", AgencyKind.DEPARTMENT, "H17"
    ),
]
PUBLIC_SERVICE_UNITS = [
    DemoAgency(
        "H17.01.01",
        "Trung tâm Phục vụ hành chính công thành phố",
        "City Public Administrative Service Centre",
        AgencyKind.PUBLIC_SERVICE_UNIT,
        "H17.01",
    ),
    DemoAgency(
        "H17.06.01",
        "Bệnh viện Đà Nẵng",
        "Da Nang Hospital",
        AgencyKind.PUBLIC_SERVICE_UNIT,
        "H17.06",
    ),
    DemoAgency(
        "H17.06.02",
        "Bệnh viện Phụ sản – Nhi Đà Nẵng",
        "Da Nang Hospital for Women and Children",
        AgencyKind.PUBLIC_SERVICE_UNIT,
        "H17.06",
    ),
    DemoAgency(
        "H17.06.03",
        "Trung tâm Kiểm soát bệnh tật thành phố",
        "City Centre for Disease Control",
        AgencyKind.PUBLIC_SERVICE_UNIT,
        "H17.06",
    ),
    DemoAgency(
        "H17.07.01",
        "Trường Trung học phổ thông Phan Châu Trinh",
        "Phan Chau Trinh High School",
        AgencyKind.PUBLIC_SERVICE_UNIT,
        "H17.07",
    ),
    DemoAgency(
        "H17.05.01",
        "Văn phòng Đăng ký đất đai thành phố",
        "City Land Registration Office",
        AgencyKind.PUBLIC_SERVICE_UNIT,
        "H17.05",
    ),
    # Providers of the public non-business services (dịch vụ sự nghiệp công) in the demo
    # catalogue: utilities, schools, a library, sports and cultural venues, social care.
    DemoAgency(
        "H17.03.01",
        "Công ty Cổ phần Cấp nước Đà Nẵng",
        "Da Nang Water Supply Joint Stock Company",
        AgencyKind.PUBLIC_SERVICE_UNIT,
        "H17.03",
    ),
    DemoAgency(
        "H17.05.02",
        "Công ty Cổ phần Môi trường đô thị Đà Nẵng",
        "Da Nang Urban Environment Joint Stock Company",
        AgencyKind.PUBLIC_SERVICE_UNIT,
        "H17.05",
    ),
    DemoAgency(
        "H17.06.04",
        "Trung tâm Bảo trợ xã hội thành phố Đà Nẵng",
        "Da Nang Social Protection Centre",
        AgencyKind.PUBLIC_SERVICE_UNIT,
        "H17.06",
    ),
    DemoAgency(
        "H17.07.02",
        "Trường Cao đẳng Nghề Đà Nẵng",
        "Da Nang Vocational College",
        AgencyKind.PUBLIC_SERVICE_UNIT,
        "H17.07",
    ),
    DemoAgency(
        "H17.09.01",
        "Công ty TNHH MTV Điện lực Đà Nẵng",
        "Da Nang Power Company",
        AgencyKind.PUBLIC_SERVICE_UNIT,
        "H17.09",
    ),
    DemoAgency(
        "H17.11.01",
        "Thư viện Khoa học Tổng hợp Đà Nẵng",
        "Da Nang General Sciences Library",
        AgencyKind.PUBLIC_SERVICE_UNIT,
        "H17.11",
    ),
    DemoAgency(
        "H17.11.02",
        "Trung tâm Huấn luyện và Thi đấu thể dục thể thao Đà Nẵng",
        "Da Nang Sports Training and Competition Centre",
        AgencyKind.PUBLIC_SERVICE_UNIT,
        "H17.11",
    ),
    DemoAgency(
        "H17.11.03",
        "Bảo tàng Điêu khắc Chăm Đà Nẵng",
        "Museum of Cham Sculpture",
        AgencyKind.PUBLIC_SERVICE_UNIT,
        "H17.11",
    ),
]
PARTY_AND_MASS_ORGANISATIONS = [
    DemoAgency("H17.90", "Thành ủy Đà Nẵng", "Da Nang City Party Committee", AgencyKind.PARTY_BODY),
    DemoAgency(
        "H17.90.01",
        "Ban Tổ chức Thành ủy",
        "Organisation Commission of the City Party Committee",
        AgencyKind.PARTY_BODY,
        "H17.90",
    ),
    DemoAgency(
        "H17.90.02",
        "Ủy ban Kiểm tra Thành ủy",
        "Inspection Commission of the City Party Committee",
        AgencyKind.PARTY_BODY,
        "H17.90",
    ),
    DemoAgency(
        "H17.91",
        "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Đà Nẵng",
        "Vietnam Fatherland Front Committee of Da Nang",
        AgencyKind.SOCIO_POLITICAL,
    ),
    DemoAgency(
        "H17.91.01",
        "Thành đoàn Đà Nẵng",
        "Da Nang Ho Chi Minh Communist Youth Union",
        AgencyKind.SOCIO_POLITICAL,
        "H17.91",
    ),
    DemoAgency(
        "H17.91.02",
        "Hội Liên hiệp Phụ nữ thành phố Đà Nẵng",
        "Da Nang Women's Union",
        AgencyKind.SOCIO_POLITICAL,
        "H17.91",
    ),
    DemoAgency(
        "H17.91.03",
        "Liên đoàn Lao động thành phố Đà Nẵng",
        "Da Nang Federation of Labour",
        AgencyKind.SOCIO_POLITICAL,
        "H17.91",
    ),
    DemoAgency(
        "H17.91.04",
        "Hội Nông dân thành phố Đà Nẵng",
        "Da Nang Farmers' Union",
        AgencyKind.SOCIO_POLITICAL,
        "H17.91",
    ),
]
# Agencies that ceased to exist, kept with their successors so old records stay readable.
HISTORICAL = [
    (
        "H17.20",
        "Ủy ban nhân dân quận Hải Châu",
        "Hai Chau District People's Committee",
        AgencyKind.PEOPLES_COMMITTEE,
        datetime.date(2025, 6, 30),
        "ward:Phường Hải Châu",
    ),
    (
        "H17.21",
        "Sở Tài nguyên và Môi trường",
        "Department of Natural Resources and Environment",
        AgencyKind.DEPARTMENT,
        datetime.date(2025, 2, 28),
        "H17.05",
    ),
]


def ward_agency_code(index: int) -> str:
    return f"H17.50.{index:02d}"


@transaction.atomic
def load_demo_agencies(province_code: int = 48) -> int:
    """Create or update the demo agency tree; returns the number of agencies written."""
    written: dict[str, Agency] = {}

    def put(item: DemoAgency, level: str, **extra: object) -> Agency:
        agency, _ = Agency.objects.update_or_create(
            code=item.code,
            defaults={
                "name": item.name,
                "name_en": item.name_en,
                "kind": item.kind,
                "level": level,
                "parent": written.get(item.parent) if item.parent else None,
                "province_code": province_code,
                **extra,
            },
        )
        written[item.code] = agency
        return agency

    city = put(CITY, AgencyLevel.CITY, address=CITY_CENTRE, website="https://danang.gov.vn")
    for item in DEPARTMENTS + PUBLIC_SERVICE_UNITS + PARTY_AND_MASS_ORGANISATIONS:
        put(item, AgencyLevel.CITY, address=CITY_CENTRE)

    wards = sorted(Ward.iter_by_province(ProvinceCode(province_code)), key=lambda w: int(w.code))
    ward_by_name: dict[str, Agency] = {}
    for index, ward in enumerate(wards, start=1):
        agency = put(
            DemoAgency(
                ward_agency_code(index),
                f"Ủy ban nhân dân {ward.name}",
                f"People's Committee of {ward.name}",
                AgencyKind.WARD_COMMITTEE,
                "H17",
            ),
            AgencyLevel.WARD,
            ward_code=int(ward.code),
            valid_from=REORGANISATION,
        )
        ward_by_name[f"ward:{ward.name}"] = agency
        OneStopDesk.objects.update_or_create(
            agency=agency,
            name=f"Bộ phận Một cửa {ward.name}",
            defaults={"address": f"Trụ sở Ủy ban nhân dân {ward.name}, thành phố Đà Nẵng"},
        )

    for code, name, name_en, kind, until, successor_ref in HISTORICAL:
        successor = ward_by_name.get(successor_ref) or written.get(successor_ref)
        Agency.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "level": AgencyLevel.CITY,
                "parent": city,
                "province_code": province_code,
                "valid_until": until,
                "successor": successor,
            },
        )

    OneStopDesk.objects.update_or_create(
        agency=written["H17.01.01"],
        name="Trung tâm Phục vụ hành chính công thành phố Đà Nẵng",
        defaults={
            "address": "Tầng 1–2, " + CITY_CENTRE,
            "phone": "0236 3 822 222",
        },
    )
    for code in ("H17.06.01", "H17.06.02"):
        OneStopDesk.objects.update_or_create(
            agency=written[code],
            name=f"Quầy tiếp nhận – {written[code].name}",
            defaults={"address": written[code].name + ", Đà Nẵng"},
        )
    return len(written) + len(HISTORICAL)
