"""Import and update procedures from the national procedure database (the configured client)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.services import CatalogImportError
from motcua.nationalportal import services
from motcua.nationalportal.client import PortalRefused, PortalUnavailable


class Command(BaseCommand):
    help = "Import and update procedures from the national procedure database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("codes", nargs="*", help="procedure codes (default: all published)")

    def handle(self, *args: Any, **options: Any) -> None:
        codes = options["codes"] or None
        try:
            report = services.import_from_national(actor=None, codes=codes)
        except CatalogImportError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(exc)) from exc
        except (PortalRefused, PortalUnavailable) as exc:
            raise CommandError(f"The national database did not answer: {exc}") from exc
        self.stdout.write(
            f"created {len(report.created)}, updated {len(report.updated)}, "
            f"unchanged {report.unchanged}, not found {len(report.not_found)}"
        )
        for code in report.not_found:
            self.stdout.write(f"not found: {code}")
