"""Panels other apps add to the procedure page (listening to it, …).

``catalog`` sits low in the layers and knows none of those apps: each registers its panel from
its own ``panels`` module, loaded by its ``AppConfig.ready()``, and the procedure page renders
the registered panels in order below the "file online" button.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from .models import Procedure

# (request, procedure shown) -> the template's context, or None: nothing to show.
PanelContext = Callable[[HttpRequest, Procedure], dict[str, Any] | None]


@dataclass(frozen=True)
class ProcedurePanel:
    identifier: str
    template: str
    context: PanelContext
    order: int = 100  # smaller first


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: dict[str, Any]


class ProcedurePanelRegistry:
    def __init__(self) -> None:
        self._panels: dict[str, ProcedurePanel] = {}

    def register(self, panel: ProcedurePanel) -> ProcedurePanel:
        if panel.identifier in self._panels:
            raise ValueError(f"A procedure panel {panel.identifier!r} is already registered.")
        self._panels[panel.identifier] = panel
        return panel

    def unregister(self, identifier: str) -> None:
        del self._panels[identifier]

    def __iter__(self) -> Iterator[ProcedurePanel]:
        return iter(sorted(self._panels.values(), key=lambda panel: panel.order))

    def shown(self, request: HttpRequest, procedure: Procedure) -> list[ShownPanel]:
        shown = []
        for panel in self:
            context = panel.context(request, procedure)
            if context is not None:
                shown.append(ShownPanel(panel.template, context))
        return shown


procedure_panels = ProcedurePanelRegistry()
