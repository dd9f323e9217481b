"""The hot paths of benchmarks/dossiers.py: query ceilings, the day counter, the lookup.

Ceilings are a little above today's counts, so a change that adds a query per request (a
missing ``select_related``, a re-read) fails here before it shows in the benchmark.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.agencies.tests.factories import AgencyFactory
from motcua.dossiers import selectors, services
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Dossier, DossierCounter
from motcua.dossiers.tests.factories import PDF, World, bearer, file_dossier, make_world, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def file_through_the_api(client: Client, auth: Any) -> dict[str, Any]:
    """The benchmark's three calls; the queries of each, after a first request warmed up."""
    client.get("/api/v1/dossiers/", **auth)  # the token is checked and cached
    counts: dict[str, Any] = {}
    with CaptureQueriesContext(connection) as queries:
        created = client.post(
            "/api/v1/dossiers/drafts/",
            {"procedure": "2.000488", "data": {"ho_ten": "Nguyễn Văn An"}},
            content_type="application/json",
            **auth,
        )
    assert created.status_code == 201, created.content
    assert created.json()["attachments"] == []
    counts["draft"] = len(queries)
    draft_id = created.json()["id"]
    with CaptureQueriesContext(connection) as queries:
        uploaded = client.post(
            f"/api/v1/dossiers/drafts/{draft_id}/attachments/",
            {"component": "0", "file": pdf()},
            **auth,
        )
    assert uploaded.status_code == 201, uploaded.content
    counts["attach"] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        submitted = client.post(f"/api/v1/dossiers/drafts/{draft_id}/submit/", **auth)
    assert submitted.status_code == 201, submitted.content
    counts["submit"] = len(queries)
    counts["sql"] = [query["sql"] for query in queries.captured_queries]
    counts["dossier"] = submitted.json()
    return counts


def test_a_submission_through_the_api_stays_within_its_query_budget(
    client: Client, world: World
) -> None:
    counts = file_through_the_api(client, bearer(world.applicant))
    # Was 8 + 8 + 22 (38) before; BEGIN/COMMIT count as queries here. SQLite's day counter
    # takes three statements where PostgreSQL's takes one.
    counter = 1 if connection.vendor == "postgresql" else 3
    assert counts["draft"] <= 7
    assert counts["attach"] <= 8  # one more since each person's storage quota is counted
    assert counts["submit"] <= 13 + counter
    # The token is not looked up again, the case is read once, the version without its JSON.
    submit_sql = "\n".join(counts["sql"])
    assert "oauth2_provider_accesstoken" not in submit_sql
    assert submit_sql.count('FROM "catalog_component"') == 1
    assert '"catalog_procedureversion"."snapshot"' not in submit_sql
    dossier = Dossier.objects.get(code=counts["dossier"]["code"])
    assert dossier.procedure_version == world.procedure.versions.order_by("-number").first()
    assert dossier.case_name == world.procedure.cases.get().name
    assert dossier.attachments.count() == 1


def test_submitting_without_the_mandatory_file_is_still_refused(
    client: Client, world: World
) -> None:
    auth = bearer(world.applicant)
    created = client.post(
        "/api/v1/dossiers/drafts/",
        {"procedure": "2.000488", "data": {"ho_ten": "Nguyễn Văn An"}},
        content_type="application/json",
        **auth,
    )
    refused = client.post(f"/api/v1/dossiers/drafts/{created.json()['id']}/submit/", **auth)
    assert refused.status_code == 400
    assert "Tờ khai" in refused.json()["detail"]  # the missing component, by name
    assert not Dossier.objects.exists()


def test_the_day_counter_numbers_consecutively_per_agency_and_day(world: World) -> None:
    day = datetime.date(2026, 11, 26)
    other = AgencyFactory.create(code="H17.09")
    codes = [services.next_code(world.agency, day) for _ in range(3)]
    codes.append(services.next_code(other, day))
    codes.append(services.next_code(world.agency, day + datetime.timedelta(days=1)))
    codes.append(services.next_code(world.agency, day))
    assert codes == [
        "H17.02-261126-0001",
        "H17.02-261126-0002",
        "H17.02-261126-0003",
        "H17.09-261126-0001",
        "H17.02-261127-0001",
        "H17.02-261126-0004",
    ]
    assert DossierCounter.objects.get(agency=world.agency, day=day).last == 4
    assert DossierCounter.objects.count() == 3


def test_the_day_counter_is_one_statement_on_postgresql(world: World) -> None:
    day = datetime.date(2026, 11, 26)
    services.next_code(world.agency, day)
    with CaptureQueriesContext(connection) as queries:
        code = services.next_code(world.agency, day)
    assert code == "H17.02-261126-0002"
    if connection.vendor == "postgresql":
        assert len(queries) == 1
        assert "ON CONFLICT" in queries[0]["sql"]


