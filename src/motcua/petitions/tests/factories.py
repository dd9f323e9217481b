"""Topics, reporters, officers and reports, as the petition tests need them."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import AgencyMembership, User
from motcua.accounts.second_factor import set_verified
from motcua.accounts.tests.factories import UserFactory
from motcua.agencies.models import Agency
from motcua.agencies.tests.factories import AgencyFactory, WardCommitteeFactory
from motcua.petitions import services
from motcua.petitions.models import Report, Topic

HAI_CHAU = 20242  # Phường Hải Châu
TRAN_PHU = (16.0678, 108.2208)  # 24 Trần Phú
HANOI = (21.0285, 105.8542)  # outside Đà Nẵng

# The smallest valid PNG (1×1) and JPEG heads and tails, as the upload checks read them.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def png(name: str = "pothole.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def topic(
    code: str = "ha-tang-do-thi", *, agency: Agency | None = None, by_ward: bool = False
) -> Topic:
    agency = agency or AgencyFactory.create()
    found, _ = Topic.objects.get_or_create(
        code=code, defaults={"name": f"Chủ đề {code}", "agency": agency, "by_ward": by_ward}
    )
    return found


def officer(agency: Agency, role: str = "processor") -> User:
    user: User = UserFactory.create()
    AgencyMembership.objects.create(user=user, agency=agency, role=role)
    set_verified(user, True)
    return user


def ward_committee(code: int = HAI_CHAU) -> Agency:
    found = Agency.objects.filter(ward_code=code).first()
    return found or WardCommitteeFactory.create(ward_code=code)


def file_report(
    *,
    the_topic: Topic | None = None,
    user: User | None = None,
    phone: str = "0905123456",
    point: tuple[float, float] | None = TRAN_PHU,
    text: str = "Ổ gà lớn trước số 24 Trần Phú",
    is_public: bool = True,
    name_public: bool = False,
    **extra: object,
) -> Report:
    return services.file_report(
        data=services.ReportInput(
            topic=the_topic or topic(),
            subject=str(extra.pop("subject", "place")),
            text=text,
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            is_public=is_public,
            name_public=name_public,
            **extra,  # type: ignore[arg-type]
        ),
        filer=services.Filer(user=user, phone="" if user else phone, phone_verified=user is None),
    )
