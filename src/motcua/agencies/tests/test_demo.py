"""The Đà Nẵng demo tree: city committee, departments, 94 wards, other kinds, history."""

import pytest

from motcua.agencies.demo import load_demo_agencies
from motcua.agencies.models import Agency, AgencyKind

pytestmark = pytest.mark.django_db


def test_demo_tree_is_complete_and_reloadable() -> None:
    load_demo_agencies()
    first = Agency.objects.count()
    load_demo_agencies()
    assert Agency.objects.count() == first

    wards = Agency.objects.filter(kind=AgencyKind.WARD_COMMITTEE)
    assert wards.count() == 94
    assert wards.filter(name__contains="Phường").count() == 23
    assert wards.filter(name__contains="Đặc khu Hoàng Sa").count() == 1
    assert all(ward.desks.exists() for ward in wards)
    assert Agency.objects.filter(kind=AgencyKind.DEPARTMENT, valid_until__isnull=True).count() >= 12
    for kind in (AgencyKind.PUBLIC_SERVICE_UNIT, AgencyKind.PARTY_BODY, AgencyKind.SOCIO_POLITICAL):
        assert Agency.objects.filter(kind=kind).count() >= 2

    city = Agency.objects.get(code="H17")
    assert city.kind == AgencyKind.PEOPLES_COMMITTEE
    assert wards.first().parent == city  # type: ignore[union-attr]


def test_former_agencies_point_to_their_successors() -> None:
    load_demo_agencies()
    district = Agency.objects.get(name="Ủy ban nhân dân quận Hải Châu")
    assert not district.is_current()
    assert district.successor is not None and district.successor.name.endswith("Phường Hải Châu")
    assert district not in Agency.objects.current()
