"""Who may see the synchronisation report and resend: the platform's administrators (staff
accounts, who also run the Django admin), past their second factor."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from motcua.errors import NotAllowed


def is_administrator(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def check_administrator(user: Any) -> None:
    if not is_administrator(user):
        raise NotAllowed(_("Only an administrator of the platform may do this."))
