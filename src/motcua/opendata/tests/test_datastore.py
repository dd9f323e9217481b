"""The datastore: tables loaded by the worker with frictionless, queried as CKAN's datastore."""

# ruff: noqa: S608  (these tests send SQL built from table names on purpose)

from __future__ import annotations

import io
import json
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.agencies.tests.factories import AgencyFactory
from motcua.opendata import datastore, services
from motcua.opendata.access import Actor
from motcua.opendata.constants import LoadStatus
from motcua.opendata.models import DatastoreTable, Resource

from .factories import csv_resource, dataset, steward

# Loads are enqueued when the upload's transaction commits: these tests let it commit.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CSV = (
    "quan,thang,so_ho_so,dung_han,ngay\n"
    "Hải Châu,1,120,0.95,2026-01-31\n"
    "Thanh Khê,1,80,0.9,2026-01-31\n"
    "Sơn Trà,2,45,0.99,2026-02-28\n"
    "Hải Châu,2,130,0.97,2026-02-28\n"
).encode()


@pytest.fixture
def table(db: None) -> dict[str, Any]:
    agency = AgencyFactory.create(code="H17.10")
    public = dataset(agency, name="ho-so", title="Hồ sơ theo tháng")
    secret = dataset(agency, name="bi-mat", title="Bí mật", private=True)
    return {
        "agency": agency,
        "resource": csv_resource(public, CSV),
        "secret": csv_resource(secret, CSV),
    }


def call(client: Client, action: str, **data: Any) -> Any:
    response = client.post(
        f"/api/3/action/{action}", data=json.dumps(data), content_type="application/json"
    )
    return response.status_code, json.loads(response.content)


def test_a_csv_is_loaded_with_inferred_types_and_searched(
    client: Client, table: dict[str, Any]
) -> None:
    resource = table["resource"]
    live = datastore.live_table(resource)
    assert live is not None and live.row_count == 4
    types = {f["id"]: f["type"] for f in live.fields}
    assert types == {
        "quan": "text",
        "thang": "int",
        "so_ho_so": "int",
        "dung_han": "numeric",
        "ngay": "date",
    }

    status, body = call(
        client,
        "datastore_search",
        resource_id=str(resource.pk),
        filters={"quan": "Hải Châu"},
        sort="so_ho_so desc",
        fields=["quan", "so_ho_so"],
    )
    assert status == 200 and body["result"]["total"] == 2
    assert body["result"]["records"] == [
        {"_id": 4, "quan": "Hải Châu", "so_ho_so": 130},
        {"_id": 1, "quan": "Hải Châu", "so_ho_so": 120},
    ]
    status, body = call(client, "datastore_search", resource_id=str(resource.pk), q="son tra")
    assert [r["quan"] for r in body["result"]["records"]] == ["Sơn Trà"]
    status, body = call(
        client,
        "datastore_search",
        resource_id=str(resource.pk),
        sort="so_ho_so asc",
        limit=2,
        offset=1,
    )
    assert [r["so_ho_so"] for r in body["result"]["records"]] == [80, 120]
    assert body["result"]["total"] == 4  # the total ignores limit and offset

    status, body = call(
        client, "datastore_search", resource_id=str(resource.pk), filters={"nope": 1}
    )
    assert status == 409 and body["error"]["__type"] == "Validation Error"
    status, body = call(client, "datastore_search", resource_id=str(resource.pk), limit=10**6)
    assert status == 400


def test_an_xlsx_is_loaded_too(table: dict[str, Any]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["phuong", "dan_so"])
    sheet.append(["Hòa Khánh", 12000])
    sheet.append(["Liên Chiểu", 9500])
    content = io.BytesIO()
    workbook.save(content)
    person = steward(table["agency"])
    resource = services.add_resource(
        actor=Actor(user=person),
        dataset=table["resource"].dataset,
        values={"name": "dan-so", "description": "", "format": "", "url": ""},
        upload=SimpleUploadedFile("dan-so.xlsx", content.getvalue()),
    )
    assert resource.format == "XLSX"
    found = datastore.search(resource, filters={"phuong": "Liên Chiểu"})
    assert found["records"][0]["dan_so"] == 9500


