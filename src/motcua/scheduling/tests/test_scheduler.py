"""The timetable: each periodic task is enqueued once per interval, whoever asks."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.dossiers import services
from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.models import ApologyLetter, Dossier
from motcua.dossiers.tests.factories import file_dossier, make_world
from motcua.scheduling.models import PeriodicJob
from motcua.scheduling.services import enqueue_due

SWEEP = {"sweep": {"task": "motcua.dossiers.tasks.sweep_deadlines_task", "every": 600}}
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
@override_settings(MOTCUA_PERIODIC_TASKS=SWEEP, TASKS=DB_TASKS)
def test_a_task_is_enqueued_once_per_interval() -> None:
    start = timezone.now()
    assert enqueue_due(start) == ["sweep"]
    assert enqueue_due(start + datetime.timedelta(seconds=599)) == []
    assert enqueue_due(start + datetime.timedelta(seconds=600)) == ["sweep"]
    assert DBTaskResult.objects.count() == 2
    job = PeriodicJob.objects.get(name="sweep")
    latest = DBTaskResult.objects.order_by("enqueued_at").last()
    assert latest is not None and job.last_task_id == str(latest.id)


@pytest.mark.django_db
@override_settings(MOTCUA_PERIODIC_TASKS=SWEEP)
def test_the_scheduler_runs_the_deadline_sweep() -> None:
    world = make_world()
    dossier = services.act(
        dossier=file_dossier(world), user=world.receiver, transition=Transition.ACCEPT
    )
    # Overdue: the sweep drafts an apology letter (form 04) for it.
    Dossier.objects.filter(pk=dossier.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=2)
    )
    # Tests run tasks at once (root conftest): enqueued is done.
    call_command("run_scheduler", "--once")
    assert PeriodicJob.objects.get().last_enqueued_at is not None
    assert ApologyLetter.objects.filter(dossier=dossier).count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises all writers; no race to test"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(MOTCUA_PERIODIC_TASKS=SWEEP, TASKS=DB_TASKS)
def test_concurrent_schedulers_enqueue_once() -> None:
    now = timezone.now()
    PeriodicJob.objects.create(name="sweep")
    barrier = threading.Barrier(8)
    results: list[list[str]] = []

    def scheduler() -> None:
        barrier.wait()
        try:
            results.append(enqueue_due(now))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(r) for r in results) == [0] * 7 + [1]
    assert DBTaskResult.objects.count() == 1
