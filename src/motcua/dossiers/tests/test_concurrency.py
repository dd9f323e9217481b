"""Concurrent submissions get distinct codes (PostgreSQL: real row locks across connections)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import make_world, pdf

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises all writers; no race to test"
)
def test_fifty_concurrent_submissions_get_fifty_distinct_codes() -> None:
    world = make_world()
    drafts = []
    for _ in range(50):
        draft = services.start_draft(
            user=world.applicant, procedure=world.procedure, acting_for=None
        )
        services.attach(draft=draft, user=world.applicant, component_position=0, upload=pdf())
        drafts.append(draft)

    barrier = threading.Barrier(50)
    errors: list[BaseException] = []

    def submit(draft: object) -> None:
        try:
            barrier.wait()
            services.submit(draft=draft, user=world.applicant, form_errors={})  # type: ignore[arg-type]
        except BaseException as exc:  # collected and reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == 50 == len(set(codes))
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, 51))
