"""The read API under /api/v1/procedures/."""

import pytest
from django.test import Client

from motcua.catalog.tests.factories import FieldFactory, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> None:
    civil = FieldFactory.create(code="ho-tich", name="Hộ tịch")
    make_procedure(code="1.001193", name="Đăng ký khai sinh", field=civil, agency_level="ward")
    make_procedure(code="1.000894", name="Đăng ký kết hôn", field=civil)
    make_procedure(code="1.004227", name="Đăng ký đất đai lần đầu")


def test_list_is_paginated_with_count_next_previous_results(client: Client) -> None:
    for n in range(25):
        make_procedure(code=f"3.{n:06d}", name=f"Thủ tục {n:02d}")
    body = client.get("/api/v1/procedures/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 25 and len(body["results"]) == 20
    assert body["previous"] is None and "page=2" in body["next"]
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None


def test_search_and_filters(client: Client, catalogue: None) -> None:
    codes = [
        p["code"] for p in client.get("/api/v1/procedures/", {"q": "DANG KY"}).json()["results"]
    ]
    assert set(codes) == {"1.001193", "1.000894", "1.004227"}
    body = client.get("/api/v1/procedures/", {"q": "khai sinh", "field": "ho-tich"}).json()
    assert [p["code"] for p in body["results"]] == ["1.001193"]
    ward = client.get("/api/v1/procedures/", {"agency_level": "ward"}).json()
    assert [p["code"] for p in ward["results"]] == ["1.001193"]
    assert ward["results"][0]["url"] == "http://testserver/api/v1/procedures/1.001193/"
    assert client.get(ward["results"][0]["url"]).json()["code"] == "1.001193"


def test_detail_has_cases_components_and_eform(client: Client, catalogue: None) -> None:
    body = client.get("/api/v1/procedures/1.001193/").json()
    assert body["name"] == "Đăng ký khai sinh"
    assert body["cases"][0]["eform"]["properties"]["ho_ten"]["title"] == "Họ và tên"
    assert body["cases"][0]["time_unit"] == "working_days"


def test_unknown_code_is_json_404(client: Client, catalogue: None) -> None:
    response = client.get("/api/v1/procedures/9.999999/")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "params, name",
    [
        ({"field": "nope"}, "field"),
        ({"online_level": "level4"}, "online_level"),
        ({"service_kind": "x"}, "service_kind"),
        ({"q": "a" * 10_000}, "q"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(
    client: Client, catalogue: None, params: dict, name: str
) -> None:
    response = client.get("/api/v1/procedures/", params)
    assert response.status_code == 400
    assert name in response.json()


def test_openapi_schema_and_docs(client: Client) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/procedures/",
        "/api/v1/procedures/{code}/",
        "/api/v1/agencies/",
        "/api/v1/agencies/{code}/",
    ):
        assert path in paths
    params = {p["name"] for p in paths["/api/v1/procedures/"]["get"]["parameters"]}
    assert {"q", "field", "agency", "online_level", "page"} <= params
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
