"""A ward with its officer, citizens and places, as the address tests need them."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.accounts.models import AgencyMembership, User
from motcua.accounts.second_factor import set_verified
from motcua.accounts.tests.factories import UserFactory
from motcua.addresses import services
from motcua.addresses.models import Place
from motcua.agencies.models import Agency
from motcua.agencies.tests.factories import WardCommitteeFactory

HAI_CHAU = 20242  # Phường Hải Châu
HOA_CUONG = 20257  # Phường Hòa Cường
# 24 Trần Phú, near the city's administrative centre.
TRAN_PHU = (16.0678, 108.2208)


def ward_committee(ward_code: int) -> Agency:
    agency: Agency = WardCommitteeFactory.create(ward_code=ward_code)
    return agency


def ward_officer(ward_code: int, role: str = "processor") -> User:
    """An officer of the ward's committee, second factor passed (as services see them)."""
    user: User = UserFactory.create()
    agency = Agency.objects.filter(ward_code=ward_code).first() or ward_committee(ward_code)
    AgencyMembership.objects.create(user=user, agency=agency, role=role)
    set_verified(user, True)
    return user


@dataclass
class Ward:
    code: int
    officer: User


def make_ward(code: int = HAI_CHAU) -> Ward:
    return Ward(code=code, officer=ward_officer(code))


def make_place(
    officer: User,
    *,
    ward_code: int = HAI_CHAU,
    street: str = "Trần Phú",
    house_number: str = "24",
    point: tuple[float, float] = TRAN_PHU,
    **extra: object,
) -> Place:
    return services.create_place(
        officer=officer,
        data=services.PlaceInput(
            ward_code=ward_code,
            street=street,
            house_number=house_number,
            latitude=point[0],
            longitude=point[1],
            **extra,  # type: ignore[arg-type]
        ),
    )
