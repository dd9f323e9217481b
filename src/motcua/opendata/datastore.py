"""The datastore: tabular resources as tables anyone can query (CKAN's datastore API).

A CSV or XLSX resource is read by the background worker with ``frictionless``, which infers
each column's type (or uses the type a steward chose), checks every cell against it and
reports each problem with its row, column and reason. A load goes into a new table; only a
load without problems replaces the live one, so a bad file never takes a good table offline.
On PostgreSQL each resource gets a real typed table (``pgstore``); on SQLite rows are kept
as JSON in ``DatastoreRow`` (ADR 0011).
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
from django.db import DatabaseError, connection, transaction
from django.db.models import F, FloatField, QuerySet, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.text import fold, terms
from motcua.notifications.services import enqueue_with_transaction

from . import pgstore
from .access import Actor, can_write
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
    return text_of(value)


def text_of(value: Any) -> str:
    """A value frictionless read with a type the datastore keeps as text, written as in a file
    (a year-month is 2026-12, not its Python repr)."""
    year, month = getattr(value, "year", None), getattr(value, "month", None)
    if isinstance(value, tuple) and isinstance(year, int) and isinstance(month, int):
        return f"{year:04d}-{month:02d}"
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
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
        table.progress_at = timezone.now()
        table.save(update_fields=["status", "progress_at"])
    resource = table.resource
    chosen = table.fields
    problems: list[dict[str, Any]] = []
    fields: list[dict[str, Any]] = chosen
    count = 0
    writer: pgstore.TableWriter | None = None
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
                if _typed_tables():
                    writer = pgstore.TableWriter(table.pk, fields)
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
                    search_text = fold(" ".join(str(v) for v in data.values() if v is not None))[
                        :2000
                    ]
                    if writer is not None:
                        if writer.add(count, values, search_text):
                            _progress(table, count)
                        continue
                    batch.append(
                        DatastoreRow(table=table, number=count, data=data, search_text=search_text)
                    )
                    if len(batch) >= BATCH:
                        DatastoreRow.objects.bulk_create(batch)
                        batch = []
                        _progress(table, count)
                if batch and not problems:
                    DatastoreRow.objects.bulk_create(batch)
                if writer is not None and not problems:
                    writer.flush()
                    writer.index()
    except FrictionlessException as exc:
        problems.append(
            {"row": None, "column": "", "reason": exc.error.type + ": " + exc.error.note}
        )
    except (OSError, ValueError) as exc:
        problems.append({"row": None, "column": "", "reason": str(exc)})
    except DatabaseError as exc:  # e.g. two column names PostgreSQL cuts to the same 63 bytes
        problems.append({"row": None, "column": "", "reason": str(exc).strip()})
    if problems and _typed_tables():
        pgstore.drop_load(table.pk)
    return _finish(table, fields, count, problems)


def _progress(table: DatastoreTable, count: int) -> None:
    DatastoreTable.objects.filter(pk=table.pk).update(rows_loaded=count, progress_at=timezone.now())


def sweep_abandoned_loads(*, now: datetime.datetime | None = None) -> int:
    """Fail the loads a worker left running (killed or restarted mid-load): their rows go, the
    live table answers on, and the steward reads why and loads the file again. A running load
    writes progress every batch, so one that has not moved for
    ``MOTCUA_OPENDATA_LOAD_STALE_MINUTES`` is not coming back (the task is not run twice: a
    second run finds it taken). On PostgreSQL, load tables no waiting or running load owns are
    dropped too. Returns how many loads were failed."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(minutes=settings.MOTCUA_OPENDATA_LOAD_STALE_MINUTES)
    failed = 0
    for pk in DatastoreTable.objects.filter(
        status=LoadStatus.RUNNING, progress_at__lt=stale
    ).values_list("pk", flat=True):
        with transaction.atomic():
            table = (
                DatastoreTable.objects.select_for_update()
                .filter(pk=pk, status=LoadStatus.RUNNING, progress_at__lt=stale)
                .first()
            )
            if table is None:
                continue  # it moved, or finished, meanwhile
            table.status = LoadStatus.FAILED
            table.finished_at = now
            table.errors = [
                {
                    "row": None,
                    "column": "",
                    "reason": _(
                        "The load stopped before it finished (the worker ended); the previous "
                        "version stays live. Add the file again to load it."
                    ),
                }
            ]
            table.save(update_fields=["status", "finished_at", "errors"])
            table.rows.all().delete()
            if _typed_tables():
                pgstore.drop_load(table.pk)
        failed += 1
    if _typed_tables():
        owned = DatastoreTable.objects.filter(
            status__in=[LoadStatus.WAITING, LoadStatus.RUNNING]
        ).values_list("pk", flat=True)
        pgstore.drop_load_tables_except(set(owned))
    return failed


