"""One form per action on addresses (ADR 0008); coordinates accept a decimal comma."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User

from . import wards

MAX_CSV_BYTES = 2 * 1024 * 1024


class CoordinateField(forms.FloatField):
    """Decimal degrees, typed with a point or a comma ("16,0544")."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Write the coordinate in decimal degrees, e.g. 16.0544."),
    }

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class PointForm(forms.Form):
    latitude = CoordinateField(
        label=_("Latitude"), min_value=-90, max_value=90, help_text=_("E.g. 16.0678")
    )
    longitude = CoordinateField(
        label=_("Longitude"), min_value=-180, max_value=180, help_text=_("E.g. 108.2208")
    )


class PlaceForm(PointForm):
    ward = forms.TypedChoiceField(label=_("Ward/commune"), coerce=int)
    street = forms.CharField(label=_("Street, village or hamlet"), max_length=200)
    house_number = forms.CharField(label=_("House number"), max_length=40, required=False)
    former_ward = forms.CharField(
        label=_("Former ward (before 1 July 2025)"), max_length=100, required=False
    )
    vpostcode = forms.CharField(label=_("Vpostcode"), max_length=20, required=False)
    national_code = forms.CharField(
        label=_("National digital address"), max_length=20, required=False
    )
    # Shown once look-alikes were found: the officer has checked them and goes on.
    create_anyway = forms.BooleanField(
        label=_("I have checked the places listed: this is another place."), required=False
    )

    field_order = [
        "ward",
        "house_number",
        "street",
        "former_ward",
        "latitude",
        "longitude",
        "vpostcode",
        "national_code",
        "create_anyway",
    ]

    def __init__(self, *args: Any, ward_codes: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        known = [wards.ward(code) for code in sorted(ward_codes)]
        self.fields["ward"].choices = [(w.code, w.name) for w in known if w is not None]  # type: ignore[attr-defined]


class ConfirmForm(PointForm):
    reason = forms.CharField(label=_("Note"), max_length=500, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file (UTF-8)"),
        help_text=_(
            "First line: ward_code, street, house_number, latitude, longitude, former_ward, "
            "vpostcode, national_code (the first two and the coordinates are required)."
        ),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise ValidationError(_("The file is larger than 2 MB: split it."))
        try:
            return str(upload.read().decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise ValidationError(_("The file is not UTF-8 text: save it as CSV UTF-8.")) from exc


class HouseholdForm(forms.Form):
    head = forms.CharField(
        label=_("Head of household: citizen ID number"),
        max_length=12,
        help_text=_("The 12-digit number on the citizen identity card."),
    )
    members = forms.CharField(
        label=_("Other members: citizen ID numbers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, or separated by commas."),
    )

    @staticmethod
    def _person(number: str) -> User:
        number = number.strip()
        if not (len(number) == 12 and number.isdigit()):
            raise ValidationError(
                _("“%(number)s” is not a 12-digit citizen ID number.") % {"number": number[:20]}
            )
        person = User.objects.filter(personal_id=number, is_active=True).first()
        if person is None:
            raise ValidationError(
                _("No citizen with the ID number %(number)s has an account.") % {"number": number}
            )
        return person

    def clean_head(self) -> User:
        return self._person(self.cleaned_data["head"])

    def clean_members(self) -> list[User]:
        text = self.cleaned_data["members"].replace(",", "\n")
        return [self._person(line) for line in text.splitlines() if line.strip()]


class CorrectionForm(forms.Form):
    house_number = forms.CharField(label=_("House number"), max_length=40, required=False)
    street = forms.CharField(label=_("Street, village or hamlet"), max_length=200)
    latitude = CoordinateField(label=_("Latitude"), min_value=-90, max_value=90, required=False)
    longitude = CoordinateField(label=_("Longitude"), min_value=-180, max_value=180, required=False)
    reason = forms.CharField(
        label=_("What is wrong"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Note to the resident"), max_length=500, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Code, plus code or street"),
        max_length=120,
        required=False,
        help_text=_("E.g. 4800000018, 3632+QV8 Hải Châu, or 24 tran phu"),
    )
