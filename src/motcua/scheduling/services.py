"""Enqueue each periodic task when its interval has passed.

django-tasks runs tasks but has no timetable; this is the timetable. Several schedulers may run
(one per app server): the job's row is locked while deciding, so a task is enqueued once per
interval whichever scheduler gets there first. The tasks themselves are idempotent.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PeriodicJob


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str  # dotted path of a django-tasks task
    every: datetime.timedelta


def schedules() -> list[Schedule]:
    return [
        Schedule(name, str(spec["task"]), datetime.timedelta(seconds=float(str(spec["every"]))))
        for name, spec in settings.MOTCUA_PERIODIC_TASKS.items()
    ]


def enqueue_due(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every task whose interval has passed; return their names."""
    now = now or timezone.now()
    enqueued = []
    for schedule in schedules():
        PeriodicJob.objects.get_or_create(name=schedule.name)
        with transaction.atomic():
            job = PeriodicJob.objects.select_for_update().get(name=schedule.name)
            if job.last_enqueued_at is not None and job.last_enqueued_at + schedule.every > now:
                continue
            result = import_string(schedule.task).enqueue()
            job.last_enqueued_at = now
            job.last_task_id = str(result.id)
            job.save(update_fields=["last_enqueued_at", "last_task_id"])
        enqueued.append(schedule.name)
    return enqueued
