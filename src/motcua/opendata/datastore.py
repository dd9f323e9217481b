"""The datastore: tabular resources as tables anyone can query (CKAN's datastore API).

A CSV or XLSX resource is read by the background worker with ``frictionless``, which infers
each column's type (or uses the type a steward chose), checks every cell against it and
reports each problem with its row, column and reason. A load goes into a new table; only a
load without problems replaces the live one, so a bad file never takes a good table offline.
Rows are kept as JSON in the database, which both SQLite and PostgreSQL query.
"""

from __future__ import annotations

import datetime
import decimal
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, FloatField, QuerySet, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.text import fold, terms
from motcua.notifications.services import enqueue_with_transaction

from .access import Actor, can_read, can_write
from .constants import ColumnType, LoadStatus, ResourceFormat, RevisionAction
from .errors import DatasetNotFound, InvalidInput, NotAuthorized, SearchQueryError
from .models import DatastoreRow, DatastoreTable, Resource

BATCH = 2000
MAX_REPORTED_PROBLEMS = 50
MAX_LIMIT = 32000  # CKAN's ckan.datastore.search.rows_max
FRICTIONLESS_TYPES = {
    "string": ColumnType.TEXT,
    "integer": ColumnType.INTEGER,
    "number": ColumnType.NUMERIC,
    "date": ColumnType.DATE,
    "datetime": ColumnType.TIMESTAMP,
    "boolean": ColumnType.BOOLEAN,
}
SCHEMA_TYPES = {value: key for key, value in FRICTIONLESS_TYPES.items()}
NUMERIC = {ColumnType.INTEGER, ColumnType.NUMERIC}


def live_table(resource: Resource) -> DatastoreTable | None:
    return DatastoreTable.objects.filter(resource=resource, live=True).first()


def latest_table(resource: Resource) -> DatastoreTable | None:
    return DatastoreTable.objects.filter(resource=resource).order_by("-created_at", "-pk").first()


def request_load(resource: Resource, fields: list[dict[str, Any]] | None = None) -> DatastoreTable:
    """Ask the worker to load ``resource`` (with the columns' types and dictionary in
    ``fields``, when a steward set them; inferred otherwise)."""
    from .tasks import load_table  # the task module imports this one

    table = DatastoreTable.objects.create(resource=resource, fields=fields or [])
    enqueue_with_transaction(load_table, table.pk)
    return table


@contextmanager
def _local_copy(resource: Resource) -> Iterator[Path]:
    """The stored file as a local path frictionless can open (copied in chunks when the
    storage is not the local disk)."""
    directory = Path(tempfile.mkdtemp(prefix="motcua-datastore-"))
    try:
        target = directory / Path(resource.file.name).name
        with resource.file.open("rb") as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy, length=1024 * 1024)
        yield target
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _json_value(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and abs(value) < 2**53
            else float(value)
        )
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _schema_for(fields: list[dict[str, Any]]) -> Any:
    from frictionless import Schema

    return Schema.from_descriptor(
        {
            "fields": [
                {"name": f["id"], "type": SCHEMA_TYPES.get(f["type"], "string")} for f in fields
            ]
        }
    )


