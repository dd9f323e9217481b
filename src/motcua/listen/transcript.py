"""What is read aloud: the guidance of one published procedure version, as plain sentences.

Built from the version's snapshot (not the live row), so a recording always says what that
version said. Always Vietnamese: the voices are Vietnamese whatever the page's language.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.catalog.models import ApplicantType, ProcedureVersion, TimeUnit


def _sentence(text: str) -> str:
    text = " ".join(str(text).split()).rstrip(" .;:")
    return f"{text}." if text else ""


def _number(value: Any) -> str:
    number = float(value or 0)
    return str(int(number)) if number.is_integer() else str(number).replace(".", ",")


def build_transcript(version: ProcedureVersion) -> str:
    snapshot = version.snapshot
    with translation.override("vi"):
        lines = [_sentence(snapshot.get("name", ""))]
        if snapshot.get("applicant_type") in ApplicantType.values:
            lines.append(
                _sentence(
                    _("Who may file: %(who)s")
                    % {"who": ApplicantType(snapshot["applicant_type"]).label}
                )
            )
        if snapshot.get("conditions"):
            lines.append(_sentence(_("Conditions: %(text)s") % {"text": snapshot["conditions"]}))
        cases = snapshot.get("cases") or []
        for number, case in enumerate(cases, start=1):
            if len(cases) > 1:
                lines.append(
                    _sentence(_("Case %(n)s: %(name)s") % {"n": number, "name": case["name"]})
                )
            documents = [c["name"] for c in case.get("components", [])]
            if documents:
                lines.append(
                    _sentence(_("Documents to provide: %(list)s") % {"list": "; ".join(documents)})
                )
            unit = case.get("time_unit")
            unit_label = TimeUnit(unit).label if unit in TimeUnit.values else ""
            lines.append(
                _sentence(
                    _("Time limit: %(limit)s %(unit)s")
                    % {"limit": _number(case.get("time_limit")), "unit": unit_label}
                )
            )
            fee = int(case.get("fee") or 0)
            fee_text = _("%(amount)s dong") % {"amount": fee} if fee else _("free of charge")
            if case.get("fee_description"):
                fee_text = f"{fee_text}, {case['fee_description']}"
            lines.append(_sentence(_("Fee: %(fee)s") % {"fee": fee_text}))
        agencies = list(
            Agency.objects.filter(code__in=snapshot.get("agencies") or [])
            .order_by("name")
            .values_list("name", flat=True)[:5]
        )
        if agencies:
            lines.append(_sentence(_("Where to file: %(where)s") % {"where": "; ".join(agencies)}))
        if snapshot.get("method"):
            lines.append(_sentence(_("How to file: %(text)s") % {"text": snapshot["method"]}))
    return "\n".join(line for line in lines if line)
