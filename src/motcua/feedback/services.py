"""Rating a returned dossier: by its applicant, once."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers.access import roles_for
from motcua.dossiers.lifecycle import Actor, Status
from motcua.dossiers.models import Dossier
from motcua.errors import DomainError

from .models import Question, Rating, RatingAnswer, Satisfaction

COMMENT_LIMIT = 2000


class RatingError(DomainError):
    """A refused rating; ``str()`` is a translated message for the person."""


def can_rate(user: User, dossier: Dossier, *, roles: set[str] | None = None) -> bool:
    return (
        dossier.status == Status.RETURNED
        and Actor.APPLICANT in (roles if roles is not None else roles_for(user, dossier))
        and not Rating.objects.filter(dossier=dossier).exists()
    )


def rate(
    *,
    dossier: Dossier,
    user: User,
    value: int,
    comment: str = "",
    answers: Mapping[str, int] | None = None,
) -> Rating:
    """Record the applicant's rating: the overall value and, from the page, the answer to
    every criterion of the index's survey (``Question``; all or none)."""
    if Actor.APPLICANT not in roles_for(user, dossier):
        raise RatingError(_("Only the applicant may rate this dossier."))
    if dossier.status != Status.RETURNED:
        raise RatingError(_("A dossier can be rated once its result has been returned."))
    if value not in Satisfaction.values:
        raise RatingError(_("Choose satisfied, normal or dissatisfied."))
    answers = dict(answers or {})
    if answers and (
        set(answers) != set(Question.values)
        or any(v not in Satisfaction.values for v in answers.values())
    ):
        raise RatingError(_("Answer every question with satisfied, normal or dissatisfied."))
    comment = comment.strip()
    if len(comment) > COMMENT_LIMIT:
        raise RatingError(
            _("The comment is too long (at most %(limit)s characters).") % {"limit": COMMENT_LIMIT}
        )
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier,
                agency=dossier.processing_unit or dossier.receiving_agency,
                value=value,
                comment=comment,
                rated_by=user,
            )
            RatingAnswer.objects.bulk_create(
                RatingAnswer(rating=rating, question=q, value=v) for q, v in answers.items()
            )
            return rating
    except IntegrityError:
        # The one-to-one key makes "once per dossier" hold under concurrent posts too.
        raise RatingError(_("This dossier has already been rated.")) from None
