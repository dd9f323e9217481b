"""Bad input on the pages gets a clear message in Vietnamese (English when asked) and a 4xx,
with what was typed kept; never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.addresses import services
from motcua.addresses.errors import ImportRefused

from .factories import HAI_CHAU, make_place, make_ward

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("12AB34CD", "không phải là mã địa chỉ"),
        ("3632+QV8", "cần có tên phường/xã"),
        ("3632+QV8 Ba Đình", "không có phường/xã nào tên “Ba Đình”"),
        ("ZZ+ZZ Hải Châu", "không phải là plus code"),
    ],
)
def test_the_public_lookup_explains_a_bad_code(query: str, message: str) -> None:
    response = Client().get("/dia-chi/tra-cuu/", {"q": query})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and f'value="{query}"' in body


def test_the_public_lookup_finds_by_street_and_answers_in_english_when_asked() -> None:
    ward = make_ward()
    place = make_place(ward.officer)
    found = Client().get("/dia-chi/tra-cuu/", {"q": "tran phu"})
    assert found.status_code == 200 and place.code in found.content.decode()
    english = Client()
    english.cookies["django_language"] = "en"  # the language switch's choice
    answer = english.get("/dia-chi/tra-cuu/", {"q": "3632+QV8"})
    assert answer.status_code == 400
    assert "A short plus code needs the ward" in answer.content.decode()


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"latitude": "abc"}, "latitude", "Hãy ghi tọa độ bằng độ thập phân"),
        ({"latitude": "95"}, "latitude", "90"),
        ({"ward": "20257"}, "ward", "20257"),
        ({"street": ""}, "street", ""),
    ],
)
def test_the_officers_form_names_the_wrong_field(
    typed: dict[str, str], field: str, message: str
) -> None:
    ward = make_ward()
    client = Client()
    sign_in_with_second_factor(client, ward.officer)
    good = {
        "ward": str(HAI_CHAU),
        "street": "Trần Phú",
        "latitude": "16.0678",
        "longitude": "108.2208",
    }
    response = client.post("/can-bo/dia-chi/moi/", {**good, **typed})
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body and message in body


def test_a_household_with_an_unknown_citizen_id_is_refused_on_the_page() -> None:
    ward = make_ward()
    place = make_place(ward.officer)
    client = Client()
    sign_in_with_second_factor(client, ward.officer)
    response = client.post(
        f"/can-bo/dia-chi/{place.code}/ho-gia-dinh/", {"head": "048099999999", "members": "12"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Không có công dân nào có số định danh 048099999999" in body
    assert "“12” không phải là số định danh cá nhân 12 chữ số" in body
    assert client.get("/can-bo/dia-chi/4800099995/").status_code == 404


def test_a_file_without_the_required_columns_is_named_at_its_first_line() -> None:
    ward = make_ward()
    with pytest.raises(ImportRefused) as caught:
        services.import_places(officer=ward.officer, text="ward,street\n20242,Trần Phú\n")
    ((line, columns, message),) = caught.value.problems
    assert line == 1 and columns == "ward_code, latitude, longitude"
    assert "Dòng đầu tiên thiếu các cột này" in message
    with pytest.raises(ImportRefused) as empty:
        services.import_places(officer=ward.officer, text="ward_code,street,latitude,longitude\n")
    assert empty.value.problems == [(1, "", "Tệp không có địa điểm nào.")]
