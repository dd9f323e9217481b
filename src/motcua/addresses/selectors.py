"""Finding places: by code, by plus code (full, or short with a ward name), by street text
without diacritics, and the nearest to a point. Reads only; the same on SQLite and PostgreSQL.

The nearest-place search reads the plus-code cells (8 characters, about 275 m a side) around
the point through an ordinary index, widening ring by ring until the places found are surely
the nearest: no spatial extension needed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from motcua.catalog.text import fold

from . import codes, plus_codes, wards
from .errors import MalformedCode, PlaceNotFound, UnknownWard
from .models import Place, PlaceIdentifier, Scheme

MAX_RESULTS = 50
# Beyond this, "nearest" means nothing useful for an address (and a search stops widening).
MAX_DISTANCE_M = 2_000
_PLUS = re.compile(r"^([23456789CFGHJMPQRVWX0]{2,8}\+[23456789CFGHJMPQRVWX]{0,3})\s*(.*)$", re.I)


@dataclass(frozen=True)
class Near:
    place: Place
    distance_m: float


def places() -> QuerySet[Place]:
    return Place.objects.all()


def _schemes(text: str) -> tuple[list[Scheme], str]:
    """The schemes a code may be of and the code compacted, or ``MalformedCode``."""
    compact = re.sub(r"[\s+\-.]", "", text).upper()
    if compact.isdigit() and len(compact) == 10:
        schemes = [Scheme.PLATFORM] if codes.is_platform_code(compact) else [Scheme.NATIONAL]
    elif len(compact) == 12 and compact[:5].isdigit():
        schemes = [Scheme.VPOSTCODE]
    else:
        raise MalformedCode(
            _(
                "“%(code)s” is not an address code: a digital address has 10 digits, a "
                "Vpostcode 5 digits and 7 letters or digits."
            )
            % {"code": text[:40]}
        )
    return schemes, compact


def well_formed(text: str) -> bool:
    """Whether ``text`` has the form of an address code (platform, national or Vpostcode)."""
    try:
        schemes, compact = _schemes(text)
        codes.normalise(schemes[0], compact)
    except MalformedCode:
        return False
    return True


def by_code(text: str) -> Place:
    """The place of a platform code, national code or Vpostcode; ``MalformedCode`` when the
    text is none of them, ``PlaceNotFound`` when no place has it."""
    schemes, compact = _schemes(text)
    found = (
        PlaceIdentifier.objects.filter(
            scheme__in=schemes, code=codes.normalise(schemes[0], compact)
        )
        .select_related("place")
        .first()
    )
    if found is None:
        raise PlaceNotFound(_("No place has the code %(code)s.") % {"code": compact})
    return found.place


def resolve_plus_code(text: str) -> tuple[str, wards.WardInfo | None]:
    """A full plus code, or a short one followed by a ward name ("3632+QV8 Hải Châu"),
    as the full 11-character code, recovered offline from the ward's reference point."""
    match = _PLUS.match(text.strip())
    if not match:
        raise MalformedCode(
            _("“%(code)s” is not a plus code (e.g. 7P8C3632+QV8, or 3632+QV8 Hải Châu).")
            % {"code": text[:40]}
        )
    code, ward_name = match.group(1).upper(), match.group(2).strip(" ,")
    ward = None
    if ward_name:
        ward = wards.find_by_name(settings.MOTCUA_PROVINCE_CODE, ward_name)
        if ward is None:
            raise UnknownWard(
                _("No ward or commune of %(province)s is called “%(name)s”.")
                % {
                    "province": wards.province_name(settings.MOTCUA_PROVINCE_CODE),
                    "name": ward_name[:60],
                }
            )
    if plus_codes.is_full(code):
        return code, ward
    if not plus_codes.is_short(code):
        raise MalformedCode(_("“%(code)s” is not a valid plus code.") % {"code": code})
    if ward is None:
        raise UnknownWard(
            _("A short plus code needs the ward's name after it, e.g. “3632+QV8 Hải Châu”.")
        )
    if not ward.has_reference_point:
        raise UnknownWard(
            _("The ward %(name)s has no reference point yet: use the full plus code.")
            % {"name": ward.name}
        )
    assert ward.latitude is not None and ward.longitude is not None
    return plus_codes.recover(code, ward.latitude, ward.longitude), ward


