"""Queue for the national portal the dossiers filed before the synchronisation existed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.nationalportal import services


class Command(BaseCommand):
    help = (
        "Queue for the national portal the filing and the status changes of every dossier it "
        "was never told of, filed before the synchronisation existed (safe to run again: it "
        "queues nothing twice)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Dossiers per transaction (default 500)."
        )
        parser.add_argument(
            "--no-deliver",
            action="store_true",
            help="Only queue; the scheduler's sweep delivers them later.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = max(1, min(int(options["batch_size"]), 10_000))
        report = services.backfill(batch_size=batch_size, deliver=not options["no_deliver"])
        self.stdout.write(f"queued {report.dossiers} dossiers ({report.changes} changes)")
        if report.without_history:
            self.stdout.write(
                f"{report.without_history} dossiers have no history line and were left out"
            )
