"""Operations that change the sandbox e-ID provider's state: keys, codes, tokens.

An authorization code lives 5 minutes and is good for one use (RFC 6749 §4.1.2 recommends at
most 10); access tokens and ID tokens live 10 minutes.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from joserfc.jwk import KeyParameters, KeySet, RSAKey

from .models import (
    SandboxAccessToken,
    SandboxAuthorizationCode,
    SandboxIdentity,
    SandboxSigningKey,
)

CODE_LIFETIME = datetime.timedelta(minutes=5)
ACCESS_TOKEN_LIFETIME = datetime.timedelta(minutes=10)
ID_TOKEN_LIFETIME = datetime.timedelta(minutes=10)
# Used codes are kept a while after they expire, so a replayed code is recognised as such.
KEEP_EXPIRED = datetime.timedelta(days=1)
RSA_KEY_SIZE = 2048

_loaded_keys: dict[str, RSAKey] = {}


# --- signing keys ----------------------------------------------------------------------------


def key_parameters(kid: str | None = None) -> KeyParameters:
    """What every published key says about itself: a signature key for RS256."""
    parameters: KeyParameters = {"use": "sig", "alg": "RS256"}
    if kid:
        parameters["kid"] = kid
    return parameters


def _load_key(row: SandboxSigningKey) -> RSAKey:
    key = _loaded_keys.get(row.kid)
    if key is None:
        key = RSAKey.import_key(row.private_pem, parameters=key_parameters(row.kid))
        _loaded_keys[row.kid] = key
    return key


def current_signing_key() -> SandboxSigningKey:
    """The newest signing key; on first use, generate a 2048-bit RSA key and store it.

    Stored in the database, the key survives restarts and is the same in every app-server
    process. If two processes generate one at the same moment both keys are kept and
    published; everyone then signs with the newest.
    """
    row = SandboxSigningKey.objects.order_by("-created_at", "-pk").first()
    if row is not None:
        return row
    key = RSAKey.generate_key(RSA_KEY_SIZE, parameters=key_parameters(), auto_kid=True)
    with transaction.atomic():
        SandboxSigningKey.objects.get_or_create(
            kid=str(key.kid), defaults={"private_pem": key.as_pem(private=True).decode()}
        )
    newest = SandboxSigningKey.objects.order_by("-created_at", "-pk").first()
    assert newest is not None
    return newest


def signing_key_set() -> KeySet:
    """Every stored key (private), for signing: joserfc picks the one the header's kid names."""
    current_signing_key()
    return KeySet([_load_key(row) for row in SandboxSigningKey.objects.all()])


def public_jwks() -> dict[str, list[dict[str, object]]]:
    """The JSON Web Key Set (RFC 7517 §5) of the public halves of every stored key."""
    current_signing_key()
    return {
        "keys": [
            dict(_load_key(row).as_dict(private=False))
            for row in SandboxSigningKey.objects.order_by("-created_at", "-pk")
        ]
    }


# --- authorization codes and tokens ----------------------------------------------------------


def purge_expired(now: datetime.datetime | None = None) -> None:
    """Forget codes and tokens that expired more than a day ago (their tokens go with them)."""
    cutoff = (now or timezone.now()) - KEEP_EXPIRED
    SandboxAccessToken.objects.filter(expires_at__lt=cutoff).delete()
    SandboxAuthorizationCode.objects.filter(expires_at__lt=cutoff).delete()


@transaction.atomic
def create_authorization_code(
    *,
    code: str,
    client_id: str,
    redirect_uri: str,
    scope: str,
    nonce: str,
    code_challenge: str,
    code_challenge_method: str,
    identity: SandboxIdentity,
) -> SandboxAuthorizationCode:
    """Issue a one-time code for the identity the tester chose; ``acr`` is its real level."""
    now = timezone.now()
    purge_expired(now)
    return SandboxAuthorizationCode.objects.create(
        code=code,
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope=scope,
        nonce=nonce,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
        identity=identity,
        acr=identity.assurance_level,
        auth_time=now,
        expires_at=now + CODE_LIFETIME,
    )


def revoke_tokens_of(code: SandboxAuthorizationCode) -> int:
    """Revoke the tokens issued for a code presented twice (RFC 6749 §4.1.2)."""
    return SandboxAccessToken.objects.filter(authorization_code=code).update(revoked=True)


@transaction.atomic
def redeem_authorization_code(code: SandboxAuthorizationCode) -> bool:
    """Mark the code used, atomically; ``False`` (and its tokens revoked) if it already was."""
    claimed = SandboxAuthorizationCode.objects.filter(pk=code.pk, used=False).update(used=True)
    if not claimed:
        revoke_tokens_of(code)
        return False
    code.used = True
    return True


def create_access_token(
    *,
    token: str,
    identity: SandboxIdentity,
    client_id: str,
    scope: str,
    acr: str,
    expires_in: int,
    authorization_code: SandboxAuthorizationCode | None,
) -> SandboxAccessToken:
    now = timezone.now()
    return SandboxAccessToken.objects.create(
        token=token,
        identity=identity,
        client_id=client_id,
        scope=scope,
        acr=acr,
        issued_at=now,
        expires_at=now + datetime.timedelta(seconds=expires_in),
        authorization_code=authorization_code,
    )
