"""Sending notifications: write to the outbox, then deliver after the transaction commits."""

from __future__ import annotations

from typing import Any

import structlog
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

from .backends import backend_for
from .models import Channel, DeliveryStatus, OutboxMessage

logger = structlog.get_logger(__name__)


def notify(*, channel: str, recipient: str, subject: str = "", body: str) -> OutboxMessage:
    """Queue a message; a background task delivers it once the caller's transaction commits."""
    if channel not in Channel.values:
        raise ValueError(channel)
    message = OutboxMessage.objects.create(
        channel=channel, recipient=recipient, subject=subject, body=body
    )
    from .tasks import deliver_message

    enqueue_with_transaction(deliver_message, message.pk)
    return message


def enqueue_with_transaction(task: Task[Any, Any], *args: Any) -> None:
    """Enqueue ``task`` so that it runs only if the caller's transaction commits.

    With the database backend the task is a row in this database: it is written in the
    caller's transaction (no transaction of its own) and workers only see it once committed.
    Other backends run or hand over the task at once, so they get it after the commit.
    """
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def deliver(message_id: int) -> None:
    message = OutboxMessage.objects.get(pk=message_id)
    if message.status == DeliveryStatus.SENT:
        return
    backend = backend_for(message.channel)
    try:
        backend.deliver(message)
    except Exception as exc:  # a failing gateway must not break the user's request
        message.status = DeliveryStatus.FAILED
        message.error = type(exc).__name__
        logger.warning("notification.failed", message_id=message.pk, error=type(exc).__name__)
    else:
        message.status = DeliveryStatus.SENT
        message.sent_at = timezone.now()
    message.backend = type(backend).__name__
    message.save(update_fields=["status", "error", "sent_at", "backend"])
