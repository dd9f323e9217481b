"""Tables are loaded by the background worker: an upload never waits for its rows."""

from __future__ import annotations

from django_tasks import task

from .datastore import load_now, sweep_abandoned_loads
from .publishing import publish_platform_data


@task()
def load_table(table_id: int) -> bool:
    return load_now(table_id)


@task()
def publish_platform_data_task() -> int:
    """The nightly refresh of the datasets the platform publishes about itself."""
    return sum(publish_platform_data().values())


@task()
def sweep_abandoned_loads_task() -> int:
    """Periodic: loads left running by a worker that ended fail with a reason."""
    return sweep_abandoned_loads()
