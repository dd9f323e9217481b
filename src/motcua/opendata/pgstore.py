"""The datastore on PostgreSQL: one real, typed table per resource (ADR 0011).

Each live table is ``datastore."<resource id>"``: ``_id`` (the row's number from 1), one column
per field typed from the inferred or chosen type, and ``_full_text`` (the folded values, for
``q``). Every column has a b-tree on ``(column, _id)``, so "filter on one column, sort on
another, first 100" walks the sort column's index in order and stops after 100 matches, and ties
are broken by ``_id`` from the same index. A load fills ``datastore."_load_<pk>"`` with COPY in
batches and is renamed to the resource's id in the transaction that makes it live: a failed load
is dropped and the previous table keeps answering.

``datastore_search_sql`` runs the caller's SELECT in PostgreSQL's dialect on these tables only:
in a read-only savepoint with ``statement_timeout`` (as ``MOTCUA_OPENDATA_SQL_ROLE`` when set),
as one statement (the extended protocol refuses several), after ``EXPLAIN (VERBOSE, FORMAT
JSON)`` showed that every relation it reads is a datastore table of a public dataset and every
function it calls, there or in the query's text, is on an allow-list.
"""

from __future__ import annotations

import datetime
import decimal
import json
import re
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from motcua.catalog.text import terms

from .constants import ColumnType
from .errors import InvalidInput, NotAuthorized

SCHEMA = "datastore"
COPY_BATCH = 10_000
RESERVED = {"_id", "_full_text"}
PG_TYPES = {
    ColumnType.TEXT: "text",
    ColumnType.INTEGER: "bigint",
    ColumnType.NUMERIC: "numeric",
    ColumnType.DATE: "date",
    ColumnType.TIMESTAMP: "timestamp",
    ColumnType.BOOLEAN: "boolean",
}


def quote(identifier: str) -> str:
    return '"' + str(identifier).replace("\x00", "").replace('"', '""') + '"'


def live_name(resource_id: Any) -> str:
    return f"{SCHEMA}.{quote(str(resource_id))}"


def load_name(table_pk: int) -> str:
    return f"{SCHEMA}.{quote(f'_load_{int(table_pk)}')}"


def _pg_type(field: dict[str, Any]) -> str:
    return PG_TYPES.get(field["type"], "text")


# Loading ---------------------------------------------------------------------------------------


def _cell(field: dict[str, Any], value: Any) -> Any:
    """A value as COPY writes it into the field's column."""
    if value is None:
        return None
    kind = field["type"]
    if kind == ColumnType.TEXT:
        from .datastore import text_of  # the datastore module imports this one

        return value if isinstance(value, str) else text_of(value)
    if kind == ColumnType.TIMESTAMP and isinstance(value, datetime.datetime) and value.tzinfo:
        # timestamp without time zone: the wall-clock time as written in the file.
        return value.replace(tzinfo=None)
    return value


