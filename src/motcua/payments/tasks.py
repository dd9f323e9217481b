"""Background work of the payments app (a worker runs it: ``manage.py db_worker``)."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from . import services


@task()
def reconcile_payments() -> dict[str, int]:
    """Query the gateway about payments left pending; expire those past their expiry."""
    return asdict(services.reconcile())
