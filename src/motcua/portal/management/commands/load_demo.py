from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.addresses.demo import load_demo_addresses
from motcua.agencies.demo import load_demo_agencies
from motcua.catalog import services
from motcua.nationalportal.services import backfill
from motcua.personalstore.demo import load_demo_result_types
from motcua.petitions.demo import load_demo_topics
from motcua.results.demo import load_demo_result_templates

DEMO_CATALOG = Path(__file__).resolve().parents[3] / "catalog" / "demo" / "catalog_danang.json"


class Command(BaseCommand):
    help = (
        "Load Đà Nẵng's demo agencies, procedure catalogue and digital addresses "
        "(safe to run again)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = load_demo_agencies(settings.MOTCUA_PROVINCE_CODE)
        self.stdout.write(f"Agencies: {count}")
        data = services.parse_catalog(DEMO_CATALOG.read_bytes())
        report = services.import_catalog(data, actor=None)
        self.stdout.write(
            f"Procedures: {report.created} new, {report.updated} updated ({report.fields} fields)"
        )
        self.stdout.write(f"Result templates: {load_demo_result_templates()} new")
        self.stdout.write(f"Result document types: {load_demo_result_types()} new")
        self.stdout.write(f"Digital addresses: {load_demo_addresses()} new places")
        self.stdout.write(f"Report topics: {load_demo_topics()}")
        # Dossiers of a demo database older than the national synchronisation join its outbox;
        # queued only: the scheduler's sweep delivers them to the sandbox portal later.
        queued = backfill(deliver=False)
        self.stdout.write(f"Dossiers queued for the national portal: {queued.dossiers} new")
