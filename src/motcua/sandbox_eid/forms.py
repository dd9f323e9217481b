"""The tester's choice on the sandbox sign-in page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SandboxIdentity
from .selectors import offered_identities


class IdentityChoiceForm(forms.Form):
    """Which demo identity to sign in as (by its ``sub``); the page renders the choices."""

    identity = forms.ModelChoiceField(
        queryset=SandboxIdentity.objects.none(),
        to_field_name="sub",
        label=_("Demo identity"),
        error_messages={
            "required": _("Choose an identity to sign in as."),
            "invalid_choice": _("That identity is no longer offered. Choose another one."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["identity"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = offered_identities()
