"""Background delivery to the national portal (a worker runs these: ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def deliver_dossier_task(dossier_id: int) -> None:
    services.deliver_dossier(dossier_id)


@task()
def deliver_dossiers_task(dossier_ids: list[int]) -> None:
    """A batch queued by ``services.backfill``: one task per batch, not per dossier."""
    for dossier_id in dossier_ids:
        services.deliver_dossier(dossier_id)


@task()
def backfill_task() -> None:
    services.backfill()


@task()
def sweep_sync_task() -> None:
    """Periodic (``MOTCUA_PERIODIC_TASKS``): retries due, claims of workers that died."""
    services.deliver_due()


@task()
def import_catalogue_task(record_id: int) -> None:
    services.run_catalogue_import(record_id)
