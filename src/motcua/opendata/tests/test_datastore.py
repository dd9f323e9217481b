"""The datastore: tables loaded by the worker with frictionless, queried as CKAN's datastore."""

# ruff: noqa: S608  (these tests send SQL built from table names on purpose)

from __future__ import annotations

import io
import json
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from motcua.agencies.tests.factories import AgencyFactory
from motcua.opendata import datastore, services
from motcua.opendata.access import Actor
from motcua.opendata.constants import LoadStatus
from motcua.opendata.models import Resource

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
        f"ATTACH DATABASE '/tmp/x' AS x; SELECT 1 FROM \"{rid}\"",
        f'PRAGMA table_info("{rid}")',
        "SELECT * FROM opendata_dataset",
        f'SELECT * FROM "{rid}", auth_user',
    ]
    if connection.vendor == "sqlite":
        refused += [
            f'SELECT * FROM sqlite_master, "{rid}"',
            f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
            f'SELECT * FROM n, "{rid}"',
        ]
    for sql in refused:
        status, body = call(client, "datastore_search_sql", sql=sql)
        assert 400 <= status < 500, (sql, status, body)
        assert body["success"] is False
    assert datastore.search(table["resource"], filters={})["total"] == 4

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


def test_sql_of_a_steward_cannot_read_a_private_table_either(table: dict[str, Any]) -> None:
    """SQL reads tables of public datasets only, whoever asks (a steward uses datastore_search
    for a private one)."""
    from motcua.opendata.errors import DatasetNotFound

    person = steward(table["agency"])
    public, secret = table["resource"].pk, table["secret"].pk
    with pytest.raises(DatasetNotFound):
        datastore.search_sql(f'SELECT * FROM "{secret}"', actor=Actor(user=person))
    with pytest.raises(DatasetNotFound):
        datastore.search_sql(
            f'SELECT * FROM "{public}" a JOIN "{secret}" b USING (_id)', actor=Actor()
        )
    assert datastore.search(table["secret"], filters={})["total"] == 4  # the steward's way


def test_search_gives_every_ckan_parameter_on_typed_values(table: dict[str, Any]) -> None:
    resource = table["resource"]
    found = datastore.search(resource, filters={"ngay": "2026-02-28", "thang": [2, "2"]})
    assert [r["_id"] for r in found["records"]] == [3, 4]
    assert found["records"][0]["ngay"] == "2026-02-28"  # dates come back as ISO text
    found = datastore.search(resource, filters={"dung_han": 0.9})
    assert [r["quan"] for r in found["records"]] == ["Thanh Khê"]
    assert found["records"][0]["dung_han"] == 0.9
    found = datastore.search(resource, filters={}, sort="thang desc", limit=3)
    # Ties follow the direction of the last sort key.
    assert [r["_id"] for r in found["records"]] == [4, 3, 2]
    assert found["total"] == 4 and found["total_was_estimated"] is False
    found = datastore.search(resource, filters={}, q="hai chau", sort="_id desc")
    assert [r["_id"] for r in found["records"]] == [4, 1] and found["total"] == 2
    found = datastore.search(resource, filters={}, include_total=False, offset=3)
    assert "total" not in found and [r["_id"] for r in found["records"]] == [4]
    from motcua.opendata.errors import InvalidInput

    for filters in ({"ngay": "hôm qua"}, {"thang": "mot"}):
        with pytest.raises(InvalidInput):
            datastore.search(resource, filters=filters)


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="typed tables are PostgreSQL's"
)


def _datastore_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'datastore'")
        return {name for (name,) in cursor.fetchall()}


@postgres_only
def test_each_resource_is_a_typed_table_with_an_index_per_column(table: dict[str, Any]) -> None:
    rid = str(table["resource"].pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'datastore' AND table_name = %s ORDER BY ordinal_position",
            [rid],
        )
        assert cursor.fetchall() == [
            ("_id", "bigint"),
            ("quan", "text"),
            ("thang", "bigint"),
            ("so_ho_so", "bigint"),
            ("dung_han", "numeric"),
            ("ngay", "date"),
            ("_full_text", "text"),
        ]
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'datastore' AND tablename = %s",
            [rid],
        )
        definitions = " ".join(d for (d,) in cursor.fetchall())
    for column in ("quan", "thang", "so_ho_so", "dung_han", "ngay"):
        assert f"({column}, _id)" in definitions


