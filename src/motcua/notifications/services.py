"""Sending notifications: write to the outbox, then deliver after the transaction commits.

Delivery survives failures and dead workers:

- a worker claims a message (status "sending", with the time: a lease) before sending it, in
  one conditional UPDATE, so two workers never both send a message they both picked up;
- a send that fails is tried again with exponential back-off (a task deferred to the next
  attempt, written in the same transaction as the failure); after the last try the message
  is "failed" in the outbox and the admin;
- a claim older than the lease belongs to a worker that died: ``sweep`` (run by the
  scheduler) hands such messages, and overdue retries, to a worker again.

A worker killed after the gateway accepted a message but before the outbox recorded it sends
that message again once its lease has passed: the gateway's word is not transactional with
ours. Everything else is delivered exactly once.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

from . import rendering
from .backends import backend_for
from .models import WAITING, Channel, DeliveryStatus, MessageTemplateVersion, OutboxMessage

logger = structlog.get_logger(__name__)


def max_attempts() -> int:
    return int(settings.MOTCUA_NOTIFICATION_MAX_ATTEMPTS)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Back-off after the ``attempts``-th failed try: 1, 2, 4, 8… minutes, at most a day."""
    base = float(settings.MOTCUA_NOTIFICATION_RETRY_SECONDS)
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 86_400))


def lease() -> datetime.timedelta:
    """How long a claim holds: far longer than any send (channel back-ends time out first)."""
    return datetime.timedelta(seconds=float(settings.MOTCUA_NOTIFICATION_LEASE))


def notify(
    *,
    channel: str,
    recipient: str,
    subject: str = "",
    body: str,
    template_version: MessageTemplateVersion | None = None,
) -> OutboxMessage:
    """Queue a message; a background task delivers it once the caller's transaction commits.

    ``template_version``: the template text it was written from, recorded with it."""
    if channel not in Channel.values:
        raise ValueError(channel)
    message = OutboxMessage.objects.create(
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        template_version=template_version,
    )
    from .tasks import deliver_message

    enqueue_with_transaction(deliver_message, message.pk)
    return message


def notify_event(
    *, event: str, channel: str, recipient: str, context: Mapping[str, str]
) -> OutboxMessage | None:
    """Queue the message the active template of ``event`` writes for ``channel``, recording
    the template's version; None when no active template tells that event on that channel."""
    rendered = rendering.render(event, channel, context)
    if rendered is None:
        return None
    return notify(
        channel=channel,
        recipient=recipient,
        subject=rendered.subject,
        body=rendered.body,
        template_version=rendered.version,
    )


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


def _claim(message_id: int, now: datetime.datetime) -> bool:
    """Take the message for this worker if it waits and is due, or its last claim expired."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    abandoned = Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - lease())
    taken = (
        OutboxMessage.objects.filter(pk=message_id)
        .filter((Q(status__in=WAITING) & due) | abandoned)
        .update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    return taken == 1


def deliver(message_id: int) -> None:
    """Send one message, once; a failure is retried later or, after the last try, recorded."""
    now = timezone.now()
    if not _claim(message_id, now):
        return  # sent, failed for good, not due yet, or another worker holds it
    message = OutboxMessage.objects.get(pk=message_id)
    backend = backend_for(message.channel)
    try:
        backend.deliver(message)
    except Exception as exc:  # a failing gateway must not break the worker
        _failed(message, type(exc).__name__, backend=type(backend).__name__)
        return
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
        backend=type(backend).__name__,
        error="",
        next_attempt_at=None,
    )


@transaction.atomic
def _failed(message: OutboxMessage, error: str, *, backend: str) -> None:
    now = timezone.now()
    last = message.attempts >= max_attempts()
    next_attempt = None if last else now + retry_delay(message.attempts)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=DeliveryStatus.FAILED if last else DeliveryStatus.RETRY,
        error=error[:255],
        backend=backend,
        next_attempt_at=next_attempt,
    )
    logger.warning(
        "notification.failed" if last else "notification.retry",
        message_id=message.pk,
        attempts=message.attempts,
        error=error,
    )
    if next_attempt is not None:
        _enqueue_at(message.pk, next_attempt)


def _enqueue_at(message_id: int, when: datetime.datetime) -> None:
    """A deferred delivery task (written in the caller's transaction with the database
    backend); a backend that cannot defer leaves the retry to ``sweep``."""
    from .tasks import deliver_message

    if deliver_message.get_backend().supports_defer:
        deliver_message.using(run_after=when).enqueue(message_id)


@dataclass(frozen=True)
class SweepReport:
    requeued_tasks: int
    messages: int


def sweep(*, now: datetime.datetime | None = None, limit: int = 500) -> SweepReport:
    """Give back to the workers what dead workers left: running tasks whose worker went
    silent, messages whose claim expired, retries long overdue. Safe to run any time, from
    any number of schedulers: a message is still claimed once before it is sent."""
    from .tasks import deliver_message

    now = now or timezone.now()
    requeued = requeue_abandoned_tasks(now=now)
    grace = lease()
    stranded = OutboxMessage.objects.filter(
        Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - grace)
        | Q(status=DeliveryStatus.RETRY, next_attempt_at__lt=now - grace)
    ).values_list("pk", flat=True)[:limit]
    count = 0
    for message_id in stranded:
        deliver_message.enqueue(message_id)
        count += 1
    if requeued or count:
        logger.warning("notification.sweep", requeued_tasks=requeued, messages=count)
    return SweepReport(requeued, count)


def stale_after() -> datetime.timedelta:
    minutes = float(settings.MOTCUA_TASK_STALE_MINUTES)
    return datetime.timedelta(minutes=minutes)


def requeue_abandoned_tasks(*, now: datetime.datetime | None = None) -> int:
    """Database-backend tasks still "running" long after a worker claimed them go back to the
    queue. django-tasks-db records who claimed a task (``worker_ids``) and when
    (``started_at``) but keeps no heartbeat and never re-queues, so a task of a worker that
    died would stay "running" for ever. Every task of this platform finishes in far less
    than ``MOTCUA_TASK_STALE_MINUTES`` and is safe to run twice."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - stale_after()
    ).update(status=TaskResultStatus.READY, started_at=None)
