"""The home page and procedure pages are rendered once per catalogue version and language.

With the cache on (in memory and on the real Redis, the ``search_cache`` fixture), a repeated
page reads nothing of the catalogue from the database, and any change to what it shows is on the
very next page. What is not the catalogue's (the listening panel, the sign-in menu, the CSRF
token) is still made for each request.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import User
from motcua.catalog import services
from motcua.catalog.models import Component, Procedure
from motcua.catalog.tests.factories import make_procedure
from motcua.listen.models import ProcedureAudio
from motcua.listen.services import latest_published_version

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGE = "/thu-tuc/1.001193/"
CATALOGUE_TABLES = ("catalog_procedure", "catalog_procedurecase", "catalog_component", "agencies")


def catalogue_reads(client: Client, path: str) -> list[str]:
    """The SQL of the catalogue queries that showing ``path`` made."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return [
        query["sql"]
        for query in queries.captured_queries
        if any(f'"{table}' in query["sql"] for table in CATALOGUE_TABLES)
    ]


@pytest.fixture
def procedure() -> Procedure:
    procedure = make_procedure(code="1.001193", name="Đăng ký khai sinh")
    Component.objects.create(
        case=procedure.cases.get(), position=0, name="Tờ khai đăng ký khai sinh", mandatory=True
    )
    services.record_version(procedure=procedure, actor=None, note="test")
    return procedure


def test_a_repeated_procedure_page_reads_no_catalogue(
    client: Client, search_cache: str, procedure: Procedure
) -> None:
    first = client.get(PAGE).text
    assert "Tờ khai đăng ký khai sinh" in first
    assert catalogue_reads(client, PAGE) == []
    with CaptureQueriesContext(connection) as queries:
        client.get(PAGE)
    assert len(queries) == 0  # the listening panel's state is cached with the catalogue too
    again = client.get(PAGE).text
    assert "Tờ khai đăng ký khai sinh" in again
    assert "<title>Đăng ký khai sinh · Motcua Đà Nẵng</title>" in again


def test_a_changed_component_is_on_the_next_procedure_page(
    client: Client, search_cache: str, procedure: Procedure
) -> None:
    assert "Tờ khai đăng ký khai sinh" in client.get(PAGE).text
    Component.objects.filter(case__procedure=procedure).update(name="Tờ khai (mẫu mới)")
    services.record_version(procedure=procedure, actor=None, note="test")
    page = client.get(PAGE).text
    assert "Tờ khai (mẫu mới)" in page
    assert "Tờ khai đăng ký khai sinh" not in page


def test_a_withdrawn_procedure_page_is_gone_at_once(
    client: Client, search_cache: str, procedure: Procedure
) -> None:
    assert client.get(PAGE).status_code == 200
    services.set_status(procedure=procedure, status="draft", actor=None)
    assert client.get(PAGE).status_code == 404
    services.set_status(procedure=procedure, status="published", actor=None)
    assert client.get(PAGE).status_code == 200


def test_an_unknown_procedure_is_not_kept_as_missing(client: Client, search_cache: str) -> None:
    assert client.get(PAGE).status_code == 404
    make_procedure(code="1.001193", name="Đăng ký khai sinh")
    assert client.get(PAGE).status_code == 200


def test_languages_are_kept_apart(client: Client, search_cache: str, procedure: Procedure) -> None:
    assert "Thành phần hồ sơ" in client.get(PAGE).text
    client.cookies["django_language"] = "en"
    english = client.get(PAGE).text
    assert "Documents to provide" in english
    assert "Thành phần hồ sơ" not in english


def test_the_listening_panel_follows_its_recording_not_the_cached_page(
    client: Client, search_cache: str, procedure: Procedure
) -> None:
    assert "Chưa có bản ghi âm bằng giọng này" in client.get(PAGE).text
    version = latest_published_version(procedure)
    assert version is not None
    recording = ProcedureAudio.objects.create(version=version, voice="north")  # asked
    assert "Bản ghi âm đang được chuẩn bị" in client.get(PAGE).text
    recording.failure = "espeak-ng failed"
    recording.save()
    assert "Chưa tạo được bản ghi âm" in client.get(PAGE).text
    recording.delete()
    assert "Chưa có bản ghi âm bằng giọng này" in client.get(PAGE).text


def test_each_visitor_gets_their_own_menu_and_token(
    client: Client, search_cache: str, procedure: Procedure
) -> None:
    anonymous = client.get(PAGE).text
    assert "Đăng nhập" in anonymous
    citizen = User.objects.create_user("citizen", password="a-long-passphrase-1")
    other = Client(enforce_csrf_checks=True)
    other.force_login(citizen)
    signed_in = other.get(PAGE)
    assert "Tài khoản của tôi" in signed_in.text
    # The listening form posts with this visitor's own token and is accepted.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', signed_in.text)
    assert token is not None
    listen = other.post(
        "/thu-tuc/1.001193/nghe/", {"voice": "north", "csrfmiddlewaretoken": token.group(1)}
    )
    assert listen.status_code in (200, 302, 303)


def test_a_repeated_home_page_reads_no_catalogue(client: Client, search_cache: str) -> None:
    make_procedure(code="1.001193", name="Đăng ký khai sinh")
    assert "1 thủ tục" in client.get("/").text
    assert catalogue_reads(client, "/") == []
    make_procedure(code="1.001194", name="Đăng ký kết hôn")
    assert "2 thủ tục" in client.get("/").text
