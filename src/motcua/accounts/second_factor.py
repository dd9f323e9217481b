"""Officer powers only after the second factor; enrolling it needs more than the password.

Whether a person passed the second factor travels with the person object of the request:

- a browser session: django-otp's ``OTPMiddleware`` gives ``request.user`` an ``is_verified()``
  that is true once this session passed the TOTP check;
- a bearer token: ``api_auth`` gives the token's person an ``is_verified()`` that is true only
  for a token holding the ``officer`` scope, which the authorization server grants only in a
  session that passed the second factor (``oauth.MotcuaOAuth2Validator``).

A person object without it (loaded by code rather than by a request) is not verified: officer
powers fail closed. ``dossiers.access.officer_roles`` asks ``passed_second_factor`` first, so
without the second factor an officer has a citizen's rights alone, on every page and API view.

Enrolling a first authenticator needs, besides the signed-in password, one of: a one-time
enrolment code an administrator issued for this person, or a sign-in in this session with the
national e-ID at assurance level 2.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import AssuranceLevel, AuditAction, SecondFactorEnrolment, User

OFFICER_SCOPE = "officer"
# Session keys: the assurance level the national e-ID asserted at this session's sign-in, and
# the enrolment code this session redeemed (its row id) while the authenticator is being added.
EID_LEVEL_SESSION_KEY = "motcua_eid_level"
ENROLMENT_SESSION_KEY = "motcua_second_factor_enrolment"
# Enrolment codes: 16 characters of an alphabet without look-alikes, typed in groups of four.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16


def passed_second_factor(user: Any) -> bool:
    """True when this person object comes from a session or token that passed the second factor."""
    is_verified = getattr(user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def set_verified(user: Any, verified: bool) -> None:
    """Record on ``user`` (a token's person) whether it acts with the second factor passed."""
    user.is_verified = lambda: verified


# --- enrolment codes -------------------------------------------------------------------------


def _digest(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode("ascii", "ignore")).hexdigest()


def enrolment_lifetime() -> datetime.timedelta:
    hours = int(settings.MOTCUA_SECOND_FACTOR_ENROLMENT_HOURS)
    return datetime.timedelta(hours=hours)


@transaction.atomic
def issue_enrolment_code(*, user: User, issued_by: User | None) -> str:
    """A new one-time code for ``user`` to enrol an authenticator; earlier unused ones end.

    Only its SHA-256 is stored: the code is shown once, to the administrator who hands it over.
    """
    from .services import audit

    now = timezone.now()
    unused = SecondFactorEnrolment.objects.filter(user=user, used_at__isnull=True)
    unused.filter(expires_at__gt=now).update(expires_at=now)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    SecondFactorEnrolment.objects.create(
        user=user,
        code_hash=_digest(code),
        issued_by=issued_by,
        expires_at=now + enrolment_lifetime(),
    )
    audit(AuditAction.SECOND_FACTOR_CODE_ISSUED, actor=issued_by, subject_user=user)
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def valid_enrolment(user: User, *, code: str | None = None, pk: int | None = None) -> Any:
    """The unused, unexpired enrolment of ``user`` matching ``code`` (or its id), else None."""
    found = SecondFactorEnrolment.objects.filter(
        user=user, used_at__isnull=True, expires_at__gt=timezone.now()
    )
    if code is not None:
        found = found.filter(code_hash=_digest(code))
    elif pk is not None:
        found = found.filter(pk=pk)
    else:
        return None
    return found.first()


def eid_level_2_session(request: HttpRequest) -> bool:
    """This session signed in through the national e-ID at assurance level 2."""
    level = request.session.get(EID_LEVEL_SESSION_KEY) or 0
    return int(level) >= AssuranceLevel.LEVEL_2


def may_enrol(request: HttpRequest, user: User) -> bool:
    """More than the password: a redeemed enrolment code or a level-2 e-ID sign-in."""
    if eid_level_2_session(request):
        return True
    pk = request.session.get(ENROLMENT_SESSION_KEY)
    return pk is not None and valid_enrolment(user, pk=int(pk)) is not None


def redeem(request: HttpRequest, user: User, code: str) -> bool:
    enrolment = valid_enrolment(user, code=code)
    if enrolment is None:
        return False
    request.session[ENROLMENT_SESSION_KEY] = enrolment.pk
    return True


def enrolment_done(request: HttpRequest, user: User) -> None:
    """The authenticator is confirmed: the code this session redeemed is used up."""
    pk = request.session.pop(ENROLMENT_SESSION_KEY, None)
    if pk is not None:
        SecondFactorEnrolment.objects.filter(pk=pk, user=user, used_at__isnull=True).update(
            used_at=timezone.now()
        )
