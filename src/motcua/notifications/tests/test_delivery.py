"""Messages leave through the outbox and a background worker (database task backend)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from motcua.notifications.models import OutboxMessage
from motcua.notifications.services import notify

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def database_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_worker_delivers_queued_messages(database_tasks: None, settings: Any) -> None:
    settings.MOTCUA_NOTIFICATION_BACKENDS = {
        "email": "motcua.notifications.backends.DjangoEmailBackend"
    }
    with transaction.atomic():
        message = notify(channel="email", recipient="an@example.vn", subject="Mã", body="123456")
    message.refresh_from_db()
    assert message.status == "queued"  # nothing is sent inside the request
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    message.refresh_from_db()
    assert message.status == "sent" and message.sent_at is not None
    assert mail.outbox[0].to == ["an@example.vn"] and mail.outbox[0].body == "123456"


def test_a_rolled_back_change_sends_nothing(database_tasks: None) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(channel="sms", recipient="0905123456", body="x")
        raise RuntimeError
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert OutboxMessage.objects.count() == 0


def test_the_database_task_is_written_in_the_callers_transaction(database_tasks: None) -> None:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        message = notify(channel="sms", recipient="0905123456", body="x")
        inside = len(queries)
    # Both rows were written before the commit: no transaction of their own afterwards.
    assert len(queries) == inside + 1  # the COMMIT (or RELEASE) only
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("deliver_message") and task.args_kwargs["args"] == [message.pk]


def test_a_rolled_back_change_leaves_no_task_either(database_tasks: None) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(channel="sms", recipient="0905123456", body="x")
        raise RuntimeError
    assert DBTaskResult.objects.count() == 0


def test_a_backend_that_runs_tasks_at_once_waits_for_the_commit(settings: Any) -> None:
    settings.MOTCUA_NOTIFICATION_BACKENDS = {
        "email": "motcua.notifications.backends.DjangoEmailBackend"
    }
    with transaction.atomic():
        notify(channel="email", recipient="an@example.vn", subject="Mã", body="123456")
        assert mail.outbox == []  # not while the message could still be rolled back
    assert [m.to for m in mail.outbox] == [["an@example.vn"]]


def test_a_failing_gateway_is_recorded_not_raised(settings: Any) -> None:
    settings.MOTCUA_NOTIFICATION_BACKENDS = {
        "sms": "motcua.notifications.tests.test_delivery.Broken"
    }
    with transaction.atomic():
        message = notify(channel="sms", recipient="0905123456", body="x")
    message.refresh_from_db()
    # Not given up after one try: it waits for the next, visibly.
    assert message.status == "retry" and message.error == "ConnectionError"
    assert message.attempts == 1 and message.next_attempt_at is not None


class Broken:
    def deliver(self, message: OutboxMessage) -> None:
        raise ConnectionError("gateway down")
