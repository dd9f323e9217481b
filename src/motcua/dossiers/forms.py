from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.eforms.forms import personal_field
from motcua.eforms.references import postal_list

from .models import Delivery
from .services import NO_POSTAL_ADDRESS, NOT_DECLARED


class LookupForm(forms.Form):
    # Named for the look-up page, which writes its two inputs out (dossiers/lookup.html).
    code_max_length = 60
    secret_max_length = 32

    code = forms.CharField(label=_("Dossier code"), max_length=code_max_length)
    secret = forms.CharField(
        label=_("Lookup code printed on the receipt"),
        max_length=secret_max_length,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    # Receipts are read aloud and retyped: any case and spacing is the same code.
    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split()).upper()

    def clean_secret(self) -> str:
        return "".join(str(self.cleaned_data["secret"]).split()).upper()


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


class ReviewForm(forms.Form):
    """The last step before submitting: how the result reaches the applicant, and the
    declaration they tick (without it the dossier is not filed)."""

    delivery = forms.ChoiceField(
        label=_("How do you want to receive the result?"),
        choices=Delivery.choices,
        initial=Delivery.ONLINE,
        required=False,  # none chosen: online, the page's own default
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose how you will receive the result.")},
    )
    delivery_address = forms.CharField(
        label=_("Postal address (for the post)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    declared = forms.BooleanField(
        label=_(
            "I declare that the information given above is true and I take responsibility "
            "before the law for what I have declared."
        ),
        error_messages={"required": NOT_DECLARED},
    )

    def __init__(self, *args: Any, person: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        # For the post, a postal address the platform knows (a digital address: ``addresses``
        # registers it into eforms), chosen instead of typed; its text is what is posted to.
        self.postal = postal_list() if person is not None else None
        if self.postal is not None:
            place_field = personal_field(
                self.postal, person, label=self.postal.postal_label, required=False
            )
            fields = list(self.fields.items())
            fields.insert(1, ("delivery_place", place_field))
            self.fields = dict(fields)  # type: ignore[assignment]

    def clean(self) -> dict[str, object]:
        cleaned: dict[str, object] = super().clean() or {}
        if "delivery" in cleaned and not cleaned["delivery"]:
            cleaned["delivery"] = Delivery.ONLINE.value
        errors = self.errors  # the fields' errors, known by now
        if cleaned.get("delivery") != Delivery.POST and "delivery_place" in errors:
            del errors["delivery_place"]  # not posted: a code typed there does not count
        chosen = cleaned.get("delivery_place")
        if cleaned.get("delivery") == Delivery.POST and chosen and self.postal is not None:
            found = self.postal.usable(self.person, str(chosen))
            if found is not None:  # the field checked it: its text is the postal address
                cleaned["delivery_address"] = found.label
        address = str(cleaned.get("delivery_address") or "").strip()
        posted = cleaned.get("delivery") == Delivery.POST
        if posted and not address and "delivery_place" not in errors:
            self.add_error("delivery_address", NO_POSTAL_ADDRESS)
        return cleaned


class UploadForm(forms.Form):
    component = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    row = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
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
    """Withdrawing is final: the applicant gives the reason (kept in the history) and
    confirms, on the page itself (no JavaScript needed)."""

    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for withdrawing.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that a withdrawn dossier cannot be resumed."),
        error_messages={"required": _("Tick the box to confirm that you withdraw the dossier.")},
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