def test_a_failing_load_names_row_column_and_reason_and_keeps_the_previous_table(
    table: dict[str, Any],
) -> None:
    resource: Resource = table["resource"]
    person = steward(table["agency"])
    broken = CSV + "Ngũ Hành Sơn,ba,60,0.8,2026-03-31\nLiên Chiểu,3\n".encode()
    services.update_resource(
        actor=Actor(user=person),
        resource=resource,
        values={"name": resource.name, "description": "", "format": "CSV", "url": ""},
        upload=SimpleUploadedFile("bang.csv", broken),
    )
    latest = datastore.latest_table(resource)
    assert latest is not None and latest.status == LoadStatus.FAILED
    problems = {(p["row"], p["column"], p["reason"].split(":")[0]) for p in latest.errors}
    assert (6, "thang", "type-error") in problems  # "ba" is not an integer
    assert (7, "so_ho_so", "missing-cell") in problems  # a ragged row
    live = datastore.live_table(resource)
    assert live is not None and live.row_count == 4  # the previous version still answers
    assert datastore.search(resource, filters={})["total"] == 4


def test_a_file_in_a_broken_encoding_gets_a_report_not_a_crash(table: dict[str, Any]) -> None:
    person = steward(table["agency"])
    resource = services.add_resource(
        actor=Actor(user=person),
        dataset=table["resource"].dataset,
        values={"name": "hong", "description": "", "format": "CSV", "url": ""},
        upload=SimpleUploadedFile("hong.csv", b"a,b\n\xff\xfe\x00x,1\n\xc3(,2\n"),
    )
    latest = datastore.latest_table(resource)
    assert latest is not None and latest.status == LoadStatus.FAILED
    assert latest.errors and latest.errors[0]["reason"]
    assert datastore.live_table(resource) is None


def test_a_steward_edits_types_and_the_data_dictionary(table: dict[str, Any]) -> None:
    resource: Resource = table["resource"]
    person = steward(table["agency"])
    datastore.edit_dictionary(
        actor=Actor(user=person),
        resource=resource,
        fields=[
            {
                "id": "so_ho_so",
                "info": {"label": "Số hồ sơ", "notes": "Tiếp nhận trong tháng", "unit": "hồ sơ"},
            },
            {"id": "thang", "type": "text"},
        ],
    )
    live = datastore.live_table(resource)
    assert live is not None
    fields = {f["id"]: f for f in live.fields}
    assert fields["thang"]["type"] == "text"  # reloaded with the chosen type
    assert fields["so_ho_so"]["info"]["label"] == "Số hồ sơ"
    assert datastore.search(resource, filters={"thang": "2"})["total"] == 2

    outsider = steward(AgencyFactory.create(code="H17.11"))
    from motcua.opendata.errors import NotAuthorized

    with pytest.raises(NotAuthorized):
        datastore.edit_dictionary(actor=Actor(user=outsider), resource=resource, fields=[])


def test_sql_reads_datastore_tables_only(
    client: Client, table: dict[str, Any], settings: Any
) -> None:
    rid = str(table["resource"].pk)
    status, body = call(
        client,
        "datastore_search_sql",
        sql=f'SELECT quan, SUM(so_ho_so) AS tong FROM "{rid}" GROUP BY quan ORDER BY tong DESC',
    )
    assert status == 200
    assert body["result"]["records"][0] == {"quan": "Hải Châu", "tong": 250}

    refused = [
        f'DELETE FROM "{rid}"',
        f'UPDATE "{rid}" SET quan = 1',
        f'DROP TABLE "{rid}"',
        f'SELECT * FROM "{rid}"; DELETE FROM "{rid}"',
        f'SELECT * FROM sqlite_master, "{rid}"',
        f"ATTACH DATABASE '/tmp/x' AS x; SELECT 1 FROM \"{rid}\"",
        f'PRAGMA table_info("{rid}")',
        "SELECT * FROM opendata_dataset",
        f'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT * FROM n, "{rid}"',
    ]
    for sql in refused:
        status, body = call(client, "datastore_search_sql", sql=sql)
        assert 400 <= status < 500, (sql, status, body)
        assert body["success"] is False
    assert DatastoreTable.objects.get(resource=table["resource"], live=True).rows.count() == 4

    settings.MOTCUA_OPENDATA_SQL_TIMEOUT_MS = 1
    slow = "SELECT COUNT(*) FROM " + ", ".join(f'"{rid}" t{n}' for n in range(10))
    status, body = call(client, "datastore_search_sql", sql=slow)
    assert status == 409 and "quá thời gian" in json.dumps(body["error"], ensure_ascii=False)


def test_private_tables_never_reach_anonymous_users(client: Client, table: dict[str, Any]) -> None:
    rid = str(table["secret"].pk)
    status, body = call(client, "datastore_search", resource_id=rid)
    assert status == 404 and body["error"]["__type"] == "Not Found Error"
    status, _body = call(client, "datastore_search_sql", sql=f'SELECT * FROM "{rid}"')
    assert status == 404
    status, _body = call(client, "resource_show", id=rid)
    assert status == 404
    assert (
        client.get(f"/du-lieu-mo/dataset/bi-mat/resource/{rid}/download/bang.csv").status_code
        == 404
    )
