"""Forms of the personal data store's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ShareForm(forms.Form):
    hours = forms.IntegerField(
        label=_("Valid for (hours)"),
        initial=24,
        min_value=1,
        error_messages={"invalid": _("Write a whole number of hours.")},
    )
    note = forms.CharField(label=_("For whom (only you see this)"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].help_text = _("From 1 to %(hours)s hours.") % {"hours": _most()}

    def clean_hours(self) -> int:
        hours: int = self.cleaned_data["hours"]
        if hours > _most():
            raise forms.ValidationError(
                _("A link lasts at most %(hours)s hours.") % {"hours": _most()}
            )
        return hours


def _most() -> int:
    return int(settings.MOTCUA_STORE_SHARE_MAX_HOURS)


class UseForm(forms.Form):
    document = forms.IntegerField(widget=forms.HiddenInput)


class VerifyForm(forms.Form):
    """The officer's digitisation of one attachment (số hóa)."""

    attachment = forms.IntegerField(widget=forms.HiddenInput)
    document_type = forms.CharField(label=_("Document-type code"), max_length=64, required=False)
    number = forms.CharField(label=_("Number"), max_length=64, required=False)
    issued_on = forms.DateField(
        label=_("Issued on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Write a date as dd/mm/yyyy.")},
    )
    expires_on = forms.DateField(
        label=_("Expires on (if it does)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Write a date as dd/mm/yyyy.")},
    )
