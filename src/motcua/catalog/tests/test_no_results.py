"""A search that finds nothing says where else to look: close procedures, the national portal."""

import pytest
from django.test import Client

from motcua.catalog.tests.factories import FieldFactory, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> None:
    civil = FieldFactory.create(code="ho-tich", name="Hộ tịch")
    make_procedure(code="1.001193", name="Đăng ký khai sinh", field=civil)
    make_procedure(code="1.000894", name="Đăng ký kết hôn", field=civil)
    make_procedure(
        code="1.009972", name="Cấp giấy phép xây dựng", field=FieldFactory.create(name="Xây dựng")
    )


def test_no_result_suggests_procedures_holding_one_of_the_words(
    client: Client, catalogue: None
) -> None:
    # No procedure holds every word ("khai sinh" and "nước ngoài"): those holding some do.
    response = client.get("/thu-tuc/", {"q": "khai sinh cho người nước ngoài"})
    assert response.status_code == 200
    text = response.text
    assert "0 thủ tục" in text
    assert "Tìm ở đâu khác" in text
    assert "Thủ tục gần giống:" in text
    assert 'href="/thu-tuc/1.001193/">Đăng ký khai sinh</a>' in text
    assert "Cấp giấy phép xây dựng" not in text
    assert 'href="https://dichvucong.gov.vn"' in text
    assert 'href="/ho-tro/"' in text


def test_no_result_in_a_field_suggests_that_field(client: Client, catalogue: None) -> None:
    text = client.get("/thu-tuc/", {"q": "zzz", "field": "ho-tich"}).text
    assert "Đăng ký khai sinh" in text and "Đăng ký kết hôn" in text
    assert "Cấp giấy phép xây dựng" not in text
    assert "https://dichvucong.gov.vn" in text


def test_nothing_close_still_points_to_the_national_portal(client: Client, catalogue: None) -> None:
    text = client.get("/thu-tuc/", {"q": "qqqq"}).text
    assert "Thủ tục gần giống:" not in text
    assert "Cổng Dịch vụ công quốc gia" in text


def test_a_search_with_results_shows_no_suggestions(client: Client, catalogue: None) -> None:
    text = client.get("/thu-tuc/", {"q": "khai sinh"}).text
    assert "Tìm ở đâu khác" not in text


def test_words_side_by_side_rank_first(client: Client, catalogue: None) -> None:
    make_procedure(code="2.000001", name="Cấp nước sạch sinh hoạt")
    text = client.get("/thu-tuc/", {"q": "khai sinh nước ngoài xyz"}).text
    suggestions = text.split("Thủ tục gần giống:")[1]
    # "khai sinh" side by side beats "sinh" and "nước" apart.
    assert suggestions.index("Đăng ký khai sinh") < suggestions.index("Cấp nước sạch sinh hoạt")
