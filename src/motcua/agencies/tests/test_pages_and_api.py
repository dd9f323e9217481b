import pytest
from django.test import Client

from motcua.agencies.demo import load_demo_agencies
from motcua.catalog.tests.factories import make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> None:
    load_demo_agencies()


def test_agency_pages(client: Client, tree: None) -> None:
    listing = client.get("/co-quan/")
    assert listing.status_code == 200
    assert "Sở Tư pháp" in listing.text and "Ủy ban nhân dân Phường Hải Châu" in listing.text
    assert "quận Hải Châu" not in listing.text  # former agencies are not listed

    from motcua.agencies.models import Agency

    make_procedure(
        code="2.000488",
        name="Cấp Phiếu lý lịch tư pháp",
        agencies=[Agency.objects.get(code="H17.02")],
    )
    detail = client.get("/co-quan/H17.02/")
    assert detail.status_code == 200
    assert "Cấp Phiếu lý lịch tư pháp" in detail.text


def test_former_agency_page_links_its_successor(client: Client, tree: None) -> None:
    page = client.get("/co-quan/H17.20/")
    assert page.status_code == 200
    assert "Phường Hải Châu" in page.text


def test_unknown_agency_is_404(client: Client, tree: None) -> None:
    assert client.get("/co-quan/H99/").status_code == 404
    api = client.get("/api/v1/agencies/H99/")
    assert api.status_code == 404 and "detail" in api.json()


def test_agency_api(client: Client, tree: None) -> None:
    body = client.get("/api/v1/agencies/", {"kind": "ward_committee", "page_size": "100"}).json()
    assert body["count"] == 94 and len(body["results"]) == 94
    detail = client.get("/api/v1/agencies/H17.50.05/").json()
    assert detail["parent"] == "H17" and detail["desks"]
    former = client.get("/api/v1/agencies/", {"include_former": "true"}).json()["count"]
    current = client.get("/api/v1/agencies/").json()["count"]
    assert former == current + 2


@pytest.mark.parametrize(
    "params, name",
    [
        ({"kind": "ministry"}, "kind"),
        ({"level": "x"}, "level"),
        ({"include_former": "maybe"}, "include_former"),
    ],
)
def test_bad_agency_filters_are_400(
    client: Client, tree: None, params: dict[str, str], name: str
) -> None:
    response = client.get("/api/v1/agencies/", params)
    assert response.status_code == 400 and name in response.json()