def load_now(table_id: int) -> bool:
    """Load one table; False when it was already taken up."""
    from frictionless import Detector, FrictionlessException
    from frictionless import Resource as TabularFile

    with transaction.atomic():
        table = (
            DatastoreTable.objects.select_for_update().select_related("resource").get(pk=table_id)
        )
        if table.status != LoadStatus.WAITING:
            return False
        table.status = LoadStatus.RUNNING
        table.save(update_fields=["status"])
    resource = table.resource
    chosen = table.fields
    problems: list[dict[str, Any]] = []
    fields: list[dict[str, Any]] = chosen
    count = 0
    try:
        with _local_copy(resource) as path:
            options: dict[str, Any] = {"path": path.name, "basepath": str(path.parent)}
            if resource.format == ResourceFormat.CSV:
                # Open data is published in UTF-8 (a byte-order mark is allowed): a file in
                # another encoding is reported, not read as guessed.
                options["encoding"] = "utf-8-sig"
            if chosen and _labels(options) == [f["id"] for f in chosen]:
                options["schema"] = _schema_for(chosen)
            else:
                options["detector"] = Detector(sample_size=1000, field_confidence=1.0)
            with TabularFile(**options) as tabular:
                problems += [
                    {"row": 1, "column": getattr(error, "field_name", ""), "reason": _reason(error)}
                    for error in tabular.header.errors
                ]
                fields = _fields_of(tabular.schema, chosen)
                names = [f["id"] for f in fields]
                batch: list[DatastoreRow] = []
                for row in tabular.row_stream:
                    for error in row.errors:
                        if len(problems) < MAX_REPORTED_PROBLEMS:
                            problems.append(
                                {
                                    "row": row.row_number,
                                    "column": getattr(error, "field_name", ""),
                                    "reason": _reason(error),
                                }
                            )
                    count += 1
                    if problems:
                        continue  # keep reading to count and report, write nothing more
                    values = row.to_dict()
                    data = {name: _json_value(values.get(name)) for name in names}
                    batch.append(
                        DatastoreRow(
                            table=table,
                            number=count,
                            data=data,
                            search_text=fold(
                                " ".join(str(v) for v in data.values() if v is not None)
                            )[:2000],
                        )
                    )
                    if len(batch) >= BATCH:
                        DatastoreRow.objects.bulk_create(batch)
                        batch = []
                        DatastoreTable.objects.filter(pk=table.pk).update(rows_loaded=count)
                if batch and not problems:
                    DatastoreRow.objects.bulk_create(batch)
    except FrictionlessException as exc:
        problems.append(
            {"row": None, "column": "", "reason": exc.error.type + ": " + exc.error.note}
        )
    except (OSError, ValueError) as exc:
        problems.append({"row": None, "column": "", "reason": str(exc)})
    if not problems:
        _index_columns(table, fields)
    return _finish(table, fields, count, problems)


def _labels(options: dict[str, Any]) -> list[str]:
    """The column names in the file's header."""
    from frictionless import Resource as TabularFile

    with TabularFile(**options) as tabular:
        return list(tabular.header.labels)


def _index_name(table: DatastoreTable, position: int) -> str:
    return f"opendata_dsr_{table.pk}_{position}"


def _column_expression(field: dict[str, Any]) -> str:
    """The SQL of a column's value as ``search`` filters and sorts on it (same text, so that
    PostgreSQL matches the index to the query)."""
    name = str(field["id"]).replace("\x00", "").replace("'", "''")
    text = f"(data ->> '{name}')"
    return f"({text}::double precision)" if field["type"] in NUMERIC else text


def _index_columns(table: DatastoreTable, fields: list[dict[str, Any]]) -> None:
    """On PostgreSQL, one partial index per column of this table: a filter on one column and a
    sort on another read a few index entries instead of the whole table."""
    if connection.vendor != "postgresql":
        return
    concurrently = "" if connection.in_atomic_block else "CONCURRENTLY "
    with connection.cursor() as cursor:
        for position, field in enumerate(fields):
            cursor.execute(
                f'CREATE INDEX {concurrently}IF NOT EXISTS "{_index_name(table, position)}" '
                f"ON opendata_datastorerow ({_column_expression(field)}) "
                f"WHERE table_id = {int(table.pk)}"
            )
        cursor.execute("ANALYZE opendata_datastorerow")


def drop_indexes(table: DatastoreTable) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for position in range(len(table.fields) or 0):
            cursor.execute(f'DROP INDEX IF EXISTS "{_index_name(table, position)}"')


def _reason(error: Any) -> str:
    return str(error.type) + (f": {error.note}" if error.note else "")