def test_the_draft_case_is_read_once_per_draft(world: World) -> None:
    draft = services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)
    with CaptureQueriesContext(connection) as queries:
        case = selectors.draft_case(draft)
        again = selectors.draft_case(draft)
        names = [component.name for component in again.components.all()]
    assert case is again and names == ["Tờ khai", "Giấy ủy quyền"]
    assert case == world.procedure.cases.get()
    assert len(queries) == 1  # the components joined with their case
    assert services.missing_components(draft) == ["Tờ khai"]


def test_the_draft_case_of_a_case_without_components(world: World) -> None:
    case = world.procedure.cases.get()
    case.components.all().delete()
    draft = services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)
    found = selectors.draft_case(draft)
    assert found == case and list(found.components.all()) == []
    assert services.missing_components(draft) == []


def test_the_public_lookup_is_one_query(client: Client, world: World) -> None:
    dossier = file_dossier(world)
    url = f"/api/v1/dossiers/lookup/?code={dossier.code}&secret={dossier.lookup_secret}"
    with CaptureQueriesContext(connection) as queries:
        found = client.get(url)
    assert found.status_code == 200
    assert found.json()["status"] == dossier.status
    assert len(queries) == 1
    assert client.get(url.replace(dossier.lookup_secret, "WRONG")).status_code == 404


def test_the_lookup_page_reads_status_and_timeline_together(client: Client, world: World) -> None:
    dossier = file_dossier(world)
    services.act(
        dossier=dossier,
        user=world.receiver,
        transition=Transition.REQUEST_SUPPLEMENT,
        reason="Thiếu bản sao",
    )
    with CaptureQueriesContext(connection) as queries:
        page = client.get(
            "/tra-cuu-ho-so/", {"code": dossier.code, "secret": dossier.lookup_secret}
        )
    assert page.status_code == 200
    assert "Yêu cầu bổ sung giấy tờ" in page.text
    assert "{#" not in page.text and "{%" not in page.text  # no template text leaks out
    # PostgreSQL answers both in one round trip; SQLite reads the timeline apart.
    assert len(queries) == (1 if connection.vendor == "postgresql" else 2)


def test_the_timeline_read_with_the_status_is_the_timeline(world: World) -> None:
    dossier = file_dossier(world)
    services.act(
        dossier=dossier,
        user=world.receiver,
        transition=Transition.REQUEST_SUPPLEMENT,
        reason="Thiếu bản sao",
    )
    found, timeline = selectors.public_status_and_timeline(dossier.code, dossier.lookup_secret)
    assert found is not None and found.pk == dossier.pk
    expected = selectors.public_timeline(dossier)
    assert [step.status for step in expected] == [Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED]
    assert timeline == expected
    assert selectors.public_status_and_timeline(dossier.code, "WRONG") == (None, [])
    assert selectors.public_status_and_timeline("H17.02-000000-9999", "X") == (None, [])


def test_a_status_change_shows_in_the_next_lookup(client: Client, world: World) -> None:
    dossier = file_dossier(world)
    url = f"/api/v1/dossiers/lookup/?code={dossier.code}&secret={dossier.lookup_secret}"
    assert client.get(url).json()["status"] == Status.SUBMITTED
    # As a transition or a deadline job would: the look-up shows it at once (no cache).
    dossier.status = Status.ACCEPTED
    dossier.save(update_fields=["status"])
    assert client.get(url).json()["status"] == Status.ACCEPTED


def test_attaching_reads_the_upload_once_and_keeps_its_checksum(world: World) -> None:
    draft = services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)
    attachment = services.attach(
        draft=draft, user=world.applicant, component_position=0, upload=pdf()
    )
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF


def test_the_public_status_holds_what_the_answer_shows(world: World) -> None:
    dossier = file_dossier(world)
    due = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=due)
    found = selectors.public_status(f"  {dossier.code} ", dossier.lookup_secret.lower())
    assert found is not None
    assert (found.pk, found.code, found.status) == (dossier.pk, dossier.code, Status.SUBMITTED)
    assert found.due_at == due
    assert found.procedure.name == world.procedure.name
    assert found.get_status_display() == dossier.get_status_display()
    assert selectors.public_status(dossier.code, "") is None
    assert selectors.public_status("H17.02-000000-9999", dossier.lookup_secret) is None


@pytest.mark.django_db
def test_the_dossier_page_asks_for_the_viewers_roles_once(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    world = make_world()
    dossier = file_dossier(world)
    client.force_login(world.applicant)
    client.get(f"/ho-so/{dossier.code}/")  # warm caches (calendar, sessions)
    # The payment, result and rating panels take the page's roles instead of asking again.
    with django_assert_max_num_queries(15):  # 19 when each panel asked again
        assert client.get(f"/ho-so/{dossier.code}/").status_code == 200


def test_the_public_lookup_is_planned_once_per_connection_on_postgresql(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("statements are prepared on PostgreSQL only")
    dossier = file_dossier(world)
    for _ in range(6):  # psycopg prepares a statement on its fifth run on a connection
        assert selectors.public_status(dossier.code, dossier.lookup_secret) is not None
        found, timeline = selectors.public_status_and_timeline(dossier.code, dossier.lookup_secret)
        assert found is not None and timeline
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert sum("FROM dossiers_dossier AS d" in statement for statement in prepared) == 2
