"""A handful of Đà Nẵng places and households for the demo (``manage.py load_demo``).

The households' heads are the sandbox e-ID's demo citizens: their accounts are made here with
the same citizen ID numbers, so that signing in as one of them through the sandbox shows their
digital address. Safe to run again.
"""

from __future__ import annotations

from django.db import transaction

from motcua.accounts.models import User

from . import plus_codes, services
from .models import Household, Place, PlaceStatus, Scheme

# (ward, number, street, former ward, latitude, longitude, postcode, head's ID, head's name);
# a Vpostcode is the postcode and the place's 7-character local plus code (the postcode here
# only illustrates the form).
PLACES = [
    (20242, "12", "Bạch Đằng", "Phường Thạch Thang", 16.07150, 108.22450, "50000",
     "048085001234", "Nguyễn Văn An"),
    (20209, "45", "Điện Biên Phủ", "Phường Chính Gián", 16.06670, 108.19300, "",
     "049192004567", "Trần Thị Bích Ngọc"),
    (20263, "88", "Ngô Quyền", "Phường An Hải Bắc", 16.08200, 108.23400, "",
     "048203007890", "Lê Hoàng Minh"),
    (20242, "24", "Trần Phú", "Phường Thạch Thang", 16.06780, 108.22080, "", "", ""),
    (20410, "10", "Nguyễn Thái Học", "Phường Minh An", 15.87650, 108.32800, "", "", ""),
]  # fmt: skip
# One imported place waiting for the ward to confirm it on the map.
PROPOSED = (20257, "215", "Núi Thành", "Phường Hòa Cường Bắc", 16.04110, 108.21930)


def _head(personal_id: str, name: str) -> User:
    user = User.objects.filter(personal_id=personal_id).first()
    if user is None:
        user = User(username=f"demo-{personal_id}", personal_id=personal_id, full_name=name)
        user.set_unusable_password()  # they sign in through the sandbox e-ID
        user.save()
    return user


def _exists(ward_code: int, number: str, street: str) -> bool:
    ward = services.check_ward(ward_code)
    return Place.objects.filter(
        ward_code=ward_code, search_text=services.searchable(number, street, ward.name)
    ).exists()


@transaction.atomic
def load_demo_addresses() -> int:
    """Create the demo places and households that are missing; returns how many places."""
    created = 0
    for ward, number, street, former, lat, lng, vpostcode, head_id, head_name in PLACES:
        if _exists(ward, number, street):
            continue
        local = plus_codes.encode(lat, lng)[4:].replace("+", "")
        vpost = vpostcode + local if vpostcode else ""
        place = services.create_place(
            officer=None,
            data=services.PlaceInput(
                ward_code=ward,
                street=street,
                house_number=number,
                latitude=lat,
                longitude=lng,
                former_ward_name=former,
                identifiers={Scheme.VPOSTCODE: vpost} if vpost else {},
            ),
            allow_duplicate=True,
            reason="Dữ liệu minh họa",
        )
        created += 1
        if head_id and not Household.objects.filter(place=place).exists():
            services.create_household(officer=None, place=place, head=_head(head_id, head_name))
    ward, number, street, former, lat, lng = PROPOSED
    if not _exists(ward, number, street):
        services.create_place(
            officer=None,
            data=services.PlaceInput(
                ward_code=ward,
                street=street,
                house_number=number,
                latitude=lat,
                longitude=lng,
                former_ward_name=former,
            ),
            allow_duplicate=True,
            status=PlaceStatus.PROPOSED,
            reason="Dữ liệu minh họa, chờ xác nhận trên bản đồ",
        )
        created += 1
    return created


def stand_in_household(citizen: User, ward_code: int | None = None) -> Place:
    """A place at the ward's reference point and a household headed by ``citizen``: what a
    rehearsal's stand-in applicant answers a digital-address question with. Run it inside a
    transaction that is rolled back (the rehearsal's), like the stand-in itself."""
    from django.conf import settings

    from . import wards

    found = wards.ward(ward_code) if ward_code is not None else None
    if found is None or not found.has_reference_point:
        found = next(
            w for w in wards.wards_of(settings.MOTCUA_PROVINCE_CODE) if w.has_reference_point
        )
    assert found.latitude is not None and found.longitude is not None
    place = services.create_place(
        officer=None,
        data=services.PlaceInput(
            ward_code=found.code,
            street="Đường diễn tập",
            house_number="1",
            latitude=found.latitude,
            longitude=found.longitude,
        ),
        allow_duplicate=True,
        reason="Diễn tập danh mục",
    )
    services.create_household(officer=None, place=place, head=citizen)
    return place
