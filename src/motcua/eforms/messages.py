"""Error messages shared by the Django form and the final JSON Schema check.

Both layers format the same lazy strings, so a citizen sees the same sentence whichever layer
catches a mistake. Placeholders follow Django's validators (``limit_value``, ``show_value``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

REQUIRED: Final = _("This field is required.")
REQUIRED_CHECKBOX: Final = _("Tick this box to continue.")
NOT_IN_FORM: Final = _("This field is not part of the form.")
INVALID: Final = _("This value is not valid.")
NOT_APPLICABLE: Final = _("This answer does not apply given your other answers: leave it empty.")
REQUIRED_WHEN: Final = _("Required when %(condition)s.")
REQUIRED_WITH: Final = _("Required when «%(field)s» is filled in.")
SHOWN_WHEN: Final = _("Answer only when %(condition)s.")
CLAUSE_IS: Final = _("«%(field)s» is %(values)s")
CLAUSE_ANSWERED: Final = _("«%(field)s» is filled in")
CLAUSE_NOT: Final = _("it is not the case that %(condition)s")
PREFILLED_FROM: Final = _("Filled in from %(origin)s; change it if it is not right.")

TYPE_MESSAGES: Final[dict[str, Promise]] = {
    "string": _("Enter text."),
    "integer": _("Enter a whole number."),
    "number": _("Enter a number."),
    "boolean": _("Answer yes or no."),
    "object": _("This group of answers has the wrong form."),
    "array": _("Enter a list of values."),
    "null": _("Leave this field empty."),
}

ENUM: Final = _("Choose one of the listed options.")
ENUM_ITEM: Final = _("Choose only from the listed options.")
CHOOSE_OR_TYPE: Final = _("Choose… (or type a code below)")
CONST_TRUE: Final = REQUIRED_CHECKBOX
CONST: Final = _("This value cannot be changed.")

MAX_LENGTH: Final = ngettext_lazy(
    "Enter at most %(limit_value)d character (you entered %(show_value)d).",
    "Enter at most %(limit_value)d characters (you entered %(show_value)d).",
    "limit_value",
)
MIN_LENGTH: Final = ngettext_lazy(
    "Enter at least %(limit_value)d character (you entered %(show_value)d).",
    "Enter at least %(limit_value)d characters (you entered %(show_value)d).",
    "limit_value",
)
PATTERN: Final = _("Enter the value in the required format.")
PATTERN_DIGITS: Final = ngettext_lazy(
    "Enter exactly %(count)d digit.", "Enter exactly %(count)d digits.", "count"
)
PATTERN_DIGITS_RANGE: Final = _("Enter from %(min)d to %(max)d digits.")
PATTERN_PHONE: Final = _("Enter a 10-digit phone number starting with 0.")
PATTERN_TAX_CODE: Final = _("Enter 10 or 13 digits.")

MINIMUM: Final = _("Enter a number that is at least %(limit_value)s.")
MAXIMUM: Final = _("Enter a number that is at most %(limit_value)s.")
EXCLUSIVE_MINIMUM: Final = _("Enter a number greater than %(limit_value)s.")
EXCLUSIVE_MAXIMUM: Final = _("Enter a number less than %(limit_value)s.")
MULTIPLE_OF: Final = _("Enter a multiple of %(limit_value)s.")
NUMBER_INVALID: Final = _("Enter a number, for example 1250 or 12.5.")
INTEGER_INVALID: Final = _("Enter a whole number using digits only, for example 1500.")

FORMAT_MESSAGES: Final[dict[str, Promise]] = {
    "date": _("Enter a real date, for example 25/12/2024."),
    "date-time": _("Enter a real date and time."),
    "email": _("Enter an e-mail address such as ten@example.vn."),
}

MIN_ITEMS: Final = ngettext_lazy(
    "Enter at least %(limit_value)d item.", "Enter at least %(limit_value)d items.", "limit_value"
)
MAX_ITEMS: Final = ngettext_lazy(
    "Enter at most %(limit_value)d item.", "Enter at most %(limit_value)d items.", "limit_value"
)
UNIQUE_ITEMS: Final = _("Each item may appear only once.")
ITEM: Final = _("Item %(number)d: %(message)s")
LINE: Final = _("Line %(number)d: %(message)s")

# Patterns the catalogue uses often get a sentence a citizen understands.
_DIGITS = re.compile(r"\^(?:\\d|\[0-9\])\{(\d+)(?:,(\d+))?\}\$")
_KNOWN_PATTERNS: Final[dict[str, Promise]] = {
    r"^0\d{9}$": PATTERN_PHONE,
    r"^0[0-9]{9}$": PATTERN_PHONE,
    r"^\d{10}(\d{3})?$": PATTERN_TAX_CODE,
    r"^\d{10}(-\d{3})?$": PATTERN_TAX_CODE,
}


def pattern_message(pattern: str) -> str:
    """The sentence shown when a value does not match ``pattern``."""
    known = _KNOWN_PATTERNS.get(pattern)
    if known is not None:
        return str(known)
    match = _DIGITS.fullmatch(pattern)
    if match:
        low, high = int(match[1]), match[2]
        if high is None:
            return str(PATTERN_DIGITS % {"count": low})
        return str(PATTERN_DIGITS_RANGE % {"min": low, "max": int(high)})
    return str(PATTERN)


def format_number(value: object) -> str:
    """A limit as people write it: ``1000000``, ``2,5`` in Vietnamese, ``2.5`` in English."""
    text = format(Decimal(str(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", str(get_format("DECIMAL_SEPARATOR")))
