import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.catalog.serialization import export_catalog


class Command(BaseCommand):
    help = "Write the procedure catalogue as JSON (the format import_catalog reads)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args: Any, output: str | None = None, **options: Any) -> None:
        text = json.dumps(export_catalog(), ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text)
