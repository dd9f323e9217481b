"""The open-data pages, in Vietnamese first, without JavaScript: search, a dataset with its
preview and download, and the steward's pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.agencies.tests.factories import AgencyFactory
from motcua.opendata.models import ApiToken, Dataset

from .factories import ThemeFactory, csv_resource, dataset, steward

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CSV = "quan,so_ho_so\nHải Châu,120\nThanh Khê,80\n".encode()


@pytest.fixture
def portal(db: None) -> dict[str, Any]:
    agency = AgencyFactory.create(code="H17.10", name="Sở Tài chính")
    other = AgencyFactory.create(code="H17.11", name="Sở Xây dựng")
    AgencyFactory.create(code="H17.12", name="Sở Y tế")  # publishes nothing yet
    theme = ThemeFactory.create(name="kinh-te", title="Kinh tế")
    budget = dataset(
        agency, name="ngan-sach", title="Ngân sách thành phố", themes=[theme], tags=["tài chính"]
    )
    csv_resource(budget, CSV, "bang.csv")
    dataset(other, name="cong-trinh", title="Công trình xây dựng")
    dataset(agency, name="bi-mat", title="Dữ liệu nội bộ", private=True)
    return {"agency": agency, "other": other, "budget": budget}


def test_search_page_in_vietnamese_with_facets(client: Client, portal: dict[str, Any]) -> None:
    page = client.get("/du-lieu-mo/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Dữ liệu mở thành phố Đà Nẵng" in text
    assert "Tìm thấy 2 bộ dữ liệu" in text
    assert "2 trên 3 cơ quan công bố dữ liệu mở (67%)" in text
    assert "Dữ liệu nội bộ" not in text
    assert "Cơ quan" in text and "Chủ đề" in text and "Định dạng" in text and "Giấy phép" in text

    filtered = client.get("/du-lieu-mo/", {"organization": "h17-11"}).content.decode()
    assert "Công trình xây dựng" in filtered and "Ngân sách thành phố" not in filtered
    by_theme = client.get("/du-lieu-mo/", {"groups": "kinh-te", "q": "ngan sach"}).content.decode()
    assert "Ngân sách thành phố" in by_theme and "Tìm thấy 1 bộ dữ liệu" in by_theme
    assert client.get("/du-lieu-mo/", {"organization": 'x" OR'}).status_code == 200
    assert client.get("/du-lieu-mo/", {"page": "abc"}).status_code == 200


def test_dataset_page_previews_the_table_and_downloads_the_file(
    client: Client, portal: dict[str, Any]
) -> None:
    page = client.get("/du-lieu-mo/dataset/ngan-sach/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Xem trước: các dòng đầu" in text
    assert "<td>Hải Châu</td>" in text and "<td>120</td>" in text
    assert "package_show?id=ngan-sach" in text and "ckanapi.RemoteCKAN" in text
    assert "<script" not in text
    resource = portal["budget"].resources.get()
    download = client.get(f"/du-lieu-mo/dataset/ngan-sach/resource/{resource.pk}/download/bang.csv")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == CSV  # type: ignore[attr-defined]
    assert download["Content-Disposition"].startswith("attachment")
    resource.refresh_from_db()
    assert resource.download_count == 1
    assert Dataset.objects.get(name="ngan-sach").view_count == 1


def test_private_datasets_stay_private_on_the_pages(client: Client, portal: dict[str, Any]) -> None:
    assert client.get("/du-lieu-mo/dataset/bi-mat/").status_code == 404
    person = steward(portal["agency"])
    client.force_login(person)
    assert client.get("/du-lieu-mo/dataset/bi-mat/").status_code == 200


def test_a_steward_publishes_a_dataset_and_uploads_a_file(
    client: Client, portal: dict[str, Any]
) -> None:
    person = steward(portal["agency"])
    sign_in_with_second_factor(client, person)
    assert "Dữ liệu mở của tôi" in client.get("/du-lieu-mo/quan-ly/").content.decode()

    wrong = client.post("/du-lieu-mo/quan-ly/tao/", {"name": "Sai Tên", "title": ""})
    assert wrong.status_code == 400
    assert "Dùng từ 2 đến 100 chữ thường không dấu" in wrong.content.decode()

    created = client.post(
        "/du-lieu-mo/quan-ly/tao/",
        {
            "name": "diem-wifi",
            "title": "Điểm wifi công cộng",
            "owner_org": "H17.10",
            "license_id": "cc-by",
            "state": "active",
            "tags": "wifi, hạ tầng",
        },
    )
    assert created.status_code == 302, created.content.decode()
    wifi = Dataset.objects.get(name="diem-wifi")
    assert sorted(wifi.tags.values_list("name", flat=True)) == ["hạ tầng", "wifi"]

    upload = client.post(
        "/du-lieu-mo/quan-ly/diem-wifi/tai-len/",
        {
            "name": "Danh sách",
            "upload": SimpleUploadedFile("wifi.csv", b"diem,vi_do\nCau Rong,16.06\n"),
        },
    )
    assert upload.status_code == 302
    assert "<td>Cau Rong</td>" in client.get("/du-lieu-mo/dataset/diem-wifi/").content.decode()

    edited = client.post(
        "/du-lieu-mo/quan-ly/diem-wifi/sua/",
        {
            "name": "diem-wifi",
            "title": "Điểm wifi miễn phí",
            "owner_org": "H17.10",
            "license_id": "cc-by",
            "state": "active",
        },
    )
    assert edited.status_code == 302
    assert wifi.revisions.count() == 3


def test_a_steward_cannot_publish_for_another_agency_from_the_pages(
    client: Client, portal: dict[str, Any]
) -> None:
    person = steward(portal["other"])
    sign_in_with_second_factor(client, person)
    assert client.get("/du-lieu-mo/quan-ly/ngan-sach/sua/").status_code == 404
    assert client.get("/du-lieu-mo/quan-ly/ngan-sach/tai-len/").status_code == 404
    forged = client.post(
        "/du-lieu-mo/quan-ly/tao/",
        {
            "name": "gia-mao",
            "title": "Giả mạo",
            "owner_org": "H17.10",
            "license_id": "cc-by",
            "state": "active",
        },
    )
    assert forged.status_code == 400
    assert not Dataset.objects.filter(name="gia-mao").exists()


def test_steward_pages_need_a_steward(client: Client, portal: dict[str, Any]) -> None:
    assert client.get("/du-lieu-mo/quan-ly/").status_code == 302  # to sign in
    from motcua.accounts.models import AgencyMembership, OfficerRole
    from motcua.accounts.tests.factories import UserFactory

    receiver = UserFactory.create()
    AgencyMembership.objects.create(
        user=receiver, agency=portal["agency"], role=OfficerRole.RECEIVER
    )
    sign_in_with_second_factor(client, receiver)
    assert client.get("/du-lieu-mo/quan-ly/").status_code == 404


def test_a_token_is_shown_once_and_revoked(client: Client, portal: dict[str, Any]) -> None:
    person = steward(portal["agency"])
    sign_in_with_second_factor(client, person)
    client.post("/du-lieu-mo/quan-ly/tokens/", {"name": "Đồng bộ", "agency": "H17.10"})
    first = client.get("/du-lieu-mo/quan-ly/").content.decode()
    token = ApiToken.objects.get(user=person)
    assert "chỉ hiện một lần này" in first and token.prefix in first
    assert "chỉ hiện một lần này" not in client.get("/du-lieu-mo/quan-ly/").content.decode()
    client.post(f"/du-lieu-mo/quan-ly/tokens/{token.pk}/thu-hoi/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = client.post("/du-lieu-mo/quan-ly/tokens/", {"name": "x", "agency": "H17.11"})
    assert (
        refused.status_code == 302 and not ApiToken.objects.filter(agency=portal["other"]).exists()
    )


def test_a_json_resource_downloads_as_json(client: Client, portal: dict[str, Any]) -> None:
    from motcua.opendata import services
    from motcua.opendata.access import Actor

    resource = services.add_resource(
        actor=Actor(user=steward(portal["agency"])),
        dataset=portal["budget"],
        values={"name": "Bản đồ", "description": "", "format": "", "url": ""},
        upload=SimpleUploadedFile(
            "ban-do.geojson", b'{"type": "FeatureCollection", "features": []}'
        ),
    )
    assert resource.format == "GeoJSON"
    path = f"/du-lieu-mo/dataset/ngan-sach/resource/{resource.pk}/download/ban-do.geojson"
    answer = client.get(path)
    assert answer["Content-Type"] == "application/geo+json"
    assert 'filename="ban-do.geojson"' in answer["Content-Disposition"]


def test_a_steward_edits_the_data_dictionary_on_a_page(
    client: Client, portal: dict[str, Any]
) -> None:
    resource = portal["budget"].resources.get()
    outsider = steward(portal["other"])
    sign_in_with_second_factor(client, outsider)
    assert client.get(f"/du-lieu-mo/quan-ly/tai-nguyen/{resource.pk}/tu-dien/").status_code == 404

    client.logout()
    sign_in_with_second_factor(client, steward(portal["agency"]))
    page = client.get(f"/du-lieu-mo/quan-ly/tai-nguyen/{resource.pk}/tu-dien/")
    assert page.status_code == 200 and "Từ điển dữ liệu" in page.content.decode()
    saved = client.post(
        f"/du-lieu-mo/quan-ly/tai-nguyen/{resource.pk}/tu-dien/",
        {
            "c0-type": "text",
            "c0-label": "Quận",
            "c0-notes": "",
            "c0-unit": "",
            "c1-type": "int",
            "c1-label": "Số hồ sơ",
            "c1-notes": "",
            "c1-unit": "hồ sơ",
        },
    )
    assert saved.status_code == 302
    shown = client.get("/du-lieu-mo/dataset/ngan-sach/").content.decode()
    assert "Số hồ sơ (hồ sơ)" in shown


GEOJSON = (
    '{"type": "FeatureCollection", "features": ['
    '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [108.2208, 16.0678]},'
    ' "properties": {"ten": "Trạm sạc Hải Châu", "so_cong": 4}},'
    '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [108.19, 16.07]},'
    ' "properties": {"ten": "Trạm sạc Thanh Khê", "so_cong": 2}}]}'
).encode()


def test_a_numeric_column_is_drawn_as_bars_without_javascript(
    client: Client, portal: dict[str, Any]
) -> None:
    text = client.get("/du-lieu-mo/dataset/ngan-sach/").content.decode()
    assert '<svg role="img"' in text
    # Hải Châu 120 is the longest bar (360 wide), Thanh Khê 80 two thirds of it
    assert 'width="360.0"' in text and 'width="240.0"' in text
    assert ">Hải Châu</text>" in text and ">80</text>" in text


def test_a_geojson_resource_shows_its_features_in_a_table_and_on_a_map(
    client: Client, portal: dict[str, Any], settings: Any
) -> None:
    from motcua.opendata import services
    from motcua.opendata.access import Actor
    from motcua.opendata.models import Resource

    budget = portal["budget"]
    person = steward(portal["agency"])
    services.add_resource(
        actor=Actor(user=person),
        dataset=budget,
        values={"name": "tram-sac.geojson", "description": "", "format": "GeoJSON", "url": ""},
        upload=SimpleUploadedFile("tram-sac.geojson", GEOJSON, content_type="application/geo+json"),
    )
    resource = Resource.objects.get(format="GeoJSON")
    text = client.get("/du-lieu-mo/dataset/ngan-sach/").content.decode()
    assert "<td>Trạm sạc Thanh Khê</td>" in text and "<td>Point</td>" in text
    assert f'data-geojson="/du-lieu-mo/dataset/ngan-sach/resource/{resource.pk}/' in text
    assert "opendata/map.js" in text and "leaflet/leaflet.js" in text
    settings.MOTCUA_MAP_TILE_URL = ""
    without_tiles = client.get("/du-lieu-mo/dataset/ngan-sach/").content.decode()
    assert "<td>Trạm sạc Hải Châu</td>" in without_tiles and "<script" not in without_tiles


def test_the_front_page_shows_the_share_of_agencies_publishing(
    client: Client, portal: dict[str, Any]
) -> None:
    text = client.get("/").content.decode()
    assert "2 trên 3 cơ quan của thành phố công bố dữ liệu mở (67%" in text


def test_a_steward_uploads_through_the_page_with_its_csrf_check(
    portal: dict[str, Any], settings: Any
) -> None:
    # As a browser does: with the CSRF check on (the test client skips it by default). The
    # check read the upload before the view set its size limit, and every upload from a
    # browser answered 500.
    import re

    client = Client()
    sign_in_with_second_factor(client, steward(portal["agency"]))
    client.handler.enforce_csrf_checks = True
    page = client.get("/du-lieu-mo/quan-ly/ngan-sach/tai-len/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token is not None
    csv = b"quan,so_tien\nHai Chau,12\n"
    sent = client.post(
        "/du-lieu-mo/quan-ly/ngan-sach/tai-len/",
        {
            "name": "Chi ngân sách",
            "upload": SimpleUploadedFile("chi.csv", csv),
            "csrfmiddlewaretoken": token.group(1),
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:500]
    forged = client.post(
        "/du-lieu-mo/quan-ly/ngan-sach/tai-len/",
        {"name": "Giả", "upload": SimpleUploadedFile("gia.csv", csv)},
    )
    assert forged.status_code == 403
    settings.MOTCUA_OPENDATA_MAX_UPLOAD_BYTES = 10
    too_large = client.post(
        "/du-lieu-mo/quan-ly/ngan-sach/tai-len/",
        {
            "name": "Quá lớn",
            "upload": SimpleUploadedFile("lon.csv", csv * 50),
            "csrfmiddlewaretoken": token.group(1),
        },
    )
    assert too_large.status_code in {400, 413}
    assert "MB" in too_large.content.decode()
