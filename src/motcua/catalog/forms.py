"""Catalogue filters, shared by the public pages and the API so both refuse the same input."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, AgencyLevel

from .models import ApplicantType, Field, OnlineLevel, ServiceKind


class CatalogFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=settings.MOTCUA_SEARCH_MAX_LENGTH,
        error_messages={
            "max_length": _("The search text is too long (at most %(limit_value)d characters).")
        },
    )
    field = forms.ModelChoiceField(
        label=_("Field"),
        queryset=Field.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All fields"),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All agencies"),
    )
    agency_level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All levels")), *AgencyLevel.choices], required=False
    )
    online_level = forms.ChoiceField(
        label=_("Online level"),
        choices=[("", _("Any")), *OnlineLevel.choices],
        required=False,
    )
    service_kind = forms.ChoiceField(
        label=_("Kind of service"),
        choices=[("", _("All kinds")), *ServiceKind.choices],
        required=False,
    )
    applicant_type = forms.ChoiceField(
        label=_("Applicant"),
        choices=[("", _("Everyone")), *ApplicantType.choices],
        required=False,
    )
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=100000)

    def error_summary(self) -> dict[str, list[str]]:
        return {name: [str(e) for e in errors] for name, errors in self.errors.items()}
