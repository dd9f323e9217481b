"""``manage.py check_catalog FILE.json``: would every case of this catalogue work end to end?

The file is checked as the import checks it, then imported and every case of its procedures
rehearsed through its whole lifecycle (``portal.rehearsal``), all inside one transaction that
is rolled back: nothing is changed, whatever the outcome. The report names each procedure and
case with what would fail and why; the exit status is 1 when anything would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from motcua.catalog import services
from motcua.catalog.models import Procedure, PublicationStatus
from motcua.portal.rehearsal import CaseOutcome, Cast, rehearse_catalog


class _RollBack(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Check a catalogue file: every case of every procedure filed, accepted, paid, "
        "forwarded, decided and returned, in a transaction that is rolled back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--procedure", action="append", default=[], help="Only these procedure codes."
        )

    def handle(self, *args: Any, path: Path, procedure: list[str], **options: Any) -> None:
        try:
            data = services.parse_catalog(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        except services.CatalogImportError as exc:
            self._refused(exc.problems)
        problems = services.validate_catalog(data)
        if problems:
            self._refused(problems)
        for warning in services.catalog_warnings(data):
            self.stdout.write(f"warning: {warning}")
        codes = [record["code"] for record in data["procedures"]]
        if procedure:
            codes = [code for code in codes if code in procedure]
        outcomes: list[CaseOutcome] = []
        try:
            with transaction.atomic():
                services.import_catalog(data, actor=None)
                # A draft procedure is rehearsed as if published: the check is about its rules.
                Procedure.objects.filter(code__in=codes).update(status=PublicationStatus.PUBLISHED)
                ordered = sorted(
                    Procedure.objects.filter(code__in=codes), key=lambda p: codes.index(p.code)
                )
                outcomes = rehearse_catalog(ordered, Cast())
                raise _RollBack
        except _RollBack:
            pass
        failed = [outcome for outcome in outcomes if not outcome.ok]
        for outcome in outcomes:
            mark = "ok  " if outcome.ok else "FAIL"
            self.stdout.write(f"{mark} {outcome}")
        summary = (
            f"{len(outcomes)} case(s) of {len(codes)} procedure(s): "
            f"{len(outcomes) - len(failed)} would work end to end, {len(failed)} would fail. "
            "Nothing was changed."
        )
        if failed:
            raise CommandError(summary)
        self.stdout.write(summary)

    def _refused(self, problems: list[services.ImportProblem]) -> NoReturn:
        for problem in problems:
            self.stderr.write(str(problem))
        raise CommandError(
            f"The file would be refused by the import: {len(problems)} problem(s). "
            "Nothing was changed."
        )
