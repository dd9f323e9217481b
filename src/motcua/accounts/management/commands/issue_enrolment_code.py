"""Print a one-time code with which a person enrols the second factor (the first administrator
has nobody to issue one; everyone else gets theirs from an administrator in the admin)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.accounts.models import User
from motcua.accounts.second_factor import enrolment_lifetime, issue_enrolment_code


class Command(BaseCommand):
    help = "Issue a one-time second-factor enrolment code for USERNAME and print it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account with the username {username!r}.")
        code = issue_enrolment_code(user=user, issued_by=None)
        hours = int(enrolment_lifetime().total_seconds() // 3600)
        self.stdout.write(
            f"Sign in as {username}, open /accounts/second-factor/ and type this code "
            f"(valid {hours} hours, once):"
        )
        self.stdout.write(code)
