"""Panels other apps add to the dossier pages (payment, result, rating …).

``dossiers`` knows none of those apps: each registers its panel from its own ``panels``
module, loaded by its ``AppConfig.ready()``, and the applicant's and the officer's dossier
pages render the registered panels in order. A panel's context function is given the roles
the page computed once, so no panel asks for them again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from motcua.accounts.models import User

from .models import Dossier

APPLICANT_PAGE = "applicant"
OFFICER_PAGE = "officer"
PAGES = frozenset({APPLICANT_PAGE, OFFICER_PAGE})

# (dossier, person looking, their roles on it) -> the template's context, or None: nothing to show.
PanelContext = Callable[[Dossier, User, set[str]], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    identifier: str
    template: str
    context: PanelContext
    pages: frozenset[str] = PAGES
    order: int = 100  # smaller first; the same order keeps the registration order

    def __post_init__(self) -> None:
        if not self.pages or not self.pages <= PAGES:
            raise ValueError(f"Panel {self.identifier!r}: pages must be among {sorted(PAGES)}.")


@dataclass(frozen=True)
class ShownPanel:
    """A panel with what it shows this person, ready for ``{% dossier_panel %}``."""

    panel: Panel
    context: dict[str, Any]

    @property
    def template(self) -> str:
        return self.panel.template


class PanelRegistry:
    def __init__(self) -> None:
        self._panels: dict[str, Panel] = {}

    def register(self, panel: Panel) -> Panel:
        if panel.identifier in self._panels:
            raise ValueError(f"A dossier panel {panel.identifier!r} is already registered.")
        self._panels[panel.identifier] = panel
        return panel

    def unregister(self, identifier: str) -> None:
        del self._panels[identifier]

    def __iter__(self) -> Iterator[Panel]:
        return iter(sorted(self._panels.values(), key=lambda panel: panel.order))

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._panels

    def shown(self, page: str, dossier: Dossier, user: User, roles: set[str]) -> list[ShownPanel]:
        """The panels of ``page`` that have something to show this person, in order."""
        shown = []
        for panel in self:
            if page not in panel.pages:
                continue
            context = panel.context(dossier, user, roles)
            if context is not None:
                shown.append(ShownPanel(panel, context))
        return shown


registry = PanelRegistry()
register = registry.register
