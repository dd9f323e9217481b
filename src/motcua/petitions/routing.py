"""Where a report goes: the competent agency by topic and place (DOMAIN.md §9a).

1. a report on a dossier goes to the agency that received the dossier;
2. a topic handled by the ward, with a place: the people's committee of the ward (the ward
   typed, the one of the digital address, or the ward whose reference point is nearest);
3. a report on a procedure: an agency implementing it, the topic's agency first if it is one;
4. a report on an agency: that agency;
5. otherwise the topic's competent agency.
A desk that receives a report outside its competence forwards it (``services.forward``).
"""

from __future__ import annotations

import math

from django.conf import settings

from motcua.addresses import wards
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier

from .models import Topic


def nearest_ward(latitude: float, longitude: float) -> int | None:
    """The ward of the province whose reference point is nearest (an approximation)."""
    best: tuple[float, int] | None = None
    scale = math.cos(math.radians(latitude))
    for ward in wards.wards_of(int(settings.MOTCUA_PROVINCE_CODE)):
        if ward.latitude is None or ward.longitude is None:
            continue
        d = (ward.latitude - latitude) ** 2 + ((ward.longitude - longitude) * scale) ** 2
        if best is None or d < best[0]:
            best = (d, ward.code)
    return best[1] if best else None


def route(
    *,
    topic: Topic,
    ward_code: int | None,
    procedure: Procedure | None,
    dossier: Dossier | None,
    about_agency: Agency | None,
) -> Agency:
    if dossier is not None:
        return dossier.receiving_agency
    if topic.by_ward and ward_code is not None:
        ward_agency = Agency.objects.current().filter(ward_code=ward_code).first()
        if ward_agency is not None:
            return ward_agency
    if procedure is not None:
        implementing = list(procedure.agencies.current().order_by("code"))
        if implementing:
            return next((a for a in implementing if a.pk == topic.agency_id), implementing[0])
    if about_agency is not None:
        return about_agency
    return topic.agency
