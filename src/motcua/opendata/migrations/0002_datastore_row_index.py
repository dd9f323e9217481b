"""GIN index over datastore rows on PostgreSQL: datastore_search's filters are containment
queries (``data @> {"column": value}``) that it answers without reading the whole table.
SQLite compares the JSON values one row at a time instead."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS opendata_datastorerow_data_gin "
            "ON opendata_datastorerow USING gin (data jsonb_path_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS opendata_datastorerow_data_gin")


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
