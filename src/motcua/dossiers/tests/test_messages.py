"""The applicant's messages: one per event, from the editable templates, on chosen channels."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import User
from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.catalog import services as catalog_services
from motcua.dossiers import services
from motcua.dossiers.deadlines import send_apology, sweep_deadlines
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import ApologyLetter, Delivery, Dossier
from motcua.notifications.models import MessageTemplate, OutboxMessage

from .factories import World, file_dossier, make_world

pytestmark = pytest.mark.django_db

Act = Callable[..., Dossier]


@pytest.fixture
def world() -> World:
    world = make_world()
    world.applicant.phone = "0905123456"
    world.applicant.save(update_fields=["phone"])
    return world


@pytest.fixture
def act(django_capture_on_commit_callbacks: Any) -> Act:
    """``services.act`` with the commit's work run (the worker writes the messages then)."""

    def run(dossier: Dossier, user: User, transition: str, **more: Any) -> Dossier:
        with django_capture_on_commit_callbacks(execute=True):
            return services.act(dossier=dossier, user=user, transition=transition, **more)

    return run


def told(event: str, channel: str = "email") -> OutboxMessage:
    """The latest message written from ``event``'s template on ``channel``."""
    message = (
        OutboxMessage.objects.filter(channel=channel, template_version__template__event=event)
        .order_by("-pk")
        .first()
    )
    assert message is not None, f"nothing told for {event} on {channel}"
    return message


def link(dossier: Dossier) -> str:
    return f"{settings.MOTCUA_PUBLIC_URL}/ho-so/{dossier.code}/"


def set_fee(world: World, fee: int) -> None:
    case = world.procedure.cases.get()
    case.fee = fee
    case.save()
    catalog_services.record_version(procedure=world.procedure, actor=None, note="fee")


def filed(world: World, django_capture_on_commit_callbacks: Any) -> Dossier:
    with django_capture_on_commit_callbacks(execute=True):
        return file_dossier(world)


