"""The legal times of a report, counted in working days (Decree 20/2008/NĐ-CP as amended by
Decree 92/2017/NĐ-CP; DOMAIN.md §9a; the limits are ``MOTCUA_PETITION_*`` settings).

A receiving desk that is not competent forwards the report within
``MOTCUA_PETITION_FORWARD_WORKING_DAYS`` (5) working days; the competent agency answers within
``MOTCUA_PETITION_ANSWER_WORKING_DAYS`` (15) working days from the moment the report reaches
it. Both count as the dossier deadlines do (``workcalendar.deadlines.due_at``): from the next
working day after the moment received (outside office hours: the next opening), to the close
of office hours of the last day, skipping weekends and the days off of the calendar.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from motcua.workcalendar.calendar import WorkingCalendar, add_working_days, close_of_day
from motcua.workcalendar.deadlines import WORKING_DAYS, due_at
from motcua.workcalendar.selectors import load_calendar


def forward_due(received_at: dt.datetime, calendar: WorkingCalendar | None = None) -> dt.datetime:
    """When a desk must have forwarded a report outside its competence."""
    calendar = calendar or load_calendar()
    return due_at(
        calendar, received_at, int(settings.MOTCUA_PETITION_FORWARD_WORKING_DAYS), WORKING_DAYS
    )


def answer_due(arrived_at: dt.datetime, calendar: WorkingCalendar | None = None) -> dt.datetime:
    """When the competent agency must have answered a report that reached it at ``arrived_at``."""
    calendar = calendar or load_calendar()
    return due_at(
        calendar, arrived_at, int(settings.MOTCUA_PETITION_ANSWER_WORKING_DAYS), WORKING_DAYS
    )


def due_soon_until(now: dt.datetime, calendar: WorkingCalendar | None = None) -> dt.datetime:
    """Deadlines before this moment are "due soon" (``MOTCUA_PETITION_DUE_SOON_WORKING_DAYS``)."""
    calendar = calendar or load_calendar()
    day = add_working_days(
        calendar,
        timezone.localtime(now).date(),
        int(settings.MOTCUA_PETITION_DUE_SOON_WORKING_DAYS),
    )
    return close_of_day(calendar, day)
