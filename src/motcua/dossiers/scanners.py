"""Virus scanners for uploaded files, as plugins (``motcua.plugins``).

``MOTCUA_VIRUS_SCANNER`` names the scanner by identifier: "none" (the default: no scanning);
a ClamAV client would be a new plugin registered with ``@upload_scanners.register``. A dotted
path to a class with an ``is_clean(data)`` method is still accepted (older configurations).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string

from motcua.plugins import Plugin, Registry


class VirusScanner(Plugin, ABC):
    @abstractmethod
    def is_clean(self, data: bytes) -> bool: ...


upload_scanners: Registry[VirusScanner] = Registry(
    VirusScanner, kind="upload_scanner", setting="MOTCUA_VIRUS_SCANNER"
)


@upload_scanners.register
class NoScanner(VirusScanner):
    """Development default: no scanning. Production plugs in e.g. a ClamAV client."""

    identifier = "none"
    verbose_name = "No virus scanning"

    def is_clean(self, data: bytes) -> bool:
        return True


def selected_scanner() -> VirusScanner:
    """The scanner ``MOTCUA_VIRUS_SCANNER`` selects."""
    chosen = str(settings.MOTCUA_VIRUS_SCANNER)
    if "." in chosen:
        scanner: VirusScanner = import_string(chosen)()
        return scanner
    return upload_scanners.usable(chosen)()


@upload_scanners.selector
def _selection() -> dict[str, Callable[[], VirusScanner]]:
    return {"uploads": selected_scanner}
