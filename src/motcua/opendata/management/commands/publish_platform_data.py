"""Publish (or refresh) the open datasets the platform makes from its own live data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.opendata.publishing import publish_platform_data


class Command(BaseCommand):
    help = "Publish the procedure catalogue, administrative units and dossier statistics."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = publish_platform_data()
        if not changed:
            self.stderr.write("No city agency (MOTCUA_CITY_AGENCY_CODE): nothing published.")
        for name, was_changed in changed.items():
            self.stdout.write(f"{name}: {'updated' if was_changed else 'unchanged'}")
