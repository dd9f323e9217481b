"""Make an Open311 API key for a client: ``manage.py open311_key "Client name"``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.petitions.services import create_api_key


class Command(BaseCommand):
    help = "Create an Open311 API key (shown once; only its hash is kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        _, key = create_api_key(name=options["name"])
        self.stdout.write(key)
