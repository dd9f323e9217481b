"""A send that fails is tried again with back-off, then ends visibly failed; a message is
never sent twice by two workers; what a dead worker left running is taken up again."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.notifications import services
from motcua.notifications.models import DeliveryStatus, OutboxMessage
from motcua.notifications.services import notify

SENT: list[int] = []
FAILURES: dict[int, int] = {}  # message id → how many tries still fail
_lock = threading.Lock()


class Recording:
    """A channel that records what it sends; fails while ``FAILURES`` says so."""

    def deliver(self, message: OutboxMessage) -> None:
        with _lock:
            if FAILURES.get(message.pk, 0) > 0:
                FAILURES[message.pk] -= 1
                raise ConnectionError("gateway down")
            SENT.append(message.pk)


@pytest.fixture(autouse=True)
def recording(settings: Any) -> None:
    SENT.clear()
    FAILURES.clear()
    path = "motcua.notifications.tests.test_retries.Recording"
    settings.MOTCUA_NOTIFICATION_BACKENDS = {"email": path, "sms": path}
    settings.MOTCUA_NOTIFICATION_MAX_ATTEMPTS = 3
    settings.MOTCUA_NOTIFICATION_RETRY_SECONDS = 60
    settings.MOTCUA_PERIODIC_TASKS = {}


def make_due(message: OutboxMessage) -> None:
    """Let the clock pass the message's next attempt."""
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


@pytest.mark.django_db
def test_a_failed_send_is_retried_with_back_off_and_then_sent(settings: Any) -> None:
    message = OutboxMessage.objects.create(channel="sms", recipient="0905123456", body="x")
    FAILURES[message.pk] = 2

    before = timezone.now()
    services.deliver(message.pk)
    message.refresh_from_db()
    assert message.status == DeliveryStatus.RETRY and message.attempts == 1
    assert message.error == "ConnectionError"
    assert message.next_attempt_at is not None
    assert message.next_attempt_at - before >= datetime.timedelta(seconds=60)

    services.deliver(message.pk)  # too early: not tried
    message.refresh_from_db()
    assert message.attempts == 1 and SENT == []

    make_due(message)
    services.deliver(message.pk)
    message.refresh_from_db()
    assert message.attempts == 2 and message.status == DeliveryStatus.RETRY
    assert message.next_attempt_at is not None
    assert message.next_attempt_at - timezone.now() >= datetime.timedelta(seconds=110)  # doubled

    make_due(message)
    services.deliver(message.pk)
    message.refresh_from_db()
    assert message.status == DeliveryStatus.SENT and message.attempts == 3
    assert message.error == "" and [message.pk] == SENT
    services.deliver(message.pk)  # a late duplicate task sends nothing
    assert [message.pk] == SENT


@pytest.mark.django_db
def test_after_its_last_try_a_message_is_failed_in_the_outbox_and_the_admin(
    client: Client,
) -> None:
    message = OutboxMessage.objects.create(channel="email", recipient="an@example.vn", body="x")
    FAILURES[message.pk] = 99
    for _ in range(3):
        make_due(message)
        services.deliver(message.pk)
    message.refresh_from_db()
    assert message.status == DeliveryStatus.FAILED and message.attempts == 3
    assert message.next_attempt_at is None and SENT == []
    make_due(message)
    services.deliver(message.pk)  # a failed message is not tried again
    message.refresh_from_db()
    assert message.status == DeliveryStatus.FAILED and message.attempts == 3
    sign_in_with_second_factor(client, UserFactory.create(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:notifications_outboxmessage_changelist"), {"status": "failed"})
    assert page.status_code == 200 and "an@example.vn" in page.text
    assert "ConnectionError" in page.text


@pytest.mark.django_db
def test_a_message_another_worker_holds_is_not_sent_again_until_its_claim_expires() -> None:
    message = OutboxMessage.objects.create(channel="sms", recipient="0905123456", body="x")
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=now - datetime.timedelta(minutes=1), attempts=1
    )
    services.deliver(message.pk)
    assert SENT == []  # still held by a live worker
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_at=now - datetime.timedelta(minutes=30)
    )
    services.deliver(message.pk)  # that worker died: taken over
    message.refresh_from_db()
    assert [message.pk] == SENT and message.status == DeliveryStatus.SENT
    assert message.attempts == 2


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@transactional
def test_a_retry_is_a_deferred_task_the_worker_runs_when_due(settings: Any) -> None:
    settings.TASKS = DB_TASKS
    with transaction.atomic():
        message = notify(channel="sms", recipient="0905123456", body="x")
    FAILURES[message.pk] = 1
    run_worker()
    message.refresh_from_db()
    assert message.status == DeliveryStatus.RETRY
    deferred = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert deferred.run_after == message.next_attempt_at
    assert deferred.args_kwargs["args"] == [message.pk]

    run_worker()  # not due yet: nothing happens
    assert SENT == []

    past = timezone.now() - datetime.timedelta(seconds=1)
    DBTaskResult.objects.filter(pk=deferred.pk).update(run_after=past)
    make_due(message)
    run_worker()
    message.refresh_from_db()
    assert message.status == DeliveryStatus.SENT and [message.pk] == SENT


def claim_as_dead_worker(minutes_ago: int) -> DBTaskResult:
    """What a worker killed in the middle of a task leaves: the task "running", for ever."""
    task = DBTaskResult.objects.ready().order_by("enqueued_at").first()
    assert task is not None
    task.claim("worker-that-died")
    started = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=started)
    return task


@transactional
def test_the_scheduler_requeues_tasks_left_running_by_a_dead_worker(settings: Any) -> None:
    settings.TASKS = DB_TASKS
    settings.MOTCUA_TASK_STALE_MINUTES = 15
    with transaction.atomic():
        old = notify(channel="sms", recipient="0905000001", body="old")
    stuck = claim_as_dead_worker(minutes_ago=20)
    with transaction.atomic():
        notify(channel="sms", recipient="0905000002", body="recent")
    busy = claim_as_dead_worker(minutes_ago=2)  # may well be a live worker: left alone

    call_command("run_scheduler", "--once", verbosity=0)

    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert stuck.status == TaskResultStatus.READY and stuck.worker_ids == ["worker-that-died"]
    assert busy.status == TaskResultStatus.RUNNING
    run_worker()
    assert [old.pk] == SENT
