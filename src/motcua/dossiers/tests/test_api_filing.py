"""``POST /api/v1/dossiers/``: a whole dossier (answers and files) filed in one request.

What an app or another system that already holds the dossier uses: checked like the step-by-step
road (e-form, files by content, mandatory documents, eligibility), all or nothing, and safe to
retry with the same ``Idempotency-Key``.
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog import services as catalog_services
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Attachment, Dossier, DossierDraft
from motcua.dossiers.tests.factories import PDF, PNG, World, bearer, make_world, pdf
from motcua.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

URL = "/api/v1/dossiers/"
ANSWERS = {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-05-17"}


@pytest.fixture
def world() -> World:
    return make_world()


def file_once(
    client: Client,
    auth: Any,
    key: str | None = "key-1",
    *,
    language: str = "en",
    **fields: Any,
) -> Any:
    body: dict[str, Any] = {
        "procedure": "2.000488",
        "data": json.dumps(ANSWERS),
        "component_0": pdf("to-khai.pdf"),
    }
    body.update(fields)
    body = {name: value for name, value in body.items() if value is not None}
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(URL, body, headers=headers, HTTP_ACCEPT_LANGUAGE=language, **auth)


def test_a_whole_dossier_is_filed_in_one_request(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = file_once(client, bearer(world.applicant), component_1=pdf("uy-quyen.pdf"))

    assert response.status_code == 201, response.content
    answer = response.json()
    dossier = Dossier.objects.get(code=answer["code"])
    assert answer["status"] == Status.SUBMITTED and answer["procedure"] == "2.000488"
    assert answer["receiving_agency"] == world.agency.code
    assert dossier.applicant == world.applicant and dossier.form_data == ANSWERS
    assert dossier.channel == 2 and dossier.draft is None
    assert dossier.procedure_version == world.procedure.versions.order_by("-number").first()
    assert dossier.rules.name == dossier.case_name
    files = list(dossier.attachments.order_by("component_position"))
    assert [(f.component_position, f.component_name) for f in files] == [
        (0, "Tờ khai"),
        (1, "Giấy ủy quyền"),
    ]
    assert files[0].sha256 == hashlib.sha256(PDF).hexdigest()
    with files[0].file.open("rb") as stored:
        assert stored.read() == PDF
    assert [e.transition for e in dossier.events.all()] == [Transition.SUBMIT]
    assert OutboxMessage.objects.filter(recipient=world.applicant.email).count() == 1
    assert not DossierDraft.objects.exists()


def test_the_same_key_again_gives_the_first_dossier_back(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    auth = bearer(world.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        first = file_once(client, auth, "retry-me")
        again = file_once(client, auth, "retry-me")

    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["code"] == first.json()["code"]
    assert again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1 and Attachment.objects.count() == 1
    assert OutboxMessage.objects.count() == 1  # told once
    # A new key is a new dossier, with the next number.
    other = file_once(client, auth, "another")
    assert other.status_code == 201 and other.json()["code"] != first.json()["code"]


def test_a_key_reused_for_another_dossier_is_refused(client: Client, world: World) -> None:
    auth = bearer(world.applicant)
    first = file_once(client, auth, "k")
    changed_answers = file_once(client, auth, "k", data=json.dumps({"ho_ten": "Trần Thị Bình"}))
    changed_file = file_once(client, auth, "k", component_0=pdf(content=PDF + b"\n"))

    for refused in (changed_answers, changed_file):
        assert refused.status_code == 422
        assert first.json()["code"] in refused.json()["detail"]
    assert Dossier.objects.count() == 1


def test_keys_belong_to_each_applicant(client: Client, world: World) -> None:
    mine = file_once(client, bearer(world.applicant), "same")
    theirs = file_once(client, bearer(UserFactory.create()), "same")

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["code"] != theirs.json()["code"]


@pytest.mark.parametrize("key", [None, "", " ", "x" * 65])
def test_a_missing_or_overlong_key_is_refused(client: Client, world: World, key: Any) -> None:
    response = file_once(client, bearer(world.applicant), key)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["idempotency_key"][0]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"procedure": "9.999999"}, "procedure", "No procedure"),
        ({"procedure": None}, "procedure", "No procedure"),
        ({"data": "{not json"}, "data", "JSON object"),
        ({"data": "[1, 2]"}, "data", "JSON object"),
        ({"case_position": "first"}, "case_position", "whole number"),
        ({"case_position": "-1"}, "case_position", "whole number"),
        ({"case_position": "7"}, "detail", "no such case"),
        ({"component_0": None}, "detail", "still missing: Tờ khai"),
        ({"component_5": pdf()}, "detail", "no such document"),
        ({"attachment": pdf()}, "attachment", "component_0"),
        ({"component_0": pdf(content=b"MZ\x90\x00 not a pdf")}, "files", "Only PDF, JPEG"),
        ({"component_0": pdf(content=PDF[:-8])}, "files", "incomplete"),
        ({"component_0": pdf(content=b"")}, "files", "empty"),
    ],
)
def test_bad_input_gets_a_400_naming_the_problem_and_writes_nothing(
    client: Client,
    world: World,
    fields: dict[str, Any],
    field: str,
    words: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        response = file_once(client, bearer(world.applicant), **fields)

    assert response.status_code == 400, response.content
    problem = response.json()[field]
    assert words in (problem if isinstance(problem, str) else problem[0])
    assert not Dossier.objects.exists() and not Attachment.objects.exists()
    assert after_commit == [] and not OutboxMessage.objects.exists()


def test_answers_that_fail_the_e_form_come_back_per_field(client: Client, world: World) -> None:
    response = file_once(client, bearer(world.applicant), data=json.dumps({"ho_ten": 5}))

    assert response.status_code == 400
    assert set(response.json()["form"]) == {"ho_ten"}
    assert not Dossier.objects.exists()


def test_an_oversize_file_is_refused(client: Client, world: World, settings: Any) -> None:
    settings.MOTCUA_MAX_ATTACHMENT_BYTES = len(PDF) - 1
    response = file_once(client, bearer(world.applicant))

    assert response.status_code == 400 and "larger than" in response.json()["files"][0]


def test_the_files_together_must_fit_the_dossier_limit(
    client: Client, world: World, settings: Any
) -> None:
    settings.MOTCUA_MAX_DOSSIER_BYTES = len(PDF) + len(PNG) - 1
    png = SimpleUploadedFile("scan.png", PNG, "image/png")
    response = file_once(client, bearer(world.applicant), component_1=png)

    assert response.status_code == 400 and "together" in response.json()["files"][0]
    assert not Dossier.objects.exists()


def test_errors_are_in_vietnamese_first(client: Client, world: World) -> None:
    response = file_once(client, bearer(world.applicant), None, language="vi")

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["idempotency_key"][0]
    assert "Send an" not in response.json()["idempotency_key"][0]


def test_a_withdrawn_procedure_takes_no_more_dossiers(client: Client, world: World) -> None:
    catalog_services.set_status(procedure=world.procedure, status="draft", actor=None)

    response = file_once(client, bearer(world.applicant))

    assert response.status_code == 400 and "procedure" in response.json()


def test_only_a_signed_in_person_files(client: Client, world: World) -> None:
    assert file_once(client, {}).status_code in (401, 403)
    as_json = client.post(
        URL,
        {"procedure": "2.000488"},
        content_type="application/json",
        headers={"Idempotency-Key": "j"},
        **bearer(world.applicant),
    )
    assert as_json.status_code == 415
    assert not Dossier.objects.exists()


def test_filed_dossiers_are_the_applicants_alone(client: Client, world: World) -> None:
    code = file_once(client, bearer(world.applicant)).json()["code"]
    stranger = bearer(UserFactory.create())

    assert client.get(f"{URL}{code}/", **stranger).status_code == 404
    assert client.get(f"{URL}{code}/", **bearer(world.applicant)).status_code == 200


def test_a_filing_stays_within_its_query_budget(client: Client, world: World) -> None:
    auth = bearer(world.applicant)
    file_once(client, auth, "warm-up")  # the token is checked and remembered
    with CaptureQueriesContext(connection) as queries:
        response = file_once(client, auth, "counted")

    assert response.status_code == 201
    # Filing needs no more of the person than the token's cached facts.
    assert not [q for q in queries.captured_queries if 'FROM "accounts_user"' in q["sql"]]
    # The catalogue (procedure, version, agencies: 2 queries without the catalogue cache);
    # the day counter (3 on SQLite); dossier, attachment, history, the task that tells the
    # applicant; the national portal's outbox row (issue 16: written with the change); the
    # transaction's savepoint and release.
    assert len(queries) <= 12, "\n".join(q["sql"][:120] for q in queries.captured_queries)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises all writers; no race to test"
)
def test_the_same_request_sent_ten_times_at_once_files_one_dossier() -> None:
    world = make_world()
    auth = bearer(world.applicant)
    barrier = threading.Barrier(10)
    answers: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            barrier.wait()
            response = file_once(Client(), auth, "double-tap")
            answers.append((response.status_code, response.json().get("code", "")))
        except BaseException as exc:  # collected and reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(status for status, _code in answers) == [200] * 9 + [201]
    assert len({code for _status, code in answers}) == 1
    assert Dossier.objects.count() == 1 and Attachment.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_request_writes_one_task_and_the_worker_tells_the_applicant(
    settings: Any,
) -> None:
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    world = make_world()
    world.applicant.phone = "0905123456"
    world.applicant.save(update_fields=["phone"])

    response = file_once(Client(), bearer(world.applicant), language="en")

    assert response.status_code == 201
    # The applicant's message, and the national portal's delivery (issue 16).
    tasks = sorted(t.task_path.rsplit(".", 1)[1] for t in DBTaskResult.objects.all())
    assert tasks == ["deliver_dossier_task", "tell_applicant"]
    assert not OutboxMessage.objects.exists()  # written by the worker, not the request
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    told = {m.channel: m.body for m in OutboxMessage.objects.all()}
    # In Vietnamese, whatever the language of the request that changed the status.
    code = response.json()["code"]
    assert told["email"].startswith(f"Hồ sơ {code} (") and "đã được gửi đến" in told["email"]
    assert told["sms"].startswith(f"Ho so {code} da nop")  # SMS: Vietnamese without diacritics


def test_one_call_filing_is_documented(client: Client) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    filing = schema["paths"]["/api/v1/dossiers/"]["post"]

    body = filing["requestBody"]["content"]["multipart/form-data"]["schema"]
    fields = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]["properties"]
    assert {"procedure", "case_position", "data", "component_0"} <= set(fields)
    headers = [p for p in filing["parameters"] if p["in"] == "header"]
    assert [(p["name"], p["required"]) for p in headers] == [("Idempotency-Key", True)]
    assert {"200", "201"} <= set(filing["responses"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_cached_filing_target_follows_catalogue_changes(settings: Any) -> None:
    settings.MOTCUA_CATALOG_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "filing-target",
        }
    }
    world = make_world()
    auth = bearer(world.applicant)
    assert file_once(Client(), auth, "a").status_code == 201
    with CaptureQueriesContext(connection) as queries:
        assert file_once(Client(), auth, "b").status_code == 201
    assert not [q for q in queries.captured_queries if "catalog_procedureversion" in q["sql"]]

    catalog_services.set_status(procedure=world.procedure, status="draft", actor=None)
    withdrawn = file_once(Client(), auth, "c")

    assert withdrawn.status_code == 400 and "procedure" in withdrawn.json()
    catalog_services.set_status(procedure=world.procedure, status="published", actor=None)
    assert file_once(Client(), auth, "d").status_code == 201