def _typed_tables() -> bool:
    """Whether resources are real tables (PostgreSQL) rather than JSON rows (SQLite)."""
    return connection.vendor == "postgresql"


def _labels(options: dict[str, Any]) -> list[str]:
    """The column names in the file's header."""
    from frictionless import Resource as TabularFile

    with TabularFile(**options) as tabular:
        return list(tabular.header.labels)


def drop_stored_rows(table: DatastoreTable) -> None:
    """On PostgreSQL, the real table of a datastore table being deleted (the JSON rows of
    SQLite go by the foreign key's cascade)."""
    if not _typed_tables():
        return
    if table.live:
        pgstore.drop_live(table.resource_id)
    else:
        pgstore.drop_load(table.pk)


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
        return True
    replaced = DatastoreTable.objects.filter(resource_id=table.resource_id, live=True).exclude(
        pk=table.pk
    )
    replaced.delete()  # on PostgreSQL its table is dropped with it (signals.py)
    if _typed_tables():
        pgstore.make_live(table.pk, table.resource_id)
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
    """A filter value as the JSON rows' expression gives it (SQLite): a number, or text."""
    typed = _typed(field, value)
    if field["type"] in NUMERIC:
        return float(typed)
    if isinstance(typed, bool):
        return int(typed)  # SQLite's json_extract gives 1 or 0
    return typed


def _sort_key(field: dict[str, Any]) -> Any:
    """The column's value of the JSON rows (SQLite) as filters and sorts use it."""
    text = KeyTextTransform(field["id"], "data")
    if field["type"] in NUMERIC:
        return Cast(text, FloatField())
    # SQLite's JSON lookups would read a compared value as JSON; a plain text value compares.
    return Cast(text, TextField())


def _typed_filter_value(field: dict[str, Any], value: Any) -> Any:
    """A filter value as the typed column of PostgreSQL compares it."""
    typed = _typed(field, value)
    if typed is None or field["type"] in {ColumnType.INTEGER, ColumnType.BOOLEAN}:
        return typed
    if field["type"] == ColumnType.NUMERIC:
        return decimal.Decimal(str(typed))
    try:
        if field["type"] == ColumnType.DATE:
            return datetime.date.fromisoformat(typed)
        if field["type"] == ColumnType.TIMESTAMP:
            return datetime.datetime.fromisoformat(typed).replace(tzinfo=None)
    except ValueError:
        raise InvalidInput(
            {
                "filters": [
                    _("%(value)s is not a value of %(name)s")
                    % {"value": value, "name": field["id"]}
                ]
            }
        ) from None
    return typed


def _sort_order(table: DatastoreTable, sort: str) -> list[tuple[str, bool]]:
    """CKAN's ``sort`` ("col desc, other") as (column, descending) pairs."""
    order: list[tuple[str, bool]] = []
    for part in sort.split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or (len(words) == 2 and words[1].lower() not in {"asc", "desc"}):
            raise InvalidInput({"sort": [_("Cannot sort by “%(sort)s”.") % {"sort": part.strip()}]})
        name = words[0].strip('"')
        if name != "_id":
            _column(table, name, "sort")
        order.append((name, len(words) == 2 and words[1].lower() == "desc"))
    return order


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
    total_estimation_threshold: int | None = None,
) -> dict[str, Any]:
    """CKAN's datastore_search. Past ``total_estimation_threshold`` matching rows (PostgreSQL
    only), ``total`` is the planner's estimate and ``total_was_estimated`` is true."""
    table = _live_or_refuse(resource)
    if limit < 0 or limit > MAX_LIMIT:
        raise SearchQueryError(_("limit must be between 0 and %(max)s.") % {"max": MAX_LIMIT})
    if offset < 0:
        raise SearchQueryError(_("offset cannot be negative."))
    if not isinstance(filters, dict):
        raise InvalidInput({"filters": [_("A JSON object")]})
    wanted: list[tuple[dict[str, Any], list[Any]]] = []
    for name, value in filters.items():
        field = _column(table, name, "filters")
        values = value if isinstance(value, list) else [value]
        typed = [_typed_filter_value(field, v) for v in values]  # a bad value is a 409 on both
        wanted.append((field, typed if _typed_tables() else values))
    order = _sort_order(table, sort)
    chosen = [_column(table, name, "fields") for name in fields] if fields else table.fields
    total: int | None = None
    estimated = False
    if _typed_tables():
        records, total, estimated = pgstore.search(
            resource_id=resource.pk,
            filters=wanted,
            q=q,
            columns=chosen,
            order=order,
            limit=limit,
            offset=offset,
            row_count=table.row_count,
            include_total=include_total,
            total_estimation_threshold=total_estimation_threshold,
        )
    else:
        records, total = _search_rows(table, wanted, q, chosen, order, limit, offset)
        if not include_total:
            total = None
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
        result["total"] = total
        result["total_was_estimated"] = estimated
    if total_estimation_threshold is not None:
        result["total_estimation_threshold"] = total_estimation_threshold
    return result


