"""Wards and communes after the 2025 reorganisation, with the reference point of each.

Names and codes come from ``vietnam-provinces``; the reference points (an approximate centre
per ward, ``data/reference_points_<province>.json``) let a short plus code with a ward name
("3632+QV8 Hải Châu") be resolved offline, without anyone's place list. The file also gives
the province's extent (boxes), against which coordinates are checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from vietnam_provinces import Province, ProvinceCode, Ward, WardCode

from motcua.catalog.text import fold

DATA = Path(__file__).resolve().parent / "data"
# What people leave out when they name a ward: its kind.
KIND_WORDS = ("phuong", "xa", "dac khu", "thi tran")


@dataclass(frozen=True)
class WardInfo:
    code: int
    name: str
    province_code: int
    latitude: float | None
    longitude: float | None

    @property
    def has_reference_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@cache
def _reference_data(province_code: int) -> dict[str, object]:
    path = DATA / f"reference_points_{province_code}.json"
    if not path.exists():
        return {"wards": {}, "extent": []}
    loaded: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def province_name(province_code: int) -> str:
    try:
        return str(Province.from_code(ProvinceCode(province_code)).name)
    except ValueError:
        return str(province_code)


@cache
def ward(code: int) -> WardInfo | None:
    """The ward of that code today, or None for a code no current ward has."""
    try:
        found = Ward.from_code(WardCode(int(code)))
    except (ValueError, TypeError):
        return None
    province_code = int(found.province_code)
    points = _reference_data(province_code)["wards"]
    assert isinstance(points, dict)
    point = points.get(str(int(found.code)))
    return WardInfo(
        code=int(found.code),
        name=str(found.name),
        province_code=province_code,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
    )


@cache
def wards_of(province_code: int) -> tuple[WardInfo, ...]:
    codes = sorted(int(w.code) for w in Ward.iter_by_province(ProvinceCode(province_code)))
    return tuple(info for info in (ward(code) for code in codes) if info is not None)


def short_name(name: str) -> str:
    """A ward's name as people say it: folded, without "phường"/"xã" in front."""
    folded = fold(name)
    for word in KIND_WORDS:
        if folded.startswith(word + " "):
            return folded[len(word) + 1 :]
    return folded


def spoken_name(name: str) -> str:
    """A ward's name without its kind, diacritics kept: "Phường Hải Châu" → "Hải Châu"."""
    for prefix in ("Phường ", "Xã ", "Đặc khu ", "Thị trấn "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def find_by_name(province_code: int, name: str) -> WardInfo | None:
    """The ward so named, with or without diacritics and its kind ("Hải Châu", "phuong hai
    chau"); None when no ward, or more than one, answers to it."""
    wanted = short_name(name)
    if not wanted:
        return None
    exact = [w for w in wards_of(province_code) if fold(w.name) == fold(name)]
    if len(exact) == 1:
        return exact[0]
    matches = [w for w in wards_of(province_code) if short_name(w.name) == wanted]
    return matches[0] if len(matches) == 1 else None


def in_province(province_code: int, latitude: float, longitude: float) -> bool:
    """Inside one of the province's boxes (no boxes known: anywhere on Earth)."""
    extent = _reference_data(province_code)["extent"]
    assert isinstance(extent, list)
    if not extent:
        return -90 <= latitude <= 90 and -180 <= longitude <= 180
    return any(s <= latitude <= n and w <= longitude <= e for s, w, n, e in extent)
