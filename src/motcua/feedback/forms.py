from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Satisfaction
from .services import COMMENT_LIMIT


class RatingForm(forms.Form):
    value = forms.TypedChoiceField(
        label=_("How satisfied are you with how your dossier was handled?"),
        choices=Satisfaction.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
