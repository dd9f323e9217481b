"""Every operation of the published OpenAPI schema, fuzzed by schemathesis in-process.

Whatever it sends, valid or not (schemathesis's positive and negative modes), anonymous or
with a citizen's bearer token, the answer is never a 5xx and, when its status is documented,
matches the schema the platform publishes at ``/api/v1/schema/``. Examples are few and
derandomized, so a run is the same every time and takes seconds per operation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from motcua.agencies.tests.factories import AgencyFactory
from motcua.catalog import services as catalog_services
from motcua.catalog.models import ProcessingStep
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.tests.factories import PDF, bearer, file_dossier, make_world, pdf

pytestmark = pytest.mark.django_db

EXAMPLES = 10
KNOWN_BODY = {
    "procedure": "2.000488",
    "case_position": 0,
    "component": 0,
    "file": PDF,
    "component_0": PDF,
}
CHECKS = [not_a_server_error, response_schema_conformance]


@contextmanager
def _connection_kept() -> Iterator[None]:
    """As Django's test client does around a request: the request must not close the test's
    connection, whose transaction holds the test data (on PostgreSQL it would)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def world() -> dict[str, Any]:
    """A procedure with steps, a filed and accepted dossier, a draft with a file and one
    already submitted, a former agency with a successor: answers with every kind of field."""
    world = make_world()
    case = world.procedure.cases.get()
    ProcessingStep.objects.create(
        case=case, position=0, name="Thẩm định", role="processor", duration=Decimal("1")
    )
    catalog_services.record_version(procedure=world.procedure, actor=None, note="steps")
    AgencyFactory.create(code="H17.02.01", parent=world.agency, successor=world.other_agency)
    dossier = services.act(
        dossier=file_dossier(world), user=world.receiver, transition=Transition.ACCEPT
    )
    draft = services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)
    services.attach(draft=draft, user=world.applicant, component_position=0, upload=pdf())
    return {
        "applicant": world.applicant,
        # Path parameters that exist, so that some requests get past the look-up.
        "known": {
            "code": [world.procedure.code, world.agency.code, "H17.02.01", dossier.code],
            "draft_id": [draft.pk, dossier.draft_id],
        },
    }


def _schema() -> Any:
    document = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    schema = schemathesis.openapi.from_dict(document)
    schema.app = WSGIHandler()  # requests go to Django in this process, not over the network
    return schema


def _strategy(operation: Any, mode: GenerationMode, known: dict[str, list[Any]]) -> Any:
    """Cases of the operation; in half of them, what exists in place of random path parts and
    body fields (a procedure's code, a real PDF), so that requests also reach the code behind
    the look-ups and the file check."""
    generated = operation.as_strategy(generation_mode=mode)
    names = [parameter.name for parameter in operation.path_parameters]
    if names and all(name in known for name in names):
        existing = st.fixed_dictionaries({name: st.sampled_from(known[name]) for name in names})
        generated = st.one_of(
            generated,
            existing.flatmap(
                lambda path: operation.as_strategy(generation_mode=mode, path_parameters=path)
            ),
        )
    replaced = st.sets(st.sampled_from(sorted(KNOWN_BODY)))
    return st.tuples(generated, replaced).map(lambda drawn: _with_known_body(*drawn))


def _with_known_body(case: Any, names: set[str]) -> Any:
    if isinstance(case.body, dict):
        for name in names & case.body.keys():
            case.body[name] = KNOWN_BODY[name]
    return case


def _fuzz(headers: dict[str, str], known: dict[str, list[Any]]) -> list[str]:
    """Every failure of every operation, in both modes (not only the first)."""
    problems = []
    schema = _schema()  # through the test client, which connects the signals again after
    with _connection_kept():
        for result in schema.get_all_operations():
            problems += _fuzz_operation(result.ok(), headers, known)
    return problems


def _fuzz_operation(operation: Any, headers: dict[str, str], known: dict[str, Any]) -> list[str]:
    problems = []
    modes = [GenerationMode.POSITIVE]
    if _has_input_to_spoil(operation.definition.raw):
        modes.append(GenerationMode.NEGATIVE)
    for mode in modes:
        test = _test(_strategy(operation, mode, known), headers)
        try:
            test()
        except Unsatisfiable:
            continue  # no invalid input could be made after all
        except (Exception, BaseExceptionGroup) as exc:
            problems.append(f"{operation.label} ({mode.value}): {exc}")
    return problems


def _has_input_to_spoil(definition: dict[str, Any]) -> bool:
    """Whether negative mode can make something invalid: a body, or a parameter other than
    a free-text path part (schemathesis would search a long time for nothing)."""
    return "requestBody" in definition or any(
        parameter["in"] != "path" or parameter.get("schema") != {"type": "string"}
        for parameter in definition.get("parameters", [])
    )


def _test(strategy: Any, headers: dict[str, str]) -> Callable[[], None]:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        # A failure is reported as found: shrinking it could take minutes.
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=strategy)
    def test(case: Any) -> None:
        # Each example sees the same data: what a request changed is rolled back.
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        case.validate_response(response, checks=CHECKS)

    return test


def test_anonymous_requests(world: dict[str, Any]) -> None:
    problems = _fuzz({}, world["known"])
    assert not problems, "\n\n".join(problems)


def test_a_citizens_requests(world: dict[str, Any]) -> None:
    token = bearer(world["applicant"])["HTTP_AUTHORIZATION"]
    problems = _fuzz({"Authorization": token}, world["known"])
    assert not problems, "\n\n".join(problems)
