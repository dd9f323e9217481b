"""Cached catalogue search: a change to the catalogue is visible in the very next search.

Each test runs with the cache on: once with a fresh in-memory cache (forced on) and once with the
real Redis server that production uses (the ``search_cache`` fixture of the root conftest).
Changes are committed for real (transactional tests), so the catalogue version changes when the
change commits, as in production.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from motcua.accounts.models import User
from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.agencies.models import Agency
from motcua.agencies.tests.factories import AgencyFactory
from motcua.catalog import cache as catalog_cache
from motcua.catalog import services
from motcua.catalog.models import Field, Procedure
from motcua.catalog.tests.factories import FieldFactory, catalogue, make_procedure, record

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

API = "/api/v1/procedures/"
PAGE = "/thu-tuc/"


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = User.objects.create_superuser("steward", "steward@example.vn", "a-long-passphrase-1")
    sign_in_with_second_factor(client, user)
    return client


def api_names(client: Client, **params: str) -> list[str]:
    response = client.get(API, params)
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def page_text(client: Client, **params: str) -> str:
    response = client.get(PAGE, params)
    assert response.status_code == 200
    return response.text


def queries_made(call: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_a_repeated_search_is_served_from_the_cache(client: Client, search_cache: str) -> None:
    make_procedure(code="1.001193", name="Đăng ký khai sinh")
    assert api_names(client, q="khai sinh") == ["Đăng ký khai sinh"]
    assert "Đăng ký khai sinh" in page_text(client, q="khai sinh")
    # Folded words in another order and spelling are the same search: no database at all.
    assert queries_made(lambda: api_names(client, q="SINH  khai")) == 0
    assert queries_made(lambda: page_text(client, q="khai sinh")) == 0


def test_an_edit_through_the_services_is_in_the_next_search(
    client: Client, search_cache: str
) -> None:
    procedure = make_procedure(code="1.001193", name="Đăng ký khai sinh")
    assert api_names(client, q="khai sinh") == ["Đăng ký khai sinh"]
    assert "Đăng ký khai sinh" in page_text(client, q="khai sinh")

    Procedure.objects.filter(pk=procedure.pk).update(name="Đăng ký khai sinh lưu động")
    procedure.refresh_from_db()
    services.record_version(procedure=procedure, actor=None, note="test")

    assert api_names(client, q="khai sinh") == ["Đăng ký khai sinh lưu động"]
    assert "Đăng ký khai sinh lưu động" in page_text(client, q="khai sinh")
    assert api_names(client, q="luu dong") == ["Đăng ký khai sinh lưu động"]


def test_withdrawing_and_publishing_are_in_the_next_search(
    client: Client, search_cache: str
) -> None:
    procedure = make_procedure(code="1.001193", name="Đăng ký khai sinh")
    assert api_names(client, q="khai sinh") == ["Đăng ký khai sinh"]

    services.set_status(procedure=procedure, status="draft", actor=None)
    assert api_names(client, q="khai sinh") == []
    assert "Đăng ký khai sinh" not in page_text(client, q="khai sinh")

    services.set_status(procedure=procedure, status="published", actor=None)
    assert api_names(client, q="khai sinh") == ["Đăng ký khai sinh"]
    assert "Đăng ký khai sinh" in page_text(client, q="khai sinh")


def test_an_import_is_in_the_next_search(client: Client, search_cache: str) -> None:
    AgencyFactory.create(code="H17.50.01")
    assert api_names(client, q="khai sinh") == []
    assert api_names(client) == []

    services.import_catalog(catalogue(record("1.001193")), actor=None)

    assert api_names(client, q="khai sinh") == ["Đăng ký khai sinh"]
    assert api_names(client) == ["Đăng ký khai sinh"]


def test_an_admin_edit_is_in_the_next_search(admin_client: Client, search_cache: str) -> None:
    procedure = make_procedure(code="1.001193", name="Đăng ký khai sinh")
    assert "Đăng ký khai sinh" in page_text(admin_client, q="khai sinh")
    assert api_names(admin_client, q="khai sinh") == ["Đăng ký khai sinh"]
    url = f"/admin/catalog/procedure/{procedure.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data: dict[str, Any] = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "name": "Đăng ký khai sinh cho trẻ em",
            "field": procedure.field.pk,
            "agencies": [a.pk for a in procedure.agencies.all()],
            "legal_basis": json.dumps(["Luật Hộ tịch"]),
            "cases-TOTAL_FORMS": "0",
            "cases-INITIAL_FORMS": "0",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        }
    )
    data.pop("search_vector", None)
    # Following the redirect shows (and so clears) the admin's "changed" message.
    response = admin_client.post(url, data, follow=True)
    assert response.redirect_chain[0][1] == 302

    assert "Đăng ký khai sinh cho trẻ em" in page_text(admin_client, q="khai sinh")
    assert api_names(admin_client, q="khai sinh") == ["Đăng ký khai sinh cho trẻ em"]


def test_renaming_a_field_in_the_admin_changes_results_and_filter_list(
    admin_client: Client, search_cache: str
) -> None:
    civil = FieldFactory.create(code="ho-tich", name="Hộ tịch")
    make_procedure(code="1.001193", name="Đăng ký khai sinh", field=civil)
    assert "Hộ tịch" in page_text(admin_client, q="khai sinh")
    assert api_names(admin_client, q="khai sinh", field="ho-tich") == ["Đăng ký khai sinh"]

    response = admin_client.post(
        f"/admin/catalog/field/{civil.pk}/change/",
        {"code": "ho-tich", "name": "Hộ tịch và chứng thực", "name_en": ""},
        follow=True,
    )
    assert response.redirect_chain[0][1] == 302

    text = page_text(admin_client, q="khai sinh")
    assert '<option value="ho-tich">Hộ tịch và chứng thực</option>' in text
    assert "<span>Hộ tịch và chứng thực</span>" in text
    body = admin_client.get(API, {"q": "khai sinh"}).json()
    assert body["results"][0]["field"]["name"] == "Hộ tịch và chứng thực"


def test_agency_changes_are_in_the_next_filter_list_and_search(
    client: Client, search_cache: str
) -> None:
    justice = AgencyFactory.create(code="H17.02", name="Sở Tư pháp")
    make_procedure(code="2.000488", name="Cấp Phiếu lý lịch tư pháp", agencies=[justice])
    assert '<option value="H17.02">Sở Tư pháp</option>' in page_text(client)
    assert api_names(client, agency="H17.02") == ["Cấp Phiếu lý lịch tư pháp"]

    justice.name = "Sở Tư pháp thành phố Đà Nẵng"
    justice.save()
    assert '<option value="H17.02">Sở Tư pháp thành phố Đà Nẵng</option>' in page_text(client)

    AgencyFactory.create(code="H17.99", name="Ban Quản lý thử nghiệm")
    assert '<option value="H17.99">Ban Quản lý thử nghiệm</option>' in page_text(client)

    Agency.objects.get(code="H17.99").delete()
    assert "Ban Quản lý thử nghiệm" not in page_text(client)


def test_chosen_filter_is_kept_selected_from_the_cached_list(
    client: Client, search_cache: str
) -> None:
    justice = AgencyFactory.create(code="H17.02", name="Sở Tư pháp")
    make_procedure(code="2.000488", name="Cấp Phiếu lý lịch tư pháp", agencies=[justice])
    page_text(client)  # fills the cached list with nothing chosen
    text = page_text(client, agency="H17.02", online_level="full")
    assert '<option value="H17.02" selected>Sở Tư pháp</option>' in text
    assert '<option value="full" selected>' in text
    assert '<option value="" selected>' in text  # the field list: "All fields"


def test_pages_sizes_and_languages_are_cached_apart(client: Client, search_cache: str) -> None:
    civil = FieldFactory.create(code="ho-tich", name="Hộ tịch", name_en="Civil status")
    for n in range(25):
        make_procedure(code=f"3.{n:06d}", name=f"Thủ tục số {n:02d}", field=civil)
    first = page_text(client, q="thu tuc")
    second = page_text(client, q="thu tuc", page="2")
    assert "Thủ tục số 00" in first and "Thủ tục số 00" not in second
    assert "Thủ tục số 24" in second and 'rel="prev"' in second
    assert len(api_names(client, q="thu tuc")) == 20
    assert api_names(client, q="thu tuc", page_size="2") == ["Thủ tục số 00", "Thủ tục số 01"]
    body = client.get(API, {"q": "thu tuc", "page_size": "2", "page": "2"}).json()
    assert body["next"] == "http://testserver/api/v1/procedures/?page=3&page_size=2&q=thu+tuc"
    assert body["previous"] == "http://testserver/api/v1/procedures/?page_size=2&q=thu+tuc"
    assert body["results"][0]["url"] == "http://testserver/api/v1/procedures/3.000002/"
    assert client.get(API, {"q": "thu tuc", "page": "99"}).status_code == 404

    assert "<span>Hộ tịch</span>" in first
    client.cookies["django_language"] = "en"
    english = page_text(client, q="thu tuc")
    assert "<span>Civil status</span>" in english
    assert "25 procedures found" in english


def test_the_version_changes_when_the_change_commits(search_cache: str) -> None:
    procedure = make_procedure(code="1.001193", name="Đăng ký khai sinh")
    before = catalog_cache.catalog_version()
    with transaction.atomic():
        services.record_version(procedure=procedure, actor=None, note="test")
        # A search now would still read the old catalogue: it must not be stored as the new.
        assert catalog_cache.catalog_version() == before
    assert catalog_cache.catalog_version() != before


def test_a_rolled_back_change_keeps_the_version(search_cache: str) -> None:
    procedure = make_procedure(code="1.001193", name="Đăng ký khai sinh")
    before = catalog_cache.catalog_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record_version(procedure=procedure, actor=None, note="test")
        raise RuntimeError("rolled back")
    assert catalog_cache.catalog_version() == before


def test_per_process_memory_cache_keeps_search_uncached(client: Client, settings: Any) -> None:
    # Without a shared cache one server process could not tell another of a change: no caching.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }
    assert not catalog_cache.enabled()
    procedure = make_procedure(code="1.001193", name="Đăng ký khai sinh")
    assert api_names(client, q="khai sinh") == ["Đăng ký khai sinh"]
    Procedure.objects.filter(pk=procedure.pk).update(status="draft")  # behind the services
    assert api_names(client, q="khai sinh") == []


def test_search_works_when_the_cache_server_is_down(client: Client, settings: Any) -> None:
    settings.MOTCUA_CATALOG_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens there
        }
    }
    make_procedure(code="1.001193", name="Đăng ký khai sinh")
    assert api_names(client, q="khai sinh") == ["Đăng ký khai sinh"]
    with translation.override("en"):
        assert "Đăng ký khai sinh" in page_text(client, q="khai sinh")


def test_field_list_is_read_from_the_database_without_a_cache(client: Client) -> None:
    Field.objects.create(code="dat-dai", name="Đất đai")
    assert '<option value="dat-dai">Đất đai</option>' in page_text(client)


def test_each_query_string_gets_its_own_page_back(client: Client, search_cache: str) -> None:
    make_procedure(code="1.001193", name="Đăng ký khai sinh")
    folded = page_text(client, q="dang ky khai sinh")
    accented = page_text(client, q="Đăng ký khai sinh")
    assert 'value="dang ky khai sinh"' in folded
    assert 'value="Đăng ký khai sinh"' in accented
    assert "Đăng ký khai sinh</a>" in folded and "Đăng ký khai sinh</a>" in accented
    # Bad input is never answered from the cache: it gets its 400 and keeps what was typed.
    refused = client.get(PAGE, {"q": "Đăng ký khai sinh", "online_level": "4"})
    assert refused.status_code == 400
    assert 'id="err-online_level"' in refused.text
    assert 'value="Đăng ký khai sinh"' in refused.text


def test_a_refused_filter_names_its_error_for_screen_readers(client: Client) -> None:
    response = client.get(PAGE, {"online_level": "4"})
    assert response.status_code == 400
    assert 'aria-describedby="id_online_level_error"' in response.text
    assert 'id="id_online_level_error"' in response.text
