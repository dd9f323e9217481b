"""The CKAN Action API driven by the real ``ckanapi`` client, as its users call it."""

from __future__ import annotations

import io
import json
from typing import Any

import ckanapi
import pytest
from django.test import Client

from motcua.agencies.tests.factories import AgencyFactory
from motcua.opendata.models import Dataset, Revision

from .factories import ThemeFactory, csv_resource, dataset, steward, token_key

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CSV = "quan,so_ho_so,ty_le\nHải Châu,120,0.95\nThanh Khê,80,0.9\nSơn Trà,45,0.99\n".encode()


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    agency = AgencyFactory.create(code="H17.10", name="Sở Tài chính")
    other = AgencyFactory.create(code="H17.11", name="Sở Xây dựng")
    theme = ThemeFactory.create(name="kinh-te", title="Kinh tế")
    budget = dataset(
        agency,
        name="ngan-sach",
        title="Ngân sách thành phố",
        tags=["ngân sách", "tài chính"],
        themes=[theme],
    )
    dataset(
        other, name="cong-trinh", title="Công trình xây dựng", tags=["xây dựng"], licence="odc-odbl"
    )
    dataset(agency, name="bi-mat", title="Dữ liệu nội bộ", private=True)
    dataset(agency, name="ban-nhap", title="Bản nháp", state="draft")
    return {"agency": agency, "other": other, "budget": budget}


def test_search_show_and_lists_as_ckanapi_users_call_them(
    live_server: Any, world: dict[str, Any]
) -> None:
    portal = ckanapi.RemoteCKAN(live_server.url)
    found = portal.action.package_search(
        q="ngan sach", rows=5, **{"facet.field": ["organization", "tags"]}
    )
    assert found["count"] == 1
    assert found["results"][0]["name"] == "ngan-sach"
    assert found["results"][0]["organization"]["name"] == "h17-10"
    tags = {item["name"]: item["count"] for item in found["search_facets"]["tags"]["items"]}
    assert tags == {"ngân sách": 1, "tài chính": 1}

    everything = portal.action.package_search(
        **{"facet.field": '["res_format", "license_id"]', "rows": 10}
    )
    assert everything["count"] == 2  # the private dataset and the draft are nobody's business
    licences = {i["name"] for i in everything["search_facets"]["license_id"]["items"]}
    assert licences == {"cc-by", "odc-odbl"}

    filtered = portal.action.package_search(fq='organization:h17-11 AND tags:"xây dựng"')
    assert [d["name"] for d in filtered["results"]] == ["cong-trinh"]

    shown = portal.action.package_show(id="ngan-sach")
    assert shown["title"] == "Ngân sách thành phố"
    assert shown["groups"][0]["name"] == "kinh-te"
    assert portal.action.package_show(id=shown["id"])["name"] == "ngan-sach"
    assert sorted(portal.action.package_list()) == ["cong-trinh", "ngan-sach"]
    assert "h17-10" in portal.action.organization_list()
    assert portal.action.organization_show(id="h17-10")["package_count"] == 1
    assert portal.action.group_list() == ["kinh-te"]
    assert "tài chính" in portal.action.tag_list()
    assert portal.action.status_show()["ckan_version"].startswith("2.")

    with pytest.raises(ckanapi.NotFound):
        portal.action.package_show(id="bi-mat")
    with pytest.raises(ckanapi.NotFound):
        portal.action.package_show(id="ban-nhap")


