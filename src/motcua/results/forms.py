from __future__ import annotations

import contextlib
import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import DecisionField, DeliveryStatus

PHONE = re.compile(r"^\+?[0-9 .-]{8,20}$")


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("The result's PDF file"),
        help_text=_("The signed PDF you received. Nothing you upload is kept."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.MOTCUA_VERIFY_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s; a result is much smaller."),
                params={"limit": filesizeformat(limit)},
                code="too_large",
            )
        return upload


class DeliveryRequestForm(forms.Form):
    recipient = forms.CharField(label=_("Recipient"), max_length=200)
    address = forms.CharField(
        label=_("Postal address"),
        max_length=500,
        help_text=_("House number, street, ward or commune, province."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        help_text=_("The postman calls this number."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].widget.attrs["autocomplete"] = "name"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        if not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a phone number, e.g. 0905 123 456."))
        return phone


class DeliveryUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=DeliveryStatus.choices)
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=64,
        required=False,
        help_text=_("Required when the copy is sent."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, choices: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choices is not None:
            status = self.fields["status"]
            assert isinstance(status, forms.ChoiceField)
            status.choices = [
                (value, label) for value, label in DeliveryStatus.choices if value in choices
            ]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the record; the verification page then shows the result as revoked."),
    )


class DecisionForm(forms.Form):
    """The decision fields a procedure's result template declares, filled by the officer.

    Required fields may be left empty here (the officer saves as they go); the decision itself
    refuses a result whose required fields are empty.
    """

    def __init__(self, *args: Any, fields: list[DecisionField], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in fields:
            help_text = _("Required before the decision.") if field.required else ""
            form_field: forms.Field
            if field.type == "number":
                form_field = forms.DecimalField(
                    label=field.label, required=False, help_text=help_text, min_value=0
                )
            elif field.type == "date":
                form_field = forms.DateField(
                    label=field.label,
                    required=False,
                    help_text=help_text,
                    input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                )
            else:
                form_field = forms.CharField(
                    label=field.label, required=False, max_length=500, help_text=help_text
                )
            self.fields[field.name] = form_field

    def values(self) -> dict[str, str]:
        """What the template prints: numbers without trailing zeros, dates as dd/mm/yyyy."""
        printed: dict[str, str] = {}
        for name, value in self.cleaned_data.items():
            if value is None or value == "":
                continue
            if isinstance(value, Decimal):
                printed[name] = format(value.normalize(), "f")
            elif isinstance(value, datetime.date):
                printed[name] = value.strftime("%d/%m/%Y")
            else:
                printed[name] = str(value).strip()
        return {name: value for name, value in printed.items() if value}


def decision_initial(fields: list[DecisionField], values: dict[str, Any]) -> dict[str, Any]:
    """Stored values back into the form (dates were stored as printed, dd/mm/yyyy)."""
    initial: dict[str, Any] = {}
    for field in fields:
        value = values.get(field.name)
        if value in (None, ""):
            continue
        if field.type == "date":
            with contextlib.suppress(ValueError):  # a value typed before: shown as it is
                value = datetime.datetime.strptime(str(value), "%d/%m/%Y").date()
        initial[field.name] = value
    return initial
