import pytest

from motcua.agencies.tests.factories import AgencyFactory, WardCommitteeFactory


@pytest.fixture
def agencies() -> None:
    AgencyFactory.create(code="H17.02", name="Sở Tư pháp")
    WardCommitteeFactory.create(code="H17.50.01")
    WardCommitteeFactory.create(code="H17.50.02")