def test_a_steward_creates_updates_and_uploads_with_a_token(
    live_server: Any, world: dict[str, Any]
) -> None:
    person = steward(world["agency"])
    portal = ckanapi.RemoteCKAN(live_server.url, apikey=token_key(person, world["agency"]))

    created = portal.action.package_create(
        name="chat-luong-khong-khi",
        title="Chất lượng không khí",
        notes="Chỉ số AQI hằng ngày",
        owner_org="h17-10",
        license_id="cc-by",
        tags=[{"name": "môi trường"}],
        groups=[{"name": "kinh-te"}],
        extras=[{"key": "frequency", "value": "daily"}],
    )
    assert created["organization"]["title"] == "Sở Tài chính"
    assert created["frequency"] == "daily"

    updated = portal.action.package_update(**{**created, "title": "Chất lượng không khí 2026"})
    assert updated["title"] == "Chất lượng không khí 2026"
    patched = portal.action.package_patch(id=created["id"], version="2.0")
    assert patched["version"] == "2.0" and patched["title"] == "Chất lượng không khí 2026"

    resource = portal.action.resource_create(
        package_id=created["id"], name="aqi.csv", format="CSV", upload=io.BytesIO(CSV)
    )
    assert resource["format"] == "CSV" and resource["size"] == len(CSV)
    assert resource["hash"].startswith("sha256:")
    assert portal.action.resource_show(id=resource["id"])["datastore_active"] is True
    rows = portal.action.datastore_search(resource_id=resource["id"], filters={"quan": "Sơn Trà"})
    assert rows["total"] == 1 and rows["records"][0]["so_ho_so"] == 45

    renamed = portal.action.resource_update(
        id=resource["id"], name="Chỉ số AQI", url=resource["url"]
    )
    assert renamed["name"] == "Chỉ số AQI" and renamed["hash"] == resource["hash"]

    link = portal.action.resource_create(
        package_id=created["id"],
        name="Bản đồ",
        url="https://example.org/map.geojson",
        format="GeoJSON",
    )
    assert link["url"] == "https://example.org/map.geojson"

    portal.action.package_delete(id=created["id"])
    with pytest.raises(ckanapi.NotFound):
        ckanapi.RemoteCKAN(live_server.url).action.package_show(id=created["id"])
    actions = list(
        Revision.objects.filter(dataset_id=created["id"]).values_list("action", flat=True)
    )
    assert actions == [
        "created",
        "updated",
        "updated",
        "resource_created",
        "resource_updated",
        "resource_created",
        "deleted",
    ]


def test_writes_need_a_token_in_force(live_server: Any, world: dict[str, Any]) -> None:
    anonymous = ckanapi.RemoteCKAN(live_server.url)
    with pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.package_patch(id="ngan-sach", title="x")
    with pytest.raises(ckanapi.NotAuthorized):
        ckanapi.RemoteCKAN(live_server.url, apikey="mco_not-a-token").action.package_list()

    person = steward(world["agency"])
    key = token_key(person, world["agency"])
    from motcua.opendata import services
    from motcua.opendata.models import ApiToken

    token = ApiToken.objects.get(user=person)
    assert token.key_hash != key and key not in token.key_hash  # kept hashed
    services.revoke_token(user=person, token=token)
    with pytest.raises(ckanapi.NotAuthorized):
        ckanapi.RemoteCKAN(live_server.url, apikey=key).action.package_patch(
            id="ngan-sach", title="x"
        )


def test_a_steward_of_one_agency_cannot_touch_another_agencys_datasets(
    live_server: Any, world: dict[str, Any]
) -> None:
    outsider = steward(world["other"])
    portal = ckanapi.RemoteCKAN(live_server.url, apikey=token_key(outsider, world["other"]))
    with pytest.raises(ckanapi.NotAuthorized):
        portal.action.package_patch(id="ngan-sach", title="Đã bị sửa")
    with pytest.raises(ckanapi.NotAuthorized):
        portal.action.package_create(name="gia-mao", title="Giả mạo", owner_org="h17-10")
    with pytest.raises(ckanapi.NotAuthorized):
        portal.action.resource_create(
            package_id="ngan-sach", name="x", url="https://example.org/x.csv", format="CSV"
        )
    with pytest.raises(ckanapi.NotAuthorized):
        portal.action.package_delete(id="ngan-sach")
    with pytest.raises(ckanapi.NotFound):  # another agency's private dataset is not even shown
        portal.action.package_show(id="bi-mat")
    with pytest.raises(ckanapi.NotAuthorized):  # nor moved into one's own agency
        portal.action.package_patch(id="cong-trinh", owner_org="h17-10")
    assert Dataset.objects.get(name="ngan-sach").title == "Ngân sách thành phố"


