"""The sandbox e-ID as the platform's e-ID provider plugin (``MOTCUA_EID_PROVIDER=sandbox``).

Refused while ``MOTCUA_SANDBOX_ENABLED`` is off, as every page of the sandbox is.
"""

from __future__ import annotations

from django.http import HttpRequest

from motcua.accounts.eid import EidProvider, eid_providers

from .clients import DEFAULT_CLIENT_ID, default_client_secret

DISCOVERY_PATH = "/sandbox/eid/.well-known/openid-configuration"


@eid_providers.register
class SandboxEidProvider(EidProvider):
    """The sandbox provider on this same server, with its default client."""

    identifier = "sandbox"
    verbose_name = "Sandbox national e-ID on this server (/sandbox/eid/)"
    is_sandbox = True
    sandbox_setting = "MOTCUA_SANDBOX_ENABLED"

    def discovery_url(self, request: HttpRequest) -> str:
        return request.build_absolute_uri(DISCOVERY_PATH)

    def client_credentials(self) -> tuple[str, str]:
        return DEFAULT_CLIENT_ID, default_client_secret()
