"""The dossier pages' signed-result panel (applicant and officers)."""

from __future__ import annotations

from typing import Any

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.dossiers.panels import Panel, register

from .selectors import result_panel


def _context(dossier: Dossier, user: User, roles: set[str]) -> dict[str, Any]:
    return {"panel": result_panel(dossier=dossier, user=user, roles=roles)}


register(Panel("result", "results/_dossier_result.html", _context, order=20))
