from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Question, Satisfaction
from .services import COMMENT_LIMIT


class RatingForm(forms.Form):
    """The index's criteria one by one (``Question``), then the overall rating."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        questions = {
            f"q_{code}": forms.TypedChoiceField(
                label=label,
                choices=Satisfaction.choices,
                coerce=int,
                widget=forms.RadioSelect,
            )
            for code, label in Question.choices
        }
        self.fields = {**questions, **self.fields}

    def answers(self) -> dict[str, int]:
        return {code: self.cleaned_data[f"q_{code}"] for code in Question.values}

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{code}"] for code in Question.values]

    value = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you with how your dossier was handled?"),
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