def short_plus_code(place: Place) -> str:
    """The plus code as people say it: short, with the ward's name ("3632+QV8 Hải Châu")."""
    ward = wards.ward(place.ward_code)
    if ward is None or ward.latitude is None or ward.longitude is None:
        return place.plus_code
    short = plus_codes.shorten(place.plus_code, ward.latitude, ward.longitude)
    return f"{short} {wards.spoken_name(ward.name)}"


def by_plus_code(text: str) -> list[Place]:
    """Places in the cell of a plus code (a short code needs its ward's name)."""
    code, _ward = resolve_plus_code(text)
    cell = plus_codes.decode(code)
    if len(code.replace("+", "").rstrip("0")) >= plus_codes.CODE_LENGTH:
        # A longer code names a smaller cell inside one 11-character cell.
        eleven = plus_codes.encode(cell.latitude, cell.longitude)
        return list(Place.objects.filter(plus_code=eleven).order_by("code"))
    # A shorter (coarser) code: the places inside its area.
    return list(
        Place.objects.filter(
            latitude__gte=cell.south,
            latitude__lt=cell.north,
            longitude__gte=cell.west,
            longitude__lt=cell.east,
        ).order_by("code")[:MAX_RESULTS]
    )


# A common street matches thousands of places: the page shows the first ones in order among
# at most this many found, so that a search never sorts a whole city (add a number or a ward).
SEARCH_CANDIDATES = 1000


def search_text(query: str, ward_code: int | None = None, limit: int = 20) -> list[Place]:
    """Places whose number, street and ward hold every word of ``query`` (diacritics and
    case aside): "12 tran phu hai chau" finds "12 Trần Phú, Phường Hải Châu". A ward's name
    at the end of the query is read as the ward (through its index, not as words)."""
    words = fold(query).split()
    if not words:
        return []
    found = Place.objects.all()
    named = _ward_at_end(words)
    if named is not None:
        ward, words = named
        if ward_code is not None and ward_code != ward:
            return []
        ward_code = ward
    if ward_code is not None:
        found = found.filter(ward_code=ward_code)
    if words:
        candidates = matching(found, words).order_by().values("pk")[:SEARCH_CANDIDATES]
        found = Place.objects.filter(pk__in=candidates)
    return list(found.order_by("search_text", "code")[: min(limit, MAX_RESULTS)])


def _ward_at_end(words: list[str]) -> tuple[int, list[str]] | None:
    """The ward named by the last one to three words, and the words before it."""
    for size in (3, 2, 1):
        if len(words) < size:
            continue
        ward = wards.find_by_name(settings.MOTCUA_PROVINCE_CODE, " ".join(words[-size:]))
        if ward is not None:
            return ward.code, words[:-size]
    return None


def matching(found: QuerySet[Place], words: list[str]) -> QuerySet[Place]:
    """Places holding every folded word: whole words through the GIN-indexed
    ``search_vector`` on PostgreSQL (migration 0002), substrings on SQLite."""
    if not words:
        return found
    if connection.vendor == "postgresql":
        # Whole words: a prefix ("an" for "an*") would read the lists of every word it
        # begins. Folded words hold only [0-9a-z.]; quoted, so tsquery syntax never leaks in.
        tsquery = " & ".join("'" + word.replace("'", "") + "'" for word in words)
        return found.annotate(
            hit=RawSQL(
                "search_vector @@ to_tsquery('simple', %s)", [tsquery], output_field=BooleanField()
            )
        ).filter(hit=True)
    for word in words:
        found = found.filter(search_text__contains=word)
    return found


# Where to look, finest first: the 14 m cells up to 2 then 4 rings (about 28 and 56 m), then
# the 275 m cells, widening until the places found are surely the nearest.
_LEVELS = ((plus_codes.FINE_LENGTH, "fine_cell", (2, 4)), (plus_codes.CELL_LENGTH, "cell", ()))


