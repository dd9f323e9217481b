"""Gateway engines by identifier, and the gateways configured in settings by name.

``settings.MOTCUA_PAYMENT_GATEWAYS`` maps a name to its engine and credentials::

    {"vnpay": {"ENGINE": "vnpay", "TMN_CODE": …, "HASH_SECRET": …,
               "PAYMENT_URL": …, "QUERY_URL": …}}

Engines are plugins (``motcua.plugins``): a module in this package registers one with
``@payment_gateways.register``; ``motcua.payments.plugins`` imports every module here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.conf import settings

from motcua.plugins import Registry, UnknownPlugin

from .base import PaymentGateway

__all__ = ["Registry", "UnknownGateway", "configured", "gateway", "payment_gateways"]

# A gateway not configured, an unknown engine, or the sandbox while it is switched off.
UnknownGateway = UnknownPlugin

payment_gateways: Registry[PaymentGateway] = Registry(
    PaymentGateway, kind="payment_gateway", setting="MOTCUA_PAYMENT_GATEWAYS"
)


def gateway(name: str) -> PaymentGateway:
    """The configured gateway ``name``; sandbox ones only while the sandbox is on."""
    config = settings.MOTCUA_PAYMENT_GATEWAYS.get(name)
    if config is None:
        raise UnknownGateway(f"payment gateway {name!r} is not configured")
    engine = payment_gateways.usable(str(config.get("ENGINE", name)))
    return engine(name, config)


def default_gateway() -> PaymentGateway:
    return gateway(settings.MOTCUA_PAYMENT_GATEWAY)


@payment_gateways.selector
def configured_gateways() -> dict[str, Callable[[], PaymentGateway]]:
    """Every gateway configured in settings by name (built when asked), the one new payments
    use marked, but for sandbox gateways switched off: production keeps the sandbox's entry
    and never uses it."""
    selected: dict[str, Callable[[], PaymentGateway]] = {}
    for name, config in settings.MOTCUA_PAYMENT_GATEWAYS.items():
        engine = str(config.get("ENGINE", name))
        if engine in payment_gateways and not payment_gateways[engine].switched_on():
            continue
        default = " (new payments)" if name == settings.MOTCUA_PAYMENT_GATEWAY else ""
        selected[name + default] = partial(gateway, name)
    if settings.MOTCUA_PAYMENT_GATEWAY not in settings.MOTCUA_PAYMENT_GATEWAYS:
        selected["new payments"] = default_gateway  # reports the unknown name as a problem
    return selected


def configured() -> dict[str, list[str]]:
    """Each configured gateway and what its ``check_config`` says (for the admin)."""
    report: dict[str, list[str]] = {}
    for name in settings.MOTCUA_PAYMENT_GATEWAYS:
        try:
            report[name] = gateway(name).check_config()
        except UnknownGateway:
            report[name] = ["switched off or unknown engine"]
    return report
