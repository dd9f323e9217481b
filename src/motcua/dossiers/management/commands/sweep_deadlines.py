from typing import Any

from django.core.management.base import BaseCommand

from motcua.dossiers.deadlines import sweep_deadlines


class Command(BaseCommand):
    help = "Flag dossiers due soon and overdue; draft apology letters (form 04). Run periodically."

    def handle(self, *args: Any, **options: Any) -> None:
        report = sweep_deadlines()
        self.stdout.write(
            f"due soon: {report.due_soon}, overdue: {report.overdue}, letters: {report.letters}"
        )
