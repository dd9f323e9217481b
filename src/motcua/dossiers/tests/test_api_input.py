"""/api/v1/dossiers/: input of the wrong type, out of range or aimed at a submitted draft gets
a 400 or 409 naming the field, never a 500; nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from motcua.dossiers import services
from motcua.dossiers.models import Attachment, DossierDraft
from motcua.dossiers.tests.factories import World, bearer, file_dossier, make_world, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def auth(world: World) -> Any:
    return bearer(world.applicant)


def _draft(world: World) -> DossierDraft:
    return services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)


@pytest.mark.parametrize("data", [1.5, True, [1], "x", 3])
def test_a_draft_whose_answers_are_not_an_object_is_refused(
    client: Client, world: World, auth: Any, data: Any
) -> None:
    answer = client.post(
        "/api/v1/dossiers/drafts/",
        {"procedure": world.procedure.code, "data": data},
        content_type="application/json",
        **auth,
    )
    assert answer.status_code == 400, answer.content
    assert list(answer.json()) == ["data"]
    assert not DossierDraft.objects.exists()


@pytest.mark.parametrize("position", [1, 99, -1, "x", 1.5, None])
def test_a_draft_for_a_case_the_procedure_lacks_is_refused(
    client: Client, world: World, auth: Any, position: Any
) -> None:
    answer = client.post(
        "/api/v1/dossiers/drafts/",
        {"procedure": world.procedure.code, "case_position": position},
        content_type="application/json",
        **auth,
    )
    assert answer.status_code == 400, answer.content
    assert list(answer.json()) == ["case_position"]


@pytest.mark.parametrize("procedure", [1.5, [1], {"code": "2.000488"}, None])
def test_a_draft_for_a_procedure_that_is_not_a_code_is_refused(
    client: Client, auth: Any, world: World, procedure: Any
) -> None:
    answer = client.post(
        "/api/v1/dossiers/drafts/",
        {"procedure": procedure},
        content_type="application/json",
        **auth,
    )
    assert answer.status_code == 400 and list(answer.json()) == ["procedure"]


@pytest.mark.parametrize("body", [[1, 2], "x", 5])
def test_a_body_that_is_not_an_object_is_refused(
    client: Client, auth: Any, world: World, body: Any
) -> None:
    draft = _draft(world)
    saved = client.patch(
        f"/api/v1/dossiers/drafts/{draft.pk}/", body, content_type="application/json", **auth
    )
    assert saved.status_code == 400, saved.content


@pytest.mark.parametrize("data", [1.5, [1], "x", None])
def test_saving_answers_that_are_not_an_object_is_refused(
    client: Client, auth: Any, world: World, data: Any
) -> None:
    draft = _draft(world)
    saved = client.patch(
        f"/api/v1/dossiers/drafts/{draft.pk}/",
        {"data": data},
        content_type="application/json",
        **auth,
    )
    assert saved.status_code == 400 and list(saved.json()) == ["data"]


@pytest.mark.parametrize("component", ["-1", "2", "x", "1.5", ""])
def test_an_upload_for_a_component_the_case_lacks_is_refused(
    client: Client, auth: Any, world: World, component: str
) -> None:
    draft = _draft(world)
    answer = client.post(
        f"/api/v1/dossiers/drafts/{draft.pk}/attachments/",
        {"component": component, "file": pdf()},
        **auth,
    )
    assert answer.status_code == 400, answer.content
    assert list(answer.json()) == ["component"]
    assert not Attachment.objects.exists()


def test_an_upload_without_a_file_names_the_file(client: Client, auth: Any, world: World) -> None:
    draft = _draft(world)
    answer = client.post(
        f"/api/v1/dossiers/drafts/{draft.pk}/attachments/", {"component": "0"}, **auth
    )
    assert answer.status_code == 400 and list(answer.json()) == ["file"]


def test_a_submitted_draft_takes_no_more_files_or_answers(
    client: Client, auth: Any, world: World
) -> None:
    dossier = file_dossier(world)
    files = dossier.attachments.count()
    uploaded = client.post(
        f"/api/v1/dossiers/drafts/{dossier.draft_id}/attachments/",
        {"component": "1", "file": pdf()},
        **auth,
    )
    assert uploaded.status_code == 409, uploaded.content
    assert Attachment.objects.count() == files  # no file left belonging to nothing
    saved = client.patch(
        f"/api/v1/dossiers/drafts/{dossier.draft_id}/",
        {"data": {"ho_ten": "Trần Thị B"}},
        content_type="application/json",
        **auth,
    )
    assert saved.status_code == 409
    dossier.refresh_from_db()
    assert dossier.form_data == {"ho_ten": "Nguyễn Văn An"}


def test_the_service_refuses_a_file_for_a_submitted_draft_or_a_negative_component(
    world: World,
) -> None:
    draft = _draft(world)
    with pytest.raises(services.DossierError):
        services.attach(draft=draft, user=world.applicant, component_position=-1, upload=pdf())
    dossier = file_dossier(world)
    assert dossier.draft is not None
    with pytest.raises(services.DossierError):
        services.attach(
            draft=dossier.draft, user=world.applicant, component_position=1, upload=pdf()
        )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"transition": "fly"}, "transition"),
        ({"transition": ["withdraw"]}, "transition"),
        ({}, "transition"),
        ({"transition": "withdraw", "reason": {"x": 1}}, "reason"),
        ({"transition": "withdraw", "reason": "x" * 4001}, "reason"),
    ],
)
def test_an_action_of_the_wrong_shape_names_the_field(
    client: Client, auth: Any, world: World, body: dict[str, Any], field: str
) -> None:
    dossier = file_dossier(world)
    answer = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/",
        body,
        content_type="application/json",
        **auth,
    )
    assert answer.status_code == 400, answer.content
    assert list(answer.json()) == [field]


def test_an_action_whose_body_is_a_list_is_refused(client: Client, auth: Any, world: World) -> None:
    dossier = file_dossier(world)
    answer = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/",
        ["withdraw"],
        content_type="application/json",
        **auth,
    )
    assert answer.status_code == 400


def test_errors_are_in_the_language_of_the_request(client: Client, auth: Any, world: World) -> None:
    draft = _draft(world)
    with translation.override("vi"):
        answer = client.post(
            f"/api/v1/dossiers/drafts/{draft.pk}/attachments/",
            {"component": "x", "file": pdf()},
            HTTP_ACCEPT_LANGUAGE="vi",
            **auth,
        )
    assert answer.json() == {"component": ["Cần một số nguyên hợp lệ."]}
