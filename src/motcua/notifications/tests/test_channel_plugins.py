"""A new channel is a plugin in its own module: one registration line, chosen in settings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from motcua.notifications.backends import NotificationBackend, notification_channels
from motcua.notifications.models import DeliveryStatus, OutboxMessage
from motcua.notifications.services import notify

DELIVERED: list[tuple[str, str]] = []


@notification_channels.register
class CarrierPigeon(NotificationBackend):
    identifier = "test-pigeon"
    verbose_name = "Carrier pigeon (tests)"

    def deliver(self, message: OutboxMessage) -> None:
        DELIVERED.append((message.recipient, message.body))


@pytest.fixture(autouse=True, scope="module")
def _only_while_this_module_runs() -> Iterator[None]:
    yield
    notification_channels.unregister(CarrierPigeon.identifier)


@pytest.mark.django_db
def test_a_message_leaves_through_a_channel_registered_in_its_own_module(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    DELIVERED.clear()
    settings.MOTCUA_NOTIFICATION_BACKENDS = {"email": "outbox", "sms": "test-pigeon"}
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = notify(channel="sms", recipient="0905123456", body="Hồ sơ đã có kết quả")
    message.refresh_from_db()
    assert message.status == DeliveryStatus.SENT
    assert DELIVERED == [("0905123456", "Hồ sơ đã có kết quả")]
