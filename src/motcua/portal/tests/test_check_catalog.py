"""``manage.py check_catalog``: a city's catalogue rehearsed end to end, nothing changed."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from motcua.agencies.demo import load_demo_agencies
from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import catalogue, record
from motcua.dossiers.models import Dossier
from motcua.portal.management.commands.load_demo import DEMO_CATALOG

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def demo_agencies() -> None:
    load_demo_agencies(48)


def check(path: Path, *args: str) -> tuple[str, str, CommandError | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_catalog", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def test_demo_procedures_would_all_work_and_nothing_is_changed(demo_agencies: None) -> None:
    out, _err, error = check(DEMO_CATALOG, "--procedure", "1.001193", "--procedure", "2.000635")
    assert error is None, out
    # Birth registration has three cases (one liên thông), certified copies one with a fee.
    assert out.count("ok  ") == 4
    assert "1.001193 · case 1" in out and "1 → 2 → 4 → 9 → 10" in out
    assert "4 case(s) of 2 procedure(s): 4 would work end to end, 0 would fail" in out
    assert Procedure.objects.count() == 0
    assert Dossier.objects.count() == 0


def test_a_case_that_cannot_finish_is_reported_by_procedure_case_and_stage(
    demo_agencies: None, tmp_path: Path
) -> None:
    good = record("1.000001", name="Thủ tục tốt")
    slow = record("1.000002", name="Thủ tục phối hợp quá hạn")
    slow["cases"][0]["steps"] = [
        {"name": "Tiếp nhận", "role": "receiver", "duration": 0.1},
        {"name": "Lấy ý kiến Công an", "role": "coordinator", "duration": 20},
        {"name": "Ký duyệt", "role": "approver", "duration": 0.2},
    ]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalogue(good, slow), ensure_ascii=False), encoding="utf-8")
    out, _err, error = check(path)
    assert error is not None
    assert "1 would work end to end, 1 would fail" in str(error)
    assert "warning: procedure #2 (1.000002) · case 1 “Thông thường”" in out
    assert "ok   1.000001 · case 1 “Thông thường”" in out
    assert (
        "FAIL 1.000002 · case 1 “Thông thường”: coordinate: "
        "The time slice must end before the dossier's appointment."
    ) in out
    assert Procedure.objects.count() == 0
    assert Dossier.objects.count() == 0


def test_a_file_the_import_would_refuse_is_reported_and_not_rehearsed(
    demo_agencies: None, tmp_path: Path
) -> None:
    bad = record()
    bad["cases"][0]["steps"][0]["duration"] = -1
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalogue(bad), ensure_ascii=False), encoding="utf-8")
    _out, err, error = check(path)
    assert error is not None and "would be refused by the import" in str(error)
    assert "case 1 “Thông thường” · step 1 “Tiếp nhận” · duration" in err
    assert Procedure.objects.count() == 0


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    _out, _err, error = check(tmp_path / "missing.json")
    assert error is not None and "Cannot read" in str(error)
