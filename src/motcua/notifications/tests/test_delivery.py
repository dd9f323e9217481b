"""Messages leave through the outbox and a background worker (database task backend)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

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


def test_a_failing_gateway_is_recorded_not_raised(settings: Any) -> None:
    settings.MOTCUA_NOTIFICATION_BACKENDS = {
        "sms": "motcua.notifications.tests.test_delivery.Broken"
    }
    with transaction.atomic():
        message = notify(channel="sms", recipient="0905123456", body="x")
    message.refresh_from_db()
    assert message.status == "failed" and message.error == "ConnectionError"


class Broken:
    def deliver(self, message: OutboxMessage) -> None:
        raise ConnectionError("gateway down")
