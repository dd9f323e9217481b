"""National databases through connectors on the plugin registry: X-Road-style signed HTTP +
JSON to the sandbox stand-in; a component the agency fetches is never asked of the citizen;
a database that is down falls back to asking the citizen, saying why."""

from __future__ import annotations

import datetime
import json
import threading
from collections.abc import Iterator
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import requests
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler

from motcua.accounts.models import User
from motcua.catalog import services as catalog_services
from motcua.catalog.models import Component
from motcua.dossiers import checklist
from motcua.dossiers import services as dossier_services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier
from motcua.personalstore import services
from motcua.personalstore.connectors import xroad
from motcua.personalstore.connectors.base import (
    Subject,
    for_document_type,
    national_databases,
    sandbox_key,
)
from motcua.personalstore.models import (
    AgencyFetch,
    FetchOutcome,
    Purpose,
    Read,
    Reuse,
    Source,
    StoredDocument,
)
from motcua.plugins import UnknownPlugin, check_selected

from .conftest import StoreWorld, client_for, later_draft

PERSONAL_ID = "048090001234"


@pytest.fixture(autouse=True)
def _fresh_health() -> None:
    # each test asks the databases' health afresh (the answer is kept a minute)
    cache.delete_many(
        [f"personalstore:national:{plugin.identifier}:health" for plugin in national_databases]
    )


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def stand_in() -> Iterator[str]:
    """The platform served over real HTTP on a free port, for the sandbox stand-in only (its
    view reads no database, so no transactional test is needed)."""
    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def sandbox(settings: Any, stand_in: str) -> str:
    settings.MOTCUA_SANDBOX_ENABLED = True
    settings.MOTCUA_NATIONAL_DATABASES = {}
    settings.MOTCUA_NATIONAL_SANDBOX_URL = f"{stand_in}/sandbox/csdl-quoc-gia"
    return str(settings.MOTCUA_NATIONAL_SANDBOX_URL)


@pytest.fixture
def down(settings: Any) -> None:
    settings.MOTCUA_SANDBOX_ENABLED = True
    settings.MOTCUA_NATIONAL_DATABASES = {}
    settings.MOTCUA_NATIONAL_SANDBOX_URL = "http://127.0.0.1:9/sandbox"  # nothing listens


def _fetched_component(sw: StoreWorld) -> None:
    """The later procedure's residence confirmation (position 2) is fetched by the agency."""
    case = sw.later.cases.get()
    Component.objects.create(
        case=case,
        position=2,
        name="Giấy xác nhận thông tin về cư trú",
        mandatory=True,
        document_type="GIAY_XN_CU_TRU",
        fetched_by_agency=True,
    )
    catalog_services.record_version(procedure=sw.later, actor=None, note="fetched")


def _filed_without_it(sw: StoreWorld, stored: StoredDocument) -> Dossier:
    applicant: User = sw.world.applicant
    applicant.personal_id = PERSONAL_ID
    applicant.save()
    draft = later_draft(sw)
    services.use_in_draft(user=applicant, draft=draft, component_position=0, document=stored)
    return dossier_services.submit(draft=draft, user=applicant, form_errors={})


def test_signed_headers_round_trip_and_refuse_tampering() -> None:
    key = b"k" * 32
    headers = xroad.sign(
        key_id="VN/GOV/X/motcua",
        key=key,
        method="POST",
        path="/p",
        headers={"X-Road-Client": "VN/GOV/X/motcua", "X-Road-Service": "s", "X-Road-Id": "1"},
        body=b"{}",
    )
    xroad.verify(key=key, method="POST", path="/p", headers=headers, body=b"{}")
    for kwargs in (
        {"body": b'{"a":1}'},
        {"key": b"other"},
        {"path": "/q"},
        {"headers": {**headers, "X-Road-Service": "other"}},
        {"now": datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)},
        {"headers": {k: v for k, v in headers.items() if k != "X-Road-Client"}},
    ):
        arguments: dict[str, Any] = {
            "key": key,
            "method": "POST",
            "path": "/p",
            "headers": headers,
            "body": b"{}",
            **kwargs,
        }
        with pytest.raises(xroad.BadSignature):
            xroad.verify(**arguments)


def test_the_sandbox_answers_only_signed_requests(sandbox: str, db: None) -> None:
    unsigned = requests.post(
        f"{sandbox}/population/congdan", json={"personal_id": PERSONAL_ID}, timeout=5
    )
    assert unsigned.status_code == 401
    connector = for_document_type("CCCD")
    assert connector is not None and connector.is_sandbox
    record = connector.fetch(
        document_type="CCCD", subject=Subject(personal_id=PERSONAL_ID, issue="X")
    )
    assert record.number == PERSONAL_ID and "SANDBOX" in record.issuer
    assert json.loads(record.raw)["sandbox"] is True
    assert record.headers["X-Road-Id"] == record.exchange_id
    # another key is refused by the stand-in
    path = "/sandbox/csdl-quoc-gia/population/congdan"
    forged = xroad.sign(
        key_id="x",
        key=b"not-the-key",
        method="POST",
        path=path,
        headers={"X-Road-Client": "c", "X-Road-Service": "s/congdan/v1", "X-Road-Id": "1"},
        body=b"{}",
    )
    refused = requests.post(f"{sandbox}/population/congdan", data=b"{}", headers=forged, timeout=5)
    assert refused.status_code == 401
    assert sandbox_key() != b"not-the-key"


