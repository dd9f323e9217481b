"""The applicant's dossier page: a link to report a problem about this dossier."""

from __future__ import annotations

from typing import Any

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.dossiers.panels import APPLICANT_PAGE, Panel, register


def _context(dossier: Dossier, user: User, roles: set[str]) -> dict[str, Any]:
    return {"dossier": dossier}


register(
    Panel(
        "petition",
        "petitions/_dossier_panel.html",
        _context,
        pages=frozenset({APPLICANT_PAGE}),
        order=40,
    )
)