def nearest(
    latitude: float, longitude: float, limit: int = 10, max_distance_m: float = MAX_DISTANCE_M
) -> list[Near]:
    """The ``limit`` places nearest to the point, within ``max_distance_m``, nearest first."""
    limit = max(1, min(limit, MAX_RESULTS))
    for length, column, rings in _LEVELS:
        found: dict[int, tuple[float, str]] = {}
        seen: set[str] = set()
        last = math.ceil(max_distance_m / plus_codes.ring_reach_m(latitude, 1, length))
        steps = list(rings) or _widening(last)
        for ring in steps:
            cells = [
                c
                for c in plus_codes.cells_around(latitude, longitude, ring, length)
                if c not in seen
            ]
            seen.update(cells)
            for pk, code, lat, lng in _scan(column, cells):
                found[pk] = (plus_codes.distance_m(latitude, longitude, lat, lng), code)
            reach = min(plus_codes.ring_reach_m(latitude, ring, length), max_distance_m)
            inside = sum(1 for distance, _code in found.values() if distance <= reach)
            if inside >= limit or reach >= max_distance_m:
                return _answer(found, limit, max_distance_m)
    return _answer(found, limit, max_distance_m)


def _widening(last: int) -> list[int]:
    """Rings 1, 2, 3, 4, then doubling (an empty neighbourhood), never past ``last``."""
    steps, ring = [], 1
    while ring < last:
        steps.append(ring)
        ring = ring + 1 if ring < 4 else ring * 2
    return [*steps, last]


def _scan(column: str, cells: list[str]) -> list[tuple[int, str, float, float]]:
    """Id, code and point of the places in these cells: only what distances need, unordered
    (the model's default ordering would sort them all), in chunks SQLite accepts."""
    rows: list[tuple[int, str, float, float]] = []
    for start in range(0, len(cells), 900):
        chunk = cells[start : start + 900]
        rows += list(
            Place.objects.filter(**{f"{column}__in": chunk})
            .order_by()
            .values_list("id", "code", "latitude", "longitude")
        )
    return rows


def _answer(found: dict[int, tuple[float, str]], limit: int, max_distance_m: float) -> list[Near]:
    ranked = sorted(
        (
            (distance, code, pk)
            for pk, (distance, code) in found.items()
            if distance <= max_distance_m
        )
    )[:limit]
    places = Place.objects.in_bulk([pk for _distance, _code, pk in ranked])
    return [Near(places[pk], distance) for distance, _code, pk in ranked]


def ward_geojson(ward_code: int) -> dict[str, Any]:
    """The ward's places as a GeoJSON FeatureCollection: codes and address text only, no
    household or person."""
    ward = wards.ward(ward_code)
    if ward is None or ward.province_code != settings.MOTCUA_PROVINCE_CODE:
        raise UnknownWard(_("No ward or commune has the code %(code)s.") % {"code": ward_code})
    features = [
        {
            "type": "Feature",
            "id": place["code"],
            "geometry": {"type": "Point", "coordinates": [place["longitude"], place["latitude"]]},
            "properties": {
                "code": place["code"],
                "plus_code": place["plus_code"],
                "house_number": place["house_number"],
                "street": place["street"],
                "ward_code": ward.code,
                "ward": ward.name,
                "status": place["status"],
            },
        }
        for place in Place.objects.filter(ward_code=ward_code)
        .order_by("code")
        .values("code", "plus_code", "house_number", "street", "latitude", "longitude", "status")
    ]
    return {
        "type": "FeatureCollection",
        "name": f"dia-chi-so-{ward.code}",
        "features": features,
    }


def ward_places(ward_codes: set[int], query: str = "") -> QuerySet[Place]:
    found = matching(Place.objects.filter(ward_code__in=ward_codes), fold(query).split())
    return found.order_by("ward_code", "search_text", "code")


def find(query: str, limit: int = 20) -> list[Place]:
    """One search box: a code, a plus code (with a ward name when short) or street words."""
    text = query.strip()
    if not text:
        return []
    if "+" in text:
        return by_plus_code(text)
    compact = re.sub(r"[\s\-.]", "", text)
    # One long word with digits in it is a code, not a street: say so if it is none.
    looks_like_code = len(text.split()) == 1 and len(text) >= 8 and any(c.isdigit() for c in text)
    vpostcode = len(compact) == 12 and compact[:5].isdigit()
    if looks_like_code or vpostcode or (compact.isdigit() and len(compact) >= 8):
        try:
            return [by_code(text)]
        except PlaceNotFound:
            return []
    return search_text(text, limit=limit)
