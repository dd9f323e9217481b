"""Finding places: by code, by full or short plus code with a ward name (offline), by street
words without diacritics, nearest to a point; the API and the open GeoJSON of a ward."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from motcua.accounts.tests.factories import UserFactory
from motcua.addresses import plus_codes, selectors, services, wards
from motcua.addresses.errors import MalformedCode, PlaceNotFound, UnknownWard
from motcua.addresses.models import Scheme
from motcua.dossiers.tests.factories import bearer

from .factories import HAI_CHAU, HOA_CUONG, TRAN_PHU, make_place, make_ward, ward_officer

pytestmark = pytest.mark.django_db


def test_a_place_is_found_by_each_of_its_codes() -> None:
    ward = make_ward()
    place = make_place(
        ward.officer,
        identifiers={Scheme.VPOSTCODE: "55000 3632QV8", Scheme.NATIONAL: "4800012345"},
    )
    for typed in (
        place.code,
        f" {place.code[:5]} {place.code[5:]} ",
        "4800012345",
        "55000-3632QV8",
    ):
        assert selectors.by_code(typed) == place
    with pytest.raises(PlaceNotFound):
        selectors.by_code("4800099995")  # well formed (the Luhn digit checks), no such place
    with pytest.raises(MalformedCode, match="không phải là mã địa chỉ"):
        selectors.by_code("12AB")


def test_a_short_plus_code_is_recovered_with_the_wards_name_from_its_reference_point() -> None:
    ward = make_ward()
    place = make_place(ward.officer)
    hai_chau = wards.ward(HAI_CHAU)
    assert hai_chau is not None and hai_chau.latitude and hai_chau.longitude
    short = plus_codes.shorten(place.plus_code, hai_chau.latitude, hai_chau.longitude)
    assert len(short) < len(place.plus_code)
    assert selectors.short_plus_code(place) == f"{short} Hải Châu"
    for typed in (f"{short} Hải Châu", f"{short.lower()} phuong hai chau", f"{short}, Hai Chau"):
        assert selectors.by_plus_code(typed) == [place], typed
    # The full code needs no ward; a short one without a ward, or with an unknown one, is
    # refused with a message that says what to do.
    assert selectors.by_plus_code(place.plus_code) == [place]
    with pytest.raises(UnknownWard, match="cần có tên phường/xã"):
        selectors.by_plus_code(short)
    with pytest.raises(UnknownWard, match="không có phường/xã nào tên “Hải Cháu Mới”"):
        selectors.by_plus_code(f"{short} Hải Cháu Mới")


def test_every_ward_of_the_city_recovers_codes_of_points_near_it() -> None:
    for ward in wards.wards_of(48):
        assert ward.latitude is not None and ward.longitude is not None, ward.name
        point = (ward.latitude + 0.01, ward.longitude - 0.01)
        code = plus_codes.encode(*point)
        recovered, found = selectors.resolve_plus_code(f"{code[4:]} {ward.name}")
        assert recovered == code and found == ward


def test_street_words_find_places_without_diacritics() -> None:
    ward = make_ward()
    trần_phú = make_place(ward.officer)
    bạch_đằng = make_place(
        ward.officer, street="Bạch Đằng", house_number="12", point=(16.0700, 108.2240)
    )
    assert selectors.search_text("24 tran phu") == [trần_phú]
    assert selectors.search_text("BACH DANG") == [bạch_đằng]
    assert selectors.search_text("hai chau") == [bạch_đằng, trần_phú]
    assert selectors.search_text("hai chau", ward_code=HOA_CUONG) == []
    assert selectors.search_text("đằng 12") == [bạch_đằng]


def test_the_nearest_places_come_nearest_first_and_never_past_the_distance() -> None:
    ward = make_ward()
    centre = make_place(ward.officer)
    north = make_place(ward.officer, house_number="1", point=(16.0698, 108.2208))  # ~220 m
    far = make_place(ward.officer, house_number="2", point=(16.0850, 108.2208))  # ~1.9 km
    found = selectors.nearest(*TRAN_PHU, limit=3)
    assert [near.place for near in found] == [centre, north, far]
    assert found[0].distance_m < 1 and 200 < found[1].distance_m < 240
    assert [near.place for near in selectors.nearest(*TRAN_PHU, limit=2)] == [centre, north]
    assert [n.place for n in selectors.nearest(16.0697, 108.2208, limit=1)] == [north]
    assert [n.place for n in selectors.nearest(*TRAN_PHU, 10, max_distance_m=500)] == [
        centre,
        north,
    ]


def test_the_api_looks_up_codes_plus_codes_and_streets() -> None:
    ward = make_ward()
    place = make_place(ward.officer, identifiers={Scheme.NATIONAL: "4800012345"})
    client = Client()
    by_code = client.get(f"/api/v1/addresses/{place.code}/")
    assert by_code.status_code == 200
    answer = by_code.json()
    assert answer["plus_code"] == place.plus_code and answer["ward"] == "Phường Hải Châu"
    assert {"scheme": "national", "code": "4800012345"} in answer["identifiers"]
    assert answer["short_plus_code"].endswith(" Hải Châu")
    short = client.get("/api/v1/addresses/", {"q": answer["short_plus_code"]})
    assert [row["code"] for row in short.json()] == [place.code]
    vpostcode = client.get("/api/v1/addresses/", {"q": "55000 3632QV8"})
    assert vpostcode.status_code == 200 and vpostcode.json() == []
    street = client.get("/api/v1/addresses/", {"q": "tran phu"})
    assert [row["code"] for row in street.json()] == [place.code]
    near = client.get("/api/v1/addresses/nearest/", {"lat": "16.0679", "lng": "108.2208"})
    assert near.status_code == 200 and near.json()[0]["code"] == place.code
    assert 10 < near.json()[0]["distance_m"] < 12


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/v1/addresses/12AB/", 400, "không phải là mã địa chỉ"),
        ("/api/v1/addresses/4800099995/", 404, "Không có địa điểm nào"),
        ("/api/v1/addresses/?q=3632%2BQV8", 400, "cần có tên phường/xã"),
        ("/api/v1/addresses/?q=3632%2BQV8+Ba+Dinh", 400, "không có phường/xã nào tên"),
        ("/api/v1/addresses/?q=", 400, ""),
        ("/api/v1/addresses/nearest/?lat=21.03&lng=105.85", 400, "nằm ngoài Thành phố Đà Nẵng"),
        ("/api/v1/addresses/nearest/?lat=abc&lng=108.2", 400, "độ thập phân"),
        ("/api/v1/addresses/nearest/?lat=nan&lng=108.2", 400, ""),
        ("/api/v1/addresses/nearest/?lat=16.06&lng=108.2&limit=500", 400, ""),
        ("/api/v1/addresses/wards/99999/geojson/", 404, ""),
        ("/api/v1/addresses/wards/70/geojson/", 404, ""),  # a ward of Hà Nội
    ],
)
def test_bad_input_gets_a_clear_message_and_a_4xx(url: str, status: int, message: str) -> None:
    response = Client().get(url)
    assert response.status_code == status
    assert message in json.dumps(response.json(), ensure_ascii=False)


def test_the_wards_geojson_holds_places_and_no_personal_data() -> None:
    ward = make_ward()
    place = make_place(ward.officer)
    head = UserFactory.create(full_name="Lê Thị Hoa")
    services.create_household(officer=ward.officer, place=place, head=head)
    make_place(ward_officer(HOA_CUONG), ward_code=HOA_CUONG, point=(16.040, 108.218))
    response = Client().get(f"/api/v1/addresses/wards/{HAI_CHAU}/geojson/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in collection["features"]] == [place.code]
    feature = collection["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [TRAN_PHU[1], TRAN_PHU[0]]}
    text = response.content.decode()
    assert "Lê Thị Hoa" not in text and str(head.personal_id) not in text


def test_mine_answers_the_citizens_own_household_only() -> None:
    ward = make_ward()
    place = make_place(ward.officer)
    resident, stranger = UserFactory.create(), UserFactory.create()
    services.create_household(officer=ward.officer, place=place, head=resident)
    assert Client().get("/api/v1/addresses/mine/").status_code in {401, 403}
    mine = Client().get("/api/v1/addresses/mine/", **bearer(resident, "read"))
    assert mine.status_code == 200 and mine.json()["code"] == place.code
    theirs = Client().get("/api/v1/addresses/mine/", **bearer(stranger, "read"))
    assert theirs.status_code == 404


def test_the_nearest_in_a_dense_block_are_those_a_full_scan_would_give() -> None:
    ward = make_ward()
    places = [
        make_place(
            ward.officer,
            house_number=f"{row + 3}/{column + 3}",
            point=(TRAN_PHU[0] + row * 0.00006, TRAN_PHU[1] + column * 0.00006),
        )
        for row in range(-3, 4)
        for column in range(-3, 4)
    ]
    probe = (TRAN_PHU[0] + 0.00002, TRAN_PHU[1] - 0.00011)

    def distance(place: object) -> float:
        return plus_codes.distance_m(*probe, place.latitude, place.longitude)  # type: ignore[attr-defined]

    expected = sorted(places, key=lambda place: (distance(place), place.code))[:10]
    found = selectors.nearest(*probe, limit=10)
    assert [near.place for near in found] == expected
    assert [round(near.distance_m, 6) for near in found] == [
        round(distance(p), 6) for p in expected
    ]
