"""Periodic dossier work, run by the background worker on the scheduler's timetable."""

from __future__ import annotations

from django_tasks import task

from .deadlines import sweep_deadlines


@task()
def sweep_deadlines_task() -> dict[str, int]:
    report = sweep_deadlines()
    return {"due_soon": report.due_soon, "overdue": report.overdue, "letters": report.letters}
