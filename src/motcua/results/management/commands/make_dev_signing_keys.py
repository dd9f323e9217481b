"""Create the development CA and one signing certificate per agency (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.agencies.models import Agency

from ...keys import ensure_agency_certificate, ensure_ca


class Command(BaseCommand):
    help = (
        "Create a development certificate authority and a signing certificate for each "
        "current agency (or the agencies given) under MOTCUA_SIGNING_DIR. Existing keys are "
        "kept. Never use these keys in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("agencies", nargs="*", help="agency codes (default: all current)")
        parser.add_argument("--dir", help="key directory (default: MOTCUA_SIGNING_DIR)")

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(options["dir"] or settings.MOTCUA_SIGNING_DIR)
        codes: list[str] = options["agencies"]
        agencies = Agency.objects.current() if not codes else Agency.objects.filter(code__in=codes)
        found = {agency.code: agency for agency in agencies}
        unknown = sorted(set(codes) - set(found))
        if unknown:
            raise CommandError(f"Unknown agency codes: {', '.join(unknown)}")
        _, created_ca = ensure_ca(root)
        made = sum(
            ensure_agency_certificate(root, code=agency.code, name=agency.name)
            for agency in found.values()
        )
        self.stdout.write(
            f"Signing keys in {root}: CA {'created' if created_ca else 'kept'}, "
            f"{made} agency certificate(s) created, {len(found) - made} kept."
        )
