"""The dossier pages show the panels apps register; dossiers imports none of those apps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.dossiers import panels
from motcua.dossiers.lifecycle import Actor
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, file_dossier, make_world

pytestmark = pytest.mark.django_db

DOSSIERS = Path(panels.__file__).resolve().parent
HERE = Path(__file__).resolve().parent


@pytest.fixture
def world() -> World:
    return make_world()


seen_roles: list[set[str]] = []


def _hello(dossier: Dossier, user: User, roles: set[str]) -> dict[str, Any] | None:
    seen_roles.append(roles)
    if not roles:
        return None
    return {"greeting": f"Panel of {dossier.code} for {', '.join(sorted(roles))}"}


@pytest.fixture
def hello_panel(settings: Any) -> Iterator[panels.Panel]:
    # The panel's template lives beside this test, not in the app.
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], HERE / "templates"]}
    ]
    panel = panels.register(
        panels.Panel("test-hello", "dossiers/tests/hello_panel.html", _hello, order=15)
    )
    seen_roles.clear()
    yield panel
    panels.registry.unregister("test-hello")


def test_a_registered_panel_shows_on_both_pages_in_its_order(
    world: World, hello_panel: panels.Panel
) -> None:
    dossier = file_dossier(world)
    applicant, desk = Client(), Client()
    applicant.force_login(world.applicant)
    sign_in_with_second_factor(desk, world.receiver)

    page = applicant.get(f"/ho-so/{dossier.code}/").content.decode()
    assert f"Panel of {dossier.code} for {Actor.APPLICANT}" in page
    assert seen_roles == [{Actor.APPLICANT}]  # the page's roles, handed over once
    assert page.index('id="payments"') < page.index("test-hello-panel")  # order 10 < 15

    page = desk.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert f"Panel of {dossier.code} for {Actor.RECEIVER}" in page


def test_a_panel_with_nothing_to_show_is_left_out_and_a_page_can_be_chosen(
    world: World, hello_panel: panels.Panel
) -> None:
    dossier = file_dossier(world)
    shown = panels.registry.shown(panels.APPLICANT_PAGE, dossier, world.applicant, set())
    assert "test-hello" not in [s.panel.identifier for s in shown]
    officer_panels = [p.identifier for p in panels.registry if panels.OFFICER_PAGE in p.pages]
    assert "rating" not in officer_panels  # the rating is the applicant's only
    assert [p.identifier for p in panels.registry][:4] == [
        "payments",
        "test-hello",
        "result",
        "rating",
    ]


def test_a_second_panel_of_the_same_identifier_is_refused(hello_panel: panels.Panel) -> None:
    with pytest.raises(ValueError, match="already registered"):
        panels.register(panels.Panel("test-hello", "other.html", _hello))
    with pytest.raises(ValueError, match="pages"):
        panels.Panel("test-nowhere", "other.html", _hello, pages=frozenset({"elsewhere"}))