class TableWriter:
    """Writes one load's rows into its own table, in batches so progress can be shown."""

    def __init__(self, table_pk: int, fields: list[dict[str, Any]]) -> None:
        reserved = [f["id"] for f in fields if str(f["id"]).lower() in RESERVED]
        if reserved:
            raise ValueError(
                _("Column names reserved by the datastore: %(names)s")
                % {"names": ", ".join(reserved)}
            )
        self.table_pk = table_pk
        self.fields = fields
        self.name = load_name(table_pk)
        self.batch: list[tuple[Any, ...]] = []
        columns = ", ".join(
            ['"_id" bigint PRIMARY KEY']
            + [f"{quote(f['id'])} {_pg_type(f)}" for f in fields]
            + ['"_full_text" text']
        )
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")
            cursor.execute(f"CREATE TABLE {self.name} ({columns})")

    def add(self, number: int, values: dict[str, Any], search_text: str) -> bool:
        """Queue a row; True when a batch was written."""
        self.batch.append(
            (number, *(_cell(f, values.get(f["id"])) for f in self.fields), search_text)
        )
        if len(self.batch) >= COPY_BATCH:
            self.flush()
            return True
        return False

    def flush(self) -> None:
        if not self.batch:
            return
        columns = ", ".join(['"_id"', *(quote(f["id"]) for f in self.fields), '"_full_text"'])
        connection.ensure_connection()
        raw = connection.connection
        assert raw is not None
        try:
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {self.name} ({columns}) FROM STDIN") as copy,
            ):
                for row in self.batch:
                    copy.write_row(row)
        except psycopg.Error as exc:  # e.g. an integer past bigint: the load fails, reported
            raise ValueError(exc.diag.message_primary or str(exc)) from None
        if connection.get_autocommit():
            raw.commit()  # a COPY outside a transaction block is its own transaction
        self.batch = []

    def index(self) -> None:
        """The indexes after the rows (faster than keeping them up to date row by row), then
        the statistics the planner needs to choose them."""
        with connection.cursor() as cursor:
            for position, field in enumerate(self.fields):
                cursor.execute(
                    f"CREATE INDEX {quote(f'i{self.table_pk}_{position}')} "
                    f'ON {self.name} ({quote(field["id"])}, "_id")'
                )
            reader = settings.MOTCUA_OPENDATA_SQL_ROLE
            if reader:
                # The role datastore_search_sql runs as reads datastore tables and nothing else.
                cursor.execute(f"GRANT USAGE ON SCHEMA {SCHEMA} TO {quote(reader)}")
                cursor.execute(f"GRANT SELECT ON {self.name} TO {quote(reader)}")
            if connection.get_autocommit():
                # Outside a transaction: VACUUM also marks the pages all-visible, so counting
                # the rows that match a filter reads the index only.
                cursor.execute(f"VACUUM ANALYZE {self.name}")
            else:
                cursor.execute(f"ANALYZE {self.name}")

    def discard(self) -> None:
        self.batch = []
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")


def make_live(table_pk: int, resource_id: Any) -> None:
    """In the caller's transaction: the loaded table takes the resource's name."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {live_name(resource_id)}")
        cursor.execute(f"ALTER TABLE {load_name(table_pk)} RENAME TO {quote(str(resource_id))}")


def drop_live(resource_id: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {live_name(resource_id)}")


def drop_load(table_pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {load_name(table_pk)}")


def drop_load_tables_except(owned: set[int]) -> list[int]:
    """Drop the load tables of loads that are not waiting or running (left by a worker that
    ended); returns the loads whose tables went."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename LIKE %s",
            [SCHEMA, r"\_load\_%"],
        )
        names = [row[0] for row in cursor.fetchall()]
    dropped = []
    for name in names:
        suffix = name.removeprefix("_load_")
        if suffix.isdigit() and int(suffix) not in owned:
            drop_load(int(suffix))
            dropped.append(int(suffix))
    return dropped


# datastore_search ------------------------------------------------------------------------------


