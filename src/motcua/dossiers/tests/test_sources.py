"""Component sources registered by other apps fill a component without an upload; dossiers
imports none of them (dossiers.sources)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.catalog.rules import ComponentRule
from motcua.dossiers import checklist, services, sources
from motcua.dossiers.models import Dossier, DossierDraft
from motcua.dossiers.tests.factories import World, make_world
from motcua.errors import DomainError

pytestmark = pytest.mark.django_db

HERE = Path(__file__).resolve().parent


def _first(draft: DossierDraft) -> set[int]:
    return {0} if draft.data.get("from_source") else set()


def _offers(
    draft: DossierDraft, user: User, components: Sequence[ComponentRule]
) -> dict[int, list[sources.Offer]]:
    return {
        0: [sources.Offer("dossiers/tests/source_offer.html", {"words": f"offered to {user.pk}"})]
    }


@pytest.fixture
def source(settings: Any) -> Iterator[sources.ComponentSource]:
    # The offer's template lives beside this test, not in the app.
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], HERE / "templates"]}
    ]
    registered = sources.register(sources.ComponentSource("test-source", _first, _offers))
    yield registered
    sources.registry.unregister("test-source")


def test_a_registered_source_fills_a_component_without_upload(
    source: sources.ComponentSource,
) -> None:
    world: World = make_world()
    who = world.applicant
    draft = services.start_draft(user=who, procedure=world.procedure, acting_for=None)
    with pytest.raises(DomainError, match="still missing"):
        services.submit(draft=draft, user=who, form_errors={})
    assert services.missing_components(draft) == ["Tờ khai"]
    services.save_draft(draft=draft, user=who, values={"from_source": True})
    assert services.missing_components(draft) == []
    dossier = services.submit(draft=draft, user=who, form_errors={})
    assert not dossier.attachments.exists()


def test_the_review_page_shows_the_sources_offers(source: sources.ComponentSource) -> None:
    world = make_world()
    draft = services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)
    client = Client()
    client.force_login(world.applicant)
    page = client.get(f"/ho-so/nhap/{draft.pk}/hoan-tat/").content.decode()
    assert f"offered to {world.applicant.pk}" in page


def test_a_duplicate_source_is_refused(source: sources.ComponentSource) -> None:
    with pytest.raises(ValueError):
        sources.register(sources.ComponentSource("test-source", _first))
    assert "test-source" in sources.registry


def test_what_a_source_provided_counts_as_received_in_the_checklist() -> None:
    def given(dossier: Dossier) -> dict[int, sources.Given]:
        return {
            0: sources.Given("from the test source", "/where/it/is/"),
            5: sources.Given("no such component"),
        }

    def later(dossier: Dossier) -> dict[int, sources.Given]:
        return {0: sources.Given("said second"), 1: sources.Given("from the later source")}

    sources.register(sources.ComponentSource("given", _first, provided=given, order=1))
    sources.register(sources.ComponentSource("later", _first, provided=later, order=2))
    try:
        world = make_world()
        who = world.applicant
        draft = services.start_draft(user=who, procedure=world.procedure, acting_for=None)
        services.save_draft(draft=draft, user=who, values={"from_source": True})
        dossier = services.submit(draft=draft, user=who, form_errors={})
        assert sources.registry.provided(dossier) == {
            0: sources.Given("from the test source", "/where/it/is/"),  # the first source's
            1: sources.Given("from the later source"),
            5: sources.Given("no such component"),
        }
        rows = checklist.rows(dossier)
        assert [row.received for row in rows] == [True, True]
        assert [row.provided_by for row in rows] == [
            "from the test source",
            "from the later source",
        ]
        assert [row.provided_url for row in rows] == ["/where/it/is/", ""]
        assert checklist.supplement_reason(rows) == ""
    finally:
        sources.registry.unregister("given")
        sources.registry.unregister("later")
