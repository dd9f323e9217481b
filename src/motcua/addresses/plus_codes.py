"""Open Location Code (plus codes), through Google's reference implementation.

The ``pluscodes`` wheel ships that implementation unchanged as ``pluscodes.openlocationcode``;
its own, renamed interface is not used (its recovery of 11-character codes drops a character).
The ``openlocationcode`` distribution itself exists only as a source archive, which the hashed
installs of this project would have to build with unhashed tools.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pluscodes.openlocationcode import openlocationcode as olc

# 11 characters (10 + one grid step): a cell of about 2.8 m × 3.5 m, as Vpostcode uses.
CODE_LENGTH = 11
# The cells of the nearest-place index: the first 8 characters, 0.0025° (about 275 m) a side,
# and, for dense streets, the first 10, 0.000125° (about 14 m) a side.
CELL_LENGTH = 8
FINE_LENGTH = 10
CELL_DEGREES = 0.0025
_DEGREES = {CELL_LENGTH: CELL_DEGREES, FINE_LENGTH: 0.000125}
EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class Cell:
    """A decoded code: its centre and its corners (degrees)."""

    latitude: float
    longitude: float
    south: float
    west: float
    north: float
    east: float


def encode(latitude: float, longitude: float) -> str:
    """The 11-character code of a point, e.g. ``7P8C3632+QV8``."""
    return str(olc.encode(latitude, longitude, CODE_LENGTH))


def decode(code: str) -> Cell:
    area = olc.decode(code)
    return Cell(
        area.latitudeCenter,
        area.longitudeCenter,
        area.latitudeLo,
        area.longitudeLo,
        area.latitudeHi,
        area.longitudeHi,
    )


def normalise(code: str) -> str:
    return code.strip().upper()


def is_full(code: str) -> bool:
    return bool(olc.isFull(normalise(code)))


def is_short(code: str) -> bool:
    return bool(olc.isShort(normalise(code)))


def shorten(code: str, latitude: float, longitude: float) -> str:
    """The code without its first 4 characters (``3632+QV8``), as people write it next to a
    place name, when the reference point gives them back; else the full code. Always 4:
    dropping more only works very near the reference point, and reads as a different code."""
    short = code[4:]
    return short if recover(short, latitude, longitude) == code else code


def recover(short_code: str, latitude: float, longitude: float) -> str:
    """The full code nearest to the reference point (exact within ±0.5° for 4 characters)."""
    return str(olc.recoverNearest(normalise(short_code), latitude, longitude))


def cell_of(latitude: float, longitude: float, length: int = CELL_LENGTH) -> str:
    """The index cell of a point: the code's first 8 (or 10) characters, without ``+``."""
    return encode(latitude, longitude).replace("+", "")[:length]


def cells_around(
    latitude: float, longitude: float, ring: int, length: int = CELL_LENGTH
) -> list[str]:
    """The cells of the square of (2·ring + 1)² cells centred on the point's cell."""
    step = _DEGREES[length]
    # Cell centres one step apart, encoded: exact, as the grid is aligned on multiples of it.
    base_lat = (math.floor((latitude + 90) / step) + 0.5) * step - 90
    base_lng = (math.floor((longitude + 180) / step) + 0.5) * step - 180
    found = []
    for dy in range(-ring, ring + 1):
        for dx in range(-ring, ring + 1):
            lat = base_lat + dy * step
            if -90 < lat < 90:
                found.append(cell_of(lat, base_lng + dx * step, length))
    return found


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def ring_reach_m(latitude: float, ring: int, length: int = CELL_LENGTH) -> float:
    """How far from the point every place is surely inside a square of ``ring`` rings: the
    distance to the square's nearest edge is at least ``ring`` cell sides."""
    side_ns = _DEGREES[length] * math.pi / 180 * EARTH_RADIUS_M
    side_ew = side_ns * math.cos(math.radians(latitude))
    return ring * min(side_ns, side_ew)
