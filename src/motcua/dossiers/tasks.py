"""Dossier work for the background worker: telling applicants, and the periodic sweep."""

from __future__ import annotations

from django_tasks import task

from .deadlines import sweep_deadlines
from .handlers import tell_applicant_now


@task()
def tell_applicant(dossier_id: int, status: int, event_id: int | None = None) -> int:
    # ``event_id`` defaults for the tasks queued before it was passed.
    return tell_applicant_now(dossier_id, status, event_id)


@task()
def sweep_deadlines_task() -> dict[str, int]:
    report = sweep_deadlines()
    return {"due_soon": report.due_soon, "overdue": report.overdue, "letters": report.letters}
