"""A ward officer records places (typed coordinates, no map needed), is warned of look-alikes
before creating one, and imports CSV files whole or not at all."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.models import AgencyMembership
from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.addresses import services
from motcua.addresses.errors import ImportRefused, PossibleDuplicate
from motcua.addresses.models import Place, PlaceStatus
from motcua.agencies.tests.factories import AgencyFactory

from .factories import HAI_CHAU, HOA_CUONG, TRAN_PHU, make_place, make_ward, ward_officer

pytestmark = pytest.mark.django_db


def signed_in(officer: object) -> Client:
    client = Client()
    sign_in_with_second_factor(client, officer)  # type: ignore[arg-type]
    return client


def test_an_officer_records_a_place_by_typing_its_coordinates() -> None:
    ward = make_ward()
    client = signed_in(ward.officer)
    page = client.get("/can-bo/dia-chi/moi/")
    assert page.status_code == 200
    assert "Ghi nhận địa điểm" in page.content.decode()
    assert "leaflet/leaflet.js" in page.content.decode()  # the map, from a static file
    response = client.post(
        "/can-bo/dia-chi/moi/",
        {
            "ward": HAI_CHAU,
            "house_number": "24",
            "street": "Trần Phú",
            "latitude": "16,0678",  # a decimal comma, as typed on a Vietnamese keyboard
            "longitude": "108.2208",
        },
    )
    place = Place.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{place.code}/")
    assert (place.latitude, place.longitude) == TRAN_PHU
    assert place.plus_code in client.get(response["Location"]).content.decode()


def test_a_place_within_a_few_metres_is_flagged_before_creation() -> None:
    ward = make_ward()
    first = make_place(ward.officer)
    near = services.PlaceInput(
        ward_code=HAI_CHAU,
        street="Lê Lợi",
        house_number="2",
        latitude=16.06782,
        longitude=108.22081,
    )
    with pytest.raises(PossibleDuplicate) as caught:
        services.create_place(officer=ward.officer, data=near)
    assert caught.value.candidates == [first]
    assert "trong phạm vi 5 m" in str(caught.value)
    # 30 m away, another number: no warning.
    services.create_place(
        officer=ward.officer,
        data=services.PlaceInput(
            ward_code=HAI_CHAU,
            street="Lê Lợi",
            house_number="2",
            latitude=16.0681,
            longitude=108.2208,
        ),
    )


def test_the_same_street_text_without_diacritics_is_flagged() -> None:
    ward = make_ward()
    first = make_place(ward.officer, street="Trần Phú", house_number="24")
    far = services.PlaceInput(
        ward_code=HAI_CHAU,
        street="tran  phu",
        house_number="24",
        latitude=16.0600,
        longitude=108.2200,
    )
    assert services.near_duplicates(far) == [first]


def test_the_page_shows_the_look_alikes_and_creates_once_the_officer_goes_on() -> None:
    ward = make_ward()
    first = make_place(ward.officer)
    client = signed_in(ward.officer)
    typed = {
        "ward": HAI_CHAU,
        "house_number": "24A",
        "street": "Trần Phú",
        "latitude": "16.06781",
        "longitude": "108.22081",
    }
    response = client.post("/can-bo/dia-chi/moi/", typed)
    body = response.content.decode()
    assert response.status_code == 400
    assert first.code in body and 'value="24A"' in body  # what was typed is kept
    assert Place.objects.count() == 1
    response = client.post("/can-bo/dia-chi/moi/", {**typed, "create_anyway": "on"})
    assert response.status_code == 302 and Place.objects.count() == 2


def test_coordinates_outside_the_province_are_refused_with_a_message() -> None:
    ward = make_ward()
    client = signed_in(ward.officer)
    response = client.post(
        "/can-bo/dia-chi/moi/",
        {"ward": HAI_CHAU, "street": "Trần Phú", "latitude": "21.0285", "longitude": "105.8542"},
    )
    assert response.status_code == 400
    assert "nằm ngoài Thành phố Đà Nẵng" in response.content.decode()
    # Swapped coordinates, the commonest slip, are outside too.
    response = client.post(
        "/can-bo/dia-chi/moi/",
        {"ward": HAI_CHAU, "street": "Trần Phú", "latitude": "108.22", "longitude": "16.06"},
    )
    assert response.status_code == 400 and not Place.objects.exists()


def test_an_officer_may_only_choose_their_own_ward() -> None:
    ward = make_ward()
    client = signed_in(ward.officer)
    response = client.post(
        "/can-bo/dia-chi/moi/",
        {"ward": HOA_CUONG, "street": "Trần Phú", "latitude": "16.04", "longitude": "108.218"},
    )
    assert response.status_code == 400 and not Place.objects.exists()


def test_officer_pages_need_the_second_factor_and_a_ward() -> None:
    ward = make_ward()
    client = Client()
    client.force_login(ward.officer)
    assert client.get("/can-bo/dia-chi/")["Location"].startswith("/accounts/second-factor/")
    # An officer of a city department has no register of places.
    department = UserFactory.create()
    AgencyMembership.objects.create(
        user=department, agency=AgencyFactory.create(code="H17.02"), role="processor"
    )
    assert signed_in(department).get("/can-bo/dia-chi/").status_code == 404
    citizen = Client()
    citizen.force_login(UserFactory.create())
    assert citizen.get("/can-bo/dia-chi/").status_code in {302, 404}  # never the register


def test_an_officer_of_another_ward_does_not_see_this_wards_places() -> None:
    ward = make_ward()
    place = make_place(ward.officer)
    outsider = signed_in(ward_officer(HOA_CUONG))
    assert outsider.get(f"/can-bo/dia-chi/{place.code}/").status_code == 404
    listing = outsider.get("/can-bo/dia-chi/").content.decode()
    assert place.code not in listing
    confirm = outsider.post(
        f"/can-bo/dia-chi/{place.code}/xac-nhan/", {"latitude": "16.05", "longitude": "108.2"}
    )
    assert confirm.status_code == 404
    assert signed_in(ward.officer).get("/can-bo/dia-chi/").content.decode().count(place.code) >= 1


CSV_HEADER = (
    "ward_code,street,house_number,latitude,longitude,former_ward,vpostcode,national_code\n"
)


def test_a_clean_file_is_imported_whole_as_places_to_confirm() -> None:
    ward = make_ward()
    text = (
        CSV_HEADER
        + "20242,Trần Phú,10,16.0700,108.2210,Thạch Thang,,\n"
        + '20242,"Bạch Đằng",5,"16,0720",108.2240,,550003632QV8,4800000001\n'
    )
    created = services.import_places(officer=ward.officer, text=text)
    assert [p.status for p in created] == [PlaceStatus.PROPOSED] * 2
    assert created[0].former_ward_name == "Thạch Thang"
    assert created[1].identifiers.count() == 3


def test_one_bad_line_and_nothing_is_imported_each_problem_named_by_line_and_column() -> None:
    ward = make_ward()
    existing = make_place(ward.officer)
    text = (
        CSV_HEADER
        + "20242,Trần Phú,10,16.0700,108.2210,,,\n"  # line 2: good
        + "20242,Trần Phú,10,16.0710,108.2230,,,\n"  # line 3: same as line 2
        + "20242,Lê Lợi,1,abc,108.2210,,,\n"  # line 4: latitude
        + "99999,Lê Lợi,2,16.07,108.22,,,\n"  # line 5: unknown ward
        + "20242,Lê Lợi,3,21.03,105.85,,,\n"  # line 6: Hà Nội
        + "20242,Lê Lợi,4,16.0750,108.2250,,12345,\n"  # line 7: Vpostcode
        + "20257,Lê Lợi,5,16.0400,108.2180,,,\n"  # line 8: another ward
        + "20242,Trần Phú,24,16.0600,108.2100,,,\n"  # line 9: already recorded
        + "20242,,6,16.0760,108.2260,,,\n"  # line 10: no street
    )
    with pytest.raises(ImportRefused) as caught:
        services.import_places(officer=ward.officer, text=text)
    problems = {(line, column) for line, column, _message in caught.value.problems}
    assert problems == {
        (3, "street"),
        (4, "latitude"),
        (5, "ward_code"),
        (6, "latitude"),
        (7, "vpostcode"),
        (8, "ward_code"),
        (9, "street"),
        (10, "street"),
    }
    messages = dict(((line, column), message) for line, column, message in caught.value.problems)
    assert "dòng 2" in messages[(3, "street")]
    assert existing.code in messages[(9, "street")]
    assert Place.objects.count() == 1


def test_the_import_page_reports_each_line_and_keeps_nothing() -> None:
    ward = make_ward()
    client = signed_in(ward.officer)
    upload = SimpleUploadedFile(
        "dia-chi.csv", (CSV_HEADER + "20242,Lê Lợi,1,abc,108.2210,,,\n").encode(), "text/csv"
    )
    response = client.post("/can-bo/dia-chi/nhap-tep/", {"file": upload})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Chưa nhập địa điểm nào" in body and "<td>2</td><td>latitude</td>" in body
    latin = SimpleUploadedFile("x.csv", "ward_code;Trân".encode("latin-1"), "text/csv")
    response = client.post("/can-bo/dia-chi/nhap-tep/", {"file": latin})
    assert response.status_code == 400 and "UTF-8" in response.content.decode()
    assert not Place.objects.exists()


def test_confirming_on_the_map_moves_the_point_and_keeps_the_old_one_in_history() -> None:
    ward = make_ward()
    services.import_places(
        officer=ward.officer, text=CSV_HEADER + "20242,Trần Phú,10,16.0700,108.2210,,,\n"
    )
    place = Place.objects.get()
    client = signed_in(ward.officer)
    response = client.post(
        f"/can-bo/dia-chi/{place.code}/xac-nhan/",
        {"latitude": "16.07005", "longitude": "108.22105", "reason": "Cổng chính"},
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.status == PlaceStatus.CONFIRMED and place.latitude == 16.07005
    first, last = place.events.order_by("version")
    assert first.snapshot["latitude"] == 16.07 and last.snapshot["latitude"] == 16.07005
    assert last.action == "confirmed" and last.reason == "Cổng chính"
