"""Reads for the sandbox e-ID provider."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AccountType, SandboxAccessToken, SandboxAuthorizationCode, SandboxIdentity


def offered_identities() -> QuerySet[SandboxIdentity]:
    """The demo identities a tester may sign in as, citizens first."""
    return SandboxIdentity.objects.filter(is_active=True).order_by("account_type", "name", "pk")


def identities_by_kind() -> tuple[list[SandboxIdentity], list[SandboxIdentity]]:
    """(citizens, businesses) among the offered identities."""
    identities = list(offered_identities())
    citizens = [i for i in identities if i.account_type == AccountType.CITIZEN]
    businesses = [i for i in identities if i.account_type == AccountType.BUSINESS]
    return citizens, businesses


def find_authorization_code(code: str, client_id: str) -> SandboxAuthorizationCode | None:
    """The code issued to ``client_id``, used or not, expired or not."""
    return (
        SandboxAuthorizationCode.objects.select_related("identity")
        .filter(code=code, client_id=client_id)
        .first()
    )


def nonce_was_used(client_id: str, nonce: str) -> bool:
    """Whether a code was already issued for this nonce (OpenID Connect Core §15.5.2)."""
    return SandboxAuthorizationCode.objects.filter(client_id=client_id, nonce=nonce).exists()


def find_access_token(token: str) -> SandboxAccessToken | None:
    return SandboxAccessToken.objects.select_related("identity").filter(token=token).first()
