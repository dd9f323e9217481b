"""What the dataset page shows of a resource besides its first rows: a bar chart of a numeric
column and, for GeoJSON, its features on a map with their properties in a table.

Both are drawn on the server (the chart as SVG, the features as a table) so that they work
without JavaScript; the map is the one part that needs it (``static/opendata/map.js``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from .models import Resource

#: GeoJSON files larger than this are offered for download, not parsed for the page.
MAX_GEOJSON_PREVIEW_BYTES: Final = 5 * 1024 * 1024
FEATURES_SHOWN: Final = 10
_NUMERIC_TYPES: Final = frozenset({"int", "integer", "number", "numeric", "float"})


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    shown: str
    #: Length as a share of the longest bar, 0–100.
    length: float
    y: int

    @property
    def width(self) -> str:
        """The bar in the chart's units: the longest is 360 wide."""
        return f"{self.length * 3.6:.1f}"

    @property
    def value_x(self) -> str:
        return f"{206 + self.length * 3.6:.1f}"


@dataclass(frozen=True)
class Chart:
    column: str
    label_column: str
    bars: tuple[Bar, ...]
    height: int


def bar_chart(preview: dict[str, Any] | None) -> Chart | None:
    """Bars of the first numeric column of the preview rows, labelled by the first text
    column; None when the table has no numeric column or no non-negative values."""
    if not preview or not preview.get("records"):
        return None
    fields = [f for f in preview.get("fields", []) if f.get("id") != "_id"]
    numeric = next((f for f in fields if str(f.get("type", "")).lower() in _NUMERIC_TYPES), None)
    if numeric is None:
        return None
    text = next((f for f in fields if f is not numeric and f.get("type") == "text"), None)
    values: list[tuple[str, Decimal]] = []
    for index, record in enumerate(preview["records"], start=1):
        raw = record.get(numeric["id"])
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            continue
        if value.is_nan() or value < 0:
            return None  # a bar chart of signed values would mislead; the table shows them
        label = str(record.get(text["id"], "")) if text else str(index)
        values.append((label[:40], value))
    largest = max((value for _label, value in values), default=Decimal(0))
    if not values or largest == 0:
        return None
    bars = tuple(
        Bar(
            label=label,
            value=value,
            shown=f"{value.normalize():,f}".replace(",", "."),
            length=float(value / largest * 100),
            y=index * 28,
        )
        for index, (label, value) in enumerate(values)
    )
    info = numeric.get("info") or {}
    return Chart(
        column=str(info.get("label") or numeric["id"]),
        label_column=str(
            ((text or {}).get("info") or {}).get("label") or (text or {}).get("id", "")
        ),
        bars=bars,
        height=len(bars) * 28,
    )


@dataclass(frozen=True)
class FeatureRow:
    geometry: str
    properties: dict[str, Any]


@dataclass(frozen=True)
class GeoPreview:
    count: int
    columns: list[str]
    rows: list[FeatureRow]


def geojson_preview(resource: Resource) -> GeoPreview | None:
    """The first features of an uploaded GeoJSON file (None when it is not one we can read)."""
    if resource.format != "GeoJSON" or not resource.file:
        return None
    if (resource.size or 0) > MAX_GEOJSON_PREVIEW_BYTES:
        return None
    try:
        with resource.file.open("rb") as stored:
            document = json.loads(stored.read(MAX_GEOJSON_PREVIEW_BYTES + 1))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict):
        return None
    features = document.get("features") if document.get("type") == "FeatureCollection" else None
    if document.get("type") == "Feature":
        features = [document]
    if not isinstance(features, list):
        return None
    rows: list[FeatureRow] = []
    columns: list[str] = []
    for feature in features[:FEATURES_SHOWN]:
        if not isinstance(feature, dict):
            continue
        properties: dict[str, Any] = (
            feature["properties"] if isinstance(feature.get("properties"), dict) else {}
        )
        geometry: dict[str, Any] = (
            feature["geometry"] if isinstance(feature.get("geometry"), dict) else {}
        )
        for key in properties:
            if key not in columns and len(columns) < 8:
                columns.append(str(key))
        rows.append(FeatureRow(str(geometry.get("type", "")), dict(properties)))
    return GeoPreview(count=len(features), columns=columns, rows=rows)
