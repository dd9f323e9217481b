"""The dossier pages' fees and payments panel (applicant and officers)."""

from __future__ import annotations

from typing import Any

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.dossiers.panels import Panel, register

from .selectors import dossier_payments


def _context(dossier: Dossier, user: User, roles: set[str]) -> dict[str, Any]:
    return dossier_payments(dossier, user, roles=roles)


register(Panel("payments", "payments/_dossier_payments.html", _context, order=10))