def test_a_token_limited_to_one_dataset_writes_that_dataset_only(
    live_server: Any, world: dict[str, Any]
) -> None:
    person = steward(world["agency"])
    dataset(world["agency"], name="ke-ben", title="Cùng cơ quan")
    portal = ckanapi.RemoteCKAN(live_server.url, apikey=token_key(person, dataset=world["budget"]))
    assert portal.action.package_patch(id="ngan-sach", version="3")["version"] == "3"
    with pytest.raises(ckanapi.NotAuthorized):
        portal.action.package_patch(id="ke-ben", version="3")
    with pytest.raises(ckanapi.NotFound):  # the agency's drafts are outside the token's reach
        portal.action.package_patch(id="ban-nhap", version="3")
    with pytest.raises(ckanapi.NotAuthorized):
        portal.action.package_create(name="moi", title="Mới", owner_org="h17-10")


def test_the_agencys_steward_sees_its_private_and_draft_datasets(
    live_server: Any, world: dict[str, Any]
) -> None:
    person = steward(world["agency"])
    portal = ckanapi.RemoteCKAN(live_server.url, apikey=token_key(person, world["agency"]))
    assert portal.action.package_show(id="bi-mat")["private"] is True
    found = portal.action.package_search(include_private=True, include_drafts=True, rows=10)
    assert {d["name"] for d in found["results"]} == {
        "ngan-sach",
        "cong-trinh",
        "bi-mat",
        "ban-nhap",
    }


