"""Submission, codes, transitions, permissions and deadlines of dossiers."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers import access, services
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import PNG, World, file_dossier, make_world, pdf
from motcua.dossiers.uploads import UploadRefused
from motcua.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def test_submission_creates_one_dossier_with_its_code(world: World) -> None:
    dossier = file_dossier(world)
    today = timezone.localdate()
    assert re.fullmatch(rf"H17\.02-{today:%y%m%d}-0001", dossier.code)
    assert dossier.status == Status.SUBMITTED and dossier.channel == 2
    assert dossier.attachments.count() == 1
    assert dossier.procedure_version.number == dossier.procedure.version
    assert [e.transition for e in dossier.events.all()] == [Transition.SUBMIT]
    assert file_dossier(world).code.endswith("-0002")


def test_submitting_the_same_draft_twice_gives_one_dossier(world: World) -> None:
    draft = services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)
    services.attach(draft=draft, user=world.applicant, component_position=0, upload=pdf())
    first = services.submit(draft=draft, user=world.applicant, form_errors={})
    again = services.submit(draft=draft, user=world.applicant, form_errors={})
    assert first.pk == again.pk
    assert Dossier.objects.count() == 1


def test_missing_mandatory_document_or_form_errors_refuse_and_keep_the_draft(
    world: World,
) -> None:
    draft = services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)
    services.save_draft(draft=draft, user=world.applicant, values={"ho_ten": "An"})
    with pytest.raises(services.DossierError, match="Tờ khai"):
        services.submit(draft=draft, user=world.applicant, form_errors={})
    services.attach(draft=draft, user=world.applicant, component_position=0, upload=pdf())
    with pytest.raises(services.DossierError):
        services.submit(draft=draft, user=world.applicant, form_errors={"ho_ten": ["x"]})
    draft.refresh_from_db()
    assert draft.data == {"ho_ten": "An"} and Dossier.objects.count() == 0


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("anh.png", PNG, None),
        ("virus.pdf", b"MZ\x90\x00 this is an exe", "Only PDF"),
        ("cut.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "incomplete"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_files_are_checked_by_content(
    world: World, name: str, content: bytes, message: str | None
) -> None:
    draft = services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)
    upload = pdf(name, content)
    if message is None:
        attachment = services.attach(
            draft=draft, user=world.applicant, component_position=0, upload=upload
        )
        assert attachment.content_type == "image/png" and len(attachment.sha256) == 64
    else:
        with pytest.raises(UploadRefused, match=message):
            services.attach(draft=draft, user=world.applicant, component_position=0, upload=upload)


def test_oversize_files_are_refused(world: World, settings: object) -> None:
    settings.MOTCUA_MAX_ATTACHMENT_BYTES = 100  # type: ignore[attr-defined]
    draft = services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)
    big = pdf(content=b"%PDF-1.4\n" + b"0" * 200 + b"\n%%EOF\n")
    with pytest.raises(UploadRefused, match="larger"):
        services.attach(draft=draft, user=world.applicant, component_position=0, upload=big)


def test_the_whole_journey(world: World, django_capture_on_commit_callbacks: Any) -> None:
    dossier = file_dossier(world)
    dossier = services.act(dossier=dossier, user=world.receiver, transition=Transition.ACCEPT)
    assert dossier.status == Status.ACCEPTED and dossier.due_at is not None
    due = dossier.due_at
    dossier = services.act(
        dossier=dossier,
        user=world.receiver,
        transition=Transition.REQUEST_SUPPLEMENT,
        reason="Thiếu bản sao CCCD",
    )
    assert dossier.status == Status.SUPPLEMENT_REQUESTED and dossier.paused_since is not None
    dossier = services.act(dossier=dossier, user=world.applicant, transition=Transition.SUPPLEMENT)
    assert dossier.status == Status.ACCEPTED
    assert dossier.due_at is not None and due is not None
    assert dossier.due_at >= due  # paused time added back
    for user, transition in (
        (world.receiver, Transition.FORWARD),
        (world.approver, Transition.DECIDE),
        (world.receiver, Transition.RETURN_RESULT),
    ):
        with django_capture_on_commit_callbacks(execute=True):  # the applicant is told then
            dossier = services.act(dossier=dossier, user=user, transition=transition)
    assert dossier.status == Status.RETURNED
    assert [e.to_status for e in dossier.events.all()] == [1, 2, 5, 2, 4, 9, 10]
    told = OutboxMessage.objects.filter(recipient=world.applicant.email).order_by("pk")
    last = told.last()
    assert last is not None and last.body.startswith(f"Hồ sơ {dossier.code} ")
    assert "kết quả đã được trả" in last.body  # from the "returned" template


def test_paused_time_moves_the_appointment(world: World) -> None:
    dossier = services.act(
        dossier=file_dossier(world), user=world.receiver, transition=Transition.ACCEPT
    )
    due = dossier.due_at
    services.act(
        dossier=dossier,
        user=world.receiver,
        transition=Transition.REQUEST_SUPPLEMENT,
        reason="Thiếu giấy tờ",
    )
    # The applicant took three days: pretend the pause began three days ago.
    Dossier.objects.filter(pk=dossier.pk).update(
        paused_since=timezone.now() - datetime.timedelta(days=3)
    )
    dossier.refresh_from_db()
    resumed = services.act(dossier=dossier, user=world.applicant, transition=Transition.SUPPLEMENT)
    assert resumed.due_at is not None and due is not None and resumed.due_at > due


def test_reasons_are_required_where_the_law_says(world: World) -> None:
    dossier = file_dossier(world)
    with pytest.raises(services.DossierError):
        services.act(dossier=dossier, user=world.receiver, transition=Transition.REFUSE)
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and dossier.events.count() == 1


@pytest.mark.parametrize(
    "who, transition",
    [
        ("outsider_officer", Transition.ACCEPT),  # an officer of another agency
        ("applicant", Transition.ACCEPT),  # the applicant cannot accept
        ("processor", Transition.ACCEPT),  # a processor is not the one-stop receiver
        ("stranger", Transition.WITHDRAW),  # another citizen
        ("receiver", Transition.DECIDE),  # not from status 1, and not a receiver's action
    ],
)
def test_wrong_actor_or_state_is_refused_and_changes_nothing(
    world: World, who: str, transition: str
) -> None:
    dossier = file_dossier(world)
    user = UserFactory.create() if who == "stranger" else getattr(world, who)
    with pytest.raises(services.NotAllowed):
        services.act(dossier=dossier, user=user, transition=transition)
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert DossierEvent.objects.filter(dossier=dossier).count() == 1


def test_withdrawal_only_before_a_decision(world: World) -> None:
    dossier = file_dossier(world)
    for user, transition in (
        (world.receiver, Transition.ACCEPT),
        (world.receiver, Transition.FORWARD),
        (world.approver, Transition.DECIDE),
    ):
        dossier = services.act(dossier=dossier, user=user, transition=transition)
    with pytest.raises(services.NotAllowed):
        services.act(dossier=dossier, user=world.applicant, transition=Transition.WITHDRAW)


def test_history_is_never_edited(world: World) -> None:
    event = file_dossier(world).events.get()
    event.reason = "changed"
    with pytest.raises(ValueError):
        event.save()


def test_who_sees_a_dossier(world: World) -> None:
    dossier = file_dossier(world)
    assert access.can_view(world.applicant, dossier)
    assert access.can_view(world.receiver, dossier)
    assert not access.can_view(world.outsider_officer, dossier)
    assert not access.can_view(UserFactory.create(), dossier)
