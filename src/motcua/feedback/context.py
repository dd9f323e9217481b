"""What the dossier page needs to show the rating part."""

from __future__ import annotations

from typing import Any

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier

from .forms import RatingForm
from .models import Rating
from .services import can_rate


def for_dossier(dossier: Dossier, user: User, *, roles: set[str] | None = None) -> dict[str, Any]:
    rating = Rating.objects.filter(dossier=dossier).first()
    may_rate = rating is None and can_rate(user, dossier, roles=roles)
    return {"rating": rating, "rating_form": RatingForm() if may_rate else None}
