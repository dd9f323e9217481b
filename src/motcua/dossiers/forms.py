from __future__ import annotations

from decimal import Decimal
from typing import Any

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
    # Accepting while a mandatory document is not ticked valid in the checklist: the officer
    # confirms they checked it (``views.officer_transition``).
    confirm_unchecked = forms.BooleanField(required=False)


class UploadForm(forms.Form):
    component = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))


# --- one form per action on a dossier page ----------------------------------------------------
# The pages' HTML is written by hand (one form per transition, per letter, per request); these
# forms check what comes back and keep it, so a refused action shows its error next to what
# was typed (with the services' own words). The services check the rest (who may act, …).

TransitionForm = ActionForm  # the officer's lifecycle transitions


class ApologyForm(forms.Form):
    """Form 04: the apology letter the officer sends when the appointment will be missed."""

    reason = forms.CharField(
        label=_("Reason for the delay"),
        max_length=4000,
        error_messages={"required": _("Give the reason; it is sent to the applicant.")},
    )


TIME_SLICE = _("The time slice is more than 0 and at most 60 working days.")


class WorkingDaysField(forms.Field):
    """A time slice in working days: a decimal, with a comma or a point, more than 0 and at
    most 60 (a coordinating step may be a fraction of a day, DOMAIN.md §4.5)."""

    default_error_messages = {"invalid": TIME_SLICE, "required": TIME_SLICE}

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: object) -> Decimal | None:
        text = str(value or "").strip().replace(",", ".")
        if not text:
            return None
        try:
            days = Decimal(text)
        except ArithmeticError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not days.is_finite() or not 0 < days <= 60:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return days


class ConsultationForm(forms.Form):
    """A part of the dossier sent to a coordinating agency, with its time slice."""

    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.current().order_by("name"),
        to_field_name="code",
        error_messages={
            "required": _("Choose the coordinating agency."),
            "invalid_choice": _("Choose the coordinating agency."),
        },
    )
    part = forms.CharField(
        label=_("What the agency should do"),
        max_length=4000,
        error_messages={"required": _("Say what the coordinating agency should do.")},
    )
    working_days = WorkingDaysField(
        label=_("Time slice (working days)"),
        error_messages={
            "required": _("The time slice is more than 0 and at most 60 working days.")
        },
    )


class ConsultationAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your agency's answer"),
        max_length=4000,
        error_messages={"required": _("Write the answer.")},
    )


class SupplementUploadForm(forms.Form):
    """A file the supplement request asked for, for one of the case's documents."""

    component = forms.IntegerField(label=_("Document"), min_value=0, max_value=32767)
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG)"), error_messages={"required": _("Choose a file.")}
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing (optional)"), required=False, max_length=4000
    )


class ChecklistForm(forms.Form):
    """The officer's ticks on the dossier's documents: ``valid-<n>`` and ``digitised-<n>`` for
    the document at position n (an unticked box is not sent: it means no)."""

    def __init__(self, *args: Any, count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for position in range(count):
            self.fields[f"valid-{position}"] = forms.BooleanField(required=False)
            self.fields[f"digitised-{position}"] = forms.BooleanField(required=False)
        self.count = count

    def ticks(self) -> dict[int, tuple[bool, bool]]:
        data = self.cleaned_data
        return {
            n: (bool(data.get(f"valid-{n}")), bool(data.get(f"digitised-{n}")))
            for n in range(self.count)
        }
