"""List every plugin registry, its plugins, what the settings select and what each lacks.

Exit status 0, or 1 with ``--fail-on-problems`` when a selected plugin reports a problem (a
deployment's health check runs it that way).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.plugins import Plugin, check_selected, registries


def sandbox_note(plugin: type[Plugin]) -> str:
    if not plugin.is_sandbox:
        return ""
    if not plugin.sandbox_setting:
        return "  [sandbox]"
    state = "on" if plugin.switched_on() else "off"
    return f"  [sandbox, {plugin.sandbox_setting}: {state}]"


class Command(BaseCommand):
    help = (
        "List each integration plugin registry (payment gateways, signing backends, "
        "notification channels, upload scanners, e-ID providers), the plugins registered, "
        "the ones the settings select and their configuration problems."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fail-on-problems",
            action="store_true",
            help="Exit with status 1 when a selected plugin reports a configuration problem.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        selected = check_selected()
        for kind, registry in registries().items():
            chooser = f" (chosen by {registry.setting})" if registry.setting else ""
            self.stdout.write(f"{kind}{chooser}")
            for plugin in registry:
                name = plugin.verbose_name or plugin.__name__
                self.stdout.write(f"  {plugin.identifier}: {name}{sandbox_note(plugin)}")
            for entry in (entry for entry in selected if entry.kind == kind):
                chosen = entry.identifier or "-"
                if entry.is_sandbox:
                    chosen += " (sandbox)"
                status = "problems: " + "; ".join(entry.problems) if entry.problems else "ready"
                self.stdout.write(f"  selected for {entry.use}: {chosen}, {status}")
        troubled = [entry for entry in selected if entry.problems]
        summary = f"{len(selected)} selected, {len(troubled)} with problems"
        if settings.MOTCUA_SANDBOX_ENABLED:
            summary += " (sandboxes switched on)"
        self.stdout.write(summary)
        if troubled and options["fail_on_problems"]:
            raise CommandError(f"{len(troubled)} selected plugin(s) have configuration problems.")
