"""Public catalogue pages, as a visitor without JavaScript sees them."""

import pytest
from django.test import Client

from motcua.agencies.tests.factories import AgencyFactory
from motcua.catalog.tests.factories import FieldFactory, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> None:
    civil = FieldFactory.create(code="ho-tich", name="Hộ tịch")
    land = FieldFactory.create(code="dat-dai", name="Đất đai")
    justice = AgencyFactory.create(code="H17.02", name="Sở Tư pháp")
    make_procedure(code="1.001193", name="Đăng ký khai sinh", field=civil, agency_level="ward")
    make_procedure(
        code="2.000488",
        name="Cấp Phiếu lý lịch tư pháp",
        field=civil,
        agencies=[justice],
        online_level="partial",
    )
    make_procedure(code="1.004227", name="Đăng ký đất đai lần đầu", field=land)


def test_catalogue_lists_published_procedures(client: Client, catalogue: None) -> None:
    response = client.get("/thu-tuc/")
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in response.text
    assert "Đăng ký đất đai lần đầu" in response.text


def test_search_without_diacritics(client: Client, catalogue: None) -> None:
    response = client.get("/thu-tuc/", {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in response.text
    assert "Đăng ký đất đai" not in response.text


@pytest.mark.parametrize(
    "params, shown, hidden",
    [
        ({"field": "dat-dai"}, "Đăng ký đất đai", "Đăng ký khai sinh"),
        ({"agency": "H17.02"}, "lý lịch tư pháp", "Đăng ký khai sinh"),
        ({"agency_level": "ward"}, "Đăng ký khai sinh", "lý lịch tư pháp"),
        ({"online_level": "partial"}, "lý lịch tư pháp", "Đăng ký khai sinh"),
        ({"applicant_type": "business"}, "Không tìm thấy", "Đăng ký khai sinh"),
    ],
)
def test_filters(client: Client, catalogue: None, params: dict, shown: str, hidden: str) -> None:
    response = client.get("/thu-tuc/", params, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert shown in response.text
    assert hidden not in response.text


@pytest.mark.parametrize(
    "params, field",
    [
        ({"field": "khong-ton-tai"}, "field"),
        ({"agency_level": "province"}, "agency_level"),
        ({"online_level": "4"}, "online_level"),
        ({"page": "abc"}, "page"),
        ({"q": "x" * 10_000}, "q"),
    ],
)
def test_bad_filters_get_400_naming_the_parameter_and_keep_input(
    client: Client, catalogue: None, params: dict[str, str], field: str
) -> None:
    response = client.get("/thu-tuc/", {**params, "q": params.get("q", "giữ nguyên")})
    assert response.status_code == 400
    assert f'id="err-{field}"' in response.text
    if field != "q":
        assert 'value="giữ nguyên"' in response.text


def test_pagination(client: Client) -> None:
    field = FieldFactory.create(code="ho-tich")
    for n in range(25):
        make_procedure(code=f"3.{n:06d}", name=f"Thủ tục số {n:02d}", field=field)
    first = client.get("/thu-tuc/", {"q": "thu tuc"})
    assert "Thủ tục số 19" in first.text and "Thủ tục số 20" not in first.text
    assert 'rel="next"' in first.text
    second = client.get("/thu-tuc/", {"q": "thu tuc", "page": "2"})
    assert "Thủ tục số 24" in second.text and "Thủ tục số 00" not in second.text


def test_procedure_page_shows_what_a_citizen_needs(client: Client, catalogue: None) -> None:
    response = client.get("/thu-tuc/1.001193/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    text = response.text
    for expected in (
        "Đăng ký khai sinh",
        "1.001193",
        "Giấy xác nhận",
        "Thời hạn giải quyết",
        "3 ngày làm việc",
        "Miễn phí",
        "Họ và tên",
    ):
        assert expected in text, expected


def test_unknown_or_draft_procedure_is_404(client: Client, catalogue: None) -> None:
    make_procedure(code="1.000001", name="Nháp", status="draft")
    assert client.get("/thu-tuc/9.999999/").status_code == 404
    response = client.get("/thu-tuc/1.000001/")
    assert response.status_code == 404
    assert "<h1>" in response.text


def test_english_switch(client: Client, catalogue: None) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/"}, secure=True)
    assert response.status_code == 302
    page = client.get("/thu-tuc/", secure=True)
    assert "Procedure catalogue" in page.text
    assert page.headers["Content-Language"] == "en"
    default = Client().get("/thu-tuc/")
    assert "Danh mục thủ tục" in default.text


def test_filing_online_checks_the_identity_level(client: Client) -> None:
    from motcua.accounts.tests.factories import UserFactory

    make_procedure(code="2.000488", name="Cấp Phiếu lý lịch tư pháp", required_assurance_level=2)
    make_procedure(code="1.001193", name="Đăng ký khai sinh")
    url = "/thu-tuc/2.000488/nop-truc-tuyen/"
    assert client.get(url).status_code == 302  # sign in first

    client.force_login(UserFactory.create(assurance_level=1))
    refused = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403
    assert "mức độ 2" in refused.text.lower()
    assert client.get("/thu-tuc/1.001193/nop-truc-tuyen/").status_code == 200

    client.force_login(UserFactory.create(assurance_level=2))
    assert client.get(url).status_code == 200


def test_business_procedures_need_a_business(client: Client) -> None:
    from motcua.accounts.tests.factories import MembershipFactory

    make_procedure(code="2.000575", name="Đăng ký hộ kinh doanh", applicant_type="business")
    membership = MembershipFactory.create()
    client.force_login(membership.user)
    url = "/thu-tuc/2.000575/nop-truc-tuyen/"
    assert client.get(url).status_code == 403
    client.post(f"/accounts/businesses/{membership.business.pk}/act/")
    assert client.get(url).status_code == 200
