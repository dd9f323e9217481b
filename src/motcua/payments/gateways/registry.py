"""Gateway engines by identifier, and the gateways configured in settings by name.

``settings.MOTCUA_PAYMENT_GATEWAYS`` maps a name to its engine and credentials::

    {"vnpay": {"ENGINE": "vnpay", "TMN_CODE": …, "HASH_SECRET": …,
               "PAYMENT_URL": …, "QUERY_URL": …}}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from django.conf import settings

from .base import PaymentGateway

T = TypeVar("T", bound=type[PaymentGateway])


class UnknownGateway(LookupError):
    pass


class Registry(Generic[T]):
    """Engines by identifier; a duplicate identifier is refused. Tests may build their own."""

    def __init__(self) -> None:
        self._engines: dict[str, T] = {}

    def register(self, engine: T) -> T:
        if engine.identifier in self._engines:
            raise ValueError(f"A payment gateway engine {engine.identifier!r} is registered.")
        self._engines[engine.identifier] = engine
        return engine

    def __getitem__(self, identifier: str) -> T:
        try:
            return self._engines[identifier]
        except KeyError:
            raise UnknownGateway(identifier) from None

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._engines

    def __iter__(self) -> Iterator[str]:
        return iter(self._engines)


engines: Registry[type[PaymentGateway]] = Registry()


def _load_engines() -> None:
    # Engine modules register themselves on import.
    from . import sandbox, vnpay  # noqa: F401


def gateway(name: str) -> PaymentGateway:
    """The configured gateway ``name``; sandbox ones only while the sandbox is on."""
    _load_engines()
    config = getattr(settings, "MOTCUA_PAYMENT_GATEWAYS", {}).get(name)
    if config is None:
        raise UnknownGateway(name)
    engine = engines[str(config.get("ENGINE", name))]
    if engine.sandbox and not getattr(settings, "MOTCUA_PAYMENT_SANDBOX_ENABLED", False):
        raise UnknownGateway(name)
    return engine(name, config)


def default_gateway() -> PaymentGateway:
    return gateway(settings.MOTCUA_PAYMENT_GATEWAY)


def configured() -> dict[str, list[str]]:
    """Each configured gateway and what its ``check_config`` says (for the admin)."""
    report: dict[str, list[str]] = {}
    for name in getattr(settings, "MOTCUA_PAYMENT_GATEWAYS", {}):
        try:
            report[name] = gateway(name).check_config()
        except UnknownGateway:
            report[name] = ["switched off or unknown engine"]
    return report
