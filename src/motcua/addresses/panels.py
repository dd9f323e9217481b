"""The dossier pages' panel of the digital addresses a dossier gives (ADR 0008): the address
text as it was at filing, the code, and for an officer of the place's ward a link to it."""

from __future__ import annotations

from typing import Any

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.dossiers.panels import Panel, register

from . import access, uses
from .models import DELIVERY_FIELD, DossierAddress


def _context(dossier: Dossier, user: User, roles: set[str]) -> dict[str, Any] | None:
    kept = list(
        DossierAddress.objects.filter(dossier=dossier).select_related("place").order_by("pk")
    )
    if not kept:
        return None
    wards = access.officer_ward_codes(user)
    titles = _titles(dossier)
    rows = []
    for address in kept:
        now = uses.text_of(address.place)
        rows.append(
            {
                "title": titles.get(address.field, address.field),
                "delivery": address.field == DELIVERY_FIELD,
                "code": address.code,
                "text": address.text,
                "changed_to": now if now != address.text else "",
                "manages": address.place.ward_code in wards,
                "place": address.place,
            }
        )
    return {"addresses": rows}


def _titles(dossier: Dossier) -> dict[str, str]:
    """The question each answer's dotted path stands for (its title in the e-form)."""
    from motcua.eforms.display import answer_sections

    return {
        answer.name: answer.label
        for section in answer_sections(dossier.rules.eform, dossier.form_data)
        for answer in section.answers
        if answer.name
    }


register(Panel("addresses", "addresses/_dossier_addresses.html", _context, order=40))
