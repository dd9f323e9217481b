"""Plus codes: a point's code decodes to a cell holding the point; short codes come back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from motcua.addresses import plus_codes

# Đà Nẵng's extent and a little more.
latitudes = st.floats(min_value=14.8, max_value=17.2, allow_nan=False)
longitudes = st.floats(min_value=107.1, max_value=112.9, allow_nan=False)


@given(latitudes, longitudes)
def test_a_code_decodes_to_the_cell_holding_the_point(latitude: float, longitude: float) -> None:
    code = plus_codes.encode(latitude, longitude)
    assert len(code.replace("+", "")) == plus_codes.CODE_LENGTH
    cell = plus_codes.decode(code)
    # (The library rounds to 1e-6 of a cell step: a point on an edge may fall either side.)
    assert cell.south - 1e-9 <= latitude < cell.north + 1e-9
    assert cell.west - 1e-9 <= longitude < cell.east + 1e-9
    # The cell is about 3 m: its centre is within 3 m of the point.
    assert plus_codes.distance_m(latitude, longitude, cell.latitude, cell.longitude) < 3
    assert plus_codes.encode(cell.latitude, cell.longitude) == code


@given(
    latitudes,
    longitudes,
    st.floats(min_value=-0.45, max_value=0.45),
    st.floats(min_value=-0.45, max_value=0.45),
)
def test_a_short_code_is_recovered_from_a_reference_within_half_a_degree(
    latitude: float, longitude: float, d_lat: float, d_lng: float
) -> None:
    code = plus_codes.encode(latitude, longitude)
    short = plus_codes.shorten(code, latitude + d_lat, longitude + d_lng)
    assert short == code[4:]  # what people write: "3632+QV8"
    assert plus_codes.recover(short, latitude + d_lat, longitude + d_lng) == code


def test_cells_around_a_point_hold_its_own_and_its_neighbours() -> None:
    latitude, longitude = 16.0678, 108.2208
    own = plus_codes.cell_of(latitude, longitude)
    ring = plus_codes.cells_around(latitude, longitude, 1)
    assert len(ring) == 9 and len(set(ring)) == 9 and ring[4] == own
    # A point 200 m north is in one of them.
    assert plus_codes.cell_of(latitude + 0.0018, longitude) in ring