@postgres_only
def test_filter_sort_and_limit_walk_an_index_and_stop_early(table: dict[str, Any]) -> None:
    """On a table large enough for the planner to care, "filter on one column, sort on
    another, first 100" is a Limit over an ordered index scan, never a sort of every match."""
    rows = "".join(
        f"Quận {n % 10},{n % 12},{(n * 7919) % 100000},0.5,2026-01-31\n" for n in range(50000)
    )
    resource = csv_resource(
        dataset(table["agency"], name="lon", title="Lớn"),
        ("quan,thang,so_ho_so,dung_han,ngay\n" + rows).encode(),
    )
    found = datastore.search(
        resource,
        filters={"quan": "Quận 3"},
        sort="so_ho_so desc",
        limit=100,
        total_estimation_threshold=None,
    )
    assert found["total"] == 5000 and len(found["records"]) == 100
    amounts = [r["so_ho_so"] for r in found["records"]]
    assert amounts == sorted(amounts, reverse=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f'EXPLAIN (FORMAT JSON) SELECT * FROM datastore."{resource.pk}" WHERE quan IN (%s) '
            "ORDER BY so_ho_so DESC, _id DESC LIMIT 100",
            ["Quận 3"],
        )
        plan = json.dumps(cursor.fetchone()[0])
    assert '"Node Type": "Limit"' in plan and "Index Scan" in plan
    assert '"Node Type": "Sort"' not in plan


@postgres_only
def test_a_large_total_is_estimated_past_the_threshold(
    table: dict[str, Any], client: Client
) -> None:
    rows = "".join(f"Quận {n % 4},{n % 12},{n},0.5,2026-01-31\n" for n in range(8000))
    resource = csv_resource(
        dataset(table["agency"], name="uoc-tinh", title="Ước tính"),
        ("quan,thang,so_ho_so,dung_han,ngay\n" + rows).encode(),
    )
    found = datastore.search(resource, filters={"quan": "Quận 1"}, total_estimation_threshold=1000)
    assert found["total_was_estimated"] is True
    assert 1500 <= found["total"] <= 2500  # the planner's estimate of the exact 2,000
    exact = datastore.search(resource, filters={"quan": "Quận 1"}, total_estimation_threshold=None)
    assert exact["total"] == 2000 and exact["total_was_estimated"] is False
    above = datastore.search(resource, filters={"quan": "Quận 1"}, total_estimation_threshold=10**6)
    assert above["total"] == 2000 and above["total_was_estimated"] is False
    unfiltered = datastore.search(resource, filters={}, total_estimation_threshold=1)
    assert unfiltered["total"] == 8000 and unfiltered["total_was_estimated"] is False

    # Through the API: the setting when absent, exact when null, a 4xx when negative.
    rid = str(resource.pk)
    status, body = call(client, "datastore_search", resource_id=rid, filters={"quan": "Quận 1"})
    assert status == 200 and body["result"]["total_was_estimated"] is False  # 10,000 > 2,000
    status, body = call(
        client,
        "datastore_search",
        resource_id=rid,
        filters={"quan": "Quận 1"},
        total_estimation_threshold=1000,
    )
    assert body["result"]["total_was_estimated"] is True
    assert body["result"]["total_estimation_threshold"] == 1000
    status, body = call(
        client,
        "datastore_search",
        resource_id=rid,
        filters={"quan": "Quận 1"},
        total_estimation_threshold=None,
    )
    assert body["result"]["total"] == 2000 and body["result"]["total_was_estimated"] is False
    status, body = call(client, "datastore_search", resource_id=rid, total_estimation_threshold=-1)
    assert status == 400 and body["success"] is False


