"""Sandbox định danh điện tử: a local stand-in for the national e-ID (VNeID) OpenID Connect service.

It lets the platform's whole e-ID sign-in (authorization code flow with PKCE, DOMAIN.md §7) run
on one machine. It answers only when ``settings.MOTCUA_SANDBOX_ENABLED`` is true, and every page
says it is a sandbox. Endpoints, under ``/sandbox/eid/``:

* ``.well-known/openid-configuration`` (discovery), ``jwks``;
* ``authorize`` (the tester picks a demo identity), ``token``, ``userinfo``.

A relying party on this server configures its OIDC client with the discovery URL
``<site>/sandbox/eid/.well-known/openid-configuration``, client id ``motcua-platform``, the
secret ``motcua.sandbox_eid.clients.default_client_secret()``, the redirect URI
``<site>/accounts/eid/callback/``, ``scope=openid``, PKCE S256, a ``nonce`` and
``acr_values=2`` if it wants level 2. The claims it receives are described in ``claims``.
"""
