"""Reads of the agency tree."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Agency, AgencyKind


def current_ward_committees() -> QuerySet[Agency]:
    return Agency.objects.current().filter(kind=AgencyKind.WARD_COMMITTEE)