def _value(value: Any) -> Any:
    """A value from PostgreSQL as JSON gives it."""
    if isinstance(value, decimal.Decimal):
        if value == value.to_integral_value() and abs(value) < 2**53:
            return int(value)
        return float(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    return value


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(
    *,
    resource_id: Any,
    filters: list[tuple[dict[str, Any], list[Any]]],
    q: str,
    columns: list[dict[str, Any]],
    order: list[tuple[str, bool]],
    limit: int,
    offset: int,
    row_count: int,
    include_total: bool,
    total_estimation_threshold: int | None,
) -> tuple[list[dict[str, Any]], int | None, bool]:
    """Records, total and whether the total was estimated. ``filters`` hold typed values;
    ``order`` holds (column, descending)."""
    table = live_name(resource_id)
    where: list[str] = []
    params: list[Any] = []
    for field, values in filters:
        if not values:
            where.append("FALSE")
            continue
        cast = _pg_type(field)
        marks = ", ".join(f"%s::{cast}" for _value_ in values)
        where.append(f"{quote(field['id'])} IN ({marks})")
        params += values
    for word in terms(q):
        where.append("\"_full_text\" LIKE %s ESCAPE '\\'")
        params.append(f"%{_escape_like(word)}%")
    condition = (" WHERE " + " AND ".join(where)) if where else ""
    keys = [f"{quote(name)} {'DESC' if descending else 'ASC'}" for name, descending in order]
    # Ties are broken by _id in the direction of the last key, which the (column, _id) index
    # gives without a sort step.
    last_descending = order[-1][1] if order else False
    if not order or order[-1][0] != "_id":
        keys.append(f'"_id" {"DESC" if last_descending else "ASC"}')
    names = ['"_id"', *(quote(f["id"]) for f in columns)]
    sql = (
        f"SELECT {', '.join(names)} FROM {table}{condition} "  # noqa: S608 (quoted names)
        f"ORDER BY {', '.join(keys)} LIMIT %s OFFSET %s"
    )
    ids = ["_id", *(f["id"] for f in columns)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        records = [
            {name: _value(value) for name, value in zip(ids, row, strict=True)}
            for row in cursor.fetchall()
        ]
        if not include_total:
            return records, None, False
        if not where:
            return records, row_count, False
        count_sql = f"SELECT 1 FROM {table}{condition}"  # noqa: S608 (quoted names)
        if total_estimation_threshold is not None:
            cursor.execute("EXPLAIN (FORMAT JSON) " + count_sql, params)
            plan = cursor.fetchone()[0]
            if isinstance(plan, str):
                plan = json.loads(plan)
            estimate = int(plan[0]["Plan"]["Plan Rows"])
            if estimate >= total_estimation_threshold:
                return records, estimate, True
        cursor.execute(f"SELECT count(*) FROM ({count_sql}) AS matching", params)  # noqa: S608
        return records, int(cursor.fetchone()[0]), False


# datastore_search_sql --------------------------------------------------------------------------

# Functions a query may call: aggregates, window functions, arithmetic, text, dates, JSON and
# arrays. Anything else (reading files or settings, running other SQL as text like
# query_to_xml, locks, sleeping, sequences) is refused.
ALLOWED_FUNCTIONS = frozenset(
    """
    count sum avg min max stddev stddev_pop stddev_samp variance var_pop var_samp string_agg
    array_agg bool_and bool_or every percentile_cont percentile_disc mode corr covar_pop
    covar_samp regr_slope regr_intercept regr_r2 regr_count regr_avgx regr_avgy json_agg
    jsonb_agg json_object_agg jsonb_object_agg bit_and bit_or
    row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value
    nth_value
    abs ceil ceiling floor round trunc sign sqrt cbrt power pow exp ln log log10 mod div pi
    degrees radians sin cos tan asin acos atan atan2 sinh cosh tanh width_bucket scale gcd lcm
    factorial numeric_inc int8inc float8 int8 int4 numeric
    lower upper initcap length char_length character_length octet_length bit_length concat
    concat_ws substring substr left right position strpos replace translate btrim ltrim rtrim
    lpad rpad repeat reverse split_part starts_with regexp_replace regexp_match regexp_matches
    regexp_split_to_array regexp_split_to_table regexp_like regexp_count regexp_instr
    regexp_substr format md5 to_char to_number to_date to_timestamp ascii chr normalize
    quote_ident quote_literal quote_nullable texticlike textlike texticregexeq textregexeq
    unaccent similar_to_escape similar_escape text_pattern_lt
    now date_part date_trunc extract age make_date make_time make_timestamp make_timestamptz
    make_interval justify_days justify_hours justify_interval isfinite date_bin timezone
    clock_timestamp statement_timestamp transaction_timestamp overlaps
    coalesce nullif greatest least row array any all exists
    json_build_object jsonb_build_object json_build_array jsonb_build_array to_json to_jsonb
    row_to_json json_array_length jsonb_array_length json_object jsonb_object
    json_extract_path_text jsonb_extract_path_text json_typeof jsonb_typeof
    array_length array_to_string unnest cardinality array_position array_positions
    string_to_array string_to_table array_upper array_lower array_dims array_remove
    array_append array_prepend array_cat generate_series overlay grouping
    """.split()  # noqa: SIM905 (a list of words reads better as words)
)
_LITERAL = re.compile(r"'(?:[^']|'')*'")
_CAST = re.compile(
    r'::(?:"[^"]+"|[\w.]+)(?:\(\d+(?:,\s*\d+)*\))?'
    r"(?: varying(?:\(\d+\))?| precision| with(?:out)? time zone)?(?:\[\])*"
)
_CALL = re.compile(r'(?:"?[A-Za-z_][\w$]*"?\.)?"?([A-Za-z_][\w$]*)"?\(')
_TABLE_NAME = re.compile(
    r'"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"'
)
_NAME_KEYS = {"Relation Name", "Schema", "Alias", "Index Name", "CTE Name", "Subplan Name"}


# Words that may stand before "(" in a query without being a function: keywords, and type
# names with a modifier (numeric(10, 2)).
_NOT_FUNCTIONS = frozenset(
    """
    in values using over filter exists as group on and or not select where from by case when
    then else end any all some array row lateral join union except intersect limit offset
    having partition rows range groups between is distinct like ilike similar to cast within
    window with recursive materialized fetch only order asc desc nulls first last cross inner
    left right full outer natural escape collate at zone
    numeric decimal varchar char character varying int integer bigint smallint float real
    double precision timestamp time interval date bit varbit text boolean bool
    """.split()  # noqa: SIM905 (a list of words reads better as words)
)
_TOKENS = re.compile(
    r"""
    (?P<comment>--[^\n]*|/\*)
    | (?P<estring>[eE]'(?:[^'\\]|\\.|'')*')
    | (?P<string>'(?:[^']|'')*')
    | (?P<dollar>\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$)
    | (?P<quoted>"(?:[^"]|"")*")
    | (?P<word>[A-Za-z_][A-Za-z0-9_$]*)
    | (?P<open>\()
    | (?P<space>\s+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _skip_block_comment(sql: str, position: int) -> int:
    """The position after a (nested) /* comment that starts at ``position``."""
    depth = 0
    while position < len(sql):
        if sql.startswith("/*", position):
            depth += 1
            position += 2
        elif sql.startswith("*/", position):
            depth -= 1
            position += 2
            if depth == 0:
                return position
        else:
            position += 1
    return position


def words_before_parentheses(sql: str) -> set[str]:
    """Every word of the query text (quoted or not) that stands before "(", comments and
    string literals left out: the functions the query may call, wherever they are (the plan
    does not show every expression, LIMIT's for one)."""
    found: set[str] = set()
    previous: str | None = None
    position = 0
    while position < len(sql):
        match = _TOKENS.match(sql, position)
        assert match is not None  # the last alternative matches any character
        kind = match.lastgroup
        if kind == "comment":
            if match.group().startswith("/*"):
                position = _skip_block_comment(sql, position)
            else:
                position = match.end()
            continue
        if kind == "dollar":
            end = sql.find(match.group(), match.end())
            position = len(sql) if end < 0 else end + len(match.group())
            previous = None
            continue
        position = match.end()
        if kind == "space":
            continue
        if kind == "open" and previous is not None:
            found.add(previous)
        if kind == "word":
            previous = match.group().lower()
        elif kind == "quoted":
            previous = match.group()[1:-1].replace('""', '"').lower()
        else:
            previous = None
    return found


def check_text(sql: str) -> None:
    refused = sorted(words_before_parentheses(sql) - ALLOWED_FUNCTIONS - _NOT_FUNCTIONS)
    if refused:
        raise NotAuthorized(
            _("These functions may not be used: %(names)s") % {"names": ", ".join(refused)}
        )


def named_tables(sql: str) -> list[str]:
    return sorted({name.lower() for name in _TABLE_NAME.findall(sql)})


def _walk(plan: Any) -> Iterator[dict[str, Any]]:
    if isinstance(plan, dict):
        yield plan
        for value in plan.values():
            yield from _walk(value)
    elif isinstance(plan, list):
        for value in plan:
            yield from _walk(value)


def _strings(node: dict[str, Any]) -> Iterable[str]:
    for key, value in node.items():
        if key in _NAME_KEYS:
            continue
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, str))


def functions_called(expression: str) -> set[str]:
    """The functions an expression of EXPLAIN VERBOSE calls (its literals and casts left out)."""
    text = _CAST.sub("", _LITERAL.sub("''", expression))
    return {name.lower() for name in _CALL.findall(text)}


def check_plan(plan: Any, allowed_tables: set[str]) -> None:
    """Refuse a plan that writes, reads a relation outside ``allowed_tables`` (datastore
    tables by resource id) or calls a function off the allow-list."""
    for node in _walk(plan):
        if node.get("Node Type") == "ModifyTable" or "Operation" in node:
            raise NotAuthorized(_("Only reading datastore tables is allowed."))
        if "Relation Name" in node and (
            node.get("Schema") != SCHEMA or str(node["Relation Name"]).lower() not in allowed_tables
        ):
            raise NotAuthorized(_("Only reading datastore tables is allowed."))
        if node.get("Node Type") in {"Foreign Scan", "Custom Scan", "Table Function Scan"}:
            raise NotAuthorized(_("Only reading datastore tables is allowed."))
        called = {str(node["Function Name"]).lower()} if "Function Name" in node else set()
        for text in _strings(node):
            called |= functions_called(text)
        refused = sorted(called - ALLOWED_FUNCTIONS)
        if refused:
            raise NotAuthorized(
                _("These functions may not be used: %(names)s") % {"names": ", ".join(refused)}
            )


def run_sql(sql: str, allowed_tables: set[str], max_rows: int) -> tuple[list[str], list[Any]]:
    """The query's columns and at most ``max_rows + 1`` rows; errors as CKAN's refusals."""
    check_text(sql)
    body = sql.strip().rstrip(";").strip()
    # The query becomes a subquery with a bound LIMIT: one SELECT, and a bound parameter makes
    # psycopg use the extended protocol, where PostgreSQL refuses more than one statement.
    escaped = body.replace("%", "%%")  # psycopg reads % as the start of a placeholder
    wrapped = f"SELECT * FROM (\n{escaped}\n) AS _query LIMIT %s"  # noqa: S608 (checked below)
    connection.ensure_connection()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL transaction_read_only = on")
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true), "
                    "set_config('search_path', %s, true)",
                    [f"{int(settings.MOTCUA_OPENDATA_SQL_TIMEOUT_MS)}ms", f"{SCHEMA}, pg_catalog"],
                )
                if settings.MOTCUA_OPENDATA_SQL_ROLE:
                    cursor.execute(f"SET LOCAL ROLE {quote(settings.MOTCUA_OPENDATA_SQL_ROLE)}")
            raw = connection.connection
            assert raw is not None
            with psycopg.Cursor(raw) as cursor:
                cursor.execute("EXPLAIN (VERBOSE, FORMAT JSON) " + wrapped, (max_rows + 1,))
                row = cursor.fetchone()
                plan = row[0] if row else []
                if isinstance(plan, str):
                    plan = json.loads(plan)
                check_plan(plan, allowed_tables)
                cursor.execute(wrapped, (max_rows + 1,))
                columns = [d.name for d in cursor.description or []]
                rows = cursor.fetchall()
            # SET LOCAL ends with the savepoint or transaction: always roll back.
            transaction.set_rollback(True)
    except psycopg.errors.QueryCanceled:
        raise InvalidInput({"sql": [_("The query took longer than the time allowed.")]}) from None
    except (psycopg.errors.ReadOnlySqlTransaction, psycopg.errors.InsufficientPrivilege):
        raise NotAuthorized(_("Only reading datastore tables is allowed.")) from None
    except psycopg.Error as exc:
        message = (exc.diag.message_primary or str(exc)) if hasattr(exc, "diag") else str(exc)
        raise InvalidInput({"sql": [message]}) from None
    return columns, [[_value(value) for value in row] for row in rows]
