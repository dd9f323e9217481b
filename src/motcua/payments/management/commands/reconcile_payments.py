from typing import Any

from django.core.management.base import BaseCommand

from motcua.payments.tasks import reconcile_payments


class Command(BaseCommand):
    help = "Query gateways about payments left pending and expire old ones. Run periodically."

    def handle(self, *args: Any, **options: Any) -> None:
        report = reconcile_payments.call()
        self.stdout.write(
            f"queried: {report['queried']}, paid: {report['paid']}, failed: {report['failed']}, "
            f"expired: {report['expired']}, errors: {report['errors']}"
        )
