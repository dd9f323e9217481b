"""Every case of Đà Nẵng's demo catalogue, filed and taken through its whole lifecycle.

The demo catalogue is the fixture: it is the data citizens meet on a fresh ``scripts/serve``,
so a procedure that cannot be accepted, paid, decided or returned fails here by name. Loaded
once for the module (in a transaction rolled back at its end); each case runs in its own
savepoint.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from motcua.catalog.models import Procedure
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier
from motcua.portal.management.commands.load_demo import DEMO_CATALOG
from motcua.portal.rehearsal import Cast, rehearse_case

CATALOGUE = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
CASES = [
    pytest.param(procedure["code"], position, case, id=f"{procedure['code']}-{position}")
    for procedure in CATALOGUE["procedures"]
    for position, case in enumerate(procedure["cases"])
]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Cast]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
            yield Cast()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def expected_statuses(case: dict[str, Any]) -> list[int]:
    """The statuses the law and the case's fee rules lead through (DOMAIN.md §4)."""
    fee_due = case.get("fee", 0) > 0 or any(
        rule.get("amount") for rule in case.get("fee_rules", [])
    )
    at_result = case.get("payment_timing") == "at_result"
    path = [Status.SUBMITTED, Status.ACCEPTED]
    if fee_due and not at_result:
        path += [Status.AWAITING_PAYMENT, Status.ACCEPTED]  # paid online, then resumed
    path += [Status.PROCESSING, Status.DECIDED]
    if fee_due and at_result:
        path += [Status.AWAITING_PAYMENT, Status.DECIDED]
    return [*path, Status.RETURNED]


def test_the_demo_catalogue_has_every_kind_of_service() -> None:
    kinds = {procedure["service_kind"] for procedure in CATALOGUE["procedures"]}
    assert kinds == {"administrative", "public_service", "party", "socio_political"}
    assert len(CASES) >= 97


@pytest.mark.parametrize("code, position, case", CASES)
def test_every_demo_case_goes_through_its_whole_lifecycle(
    demo: Cast, db: None, code: str, position: int, case: dict[str, Any]
) -> None:
    procedure = Procedure.objects.get(code=code)
    with translation.override("en"):
        outcome = rehearse_case(procedure, position, demo)
    assert outcome.ok, str(outcome)
    assert outcome.statuses == expected_statuses(case), str(outcome)
    # The rehearsal rolls its case back: the next case starts from the same catalogue.
    assert not Dossier.objects.filter(code=outcome.dossier_code).exists()
