"""Who may build a procedure's e-forms: a form designer of an agency that carries it out.

The pages also need a signed-in officer who passed the second factor (``officer_required``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.access import active_memberships
from motcua.accounts.models import OfficerRole
from motcua.catalog.models import Procedure, ProcedureCase
from motcua.errors import NotFound


def designable_procedures(user: Any) -> QuerySet[Procedure]:
    agencies = active_memberships(user).filter(role=OfficerRole.FORM_DESIGNER).values("agency")
    return Procedure.objects.filter(agencies__in=agencies).distinct()


def case_for_designer(user: Any, code: str, position: int) -> ProcedureCase:
    """The case whose form ``user`` may build; 404 alike for unknown and not theirs."""
    case = (
        ProcedureCase.objects.select_related("procedure")
        .filter(procedure__in=designable_procedures(user), procedure__code=code, position=position)
        .first()
    )
    if case is None:
        raise NotFound(_("There is no such form among those you may build."))
    return case