def envelope(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(response.content)
    assert "help" in body
    return body


@pytest.mark.parametrize("path", ["/api/3/action/", "/api/action/"])
def test_bad_calls_get_ckan_error_envelopes(
    client: Client, world: dict[str, Any], path: str
) -> None:
    bad_json = client.post(
        path + "package_search", data=b"{not json", content_type="application/json"
    )
    assert bad_json.status_code == 400
    assert envelope(bad_json)["success"] is False
    assert envelope(bad_json)["error"]["__type"] == "Bad Request"

    unknown = client.get(path + "package_destroy_everything")
    assert unknown.status_code == 400
    assert "package_destroy_everything" in envelope(unknown)["error"]["message"]

    bad_fq = client.get(path + "package_search", {"fq": "organization:(a OR"})
    assert bad_fq.status_code == 400
    assert envelope(bad_fq)["error"]["__type"] == "Search Query Error"
    assert client.get(path + "package_search", {"fq": "password:x"}).status_code == 400

    too_many = client.get(path + "package_search", {"rows": "100000"})
    assert too_many.status_code == 400
    assert client.get(path + "package_search", {"rows": "many"}).status_code == 409
    assert client.get(path + "package_search", {"sort": "drop table"}).status_code == 400

    write_by_get = client.get(path + "package_create", {"name": "x"})
    assert write_by_get.status_code == 400

    invalid = client.post(
        path + "package_create",
        data={"name": "Không hợp lệ!", "owner_org": "h17-10"},
        content_type="application/json",
        HTTP_AUTHORIZATION=token_key(steward(world["agency"]), world["agency"]),
    )
    assert invalid.status_code == 409
    error = envelope(invalid)["error"]
    assert error["__type"] == "Validation Error" and "name" in error and "title" in error

    ok = client.get(path + "package_search")
    assert envelope(ok)["success"] is True and ok.status_code == 200


def test_uploads_over_the_limit_are_refused_before_they_are_written(
    client: Client, world: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    settings.MOTCUA_OPENDATA_MAX_UPLOAD_BYTES = 1000
    key = token_key(steward(world["agency"]), world["agency"])
    big = io.BytesIO(b"a,b\n" + b"1,2\n" * 400)
    big.name = "big.csv"
    response = client.post(
        "/api/3/action/resource_create",
        {"package_id": "ngan-sach", "name": "big", "upload": big},
        HTTP_AUTHORIZATION=key,
    )
    assert response.status_code == 413
    assert envelope(response)["error"]["__type"] == "Validation Error"
    assert not world["budget"].resources.exists()
    assert (
        not any(path.is_file() for path in (tmp_path / "opendata").rglob("*"))
        if (tmp_path / "opendata").exists()
        else True
    )


def test_a_resource_file_is_checked_for_its_format(client: Client, world: dict[str, Any]) -> None:
    key = token_key(steward(world["agency"]), world["agency"])
    fake = io.BytesIO(b"<html>not a pdf</html>")
    fake.name = "report.pdf"
    response = client.post(
        "/api/3/action/resource_create",
        {"package_id": "ngan-sach", "name": "report", "upload": fake},
        HTTP_AUTHORIZATION=key,
    )
    assert response.status_code == 409
    assert "upload" in envelope(response)["error"]


def test_every_change_is_kept_as_a_revision(world: dict[str, Any]) -> None:
    budget = world["budget"]
    csv_resource(budget, CSV)
    snapshots = list(Revision.objects.filter(dataset=budget).order_by("number"))
    assert [r.number for r in snapshots] == [1, 2]
    assert snapshots[0].snapshot["resources"] == []
    assert snapshots[1].snapshot["resources"][0]["format"] == "CSV"


def test_cached_facets_follow_every_change_of_the_catalogue(
    client: Client, world: dict[str, Any]
) -> None:
    def organisations() -> dict[str, int]:
        body = envelope(
            client.get("/api/3/action/package_search", {"facet.field": '["organization"]'})
        )
        return {
            i["name"]: i["count"] for i in body["result"]["search_facets"]["organization"]["items"]
        }

    assert organisations() == {"h17-10": 1, "h17-11": 1}
    assert organisations() == {"h17-10": 1, "h17-11": 1}  # from the cache
    dataset(world["other"], name="moi", title="Mới")
    assert organisations() == {"h17-10": 1, "h17-11": 2}
    from motcua.opendata import services
    from motcua.opendata.access import Actor

    services.delete_dataset(
        actor=Actor(user=steward(world["other"])), dataset=Dataset.objects.get(name="moi")
    )
    assert organisations() == {"h17-10": 1, "h17-11": 1}


ODD_VALUES: list[Any] = [
    None,
    "",
    "x",
    -1,
    10**12,
    1.5,
    True,
    [],
    ["a", 1],
    {},
    {"a": [1]},
    "[1,",
    '{"a":',
]


def test_no_input_makes_an_action_fail_with_a_5xx(world: dict[str, Any]) -> None:
    from motcua.opendata.api import ACTIONS

    client = Client(raise_request_exception=False)
    failures = []
    key = token_key(steward(world["agency"]), world["agency"])
    resource = csv_resource(world["budget"], CSV)
    names = [
        "id",
        "name",
        "q",
        "fq",
        "rows",
        "start",
        "sort",
        "facet.field",
        "facet.limit",
        "owner_org",
        "tags",
        "groups",
        "extras",
        "title_translated",
        "private",
        "resources",
        "package_id",
        "resource_id",
        "filters",
        "fields",
        "limit",
        "offset",
        "sql",
        "url",
        "format",
        "upload",
        "include_private",
        "all_fields",
        "include_datasets",
    ]
    # Each parameter of each action gets three of the odd values, in turn (all of them over the
    # parameters): about 2,000 calls rather than 9,000.
    for a, action in enumerate(sorted(ACTIONS)):
        for n, name in enumerate(names):
            for k in range(3):
                value = ODD_VALUES[(a + n * 3 + k) % len(ODD_VALUES)]
                base = {
                    "id": "ngan-sach",
                    "resource_id": str(resource.pk),
                    "package_id": "ngan-sach",
                }
                body = json.dumps({**base, name: value})
                answer = client.post(
                    f"/api/3/action/{action}",
                    data=body,
                    content_type="application/json",
                    HTTP_AUTHORIZATION=key,
                )
                if answer.status_code >= 500 or "success" not in json.loads(answer.content):
                    failures.append((action, name, value, answer.status_code))
    assert failures == [], "\n".join(map(repr, failures))
