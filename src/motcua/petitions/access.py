"""Who may see and do what with a report: asked in one place, from the models alone.

- The public sees a report's public parts when the reporter chose to publish it: topic,
  place, text, status, dates, the answer; the reporter's name only if they chose so; never a
  phone number.
- The reporter (the signed-in person who filed it, or the anonymous one whose verified phone
  is in their session) sees all of it and may rate and reopen.
- Officers of the agency handling it (or that handled it) see it all and act on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from motcua.accounts.access import active_memberships
from motcua.accounts.models import AgencyMembership, OfficerRole, User
from motcua.agencies.models import Agency

from .errors import NotYours
from .models import Report, ReportEvent

SESSION_PHONE = "petitions_phone"
SESSION_PHONE_AT = "petitions_phone_at"


@dataclass(frozen=True)
class Reporter:
    user: User | None = None
    phone: str = ""  # the phone verified in this session, for anonymous reporters


def reporter_of(request: Any) -> Reporter:
    user = request.user if request.user.is_authenticated else None
    return Reporter(user=user, phone=str(request.session.get(SESSION_PHONE, "")))


def is_reporter(reporter: Reporter, report: Report) -> bool:
    if report.reporter_id is not None:
        return reporter.user is not None and reporter.user.pk == report.reporter_id
    return bool(reporter.phone) and report.phone_verified and reporter.phone == report.phone


def handler_agency_ids(user: Any) -> set[int]:
    return set(active_memberships(user).values_list("agency_id", flat=True))


def is_handler(user: Any, report: Report) -> bool:
    """An officer of the agency that holds the report, or held it before (forwarded on)."""
    ids = handler_agency_ids(user)
    if not ids:
        return False
    if report.agency_id in ids:
        return True
    return ReportEvent.objects.filter(report=report, from_agency_id__in=ids).exists()


def require_handler(user: Any, report: Report) -> None:
    """Only an officer of the agency holding the report acts on it."""
    if report.agency_id not in handler_agency_ids(user):
        raise NotYours("")


def can_see_all(user: Any, reporter: Reporter, report: Report) -> bool:
    return is_reporter(reporter, report) or is_handler(user, report)


def leaders_of(agency: Agency) -> list[User]:
    """The approvers (leaders) of the agency, who are told of its overdue reports."""
    ids = (
        AgencyMembership.objects.active()
        .filter(agency=agency, role=OfficerRole.APPROVER)
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=list(ids)).order_by("pk"))
