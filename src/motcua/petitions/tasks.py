"""Petition work for the background worker: the periodic escalation of overdue reports."""

from __future__ import annotations

from django_tasks import task

from .services import escalate_overdue


@task()
def escalate_overdue_task() -> dict[str, int]:
    return {"escalated": escalate_overdue()}
