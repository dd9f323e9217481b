"""The applicant's dossier page: the satisfaction rating panel."""

from __future__ import annotations

from typing import Any

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.dossiers.panels import APPLICANT_PAGE, Panel, register

from .context import for_dossier


def _context(dossier: Dossier, user: User, roles: set[str]) -> dict[str, Any]:
    return for_dossier(dossier, user, roles=roles)


register(
    Panel(
        "rating",
        "feedback/_rating.html",
        _context,
        pages=frozenset({APPLICANT_PAGE}),
        order=30,
    )
)
