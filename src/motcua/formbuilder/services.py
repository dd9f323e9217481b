"""Opening, changing, publishing and discarding a form's draft.

A draft is changed only through ``change`` with one of ``design``'s operations; publishing
writes the draft to the case and records a procedure version, the version new dossiers are
filed under (a dossier keeps the version it was filed under: ``Dossier.procedure_version``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog import services as catalog_services
from motcua.catalog.eforms import eform_schema_errors
from motcua.catalog.models import FeeBasis, ProcedureCase, ProcedureVersion
from motcua.eforms.fillability import fillability_problems
from motcua.errors import Conflict, DomainError

from . import design
from .models import FormDraft


class FormNotReady(DomainError):
    """Publishing refused: the form cannot be filled (``problems`` say why)."""

    status = 400

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            _("The form cannot be published yet: %(problems)s") % {"problems": " ".join(problems)}
        )


def draft_for(case: ProcedureCase, user: User) -> FormDraft:
    """The case's open draft, opened now from the published form when there is none."""
    draft, _created = FormDraft.objects.get_or_create(
        case=case,
        defaults={
            "schema": design.with_steps(case.eform_schema),
            "base_schema": case.eform_schema,
            "opened_by": user,
            "updated_by": user,
        },
    )
    return draft


@transaction.atomic
def change(
    draft: FormDraft, user: User, operation: Callable[..., dict[str, Any]], **arguments: Any
) -> FormDraft:
    """Apply one ``design`` operation to the draft; a ``DesignError`` leaves it as it was."""
    locked = FormDraft.objects.select_for_update().get(pk=draft.pk)
    try:
        locked.schema = operation(locked.schema, **arguments)
    except design.DesignError as error:
        raise DomainError(str(error)) from error
    locked.updated_by = user
    locked.save(update_fields=["schema", "updated_by", "updated_at"])
    return locked


def problems(draft: FormDraft) -> list[str]:
    """Why the draft cannot be published as it is (empty when it can)."""
    schema = design.publishable(draft.schema)
    found = eform_schema_errors(schema) or fillability_problems(schema)
    case = draft.case
    if case.fee_basis == FeeBasis.PER_COPY and case.fee_copies_field:
        field = schema.get("properties", {}).get(case.fee_copies_field)
        if not isinstance(field, dict) or field.get("type") != "integer":
            found.append(
                _("The fee is per copy of «%(key)s»: keep it as a whole-number field.")
                % {"key": case.fee_copies_field}
            )
    empty_groups = [
        node.title
        for node in design.groups(draft.schema)
        if not design.siblings(draft.schema, node.path)
    ]
    found.extend(
        _("The group «%(group)s» has no field yet.") % {"group": title} for title in empty_groups
    )
    return found


@transaction.atomic
def publish(draft: FormDraft, user: User) -> ProcedureVersion:
    """The draft becomes the case's form in a new procedure version; the draft is closed."""
    case = ProcedureCase.objects.select_for_update().get(pk=draft.case_id)
    if case.eform_schema != draft.base_schema:
        raise Conflict(
            _(
                "The form was changed by someone else since this draft was opened. Discard "
                "the draft and open the form again."
            )
        )
    found = problems(draft)
    if found:
        raise FormNotReady(found)
    case.eform_schema = design.publishable(draft.schema)
    case.save(update_fields=["eform_schema"])
    version = catalog_services.record_version(
        procedure=case.procedure,
        actor=user,
        note=_("e-form of «%(case)s» published from the builder") % {"case": case.name},
    )
    draft.delete()
    return version


def discard(draft: FormDraft) -> None:
    draft.delete()
