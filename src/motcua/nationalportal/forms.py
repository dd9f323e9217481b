from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
    """The period of the report: dossiers received from ``start`` to ``end`` (both included)."""

    start = forms.DateField(label=_("Received from"), required=False)
    end = forms.DateField(label=_("to"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        today = timezone.localdate()
        start = data.get("start") or today - datetime.timedelta(days=30)
        end = data.get("end") or today
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and start > end:
            raise forms.ValidationError(_("The start of the period is after its end."))
        data["start"], data["end"] = start, end
        return data

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        start: datetime.date = self.cleaned_data["start"]
        end: datetime.date = self.cleaned_data["end"]
        zone = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(start, datetime.time.min, zone),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone),
        )
