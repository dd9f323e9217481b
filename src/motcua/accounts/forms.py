"""Account forms: each field validated with a translated message; nothing typed is lost."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .identifiers import validate_cccd
from .models import BusinessRole, User


class SignUpForm(UserCreationForm):
    """A local account (not verified); the national e-ID raises it to level 1 or 2."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.RegexField(
        label=_("Mobile phone"),
        regex=r"^(\+84|0)\d{9}$",
        required=False,
        error_messages={"invalid": _("Enter a Vietnamese mobile number, e.g. 0905123456.")},
    )

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ("username", "full_name", "email", "phone")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("An account with this e-mail already exists."))
        return str(email)


class ProfileForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.RegexField(
        label=_("Mobile phone"),
        regex=r"^(\+84|0)\d{9}$",
        required=False,
        error_messages={"invalid": _("Enter a Vietnamese mobile number, e.g. 0905123456.")},
    )
    current_street = forms.CharField(label=_("Current address"), max_length=255, required=False)
    # Where news of their dossiers reaches them (verification codes are sent regardless).
    notify_by_email = forms.BooleanField(
        label=_("Tell me about my dossiers by e-mail"), required=False
    )
    notify_by_sms = forms.BooleanField(label=_("Tell me about my dossiers by SMS"), required=False)


class VerificationCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Verification code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code has 6 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class GrantRoleForm(forms.Form):
    personal_id = forms.CharField(
        label=_("Citizen identification number of the person"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=BusinessRole.choices)

    def clean_personal_id(self) -> str:
        return validate_cccd(self.cleaned_data["personal_id"])


class TotpForm(forms.Form):
    token = forms.RegexField(
        label=_("6-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code has 6 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_token(self) -> Any:
        return self.cleaned_data["token"].strip()


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Enrolment code from your administrator"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
