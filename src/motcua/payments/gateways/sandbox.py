"""The platform's side of the sandbox gateway: VNPay's protocol, pointed at ``/sandbox/pay/``.

Only usable while ``MOTCUA_PAYMENT_SANDBOX_ENABLED`` is true. With no
``MOTCUA_PAYMENT_BASE_URL`` (a developer's machine, the demo), the ``querydr`` request is
answered in-process by the sandbox with the same signed JSON it would send over HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.conf import settings

from .registry import payment_gateways
from .vnpay import VNPayGateway


@payment_gateways.register
class SandboxGateway(VNPayGateway):
    identifier: ClassVar[str] = "vnpay-sandbox"
    verbose_name: ClassVar[str] = "VNPay sandbox on this server (/sandbox/pay/)"
    is_sandbox: ClassVar[bool] = True
    sandbox_setting: ClassVar[str] = "MOTCUA_PAYMENT_SANDBOX_ENABLED"

    def post_json(self, url: str, body: Mapping[str, Any]) -> dict[str, Any]:
        if url.startswith("/") and not settings.MOTCUA_PAYMENT_BASE_URL:
            from ..sandbox import answer_querydr

            return answer_querydr(body)
        return super().post_json(url, body)