@postgres_only
def test_a_failed_load_is_dropped_and_a_good_one_swapped_in(table: dict[str, Any]) -> None:
    resource: Resource = table["resource"]
    person = steward(table["agency"])
    rid = str(resource.pk)
    before = _datastore_tables()
    services.update_resource(
        actor=Actor(user=person),
        resource=resource,
        values={"name": resource.name, "description": "", "format": "CSV", "url": ""},
        upload=SimpleUploadedFile("bang.csv", CSV + "Liên Chiểu,ba,1,0.5,2026-03-31\n".encode()),
    )
    assert datastore.latest_table(resource).status == LoadStatus.FAILED  # type: ignore[union-attr]
    assert _datastore_tables() == before  # the half-loaded table is gone, the live one stays
    assert datastore.search(resource, filters={})["total"] == 4

    services.update_resource(
        actor=Actor(user=person),
        resource=resource,
        values={"name": resource.name, "description": "", "format": "CSV", "url": ""},
        upload=SimpleUploadedFile("bang.csv", CSV + "Liên Chiểu,3,7,0.5,2026-03-31\n".encode()),
    )
    assert datastore.search(resource, filters={"quan": "Liên Chiểu"})["total"] == 1
    assert _datastore_tables() == before  # the new load took the resource's name
    assert not any(name.startswith("_load_") for name in _datastore_tables())

    resource.delete()
    assert rid not in _datastore_tables()


@postgres_only
def test_sql_speaks_postgresql_on_any_size_of_table(
    client: Client, table: dict[str, Any], settings: Any
) -> None:
    settings.MOTCUA_OPENDATA_SQL_MAX_SOURCE_ROWS = 1  # SQLite's limit does not apply
    rid = str(table["resource"].pk)
    status, body = call(
        client,
        "datastore_search_sql",
        sql=(
            f"SELECT quan, percentile_cont(0.5) WITHIN GROUP (ORDER BY so_ho_so) AS trung_vi, "
            f"to_char(max(ngay), 'YYYY-MM') AS thang_cuoi, count(*) FILTER (WHERE quan ILIKE "
            f"'%chÂu%') AS n FROM \"{rid}\" WHERE ngay >= DATE '2026-01-01' "
            f"GROUP BY quan ORDER BY trung_vi DESC NULLS LAST;"
        ),
    )
    assert status == 200, body
    assert body["result"]["records"][0] == {
        "quan": "Hải Châu",
        "trung_vi": 125.0,
        "thang_cuoi": "2026-02",
        "n": 2,
    }


@postgres_only
def test_sql_cannot_reach_beyond_public_datastore_tables(
    client: Client, table: dict[str, Any], settings: Any
) -> None:
    rid = str(table["resource"].pk)
    secret = str(table["secret"].pk)
    refused = [
        f'SELECT * FROM "{rid}" JOIN datastore."{secret}" s USING (_id)',  # named, not quoted
        f'SELECT * FROM "{rid}" WHERE _id IN (SELECT id FROM auth_user)',
        f'SELECT * FROM "{rid}" WHERE _id IN (SELECT id FROM public.auth_user)',
        f'SELECT * FROM "{rid}", public.opendata_apitoken',
        f'SELECT * FROM "{rid}", pg_catalog.pg_authid',
        f'SELECT *, (SELECT count(*) FROM pg_tables) FROM "{rid}"',
        f"SELECT query_to_xml('select * from auth_user', true, true, '') FROM \"{rid}\"",
        f"SELECT pg_read_file('/etc/passwd') FROM \"{rid}\"",
        f"SELECT set_config('transaction_read_only', 'off', true) FROM \"{rid}\"",
        f'SELECT pg_sleep(10) FROM "{rid}"',
        f'SELECT * FROM "{rid}" FOR UPDATE',
        f'WITH gone AS (DELETE FROM "{rid}" RETURNING *) SELECT * FROM gone',
        f'SELECT 1 FROM "{rid}"; COMMIT; DELETE FROM "{rid}"',
        f'SELECT 1 FROM "{rid}") AS a; DELETE FROM "{rid}"; SELECT * FROM (SELECT 1',
        f'SELECT * FROM "{rid}" --',
        f'SELECT * FROM "{rid}", "_load_1"',
        f'CREATE TABLE x AS SELECT * FROM "{rid}"',
        f'EXPLAIN ANALYZE SELECT * FROM "{rid}"',
        f"SELECT nextval('opendata_dataset_id_seq') FROM \"{rid}\"",
        # Expressions EXPLAIN does not print are read from the text.
        f"SELECT * FROM \"{rid}\" LIMIT length(query_to_xml('select * from auth_user', "
        f"true, true, '')::text)",
        f'SELECT * FROM "{rid}" OFFSET pg_sleep /* */ (1)::text::int',
        f'SELECT sum(_id) OVER (ROWS "pg_advisory_lock"(1)::int PRECEDING) FROM "{rid}"',
    ]
    for sql in refused:
        status, body = call(client, "datastore_search_sql", sql=sql)
        if sql.endswith("--"):
            assert status == 200  # a trailing comment is harmless
            continue
        assert 400 <= status < 500, (sql, status, body)
        assert body["success"] is False and body["error"]["__type"], sql
    assert datastore.search(table["resource"], filters={})["total"] == 4
    assert datastore.search(table["secret"], filters={})["total"] == 4

    settings.MOTCUA_OPENDATA_SQL_TIMEOUT_MS = 50
    status, body = call(
        client,
        "datastore_search_sql",
        sql=f'SELECT count(*) FROM "{rid}", generate_series(1, 100000000)',
    )
    assert status == 409 and "quá thời gian" in json.dumps(body["error"], ensure_ascii=False)