def test_the_sandbox_is_refused_while_switched_off(settings: Any) -> None:
    settings.MOTCUA_SANDBOX_ENABLED = False
    settings.MOTCUA_NATIONAL_DATABASES = {}
    connector = for_document_type("CCCD")  # the national one is chosen: not configured
    assert connector is not None and not connector.is_sandbox
    assert "MOTCUA_NATIONAL_DATA_URL is empty" in connector.unreachable()
    with pytest.raises(UnknownPlugin):
        national_databases.usable("population-sandbox")
    report = {r.use: r for r in check_selected() if r.kind == "national_database"}
    assert report["population"].identifier == "population"
    assert "MOTCUA_NATIONAL_DATA_URL is empty" in report["population"].problems
    assert "population-sandbox" in national_databases


def test_the_agency_fetches_with_one_click_what_the_citizen_is_never_asked(
    sw: StoreWorld, stored: StoredDocument, sandbox: str
) -> None:
    _fetched_component(sw)
    review_page = client_for(sw.world.applicant).get(f"/ho-so/nhap/{later_draft(sw).pk}/hoan-tat/")
    page = review_page.content.decode()
    assert "the agency fetches it from a national database" in page
    assert 'id="file-2"' not in page and "fallback-file-2" not in page  # never asked
    dossier = _filed_without_it(sw, stored)  # filed without the residence confirmation

    receiver = client_for(sw.world.receiver, officer=True)
    officer_page = receiver.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Fetch it now" in officer_page
    assert not checklist.rows(dossier)[2].received  # not fetched yet
    assert (
        client_for(sw.world.outsider_officer, officer=True)
        .post(f"/can-bo/ho-so/{dossier.code}/lay-du-lieu/2/")
        .status_code
        == 404
    )
    clicked = receiver.post(f"/can-bo/ho-so/{dossier.code}/lay-du-lieu/2/")
    assert clicked.status_code == 302
    fetch = AgencyFetch.objects.get(dossier=dossier)
    assert fetch.outcome == FetchOutcome.FETCHED and fetch.connector == "population-sandbox"
    document = fetch.document
    assert document is not None and document.source == Source.NATIONAL
    assert document.owner_user == sw.world.applicant and document.number == PERSONAL_ID
    assert document.file_matches() and document.data["x_road_id"] == fetch.exchange_id
    reuse = Reuse.objects.get(dossier=dossier, component_position=2)
    assert reuse.document == document
    read = Read.objects.get(document=document, purpose=Purpose.FETCHED)
    assert read.reader == sw.world.receiver and read.dossier == dossier
    # attached to the dossier with its source: the officer opens it there
    shown = receiver.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "National database" in shown and f"/kho/{reuse.pk}/" in shown
    # the checklist counts it received, saying it was fetched by the agency
    row = checklist.rows(dossier)[2]
    assert row.received and not row.files and "Fetched by the agency" in row.provided_by
    assert "Fetched by the agency" in shown
    assert receiver.post(f"/can-bo/ho-so/{dossier.code}/lay-du-lieu/2/").status_code == 302
    assert AgencyFetch.objects.filter(dossier=dossier).count() == 1  # not twice


def test_a_database_that_is_down_falls_back_to_asking_the_citizen(
    sw: StoreWorld, stored: StoredDocument, down: None
) -> None:
    _fetched_component(sw)
    draft = later_draft(sw)
    page = client_for(sw.world.applicant).get(f"/ho-so/nhap/{draft.pk}/hoan-tat/")
    text = page.content.decode()
    assert "cannot be reached now" in text and "ConnectionError" in text
    assert "fallback-file-2" in text  # the citizen may upload it

    dossier = _filed_without_it(sw, stored)
    receiver = client_for(sw.world.receiver, officer=True)
    receiver.post(f"/can-bo/ho-so/{dossier.code}/lay-du-lieu/2/")
    fetch = AgencyFetch.objects.get(dossier=dossier)
    assert fetch.outcome == FetchOutcome.DOWN and "no answer" in fetch.reason
    assert not Reuse.objects.filter(dossier=dossier, component_position=2).exists()
    officer_page = receiver.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Ask the applicant, saying why" in officer_page and "no answer" in officer_page
    asked = receiver.post(
        f"/can-bo/ho-so/{dossier.code}/xu-ly/",
        {"transition": "request_supplement", "reason": f"Please provide it: {fetch.reason}"},
    )
    assert asked.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
