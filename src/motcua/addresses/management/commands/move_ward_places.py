"""Move the places of a merged or renamed ward to its successor (DOMAIN.md §3: units have
successor links because boundaries change). The former code stays on each place and in its
history.

    manage.py move_ward_places --from 20242 --to 20257 --reason "Nghị quyết …"
    manage.py move_ward_places --successors   # every ward committee that ceased, to its successor
    (add --dry-run to see what would move)
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.errors import DomainError

from ...models import Place
from ...services import move_ward


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Move the places of a merged or renamed ward to its successor ward."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="former", type=int, help="the former ward's code")
        parser.add_argument("--to", dest="successor", type=int, help="the successor's code")
        parser.add_argument(
            "--successors",
            action="store_true",
            help="every ward committee that ceased to exist, to its successor's ward",
        )
        parser.add_argument("--reason", default="", help="the decision that changed the wards")
        parser.add_argument("--dry-run", action="store_true", help="say what would move, only")

    def handle(self, *args: Any, **options: Any) -> None:
        pairs = self._pairs(options)
        try:
            with transaction.atomic():
                for former, successor in pairs:
                    moved = move_ward(from_code=former, to_code=successor, reason=options["reason"])
                    self.stdout.write(
                        _("%(count)d place(s) moved from ward %(former)s to %(successor)s.")
                        % {"count": moved, "former": former, "successor": successor}
                    )
                if options["dry_run"]:
                    raise DryRun
        except DryRun:
            self.stdout.write(_("Dry run: nothing was changed."))
        except DomainError as exc:
            raise CommandError(str(exc)) from exc

    def _pairs(self, options: dict[str, Any]) -> list[tuple[int, int]]:
        if options["successors"]:
            if options["former"] or options["successor"]:
                raise CommandError(_("Give either --successors or --from and --to."))
            ceased = Agency.objects.filter(
                ward_code__isnull=False,
                valid_until__lt=timezone.localdate(),
                successor__ward_code__isnull=False,
            ).select_related("successor")
            pairs = [
                (agency.ward_code, agency.successor.ward_code)
                for agency in ceased
                if agency.successor is not None
                and agency.ward_code is not None
                and agency.successor.ward_code is not None
            ]
            if not pairs:
                self.stdout.write(_("No ward committee has ceased with a successor ward."))
            return pairs
        former, successor = options["former"], options["successor"]
        if former is None or successor is None:
            raise CommandError(_("Give --from and --to (ward codes), or --successors."))
        if not Place.objects.filter(ward_code=former).exists():
            raise CommandError(
                _("No place is recorded in ward %(code)s: check the code.") % {"code": former}
            )
        return [(former, successor)]
