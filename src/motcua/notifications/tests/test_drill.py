"""The drill: the worker dies in the middle of a task, twenty status changes are made while it
is down, it starts again; every applicant is told of every change exactly once.

The real database task backend and the real commands (``db_worker``, ``run_scheduler``), run
in this process against the test database. A killed worker is represented by what it leaves
in the database: its task "running", claimed twenty minutes ago, and the message it was
sending claimed as long ago.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import act
from motcua.dossiers.tests.factories import World, file_dossier, make_world
from motcua.notifications.models import DeliveryStatus, OutboxMessage

from .test_retries import SENT, recording  # noqa: F401  (the recording channel, autouse)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TELL = "motcua.dossiers.tasks.tell_applicant"


def worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def change(world: World, dossier: Dossier, transition: str) -> None:
    act(dossier=dossier, user=world.receiver, transition=transition)


def test_twenty_changes_while_the_worker_is_down_are_each_told_once(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    world = make_world()
    dossiers = [file_dossier(world) for _ in range(11)]
    worker()  # the worker is up: the eleven filings are told
    assert len(SENT) == 11

    # A change whose telling the worker had started when it was killed.
    change(world, dossiers[0], Transition.ACCEPT)
    # (Beside it waits the national portal's delivery of the change, issue 16.)
    dead = DBTaskResult.objects.ready().filter(task_path=TELL).get()
    dead.claim("killed-worker")
    twenty_minutes_ago = timezone.now() - datetime.timedelta(minutes=20)
    DBTaskResult.objects.filter(pk=dead.pk).update(started_at=twenty_minutes_ago)

    # Twenty status changes while no worker runs.
    for dossier in dossiers[1:]:
        change(world, dossier, Transition.ACCEPT)
        change(world, dossier, Transition.FORWARD)
    assert DBTaskResult.objects.ready().filter(task_path=TELL).count() == 20

    # The worker starts again next to the scheduler, which gives back what the dead one held.
    call_command("run_scheduler", "--once", verbosity=0)
    worker()

    assert DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count() == 0
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 0
    messages = OutboxMessage.objects.all()
    assert messages.count() == 11 + 1 + 20
    assert set(messages.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert Counter(SENT) == Counter({pk: 1 for pk in messages.values_list("pk", flat=True)})
    # Each dossier's applicant was told of each of its changes once.
    told = Counter(messages.values_list("body", flat=True))
    assert set(told.values()) == {1}
