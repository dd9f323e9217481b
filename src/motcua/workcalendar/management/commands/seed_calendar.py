from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from motcua.workcalendar.services import seed_calendar


class Command(BaseCommand):
    help = (
        "Seed the official days off and make-up working days of the given years from the "
        "holidays package (administrator rows are kept). Default: this year and the next."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", nargs="+", type=int, metavar="YEAR")

    def handle(self, *args: Any, years: list[int] | None = None, **options: Any) -> None:
        this_year = timezone.localdate().year
        wanted = years or [this_year, this_year + 1]
        report = seed_calendar(years=wanted)
        self.stdout.write(
            f"Years {', '.join(map(str, sorted(set(wanted))))}: {report.created} created, "
            f"{report.updated} updated, {report.removed} removed, "
            f"{report.kept} administrator rows kept."
        )
