import pytest
from django.db import connection
from django.test import Client

from motcua.catalog.tests.factories import FieldFactory, make_procedure

pytestmark = pytest.mark.django_db


def test_home_has_search_and_fields(client: Client) -> None:
    make_procedure(name="Đăng ký khai sinh", field=FieldFactory.create(name="Hộ tịch"))
    response = client.get("/")
    assert response.status_code == 200
    assert 'role="search"' in response.text
    assert "Hộ tịch" in response.text
    assert '<html lang="vi">' in response.text
    assert 'name="viewport"' in response.text


def test_home_leads_to_each_kind_of_service_it_offers(client: Client) -> None:
    make_procedure(code="1.000001", service_kind="administrative")
    make_procedure(code="1.000002", service_kind="public_service")
    make_procedure(code="1.000003", service_kind="public_service")
    response = client.get("/")
    assert 'href="/thu-tuc/?service_kind=public_service">Dịch vụ sự nghiệp công</a>' in (
        response.text
    )
    assert 'href="/thu-tuc/?service_kind=administrative">' in response.text
    assert "service_kind=party" not in response.text  # none published: no empty tile
    assert "2 thủ tục" in response.text


def test_healthz_checks_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}


def test_healthz_reports_a_broken_database(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_unknown_page_is_a_translated_404(client: Client) -> None:
    response = client.get("/khong-co-trang-nay/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text


def test_load_demo_command() -> None:
    from django.core.management import call_command

    from motcua.catalog.models import Procedure

    call_command("load_demo")
    assert Procedure.objects.published().count() >= 40


def test_pages_are_vietnamese_unless_english_was_chosen(client: Client) -> None:
    english_browser = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in english_browser.text
    client.cookies["django_language"] = "en"
    chosen = client.get("/")
    assert '<html lang="en">' in chosen.text
    client.cookies["django_language"] = "xx"
    assert '<html lang="vi">' in client.get("/").text


def test_api_honours_accept_language(client: Client) -> None:
    vietnamese = client.get("/api/v1/procedures/9.999999/", HTTP_ACCEPT_LANGUAGE="vi")
    english = client.get("/api/v1/procedures/9.999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "Not found."
    assert vietnamese.json()["detail"] != english.json()["detail"]


def test_stylesheet_is_found() -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("motcua/site.css")
