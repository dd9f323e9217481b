"""A signed file is kept only with the decision that made it: a decision that fails or is
rolled back after its result was signed and written leaves no file behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import DatabaseError, transaction

from motcua.dossiers import services as dossier_services
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import act
from motcua.dossiers.tests.factories import World
from motcua.results import services
from motcua.results.models import IssuedResult

pytestmark = pytest.mark.django_db


def stored_results() -> list[Path]:
    return sorted(Path(settings.MEDIA_ROOT).glob("results/**/*.pdf"))


def fail(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("the step after signing failed")


def test_a_decision_that_fails_after_signing_leaves_no_file(
    world: World, dossier: Dossier, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The decision signs its result first, then records the step: make that fail.
    monkeypatch.setattr(dossier_services.steps, "advance", fail)
    with pytest.raises(RuntimeError):
        act(dossier=dossier, user=world.approver, transition=Transition.DECIDE)
    assert not IssuedResult.objects.exists()
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert stored_results() == []


def test_a_result_rolled_back_by_its_caller_leaves_no_file(world: World, dossier: Dossier) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        services.issue_result(dossier=dossier, officer=world.approver)
        assert len(stored_results()) == 1  # written while the transaction is open
        raise RuntimeError
    assert stored_results() == []


def test_a_result_whose_record_cannot_be_saved_leaves_no_file(
    world: World, dossier: Dossier, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_save(self: IssuedResult, *args: Any, **kwargs: Any) -> None:
        raise DatabaseError("the database went away after the file was written")

    monkeypatch.setattr(IssuedResult, "save", broken_save)
    with pytest.raises(DatabaseError):
        services.issue_result(dossier=dossier, officer=world.approver)
    assert stored_results() == []


def test_a_committed_decision_keeps_its_file(
    world: World,
    dossier: Dossier,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        act(dossier=dossier, user=world.approver, transition=Transition.DECIDE)
    result = IssuedResult.objects.get()
    assert stored_results() == [Path(result.file.path)]
    assert Path(result.file.path).stat().st_size == result.size