def test_filing_tells_the_applicant_with_a_link_on_both_channels(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    dossier = filed(world, django_capture_on_commit_callbacks)
    email, sms = told("dossier.submitted"), told("dossier.submitted", "sms")
    assert email.recipient == world.applicant.email and sms.recipient == "0905123456"
    assert link(dossier) in email.body and link(dossier) in sms.body
    assert email.subject == f"Hồ sơ {dossier.code}: đã nộp"
    assert "Cấp Phiếu lý lịch tư pháp" in email.body and "Sở Tư pháp" in email.body
    assert "\n" not in sms.body and len(sms.body) <= 160


def test_acceptance_with_a_fee_is_one_message_with_the_appointment_and_the_amount(
    world: World, act: Act, django_capture_on_commit_callbacks: Any
) -> None:
    set_fee(world, 24_000)
    dossier = filed(world, django_capture_on_commit_callbacks)
    dossier = act(dossier, world.receiver, Transition.ACCEPT)
    assert dossier.status == Status.AWAITING_PAYMENT  # the rules asked for the fee at once
    assert dossier.due_at is not None
    appointment = timezone.localtime(dossier.due_at).strftime("%d/%m/%Y %H:%M")
    email, sms = told("dossier.accepted"), told("dossier.accepted", "sms")
    assert appointment in email.body and "24.000 đ" in email.body and link(dossier) in email.body
    assert appointment in sms.body and "24.000 VND" in sms.body
    # Not a separate "fee due" pair beside it.
    assert not OutboxMessage.objects.filter(
        template_version__template__event="dossier.fee_due"
    ).exists()
    assert OutboxMessage.objects.count() == 4  # filed and accepted, e-mail and SMS each

    dossier = act(dossier, world.receiver, Transition.CONFIRM_PAYMENT)
    assert link(dossier) in told("dossier.payment_received").body


def test_a_fee_asked_by_an_officer_carries_the_amount(
    world: World, act: Act, django_capture_on_commit_callbacks: Any
) -> None:
    dossier = filed(world, django_capture_on_commit_callbacks)
    dossier = act(dossier, world.receiver, Transition.ACCEPT)
    set_fee(world, 1_250_000)  # the dossier keeps the rules it was filed under (no fee)…
    dossier.procedure_version = world.procedure.versions.order_by("-number")[0]
    dossier.save(update_fields=["procedure_version"])  # …unless moved to the new version
    dossier = Dossier.objects.get(pk=dossier.pk)
    dossier = act(dossier, world.receiver, Transition.ASK_PAYMENT, reason="Phí thẩm định")
    email = told("dossier.fee_due")
    assert "1.250.000 đ" in email.subject and "1.250.000 đ" in email.body
    assert "1.250.000 VND" in told("dossier.fee_due", "sms").body


def test_a_supplement_request_carries_the_officers_words(
    world: World, act: Act, django_capture_on_commit_callbacks: Any
) -> None:
    dossier = filed(world, django_capture_on_commit_callbacks)
    reason = "Thiếu bản sao giấy khai sinh có chứng thực"
    dossier = act(dossier, world.receiver, Transition.REQUEST_SUPPLEMENT, reason=reason)
    assert reason in told("dossier.supplement_requested").body
    assert reason[:30] in told("dossier.supplement_requested", "sms").body
    dossier = act(dossier, world.applicant, Transition.SUPPLEMENT)
    assert link(dossier) in told("dossier.supplement_received").body


@pytest.mark.parametrize(
    "transition, event, more",
    [
        (Transition.REFUSE, "dossier.refused", {"reason": "Hồ sơ giả mạo chữ ký"}),
        (Transition.WITHDRAW, "dossier.withdrawn", {}),
    ],
)
def test_the_end_of_a_dossier_at_intake_is_told_with_its_reason(
    world: World,
    act: Act,
    django_capture_on_commit_callbacks: Any,
    transition: str,
    event: str,
    more: dict[str, str],
) -> None:
    dossier = filed(world, django_capture_on_commit_callbacks)
    user = world.applicant if transition == Transition.WITHDRAW else world.receiver
    dossier = act(dossier, user, transition, **more)
    email = told(event)
    assert email.body.startswith(f"Hồ sơ {dossier.code} ") and link(dossier) in email.body
    if more:
        assert more["reason"] in email.body


def test_guiding_elsewhere_names_the_agency_and_the_reason(
    world: World, act: Act, django_capture_on_commit_callbacks: Any
) -> None:
    dossier = filed(world, django_capture_on_commit_callbacks)
    reason = "Thuộc thẩm quyền của Sở Xây dựng"
    act(
        dossier,
        world.receiver,
        Transition.GUIDE_ELSEWHERE,
        reason=reason,
        to_unit=world.other_agency,
    )
    email = told("dossier.guided_elsewhere")
    assert "Sở Xây dựng" in email.subject and reason in email.body


def test_processing_stopped_decided_and_returned(
    world: World, act: Act, django_capture_on_commit_callbacks: Any
) -> None:
    dossier = filed(world, django_capture_on_commit_callbacks)
    dossier.delivery = Delivery.POST
    dossier.delivery_address = "12 Lê Lợi, Huế"
    dossier.save(update_fields=["delivery", "delivery_address"])
    for user, transition in (
        (world.receiver, Transition.ACCEPT),
        (world.receiver, Transition.FORWARD),
        (world.approver, Transition.DECIDE),
    ):
        dossier = act(dossier, user, transition)
    assert "qua bưu điện đến địa chỉ 12 Lê Lợi, Huế" in told("dossier.decided").body
    dossier = act(dossier, world.receiver, Transition.RETURN_RESULT)
    assert link(dossier) in told("dossier.returned").body

    other = filed(world, django_capture_on_commit_callbacks)
    other = act(other, world.receiver, Transition.ACCEPT)
    act(other, world.approver, Transition.STOP, reason="Người nộp đề nghị dừng")
    assert "Người nộp đề nghị dừng" in told("dossier.stopped").body


def test_a_hand_over_between_officers_is_not_told(
    world: World, act: Act, django_capture_on_commit_callbacks: Any
) -> None:
    dossier = filed(world, django_capture_on_commit_callbacks)
    dossier = act(dossier, world.receiver, Transition.ACCEPT)
    dossier = act(dossier, world.receiver, Transition.FORWARD)
    before = OutboxMessage.objects.count()
    act(dossier, world.processor, Transition.HAND_OVER, to_unit=world.agency)
    assert OutboxMessage.objects.count() == before


def test_a_channel_the_applicant_turned_off_gets_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world.applicant.notify_by_sms = False
    world.applicant.save(update_fields=["notify_by_sms"])
    filed(world, django_capture_on_commit_callbacks)
    assert list(OutboxMessage.objects.values_list("channel", flat=True)) == ["email"]

    world.applicant.notify_by_email = False
    world.applicant.save(update_fields=["notify_by_email"])
    filed(world, django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.count() == 1


def test_an_inactive_template_tells_nothing_on_its_channel(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    MessageTemplate.objects.filter(event="dossier.submitted", channel="sms").update(active=False)
    filed(world, django_capture_on_commit_callbacks)
    assert list(OutboxMessage.objects.values_list("channel", flat=True)) == ["email"]


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = User.objects.create_superuser("steward", "steward@example.vn", "a-long-passphrase-1")
    sign_in_with_second_factor(client, user)
    return client


def _edit(admin_client: Client, template: MessageTemplate, **changes: str) -> Any:
    data = {
        "event": template.event,
        "channel": template.channel,
        "active": "on",
        "subject": template.subject,
        "body": template.body,
        "versions-TOTAL_FORMS": str(template.versions.count()),
        "versions-INITIAL_FORMS": str(template.versions.count()),
        **changes,
    }
    return admin_client.post(f"/admin/notifications/messagetemplate/{template.pk}/change/", data)


def test_each_message_records_its_template_version_and_an_edit_is_a_new_one(
    world: World, admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    template = MessageTemplate.objects.get(event="dossier.submitted", channel="email")
    page = admin_client.get(f"/admin/notifications/messagetemplate/{template.pk}/change/")
    assert page.status_code == 200 and "{{ amount }}" in page.content.decode()
    first = filed(world, django_capture_on_commit_callbacks)
    assert told("dossier.submitted").template_version == template.current_version
    assert template.current_version is not None and template.current_version.number == 1

    response = _edit(admin_client, template, body="Đã nhận hồ sơ {{ code }}. {{ link }}")
    assert response.status_code == 302
    template.refresh_from_db()
    version = template.current_version
    assert version is not None and version.number == 2
    second = filed(world, django_capture_on_commit_callbacks)
    message = told("dossier.submitted")
    assert message.template_version == version
    assert message.body == f"Đã nhận hồ sơ {second.code}. {link(second)}"
    # The first message still points at the text it was written from.
    earlier = OutboxMessage.objects.get(channel="email", body__contains=first.code)
    assert earlier.template_version is not None and earlier.template_version.number == 1


def test_a_template_that_cannot_be_read_is_refused_in_the_admin(admin_client: Client) -> None:
    template = MessageTemplate.objects.get(event="dossier.accepted", channel="sms")
    response = _edit(admin_client, template, body="Ho so {{ code }} {% if %}")
    assert response.status_code == 200
    assert "body" in response.context["adminform"].form.errors
    template.refresh_from_db()
    assert "{% if %}" not in template.body and template.versions.count() == 1


def test_the_applicant_chooses_channels_on_the_profile_page(client: Client) -> None:
    user = make_world().applicant
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"email": user.email, "phone": "", "current_street": "", "notify_by_email": "on"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.notify_by_email and not user.notify_by_sms
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Thông báo về hồ sơ của tôi" in page


def test_the_apology_letter_carries_the_reason_and_the_new_appointment(world: World) -> None:
    dossier = services.act(
        dossier=file_dossier(world), user=world.receiver, transition=Transition.ACCEPT
    )
    Dossier.objects.filter(pk=dossier.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    sweep_deadlines()
    letter = ApologyLetter.objects.get(dossier=dossier)
    sent = send_apology(letter=letter, officer=world.receiver, reason="Chờ ý kiến Sở Xây dựng")
    new_date = timezone.localtime(sent.proposed_due_at).strftime("%d/%m/%Y %H:%M")
    email = told("dossier.appointment_moved")  # written with the change, not after it
    assert "Chờ ý kiến Sở Xây dựng" in email.body and new_date in email.body
    assert new_date in email.subject and link(dossier) in email.body
    assert new_date in told("dossier.appointment_moved", "sms").body