def _fields_of(schema: Any, chosen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The columns as CKAN shows them, keeping a steward's dictionary entries."""
    info = {f["id"]: f.get("info", {}) for f in chosen}
    return [
        {
            "id": field.name,
            "type": FRICTIONLESS_TYPES.get(field.type, ColumnType.TEXT).value,
            "info": info.get(field.name, {"label": "", "notes": "", "unit": ""}),
        }
        for field in schema.fields
    ]


@transaction.atomic
def _finish(
    table: DatastoreTable, fields: list[dict[str, Any]], count: int, problems: list[dict[str, Any]]
) -> bool:
    table = DatastoreTable.objects.select_for_update().get(pk=table.pk)
    table.fields = fields
    table.finished_at = timezone.now()
    if problems:
        table.status = LoadStatus.FAILED
        table.errors = problems
        table.save(update_fields=["fields", "finished_at", "status", "errors"])
        table.rows.all().delete()
        drop_indexes(table)
        return True
    replaced = DatastoreTable.objects.filter(resource_id=table.resource_id, live=True).exclude(
        pk=table.pk
    )
    for old in replaced:
        drop_indexes(old)
    replaced.delete()
    table.status = LoadStatus.DONE
    table.live = True
    table.row_count = count
    table.rows_loaded = count
    table.save(
        update_fields=["fields", "finished_at", "status", "live", "row_count", "rows_loaded"]
    )
    return True


@transaction.atomic
def edit_dictionary(
    *, actor: Actor, resource: Resource, fields: list[dict[str, Any]]
) -> DatastoreTable:
    """A steward's column types and data dictionary (label, description, unit per column).

    Labels and descriptions apply at once; a changed type means a new load, checked against
    the new types, while the current table stays live.
    """
    from .services import _record

    if not can_write(actor, resource.dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    table = live_table(resource) or latest_table(resource)
    if table is None:
        raise DatasetNotFound(_("This resource has no table yet."))
    known = {f["id"]: f for f in table.fields}
    updated: list[dict[str, Any]] = []
    for entry in fields:
        column = known.get(entry.get("id"))
        if column is None:
            raise InvalidInput(
                {"fields": [_("Unknown column: %(name)s") % {"name": entry.get("id")}]}
            )
        kind = entry.get("type", column["type"])
        if kind not in ColumnType.values:
            raise InvalidInput({"fields": [_("Unknown type: %(type)s") % {"type": kind}]})
        info = {
            key: str(entry.get("info", {}).get(key, column.get("info", {}).get(key, "")))[:500]
            for key in ("label", "notes", "unit")
        }
        updated.append({"id": column["id"], "type": kind, "info": info})
    types_changed = any(u["type"] != known[u["id"]]["type"] for u in updated)
    by_id = {u["id"]: u for u in updated}
    merged = [by_id.get(f["id"], f) for f in table.fields]
    if types_changed:
        table = request_load(resource, merged)
    else:
        table.fields = merged
        table.save(update_fields=["fields"])
    _record(resource.dataset, RevisionAction.DICTIONARY_EDITED, actor)
    return table


# Queries ---------------------------------------------------------------------------------------


def _live_or_refuse(resource: Resource) -> DatastoreTable:
    table = live_table(resource)
    if table is None:
        raise DatasetNotFound(
            _('Resource "%(id)s" was not found in the datastore.') % {"id": resource.pk}
        )
    return table


def _column(table: DatastoreTable, name: str, what: str) -> dict[str, Any]:
    for field in table.fields:
        if field["id"] == name:
            return field
    raise InvalidInput({what: [_('field "%(name)s" not in table') % {"name": name}]})


def _typed(field: dict[str, Any], value: Any) -> Any:
    if value is None:
        return None
    try:
        if field["type"] == ColumnType.INTEGER:
            return int(value)
        if field["type"] == ColumnType.NUMERIC:
            number = float(value)
            return int(number) if number.is_integer() else number
        if field["type"] == ColumnType.BOOLEAN and isinstance(value, str):
            return value.lower() in {"true", "1", "yes"}
    except (TypeError, ValueError):
        raise InvalidInput(
            {
                "filters": [
                    _("%(value)s is not a value of %(name)s")
                    % {"value": value, "name": field["id"]}
                ]
            }
        ) from None
    return (
        str(value)
        if field["type"] in {ColumnType.TEXT, ColumnType.DATE, ColumnType.TIMESTAMP}
        else value
    )


def _comparable(field: dict[str, Any], value: Any) -> Any:
    """A filter value as the column's expression gives it: a number, or JSON's text of it."""
    typed = _typed(field, value)
    if field["type"] in NUMERIC:
        return float(typed)
    if isinstance(typed, bool):
        # PostgreSQL's ->> gives JSON's text, SQLite's json_extract gives 1 or 0.
        if connection.vendor == "postgresql":
            return "true" if typed else "false"
        return int(typed)
    return typed


def _sort_key(field: dict[str, Any]) -> Any:
    """The column's value as filters and sorts use it: on PostgreSQL exactly the expression of
    its index (``_column_expression``)."""
    text = KeyTextTransform(field["id"], "data")
    if field["type"] in NUMERIC:
        return Cast(text, FloatField())
    if connection.vendor != "postgresql":
        # SQLite's JSON lookups would read a compared value as JSON; a plain text value compares.
        return Cast(text, TextField())
    return text


def search(
    resource: Resource,
    *,
    filters: dict[str, Any],
    q: str = "",
    fields: list[str] | None = None,
    sort: str = "",
    limit: int = 100,
    offset: int = 0,
    include_total: bool = True,
) -> dict[str, Any]:
    table = _live_or_refuse(resource)
    if limit < 0 or limit > MAX_LIMIT:
        raise SearchQueryError(_("limit must be between 0 and %(max)s.") % {"max": MAX_LIMIT})
    if offset < 0:
        raise SearchQueryError(_("offset cannot be negative."))
    if not isinstance(filters, dict):
        raise InvalidInput({"filters": [_("A JSON object")]})
    rows: QuerySet[DatastoreRow] = DatastoreRow.objects.filter(table=table)
    for name, wanted in filters.items():
        field = _column(table, name, "filters")
        values = wanted if isinstance(wanted, list) else [wanted]
        alias = f"filter_{len(rows.query.annotations)}"
        rows = rows.alias(**{alias: _sort_key(field)})
        wanted_values = [_comparable(field, value) for value in values]
        rows = rows.filter(**{f"{alias}__in": wanted_values})
    for word in terms(q):
        rows = rows.filter(search_text__contains=word)
    order: list[Any] = []
    for part in sort.split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or (len(words) == 2 and words[1].lower() not in {"asc", "desc"}):
            raise InvalidInput({"sort": [_("Cannot sort by “%(sort)s”.") % {"sort": part.strip()}]})
        if words[0].strip('"') == "_id":
            key: Any = F("number")
        else:
            key = _sort_key(_column(table, words[0].strip('"'), "sort"))
        descending = len(words) == 2 and words[1].lower() == "desc"
        order.append(key.desc() if descending else key.asc())
    rows = rows.order_by(*order, "number")
    chosen = [_column(table, name, "fields") for name in fields] if fields else table.fields
    names = [f["id"] for f in chosen]
    records = [
        {"_id": number, **{name: data.get(name) for name in names}}
        for number, data in rows.values_list("number", "data")[offset : offset + limit]
    ]
    result: dict[str, Any] = {
        "resource_id": str(resource.pk),
        "fields": [{"id": "_id", "type": "int"}]
        + [{"id": f["id"], "type": f["type"], "info": f.get("info", {})} for f in chosen],
        "records": records,
        "limit": limit,
        "offset": offset,
        "include_total": include_total,
        "records_format": "objects",
        "_links": {"start": "", "next": ""},
    }
    if include_total:
        result["total"] = rows.count() if (filters or q) else table.row_count
        result["total_was_estimated"] = False
    return result


def info(resource: Resource) -> dict[str, Any]:
    table = live_table(resource)
    latest = latest_table(resource)
    return {
        "meta": {
            "count": table.row_count if table else 0,
            "live": table is not None,
            "last_load": {
                "status": latest.status,
                "rows_loaded": latest.rows_loaded,
                "errors": latest.errors,
            }
            if latest
            else None,
        },
        "fields": table.fields if table else [],
    }


# SQL -------------------------------------------------------------------------------------------

_TABLE_NAME = re.compile(
    r'"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"'
)
_SQLITE_TYPES = {
    ColumnType.INTEGER: "INTEGER",
    ColumnType.NUMERIC: "REAL",
    ColumnType.BOOLEAN: "INTEGER",
}
_ALLOWED_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION}


def search_sql(sql: str, *, actor: Actor) -> dict[str, Any]:
    """A read-only SELECT over datastore tables, named by their resource id in double quotes.

    The query runs in a private in-memory SQLite database holding only the tables it names,
    under an authoriser that allows reading those tables and nothing else (no writes, no
    PRAGMA, no ATTACH) and a time limit; anything else is refused with a CKAN error.
    """
    if len(sql) > 10_000:
        raise InvalidInput({"sql": [_("The query is too long.")]})
    names = sorted({name.lower() for name in _TABLE_NAME.findall(sql)})
    if not names:
        raise InvalidInput(
            {"sql": [_("Name a datastore table: its resource id in double quotes.")]}
        )
    tables: dict[str, DatastoreTable] = {}
    budget = settings.MOTCUA_OPENDATA_SQL_MAX_SOURCE_ROWS
    for name in names:
        resource = Resource.objects.select_related("dataset").filter(pk=name).first()
        if resource is None or not can_read(actor, resource.dataset):
            raise DatasetNotFound(
                _('Resource "%(id)s" was not found in the datastore.') % {"id": name}
            )
        table = _live_or_refuse(resource)
        budget -= table.row_count
        tables[name] = table
    if budget < 0:
        raise InvalidInput(
            {"sql": [_("The tables named are too large for SQL queries; use datastore_search.")]}
        )
    database = sqlite3.connect(":memory:")
    try:
        for name, table in tables.items():
            _copy_into(database, name, table)
        allowed = set(tables)

        def authorise(
            action: int, arg1: str | None, arg2: str | None, db: str | None, trigger: str | None
        ) -> int:
            if action == sqlite3.SQLITE_READ and (arg1 or "").lower() not in allowed:
                return sqlite3.SQLITE_DENY
            return sqlite3.SQLITE_OK if action in _ALLOWED_ACTIONS else sqlite3.SQLITE_DENY

        deadline = time.monotonic() + settings.MOTCUA_OPENDATA_SQL_TIMEOUT_MS / 1000
        database.set_authorizer(authorise)
        database.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            cursor = database.execute(sql)
            columns = [d[0] for d in cursor.description or []]
            records = [
                dict(zip(columns, row, strict=True)) for row in cursor.fetchmany(MAX_LIMIT + 1)
            ]
        except sqlite3.DatabaseError as exc:
            message = str(exc)
            if "not authorized" in message or "prohibited" in message:
                raise NotAuthorized(_("Only reading datastore tables is allowed.")) from None
            if "interrupted" in message:
                raise InvalidInput(
                    {"sql": [_("The query took longer than the time allowed.")]}
                ) from None
            raise InvalidInput({"sql": [message]}) from None
        except sqlite3.Warning as exc:  # more than one statement
            raise InvalidInput({"sql": [str(exc)]}) from None
    finally:
        database.close()
    truncated = len(records) > MAX_LIMIT
    return {
        "sql": sql,
        "records": records[:MAX_LIMIT],
        "fields": [{"id": c} for c in columns],
        "records_truncated": truncated,
    }


def _copy_into(database: sqlite3.Connection, name: str, table: DatastoreTable) -> None:
    fields = table.fields
    columns = ", ".join(
        ['"_id" INTEGER']
        + [f'"{_quote(f["id"])}" {_SQLITE_TYPES.get(f["type"], "TEXT")}' for f in fields]
    )
    database.execute(f'CREATE TABLE "{name}" ({columns})')
    placeholders = ", ".join("?" for _ in range(len(fields) + 1))
    ids = [f["id"] for f in fields]
    rows = table.rows.values_list("number", "data").iterator(chunk_size=BATCH)
    database.executemany(
        # The name is a resource id checked against the UUID pattern: no SQL can come in by it.
        f'INSERT INTO "{name}" VALUES ({placeholders})',  # noqa: S608
        ((number, *(data.get(i) for i in ids)) for number, data in rows),
    )


def _quote(identifier: str) -> str:
    return identifier.replace('"', '""')
