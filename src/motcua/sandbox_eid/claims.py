"""The sandbox e-ID's claims: the contract a relying party can build on.

Modelled on what the national portal's OpenID Connect service returns for a VNeID account
(DOMAIN.md §7). The same claims appear in the ID token and in the userinfo response; the
sandbox releases all of them for ``scope=openid`` (as the national service does), the scopes
``profile``, ``email``, ``phone`` and ``address`` are accepted and change nothing. A claim
whose value is empty for an account (a citizen's ``tax_code``, a business's ``birthdate``…)
is left out.

==========================  ===========  =========================================================
claim                       type         meaning
==========================  ===========  =========================================================
``sub``                     string       stable, opaque identifier of the account (a UUID)
``account_type``            int          1 citizen (công dân), 2 business (tổ chức, doanh nghiệp)
``personal_id``             string       12-digit CCCD; for a business its legal
                                         representative's CCCD
``tax_code``                string       businesses: 10-digit tax code (13 with branch suffix)
``name``                    string       full name, or the business's name
``representative_name``     string       businesses: the legal representative's full name
``birthdate``               string       citizens: ``YYYY-MM-DD``
``gender``                  string       citizens: ``"male"`` or ``"female"``
``permanent_address``       object       thường trú: ``{"province_code": 48, "ward_code": 20242,
                                         "street": "12 Bạch Đằng"}``; codes are the post-2025
                                         divisions of ``vietnam-provinces``
``current_address``         object       nơi ở hiện tại, same shape
``email``                   string       e-mail address
``phone_number``            string       E.164, e.g. ``+84900000001``
``acr``                     string       asserted assurance level, ``"1"`` or ``"2"``: the
                                         identity's real level, whatever ``acr_values`` asked
``assurance_level``         string       the same value under the portal's own name
==========================  ===========  =========================================================

The ID token adds ``iss`` (the provider's URL ending in ``/sandbox/eid``), ``aud`` (the
client_id), ``iat``, ``exp`` (10 minutes), ``auth_time`` (when the tester chose the identity),
``nonce`` (when the request had one) and ``at_hash``; it is signed RS256 with a key from the
JWKS, named by ``kid``.
"""

from __future__ import annotations

from typing import Any

from .models import SandboxIdentity, ward_or_none

IDENTITY_CLAIMS = (
    "sub",
    "account_type",
    "personal_id",
    "tax_code",
    "name",
    "representative_name",
    "birthdate",
    "gender",
    "permanent_address",
    "current_address",
    "email",
    "phone_number",
)
ASSURANCE_CLAIMS = ("acr", "assurance_level")
ID_TOKEN_CLAIMS = ("iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash")
CLAIMS_SUPPORTED = [*ID_TOKEN_CLAIMS, *IDENTITY_CLAIMS, *ASSURANCE_CLAIMS]


def address_claim(ward_code: int, street: str) -> dict[str, Any]:
    """An address object: province and ward codes (``vietnam-provinces``) and the street."""
    ward = ward_or_none(ward_code)
    return {
        "province_code": int(ward.province_code) if ward else None,
        "ward_code": ward_code,
        "street": street,
    }


def identity_claims(identity: SandboxIdentity) -> dict[str, Any]:
    """The identity claims of an account (everything but the assurance level)."""
    claims: dict[str, Any] = {
        "sub": identity.sub,
        "account_type": int(identity.account_type),
        "personal_id": identity.personal_id,
        "tax_code": identity.tax_code,
        "name": identity.name,
        "representative_name": identity.representative_name,
        "birthdate": identity.birthdate.isoformat() if identity.birthdate else "",
        "gender": identity.gender,
        "permanent_address": address_claim(identity.permanent_ward_code, identity.permanent_street),
        "current_address": address_claim(identity.current_ward_code, identity.current_street),
        "email": identity.email,
        "phone_number": identity.phone_number,
    }
    return {name: value for name, value in claims.items() if value not in ("", None)}


def assurance_claims(acr: str) -> dict[str, str]:
    """The asserted assurance level, under the OIDC name and the portal's own."""
    return {"acr": acr, "assurance_level": acr}


def all_claims(identity: SandboxIdentity, acr: str) -> dict[str, Any]:
    """Everything the userinfo endpoint returns (the ID token carries the same claims)."""
    return {**identity_claims(identity), **assurance_claims(acr)}
