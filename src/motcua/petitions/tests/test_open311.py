"""Open311 GeoReport v2, read with an existing client (the ``georeport`` package from PyPI,
in JSON and in XML) and written with POSTs as the spec describes them (that client has no
POST: no Python 3 Open311 client package with one installs; ``three`` and ``open311`` are
Python 2 only)."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from django.test import Client
from georeport import GeoReport

from motcua.petitions.models import Report
from motcua.petitions.services import create_api_key

from .factories import file_report, topic

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def endpoint(live_server: Any) -> str:
    return f"{live_server.url}/open311/v2/"


def test_round_trip_with_the_georeport_client_in_json_and_xml(endpoint: str) -> None:
    the_topic = topic("ha-tang-do-thi")
    _, key = create_api_key(name="Ứng dụng thử")
    for fmt in ("json", "xml"):
        client = GeoReport(endpoint, output_format=fmt)
        services = client.get_service_list()
        rows = services if isinstance(services, list) else [services]
        assert [s["service_code"] for s in rows] == ["ha-tang-do-thi"]
        definition = client.get_service_definition("ha-tang-do-thi")
        assert definition["service_code"] == "ha-tang-do-thi"
    posted = requests.post(
        f"{endpoint}requests.json",
        data={
            "api_key": key,
            "service_code": the_topic.code,
            "lat": "16.0678",
            "long": "108.2208",
            "description": "Đèn đường tắt cả tuần",
            "first_name": "Hoa",
            "last_name": "Lê",
            "phone": "0905111222",
            "email": "hoa@example.vn",
            "attribute[subject]": "place",
        },
        timeout=10,
    )
    assert posted.status_code == 201, posted.text
    answer = posted.json()[0]
    code, token = answer["service_request_id"], answer["token"]
    assert set(answer) == {"service_request_id", "token", "service_notice", "account_id"}
    for fmt in ("json", "xml"):
        client = GeoReport(endpoint, output_format=fmt)
        one = client.get_service_request(code)
        assert one["service_request_id"] == code and one["status"] == "open"
        assert one["description"] == "Đèn đường tắt cả tuần"
        assert float(one["lat"]) == 16.0678
        listed = client.get_service_requests(service_code=the_topic.code, status="open")
        listed = listed if isinstance(listed, list) else [listed]
        assert code in [r["service_request_id"] for r in listed]
        for row in [one, *listed]:
            flat = repr(row)
            assert "0905111222" not in flat and "hoa@example.vn" not in flat and "Hoa" not in flat
    tokens = requests.get(f"{endpoint}tokens/{token}.json", timeout=10).json()
    assert tokens == [{"service_request_id": code, "token": token}]
    xml = requests.get(f"{endpoint}tokens/{token}.xml", timeout=10)
    assert xml.headers["Content-Type"].startswith("text/xml")
    assert xml.text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    report = Report.objects.get(code=code)
    assert report.channel == "open311" and report.phone == "0905111222"


def test_bad_posts_get_the_specs_errors() -> None:
    the_topic = topic()
    _, key = create_api_key(name="Ứng dụng")
    client = Client()
    base = {"api_key": key, "service_code": the_topic.code, "lat": "16.0678", "long": "108.2208"}
    cases = [
        ({**base, "api_key": "nope"}, 403),
        ({**base, "service_code": "khong-co"}, 400),
        ({k: v for k, v in base.items() if k not in ("lat", "long")} | {"description": "x"}, 400),
        ({**base, "description": ""}, 400),
        ({**base, "description": "x", "lat": "21.0285", "long": "105.8542"}, 400),
        ({**base, "description": "x", "lat": "abc"}, 400),
    ]
    for data, status in cases:
        response = client.post("/open311/v2/requests.json", data)
        assert response.status_code == status, (data, response.content)
        error = response.json()[0]
        assert error["code"] == status and error["description"]
    xml = client.post("/open311/v2/requests.xml", {**base, "service_code": "khong-co"})
    assert xml.status_code == 400 and b"<errors><error><code>400</code>" in xml.content
    assert not Report.objects.exists()
    assert client.get("/open311/v2/services/khong-co.json").status_code == 404
    assert client.get("/open311/v2/services.yaml").status_code == 404
    assert client.get("/open311/v2/requests.json", {"start_date": "hôm qua"}).status_code == 400


def test_anonymous_reports_never_show_a_phone_number_in_open311() -> None:
    report = file_report(phone="0935000111", name_public=False)
    body = Client().get("/open311/v2/requests.json").content.decode()
    assert report.code in body and "0935000111" not in body
    body = Client().get("/open311/v2/requests.xml").content.decode()
    assert report.code in body and "0935000111" not in body


def test_a_key_made_by_the_command_works_once_switched_off_it_does_not() -> None:
    from io import StringIO

    from django.core.management import call_command

    from motcua.petitions.models import ApiKey
    from motcua.petitions.services import check_api_key

    out = StringIO()
    call_command("open311_key", "Ứng dụng phường", stdout=out)
    key = out.getvalue().strip()
    found = check_api_key(key)
    assert found is not None and found.name == "Ứng dụng phường"
    assert key not in str(ApiKey.objects.values_list("key_hash", flat=True)[0])
    assert check_api_key(key[:-1] + ("x" if key[-1] != "x" else "y")) is None
    ApiKey.objects.update(active=False)
    assert check_api_key(key) is None
