"""The checklist of a dossier's documents: received, valid (hợp lệ), digitised (đã số hóa).

The one-stop officer checks each document the case asks for (``dossier.rules.components``)
before accepting the dossier or asking for a supplement (Decree 61/2018, art. 19: the
receiving officer checks that the dossier is complete and valid). Whether a file was received
is known from the attachments and from the component sources (``sources.py``: a document
reused from the applicant's data store, or fetched by the agency from a national database,
is received without an upload); valid and digitised are the officer's ticks, kept per
component (``ComponentCheck``).

The check is not written to the dossier's history: it is the officer's working note on the
way to a decision that is (accepted, form 01; supplement requested, form 02, whose reason the
checklist fills in). A line per tick would crowd the control sheet (form 06) and the
applicant's timeline with what the law does not ask to record; who ticked last and when is
kept on each row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.rules import ComponentRule

from . import lifecycle, sources
from .access import roles_for
from .lifecycle import Transition
from .models import Attachment, ComponentCheck, Dossier
from .services import NotAllowed

# Who checks: those who accept a dossier or ask for a supplement (the desk at intake, the
# processing officer who finds a problem later), while one of those can still be done.
CHECKERS = frozenset(
    lifecycle.RULES[Transition.ACCEPT].actors
    | lifecycle.RULES[Transition.REQUEST_SUPPLEMENT].actors
)
CHECKABLE_STATUSES = frozenset(
    lifecycle.RULES[Transition.ACCEPT].sources
    | lifecycle.RULES[Transition.REQUEST_SUPPLEMENT].sources
)


@dataclass(frozen=True)
class Row:
    """One document of the case, what was received for it and the officer's check."""

    position: int
    component: ComponentRule
    files: tuple[Attachment, ...]
    check: ComponentCheck | None
    # The identity card a level-2 e-ID proves: not asked for, so neither missing nor unchecked.
    proved_by_eid: bool = False
    # Given without an upload by a component source: how ("From the applicant's data store…")
    # and where the officer opens it.
    provided_by: str = ""
    provided_url: str = ""

    @property
    def received(self) -> bool:
        return bool(self.files) or bool(self.provided_by)

    @property
    def valid(self) -> bool:
        return self.check is not None and self.check.valid

    @property
    def digitised(self) -> bool:
        return self.check is not None and self.check.digitised

    @property
    def needs_supplement(self) -> bool:
        """Checked and not valid, for a document the dossier needs (mandatory, or sent)."""
        return (
            not self.proved_by_eid
            and self.check is not None
            and not self.check.valid
            and (self.component.mandatory or self.received)
        )


def rows(dossier: Dossier) -> list[Row]:
    """The checklist in the case's order of documents."""
    files: dict[int, list[Attachment]] = {}
    for attachment in dossier.attachments.all():
        files.setdefault(attachment.component_position, []).append(attachment)
    checks = {
        c.component_position: c for c in dossier.component_checks.select_related("checked_by")
    }
    provided = sources.registry.provided(dossier)
    level = dossier.applicant.assurance_level
    return [
        Row(
            position,
            component,
            tuple(files.get(position, ())),
            checks.get(position),
            proved_by_eid=(
                component.proved_by_eid(level)
                and position not in files
                and position not in provided
            ),
            provided_by=provided[position].text if position in provided else "",
            provided_url=provided[position].url if position in provided else "",
        )
        for position, component in enumerate(dossier.rules.components)
    ]


def mandatory_not_valid(checklist: list[Row]) -> list[str]:
    """The mandatory documents not ticked valid: accepting with them asks for confirmation."""
    return [
        row.component.name
        for row in checklist
        if row.component.mandatory and not row.valid and not row.proved_by_eid
    ]


def supplement_reason(checklist: list[Row]) -> str:
    """The supplement request's reason, written out of the checklist (the officer edits it)."""
    missing = [row for row in checklist if row.needs_supplement]
    if not missing:
        return ""
    lines = [_("These documents are missing or not valid:")]
    for row in missing:
        state = _("not valid") if row.received else _("not received")
        lines.append(f"- {row.component.name} ({state})")
    return "\n".join(lines)


def may_check(roles: set[str], dossier: Dossier) -> bool:
    return bool(roles & CHECKERS) and dossier.status in CHECKABLE_STATUSES


@transaction.atomic
def save(*, dossier: Dossier, officer: User, ticks: Mapping[int, tuple[bool, bool]]) -> None:
    """Record the officer's check: ``ticks`` maps a component's position to (valid, digitised);
    a component left out is neither. Only the dossier's own officers who accept it or ask for
    a supplement, after the second factor (``access.roles_for``), while that can be done."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not roles_for(officer, locked) & CHECKERS:
        raise NotAllowed(_("You may not do this on this dossier."))
    if locked.status not in CHECKABLE_STATUSES:
        raise NotAllowed(
            _("This cannot be done while the dossier is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    now = timezone.now()
    for position in range(len(locked.rules.components)):
        valid, digitised = ticks.get(position, (False, False))
        ComponentCheck.objects.update_or_create(
            dossier=locked,
            component_position=position,
            defaults={
                "valid": valid,
                "digitised": digitised,
                "checked_by": officer,
                "checked_at": now,
            },
        )