def test_functions_are_read_from_the_text_without_comments_and_literals() -> None:
    from motcua.opendata.pgstore import words_before_parentheses

    sql = (
        "SELECT count (*), \"Query_To_Xml\"(x), a/**/(b), 'f(', E'\\'g(', $q$ h( $q$, "
        "numeric(10,2) FROM t WHERE x IN (1) -- z(\n LIMIT length/* /* */ */(y)"
    )
    assert words_before_parentheses(sql) == {
        "count",
        "query_to_xml",
        "a",
        "numeric",
        "in",
        "length",
    }


def test_functions_are_read_from_the_plan_without_literals_and_casts() -> None:
    from motcua.opendata.pgstore import functions_called

    assert functions_called("sum((t.so_ho_so)::numeric(10,2))") == {"sum"}
    assert functions_called("lower((t.quan)::character varying(20)::text)") == {"lower"}
    assert functions_called("(t.quan = 'pg_read_file(x)'::text)") == set()
    assert functions_called('"substring"((t.quan)::text, 1, 2)') == {"substring"}
    assert functions_called("pg_catalog.query_to_xml('q'::text, true)") == {"query_to_xml"}
    assert functions_called("(x)::timestamp(3) without time zone AND pg_sleep(1)") == {"pg_sleep"}


def test_a_year_month_column_reads_as_written(table: dict[str, Any]) -> None:
    """frictionless infers "2026-01" as a year-month, which the datastore keeps as text as
    written (it was the Python repr of frictionless' tuple)."""
    resource = csv_resource(
        dataset(table["agency"], name="thang", title="Tháng"), b"thang,so\n2026-01,1\n2026-02,2\n"
    )
    found = datastore.search(resource, filters={"thang": "2026-02"})
    assert [r["thang"] for r in found["records"]] == ["2026-02"]


@postgres_only
def test_sql_runs_as_the_reader_role_when_one_is_set(
    client: Client, table: dict[str, Any], settings: Any
) -> None:
    from django.db import DatabaseError

    reader = "motcua_datastore_reader_test"
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                f"'{reader}') THEN CREATE ROLE {reader} NOLOGIN; END IF; END $$"
            )
    except DatabaseError:
        pytest.skip("this database user cannot create roles")
    settings.MOTCUA_OPENDATA_SQL_ROLE = reader
    resource = csv_resource(dataset(table["agency"], name="vai-tro", title="Vai trò"), CSV)
    sql = f'SELECT count(*) AS n FROM "{resource.pk}"'
    status, body = call(client, "datastore_search_sql", sql=sql)
    assert status == 200 and body["result"]["records"] == [{"n": 4}]
    with connection.cursor() as cursor:
        cursor.execute(f'REVOKE SELECT ON datastore."{resource.pk}" FROM {reader}')
    status, body = call(client, "datastore_search_sql", sql=sql)
    assert status == 403  # the role, not the platform's user, reads the table
    # The table loaded before the role was set was never granted to it.
    status, body = call(
        client, "datastore_search_sql", sql=f'SELECT count(*) FROM "{table["resource"].pk}"'
    )
    assert status == 403


