"""One form per action on reports; coordinates accept a decimal comma (as the address forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.addresses import wards
from motcua.addresses.forms import CoordinateField
from motcua.agencies.models import Agency

from .models import Subject, Topic
from .services import COMMENT_LIMIT, TEXT_LIMIT, TITLE_LIMIT
from .uploads import MAX_FILES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=20,
        help_text=_("We send a one-time code by SMS. Your number is never shown to the public."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class CodeForm(forms.Form):
    phone = forms.CharField(widget=forms.HiddenInput, max_length=20)
    code = forms.CharField(
        label=_("The code we sent"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _ward_choices() -> list[tuple[str, Any]]:
    province = int(settings.MOTCUA_PROVINCE_CODE)
    return [("", _("— decided from the point —"))] + [
        (str(w.code), w.name) for w in wards.wards_of(province)
    ]


class ReportForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.none(), empty_label=None
    )
    subject = forms.ChoiceField(
        label=_("The report is about"), choices=Subject.choices, widget=forms.RadioSelect
    )
    procedure_code = forms.CharField(
        label=_("Procedure code (if about a procedure)"),
        max_length=30,
        required=False,
        help_text=_("E.g. 1.001193, as printed on the procedure's page."),
    )
    dossier_code = forms.CharField(
        label=_("Dossier code (if about one of your dossiers)"), max_length=40, required=False
    )
    agency = forms.ModelChoiceField(
        label=_("Agency concerned (optional)"),
        queryset=Agency.objects.none(),
        required=False,
        to_field_name="code",
    )
    latitude = CoordinateField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        required=False,
        help_text=_("E.g. 16.0678"),
    )
    longitude = CoordinateField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        required=False,
        help_text=_("E.g. 108.2208"),
    )
    address_code = forms.CharField(
        label=_("Digital address code (optional)"),
        max_length=20,
        required=False,
        help_text=_("The 10-digit digital address or the Vpostcode of the place, if you know it."),
    )
    address_text = forms.CharField(
        label=_("Address or description of the place"), max_length=255, required=False
    )
    ward = forms.TypedChoiceField(
        label=_("Ward/commune"), coerce=int, required=False, empty_value=None
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_LIMIT, required=False)
    text = forms.CharField(
        label=_("What is the problem or your proposal?"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe the problem: the text of the report is required.")},
    )
    photos = MultipleFileField(
        label=_("Photos (JPEG or PNG)"),
        required=False,
        help_text=_("At most %(count)d files in all.") % {"count": MAX_FILES},
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    documents = MultipleFileField(
        label=_("Other files (PDF, JPEG or PNG)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    name_public = forms.BooleanField(label=_("Show my name with the report"), required=False)
    is_public = forms.BooleanField(
        label=_("Publish the report (without my phone number) so others can see and follow it"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topic_field = self.fields["topic"]
        assert isinstance(topic_field, forms.ModelChoiceField)
        topic_field.queryset = Topic.objects.filter(active=True)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = Agency.objects.current().order_by("code")
        ward_field = self.fields["ward"]
        assert isinstance(ward_field, forms.TypedChoiceField)
        ward_field.choices = _ward_choices()


class ForwardForm(forms.Form):
    to_agency = forms.ModelChoiceField(
        label=_("Forward to"), queryset=Agency.objects.none(), to_field_name="code"
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=COMMENT_LIMIT,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.current().order_by("code")


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Answer (published; personal data is removed)"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(label=_("Attached files (PDF, JPEG or PNG)"), required=False)


class RateForm(forms.Form):
    value = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=[(3, _("Satisfied")), (2, _("Normal")), (1, _("Dissatisfied"))],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=COMMENT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the answer not settle the matter?"),
        max_length=COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
