"""The fields of a dataset and a resource, checked the same way for the API and the pages."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency

from .constants import LICENCE_CHOICES, ColumnType, DatasetState, Frequency, ResourceFormat
from .models import NAME_PATTERN, Theme

TAG_PATTERN = re.compile(r"^[\w .-]{1,100}$")


class DatasetForm(forms.Form):
    name = forms.RegexField(
        label=_("Name (in the address)"),
        regex=NAME_PATTERN,
        max_length=100,
        error_messages={
            "invalid": _(
                "Use 2 to 100 lower-case letters without accents, digits, - or _ (e.g. "
                "ho-so-theo-thang)."
            )
        },
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    title_en = forms.CharField(label=_("English title"), max_length=300, required=False)
    notes = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    notes_en = forms.CharField(
        label=_("English description"), widget=forms.Textarea, required=False
    )
    owner_org = forms.ModelChoiceField(
        label=_("Publishing agency"), queryset=Agency.objects.all(), to_field_name="code"
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), to_field_name="name", required=False
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separated by commas."),
        max_length=2000,
    )
    license_id = forms.ChoiceField(label=_("Licence"), choices=LICENCE_CHOICES)
    frequency = forms.ChoiceField(
        label=_("Update frequency"), choices=[("", "—"), *Frequency.choices], required=False
    )
    temporal_start = forms.DateField(label=_("Covers from"), required=False)
    temporal_end = forms.DateField(label=_("Covers until"), required=False)
    spatial = forms.CharField(label=_("Area covered"), max_length=200, required=False)
    maintainer = forms.CharField(label=_("Contact"), max_length=200, required=False)
    maintainer_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    version = forms.CharField(label=_("Version"), max_length=50, required=False)
    private = forms.BooleanField(
        label=_("Private (only the agency's stewards see it)"), required=False
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=[
            (DatasetState.DRAFT, DatasetState.DRAFT.label),
            (DatasetState.ACTIVE, DatasetState.ACTIVE.label),
        ],
        initial=DatasetState.ACTIVE,
    )

    def clean_tags(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data["tags"].split(",") if name.strip()]
        for name in names:
            if not TAG_PATTERN.match(name):
                raise forms.ValidationError(
                    _("Tag “%(tag)s”: letters, digits, spaces, - . and _ only, at most 100."),
                    params={"tag": name[:100]},
                )
        return list(dict.fromkeys(names))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("temporal_start"), data.get("temporal_end")
        if start and end and end < start:
            self.add_error("temporal_end", _("The end comes before the start."))
        return data


class ResourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    format = forms.ChoiceField(
        label=_("Format"), choices=[("", "—"), *ResourceFormat.choices], required=False
    )
    url = forms.URLField(
        label=_("Link (instead of a file)"),
        max_length=1000,
        required=False,
        assume_scheme="https",
    )
    upload = forms.FileField(label=_("File"), required=False)


class ColumnForm(forms.Form):
    """One column of a datastore table: its type and its data dictionary entry."""

    type = forms.ChoiceField(label=_("Type"), choices=ColumnType.choices)
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    notes = forms.CharField(label=_("Description"), max_length=500, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=50, required=False)
