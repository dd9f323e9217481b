from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.notifications.services import sweep
from motcua.scheduling.services import enqueue_due


class Command(BaseCommand):
    help = (
        "Enqueue the periodic tasks (deadline sweep, payment reconciliation) when they are due, "
        "and give back to the workers the tasks and messages a dead worker left behind."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between checks.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            # First what dead workers left, so it runs before anything enqueued now.
            report = sweep()
            if report.requeued_tasks or report.messages:
                self.stdout.write(
                    f"requeued {report.requeued_tasks} abandoned tasks, "
                    f"{report.messages} stranded messages"
                )
            for name in enqueue_due():
                self.stdout.write(f"enqueued {name}")
            if options["once"]:
                return
            time.sleep(options["interval"])
