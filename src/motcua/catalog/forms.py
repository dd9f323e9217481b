"""Catalogue filters, shared by the public pages and the API so both refuse the same input."""

from __future__ import annotations

from html import escape  # Django's escape, without its lazy-text wrapper
from typing import Any

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, AgencyLevel

from .cache import CatalogCache
from .models import ApplicantType, Field, OnlineLevel, ServiceKind


class QuickSelect(forms.Select):
    """A ``<select>`` written in Python: the same HTML as Django's widget templates.

    Rendering each option through ``select_option.html`` cost about 20 ms per catalogue page
    (the agency list has over a hundred). Flat choices only: no option groups.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = self.format_value(value)
        options, found = [], False
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            selected = not found and text in chosen
            found |= selected
            options.append(
                f'<option value="{escape(text)}"{" selected" if selected else ""}>'
                f"{escape(str(label))}</option>"
            )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        html = f'<select name="{escape(name)}"{attributes}>{"".join(options)}</select>'
        return mark_safe(html)  # noqa: S308  (every piece escaped above; flatatt escapes too)

    def use_required_attribute(self, initial: Any) -> bool:
        # Django's check reads the first choice; an optional list need not be fetched for it.
        return self.is_required and super().use_required_attribute(initial)


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
        widget=QuickSelect,
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All agencies"),
        widget=QuickSelect,
    )
    agency_level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("All levels")), *AgencyLevel.choices],
        required=False,
        widget=QuickSelect,
    )
    online_level = forms.ChoiceField(
        label=_("Online level"),
        choices=[("", _("Any")), *OnlineLevel.choices],
        required=False,
        widget=QuickSelect,
    )
    service_kind = forms.ChoiceField(
        label=_("Kind of service"),
        choices=[("", _("All kinds")), *ServiceKind.choices],
        required=False,
        widget=QuickSelect,
    )
    applicant_type = forms.ChoiceField(
        label=_("Applicant"),
        choices=[("", _("Everyone")), *ApplicantType.choices],
        required=False,
        widget=QuickSelect,
    )
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=100000)

    def __init__(self, *args: Any, catalog: CatalogCache | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if catalog is not None:
            # The lists shown come from the cache, read only if the form is rendered (the API
            # never renders it); a chosen value is still checked against the database.
            field, agency = self.fields["field"], self.fields["agency"]
            assert isinstance(field, forms.ModelChoiceField)
            assert isinstance(agency, forms.ModelChoiceField)
            field.choices = lambda: [("", field.empty_label), *field_choices(catalog)]
            agency.choices = lambda: [("", agency.empty_label), *agency_choices(catalog)]

    def error_summary(self) -> dict[str, list[str]]:
        return {name: [str(e) for e in errors] for name, errors in self.errors.items()}


def field_choices(catalog: CatalogCache) -> list[tuple[str, str]]:
    return catalog.remember(
        "field-choices", {}, lambda: list(Field.objects.values_list("code", "name"))
    )


def agency_choices(catalog: CatalogCache) -> list[tuple[str, str]]:
    return catalog.remember(
        "agency-choices",
        {},
        lambda: list(Agency.objects.order_by("name").values_list("code", "name")),
    )
