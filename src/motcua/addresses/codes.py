"""The codes a place is known by, each checked by its own rule (DOMAIN.md §10).

- ``platform``: this platform's digital address, 10 digits: the province code (2), a serial
  number (7) and a Luhn check digit, so that a mistyped digit is caught before any look-up.
- ``national``: the national digital address platform's 10-digit code.
- ``vpostcode``: Vietnam Post's code, a 5-digit postcode followed by 7 characters of an Open
  Location Code cell (written with or without a space or a ``+``).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from stdnum import luhn

from .errors import MalformedCode
from .models import Scheme

OLC_ALPHABET = "23456789CFGHJMPQRVWX"
_VPOSTCODE = re.compile(rf"^\d{{5}}[{OLC_ALPHABET}]{{7}}$")
_SEPARATORS = re.compile(r"[\s+\-.]")


def platform_code(province_code: int, serial: int) -> str:
    body = f"{province_code:02d}{serial:07d}"
    return body + luhn.calc_check_digit(body)


def is_platform_code(text: str) -> bool:
    return len(text) == 10 and text.isdigit() and luhn.is_valid(text)


def normalise(scheme: str, code: str) -> str:
    """The code as stored, or ``MalformedCode`` naming what is wrong."""
    compact = _SEPARATORS.sub("", code).upper()
    if scheme == Scheme.PLATFORM:
        if not (len(compact) == 10 and compact.isdigit()):
            raise MalformedCode(_("A digital address has 10 digits."))
        if not luhn.is_valid(compact):
            raise MalformedCode(
                _("“%(code)s” is not a digital address: its last digit does not check.")
                % {"code": compact}
            )
        return compact
    if scheme == Scheme.NATIONAL:
        if not (len(compact) == 10 and compact.isdigit()):
            raise MalformedCode(_("A national digital address has 10 digits."))
        return compact
    if scheme == Scheme.VPOSTCODE:
        if not _VPOSTCODE.match(compact):
            raise MalformedCode(
                _("A Vpostcode is a 5-digit postcode followed by 7 plus-code characters.")
            )
        return compact
    raise MalformedCode(_("Unknown code scheme “%(scheme)s”.") % {"scheme": scheme[:20]})
