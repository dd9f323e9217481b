"""Tables are loaded by the background worker: an upload never waits for its rows."""

from __future__ import annotations

from django_tasks import task

from .datastore import load_now


@task()
def load_table(table_id: int) -> bool:
    return load_now(table_id)
