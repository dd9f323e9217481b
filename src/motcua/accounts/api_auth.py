"""Bearer-token authentication for the API that checks a token once a minute.

django-oauth-toolkit looks every bearer token up in the database (with its application and
user) on every request: a fifth of an API call's time in the dossier benchmark. Here a valid
token's facts are kept in the Django cache for ``MOTCUA_BEARER_TOKEN_CACHE_SECONDS`` (default
60 seconds: an app's calls come in bursts, and most of a burst is then answered from the
cache): its id, application, scope and expiry, and of the person only ``USER_FACTS`` (id,
active, assurance level; no name, number or address). The request's person is built from
those; the first other field a view reads loads the whole row from the database (see
``User.refresh_from_db``), so names and contact details are always fresh.

A token revoked or changed through the ORM (``AccessToken.revoke()``, a refresh, the admin),
and every token of a person saved through the ORM (deactivated, assurance level raised), is
dropped from the cache at once; a change made behind Django's back (SQL, another deployment's
cache) takes effect within the cache lifetime. Expiry is checked on every request.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import get_access_token_model
from oauth2_provider.settings import oauth2_settings
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from .second_factor import OFFICER_SCOPE, set_verified

AccessToken = get_access_token_model()
CACHE_PREFIX = "motcua:bearer:"
# What a request's person is built from (with these field names); anything else is read when
# first used.
USER_FACTS = ("id", "is_active", "assurance_level")


def cache_seconds() -> int:
    """How long a checked token is trusted without the database; 0 turns the cache off."""
    return int(settings.MOTCUA_BEARER_TOKEN_CACHE_SECONDS)


def cache_key(token: str) -> str:
    # The token's SHA-256 (as DOT's ``token_checksum``): the token itself is never a key.
    return CACHE_PREFIX + hashlib.sha256(token.encode("utf-8")).hexdigest()


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, if that is how it came."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def required_scopes(request: Request) -> list[str]:
    """``read`` to read, ``write`` to change anything, and what the view asks on top
    (``required_scopes``), as DOT's ``TokenHasReadWriteScope`` reckons them."""
    view = (getattr(request, "parser_context", None) or {}).get("view")
    extra = list(getattr(view, "required_scopes", None) or [])
    if request.method in SAFE_METHODS:
        return [*extra, oauth2_settings.READ_SCOPE]
    return [*extra, oauth2_settings.WRITE_SCOPE]


def check_scope(request: Request, access_token: Any) -> None:
    """A bearer token is good only for what its scopes allow, on every API view.

    Checked here, where every token-authenticated request passes, rather than in each view's
    ``permission_classes`` (which a view replaces, and a new view could forget). Sessions are
    not concerned.
    """
    needed = required_scopes(request)
    if not access_token.allow_scopes(needed):
        raise exceptions.PermissionDenied(
            _("This token's scopes do not allow this request; it needs: %(scopes)s.")
            % {"scopes": " ".join(needed)}
        )


class CachedOAuth2Authentication(OAuth2Authentication):
    """DOT's ``OAuth2Authentication``, answering from the cache for a token checked lately."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = self._authenticate(request)
        if result is None:
            return None
        user, access_token = result
        if user is None:
            # A client-credentials token speaks for a system, not a person: no person's rights.
            check_scope(request, access_token)
            return AnonymousUser(), access_token
        check_scope(request, access_token)
        # Officer powers only for a token issued in a session that passed the second factor.
        set_verified(user, OFFICER_SCOPE in (access_token.scope or "").split())
        return user, access_token

    def _authenticate(self, request: Request) -> tuple[Any, Any] | None:
        token = bearer_token(request) if request is not None else None
        if token is None or cache_seconds() <= 0:
            return super().authenticate(request)
        key = cache_key(token)
        known = cache.get(key)
        if known is not None:
            found = self._from_cache(known, token)
            if found is not None:
                return found
            cache.delete(key)
        result = super().authenticate(request)
        if result is not None:
            self._remember(key, result[1])
        return result

    @staticmethod
    def _remember(key: str, access_token: Any) -> None:
        # Tokens restricted to a resource are checked against each request's URL by DOT.
        if getattr(access_token, "resource", None) or access_token.expires is None:
            return
        left = (access_token.expires - timezone.now()).total_seconds()
        seconds = min(cache_seconds(), int(left))
        if seconds < 1:
            return
        user = access_token.user
        facts = {
            "id": access_token.pk,
            "user_id": access_token.user_id,
            "user": [getattr(user, name) for name in USER_FACTS] if user else None,
            "application_id": access_token.application_id,
            "scope": access_token.scope,
            "expires": access_token.expires,
        }
        cache.set(key, facts, seconds)

    @staticmethod
    def _from_cache(facts: dict[str, Any], token: str) -> tuple[Any, Any] | None:
        expires: datetime.datetime = facts["expires"]
        if expires <= timezone.now() or facts.get("user_id") is None:
            return None
        known = facts.get("user")
        if known is None:
            return None
        user = get_user_model().from_db(DEFAULT_DB_ALIAS, list(USER_FACTS), known)
        # What DRF gives views as ``request.auth``, as DOT would have loaded it.
        access_token = AccessToken(
            pk=facts["id"],
            user=user,
            application_id=facts["application_id"],
            token=token,
            scope=facts["scope"],
            expires=expires,
        )
        access_token._state.adding = False
        return user, access_token


class CachedOAuth2Scheme(DjangoOAuthToolkitScheme):
    """The OpenAPI schema describes it as DOT's OAuth2 scheme, which it is."""

    target_class = "motcua.accounts.api_auth.CachedOAuth2Authentication"


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="motcua-bearer-cache-user")
def forget_tokens_of(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A person saved (deactivated, assurance raised …): their tokens' facts are read again."""
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # signing in on the web changes nothing a token's facts hold
    tokens = AccessToken.objects.filter(user_id=instance.pk).values_list("token", flat=True)
    cache.delete_many([cache_key(token) for token in tokens])


@receiver(post_save, sender=AccessToken, dispatch_uid="motcua-bearer-cache-saved")
@receiver(post_delete, sender=AccessToken, dispatch_uid="motcua-bearer-cache-deleted")
def forget_token(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A revoked, refreshed or edited token is checked against the database again."""
    if instance.token:
        cache.delete(cache_key(instance.token))
