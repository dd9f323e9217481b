"""On PostgreSQL, datastore rows move from JSON in one table to one typed table per resource in
the ``datastore`` schema (ADR 0011): the schema, and each live table's rows copied over."""

from __future__ import annotations

from typing import Any

from django.db import migrations

PG_TYPES = {
    "text": "text",
    "int": "bigint",
    "numeric": "numeric",
    "date": "date",
    "timestamp": "timestamp",
    "bool": "boolean",
}


def _quote(identifier: str) -> str:
    return '"' + str(identifier).replace("\x00", "").replace('"', '""') + '"'


def to_typed_tables(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    DatastoreTable = apps.get_model("opendata", "DatastoreTable")
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA IF NOT EXISTS datastore")
        for table in DatastoreTable.objects.filter(live=True):
            name = f"datastore.{_quote(str(table.resource_id))}"
            columns = [(f["id"], PG_TYPES.get(f["type"], "text")) for f in table.fields]
            cursor.execute(
                f"CREATE TABLE {name} ("
                + ", ".join(
                    ['"_id" bigint PRIMARY KEY']
                    + [f"{_quote(c)} {kind}" for c, kind in columns]
                    + ['"_full_text" text']
                )
                + ")"
            )
            values = ", ".join(f"(data ->> %s)::{kind}" for _column, kind in columns)
            cursor.execute(
                f"INSERT INTO {name} SELECT number, "  # noqa: S608 (quoted names)
                + (values + ", " if values else "")
                + "search_text FROM opendata_datastorerow WHERE table_id = %s",
                [c for c, _kind in columns] + [table.pk],
            )
            for position, (column, _kind) in enumerate(columns):
                cursor.execute(
                    f"CREATE INDEX {_quote(f'i{table.pk}_{position}')} "
                    f'ON {name} ({_quote(column)}, "_id")'
                )
            cursor.execute(f"ANALYZE {name}")
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'opendata_datastorerow' "
            "AND indexname LIKE 'opendata\\_dsr\\_%%'"
        )
        for (index,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX IF EXISTS {_quote(index)}")
        cursor.execute("DELETE FROM opendata_datastorerow")


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]

    operations = [migrations.RunPython(to_typed_tables, migrations.RunPython.noop)]
