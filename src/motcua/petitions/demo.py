"""Đà Nẵng's demo report topics (the Open311 services), each with its competent agency."""

from __future__ import annotations

from motcua.agencies.models import Agency

from .models import Topic

# code, name, English name, group, agency code, handled by the ward, keywords
TOPICS = [
    (
        "thu-tuc-hanh-chinh",
        "Thủ tục hành chính",
        "Administrative procedures",
        "Hành chính",
        "H17",
        False,
        "thủ tục, hồ sơ, giấy tờ",
    ),
    (
        "thai-do-phuc-vu",
        "Thái độ phục vụ của cán bộ",
        "Officers' conduct",
        "Hành chính",
        "H17.08",
        False,
        "cán bộ, thái độ",
    ),
    (
        "ha-tang-do-thi",
        "Hạ tầng đô thị: đường, vỉa hè, chiếu sáng",
        "Streets, pavements, lighting",
        "Đô thị",
        "H17.03",
        True,
        "ổ gà, đèn đường, vỉa hè",
    ),
    (
        "moi-truong",
        "Vệ sinh môi trường, rác thải",
        "Waste and cleanliness",
        "Đô thị",
        "H17",
        True,
        "rác, ô nhiễm",
    ),
    (
        "trat-tu-xay-dung",
        "Trật tự xây dựng",
        "Building without permits",
        "Đô thị",
        "H17.03",
        True,
        "xây dựng trái phép",
    ),
    (
        "y-te",
        "Y tế, an toàn thực phẩm",
        "Health and food safety",
        "Xã hội",
        "H17.06",
        False,
        "bệnh viện, thực phẩm",
    ),
]


def load_demo_topics() -> int:
    """Create or update the demo topics; returns how many were written (agencies first)."""
    written = 0
    for order, (code, name, name_en, group, agency_code, by_ward, keywords) in enumerate(TOPICS):
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            continue
        Topic.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "group": group,
                "agency": agency,
                "by_ward": by_ward,
                "keywords": keywords,
                "order": order,
            },
        )
        written += 1
    return written
