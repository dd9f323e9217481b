from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), max_length=40)
    secret = forms.CharField(
        label=_("Lookup code printed on the receipt"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ActionForm(forms.Form):
    transition = forms.CharField(widget=forms.HiddenInput, max_length=32)
    reason = forms.CharField(
        label=_("Reason / message to the applicant"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The unit that takes over, or (not this agency's competence) the agency to go to.
    to_unit = forms.ModelChoiceField(
        label=_("Unit that takes over"),
        queryset=Agency.objects.current().order_by("name"),
        to_field_name="code",
        required=False,
    )
    apology = forms.CharField(
        label=_("The agency's apology to the applicant"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UploadForm(forms.Form):
    component = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))