@postgres_only
def test_values_or_names_postgresql_cannot_hold_fail_the_load_with_a_reason(
    table: dict[str, Any],
) -> None:
    ds = dataset(table["agency"], name="qua-lon", title="Quá lớn")
    huge = csv_resource(ds, b"ma,so\na,1\nb,99999999999999999999999\n")
    reserved = csv_resource(ds, b"_id,so\n1,2\n", name="trung.csv")
    for resource, words in ((huge, "out of range"), (reserved, "_id")):
        latest = datastore.latest_table(resource)
        assert latest is not None and latest.status == LoadStatus.FAILED
        assert words in latest.errors[0]["reason"]
        assert datastore.live_table(resource) is None
    assert not any(name.startswith("_load_") for name in _datastore_tables())


def test_a_load_left_running_by_a_worker_that_ended_fails_with_a_reason(
    table: dict[str, Any], settings: Any
) -> None:
    # A worker killed mid-load left the load "running" for good (a second run of the task
    # finds it taken), the steward's page saying "loading" forever and, on PostgreSQL, its
    # half-written table behind.
    import datetime

    from django.utils import timezone

    from motcua.opendata.models import DatastoreTable

    resource: Resource = table["resource"]
    live = datastore.live_table(resource)
    assert live is not None
    stopped = DatastoreTable.objects.create(
        resource=resource,
        status=LoadStatus.RUNNING,
        rows_loaded=2000,
        progress_at=timezone.now() - datetime.timedelta(minutes=45),
    )
    moving = DatastoreTable.objects.create(
        resource=table["secret"], status=LoadStatus.RUNNING, progress_at=timezone.now()
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE TABLE datastore."_load_{stopped.pk}" ("_id" bigint)')
            cursor.execute(f'CREATE TABLE datastore."_load_{moving.pk}" ("_id" bigint)')
            cursor.execute('CREATE TABLE datastore."_load_999999" ("_id" bigint)')  # no owner

    settings.MOTCUA_OPENDATA_LOAD_STALE_MINUTES = 30
    assert datastore.sweep_abandoned_loads() == 1

    stopped.refresh_from_db()
    moving.refresh_from_db()
    assert stopped.status == LoadStatus.FAILED and stopped.finished_at is not None
    assert "worker ended" in stopped.errors[0]["reason"] or "dừng" in stopped.errors[0]["reason"]
    assert moving.status == LoadStatus.RUNNING  # still writing rows: left alone
    assert datastore.live_table(resource) == live  # the live version answers on
    assert datastore.search(resource, filters={})["total"] == 4
    if connection.vendor == "postgresql":
        left = _datastore_tables()
        assert f"_load_{stopped.pk}" not in left and "_load_999999" not in left
        assert f"_load_{moving.pk}" in left
    assert datastore.sweep_abandoned_loads() == 0  # once


def test_a_problem_of_the_whole_load_is_shown_without_a_row(table: dict[str, Any]) -> None:
    from motcua.accounts.tests.factories import sign_in_with_second_factor
    from motcua.opendata.models import DatastoreTable

    resource: Resource = table["resource"]
    DatastoreTable.objects.create(
        resource=resource,
        status=LoadStatus.FAILED,
        errors=[{"row": None, "column": "", "reason": "Tệp không đọc được."}],
    )
    client = Client()
    sign_in_with_second_factor(client, steward(table["agency"]))
    page = client.get("/du-lieu-mo/dataset/ho-so/").content.decode()
    assert "<li>Tệp không đọc được.</li>" in page
    assert "None" not in page
