"""Agency changes that other apps must hear about.

Agency names appear in the catalogue's filter list and which agencies serve a procedure
decides what an agency filter finds, so a change to an agency makes the catalogue's cached
searches obsolete (``motcua.catalog.cache``).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Agency


@receiver(post_save, sender=Agency, dispatch_uid="agencies-changed-catalog-cache-saved")
@receiver(post_delete, sender=Agency, dispatch_uid="agencies-changed-catalog-cache-deleted")
def agency_changed(**kwargs: Any) -> None:
    from motcua.catalog.cache import bump_catalog_version  # the catalogue builds on agencies

    bump_catalog_version()
