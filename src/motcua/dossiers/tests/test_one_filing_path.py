"""The web form (``submit``, from a draft) and the one-call API (``file_at_once``) file through
one path: they refuse the same things, with the same words, and create the same dossier."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from motcua.catalog import services as catalog_services
from motcua.catalog.models import ProcedureVersion, PublicationStatus
from motcua.dossiers import selectors, services
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Dossier, DossierDraft
from motcua.dossiers.tests.factories import World, bearer, make_world, pdf

pytestmark = pytest.mark.django_db

ANSWERS = {"ho_ten": "Nguyễn Văn An"}


@pytest.fixture
def world() -> World:
    return make_world()


def a_draft(world: World, *, with_file: bool = True) -> DossierDraft:
    """A draft started while the applicant could still file it, ready to submit."""
    draft = services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)
    services.save_draft(draft=draft, user=world.applicant, values=ANSWERS)
    if with_file:
        services.attach(draft=draft, user=world.applicant, component_position=0, upload=pdf())
    return draft


def by_the_form(
    world: World, draft: DossierDraft, form_errors: dict[str, list[str]] | None = None
) -> Dossier:
    return services.submit(draft=draft, user=world.applicant, form_errors=form_errors or {})


def by_the_api(
    world: World,
    *,
    target: selectors.FilingTarget | None = None,
    with_file: bool = True,
    form_errors: dict[str, list[str]] | None = None,
    key: str = "key-1",
) -> Dossier:
    target = target or selectors.filing_target(world.procedure.code)
    assert target is not None
    dossier, _created = services.file_at_once(
        user=world.applicant,
        target=target,
        case_position=0,
        acting_for=None,
        values=ANSWERS,
        uploads=[((0, None), pdf())] if with_file else [],
        idempotency_key=key,
        form_errors=form_errors or {},
    )
    return dossier


def refusal(filing: Callable[[], Any]) -> str:
    with pytest.raises(services.DossierError) as refused:
        filing()
    return str(refused.value)


def test_an_applicant_who_became_ineligible_is_refused_by_both(world: World) -> None:
    draft = a_draft(world)
    world.applicant.assurance_level = 0  # the e-ID link was removed since the draft began
    world.applicant.save()

    at_submit = refusal(lambda: by_the_form(world, draft))
    at_once = refusal(lambda: by_the_api(world))

    assert at_submit == at_once
    assert "VNeID" in at_submit  # the assurance refusal, as the catalogue words it
    assert not Dossier.objects.exists()
    assert not hasattr(DossierDraft.objects.get(pk=draft.pk), "dossier")


def test_a_withdrawn_procedure_is_refused_by_both(world: World, client: Client) -> None:
    draft = a_draft(world)
    read_before = selectors.filing_target(world.procedure.code)
    catalog_services.set_status(
        procedure=world.procedure, status=PublicationStatus.DRAFT, actor=None
    )
    # A target read in the same moment as the withdrawal still carries a published
    # procedure; the one read now carries the withdrawn one.
    version = ProcedureVersion.objects.select_related("procedure").latest("number")
    withdrawn = selectors.FilingTarget(version=version, agencies=(world.agency,))

    at_submit = refusal(lambda: by_the_form(world, draft))
    at_once = refusal(lambda: by_the_api(world, target=withdrawn))
    assert at_submit == at_once
    assert read_before is not None and selectors.filing_target(world.procedure.code) is None

    answer = client.post(
        "/api/v1/dossiers/",
        {"procedure": world.procedure.code, "data": json.dumps(ANSWERS), "component_0": pdf()},
        headers={"Idempotency-Key": "key-2"},
        **bearer(world.applicant),
    )
    assert answer.status_code == 400
    assert not Dossier.objects.exists()


def test_a_missing_mandatory_document_is_refused_by_both_by_name(world: World) -> None:
    draft = a_draft(world, with_file=False)

    at_submit = refusal(lambda: by_the_form(world, draft))
    at_once = refusal(lambda: by_the_api(world, with_file=False))

    assert at_submit == at_once
    assert "Tờ khai" in at_submit and "Giấy ủy quyền" not in at_submit
    assert not Dossier.objects.exists()


def test_form_errors_are_refused_by_both(world: World) -> None:
    draft = a_draft(world)
    errors = {"ho_ten": ["required"]}

    at_submit = refusal(lambda: by_the_form(world, draft, errors))
    at_once = refusal(lambda: by_the_api(world, form_errors=errors))

    assert at_submit == at_once


def test_both_create_the_same_dossier(world: World) -> None:
    from_the_form = by_the_form(world, a_draft(world))
    from_the_api = by_the_api(world)

    latest = world.procedure.versions.order_by("-number").first()
    for dossier in (from_the_form, from_the_api):
        dossier.refresh_from_db()
        assert dossier.procedure_version == latest
        assert dossier.case_name == "Trường hợp thông thường" == dossier.rules.name
        assert dossier.receiving_agency == world.agency
        assert dossier.status == Status.SUBMITTED
        assert dossier.form_data == ANSWERS
        assert [(a.component_position, a.component_name) for a in dossier.attachments.all()] == [
            (0, "Tờ khai")
        ]
        assert [e.transition for e in dossier.events.all()] == [Transition.SUBMIT]
    assert from_the_form.draft is not None and from_the_api.idempotency_key == "key-1"


def test_submit_checks_the_case_of_the_version_it_files_under(world: World) -> None:
    draft = a_draft(world, with_file=False)
    # The catalogue now asks for the power of attorney too, in a new version.
    case = world.procedure.cases.get()
    case.components.filter(position=1).update(mandatory=True)
    catalog_services.record_version(procedure=world.procedure, actor=None, note="stricter")
    services.attach(draft=draft, user=world.applicant, component_position=0, upload=pdf())

    at_submit = refusal(lambda: by_the_form(world, draft))
    at_once = refusal(lambda: by_the_api(world))

    assert at_submit == at_once
    assert "Giấy ủy quyền" in at_submit and "Tờ khai" not in at_submit
