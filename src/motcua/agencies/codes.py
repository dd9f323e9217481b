"""Agency electronic identifier codes (Decision 20/2020/QĐ-TTg, amended 2025; DOMAIN.md §3).

Current form: a root code (``H17`` for a province, ``G01`` for a ministry) extended with dotted
groups of digits for subordinate units: ``H17.01``, ``H17.50.05``. The older reversed form
``000.00.00.H17`` / ``000.05.50.H17`` still appears in published lists; both are accepted.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CURRENT_FORM = re.compile(r"^[A-Z]\d{2}(\.\d{2,3})*$")
REVERSED_FORM = re.compile(r"^(\d{2,3}\.)+[A-Z]\d{2}$")


def normalize_agency_code(raw: str) -> str:
    """Return the current form of an agency code, or raise ``ValidationError``."""
    code = raw.strip().upper()
    if CURRENT_FORM.match(code):
        return code
    if REVERSED_FORM.match(code):
        groups = code.split(".")
        root, units = groups[-1], list(reversed(groups[:-1]))
        # Trailing all-zero groups mean "no unit at this level".
        while units and set(units[-1]) == {"0"}:
            units.pop()
        if any(set(unit) == {"0"} for unit in units):
            raise ValidationError(
                _("Agency code %(code)s has an empty level inside it."),
                code="invalid",
                params={"code": raw},
            )
        return ".".join([root, *units])
    raise ValidationError(
        _("%(code)s is not an agency electronic identifier (expected e.g. H17.50.05)."),
        code="invalid",
        params={"code": raw},
    )


def validate_agency_code(value: str) -> None:
    if not CURRENT_FORM.match(value):
        raise ValidationError(
            _("%(code)s is not an agency electronic identifier (expected e.g. H17.50.05)."),
            code="invalid",
            params={"code": value},
        )
