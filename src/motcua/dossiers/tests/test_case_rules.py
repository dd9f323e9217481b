"""A dossier reads the rules of the version it was filed under, typed and built once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog import services as catalog_services
from motcua.catalog.rules import ComponentRule
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import file_dossier, make_world

pytestmark = pytest.mark.django_db


def test_a_dossier_keeps_the_rules_it_was_filed_under() -> None:
    world = make_world()
    dossier = Dossier.objects.get(pk=file_dossier(world).pk)
    case = world.procedure.cases.get()
    case.time_limit = Decimal(30)
    case.save()
    catalog_services.record_version(procedure=world.procedure, actor=None, note="longer")

    with CaptureQueriesContext(connection) as queries:
        rules = dossier.rules
        again = dossier.rules
    assert again is rules
    assert len(queries) == 1  # the version, once
    assert rules.name == dossier.case_name
    assert rules.time_limit == Decimal(3)  # as filed, not as the catalogue says now
    assert rules.components == (
        ComponentRule("Tờ khai", True, "", 1, 0, ""),
        ComponentRule("Giấy ủy quyền", False, "", 1, 0, ""),
    )