def _search_rows(
    table: DatastoreTable,
    wanted: list[tuple[dict[str, Any], list[Any]]],
    q: str,
    chosen: list[dict[str, Any]],
    order: list[tuple[str, bool]],
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """datastore_search over the JSON rows (SQLite)."""
    rows: QuerySet[DatastoreRow] = DatastoreRow.objects.filter(table=table)
    for field, values in wanted:
        alias = f"filter_{len(rows.query.annotations)}"
        rows = rows.alias(**{alias: _sort_key(field)})
        rows = rows.filter(**{f"{alias}__in": [_comparable(field, value) for value in values]})
    for word in terms(q):
        rows = rows.filter(search_text__contains=word)
    keys: list[Any] = []
    for name, descending in order:
        key: Any = F("number") if name == "_id" else _sort_key(_column(table, name, "sort"))
        keys.append(key.desc() if descending else key.asc())
    # Ties by row number, in the direction of the last key (as on PostgreSQL).
    if not order or order[-1][0] != "_id":
        keys.append(F("number").desc() if order and order[-1][1] else F("number").asc())
    rows = rows.order_by(*keys)
    names = [f["id"] for f in chosen]
    records = [
        {"_id": number, **{name: data.get(name) for name in names}}
        for number, data in rows.values_list("number", "data")[offset : offset + limit]
    ]
    filtered = bool(wanted or terms(q))
    return records, rows.count() if filtered else table.row_count


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

    Only tables of public datasets may be read (a steward reads a private table with
    ``datastore_search``). On PostgreSQL the query runs in PostgreSQL's dialect on the real
    tables (``pgstore.run_sql``: read-only, time-limited, every relation and function it uses
    checked in its plan). On SQLite it runs in a private in-memory SQLite database holding only
    the tables it names, under an authoriser that allows reading those tables and nothing else
    (no writes, no PRAGMA, no ATTACH) and a time limit. Anything else is a CKAN error.
    """
    if len(sql) > 10_000:
        raise InvalidInput({"sql": [_("The query is too long.")]})
    names = sorted({name.lower() for name in _TABLE_NAME.findall(sql)})
    if not names:
        raise InvalidInput(
            {"sql": [_("Name a datastore table: its resource id in double quotes.")]}
        )
    tables: dict[str, DatastoreTable] = {}
    for name in names:
        resource = Resource.objects.select_related("dataset").filter(pk=name).first()
        if resource is None or not resource.dataset.is_public:
            raise DatasetNotFound(
                _('Resource "%(id)s" was not found in the datastore.') % {"id": name}
            )
        tables[name] = _live_or_refuse(resource)
    if _typed_tables():
        columns, rows = pgstore.run_sql(sql, set(tables), MAX_LIMIT)
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        return {
            "sql": sql,
            "records": records[:MAX_LIMIT],
            "fields": [{"id": c} for c in columns],
            "records_truncated": len(records) > MAX_LIMIT,
        }
    if sum(table.row_count for table in tables.values()) > (
        settings.MOTCUA_OPENDATA_SQL_MAX_SOURCE_ROWS
    ):
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
