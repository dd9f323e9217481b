"""One way to plug an integration into the platform (ADR 0005).

Each kind of integration (payment gateways, signing backends, notification channels, upload
scanners, e-ID providers) has its own base class deriving from ``Plugin`` and one
``Registry`` of it, declared with a ``kind`` so that ``registries()`` lists them all (what
``manage.py check_integrations`` reports). A plugin is a class registered by one decorator
line in its own module::

    @notification_channels.register
    class SmsGatewayChannel(NotificationChannel):
        identifier = "viettel-sms"
        verbose_name = "Viettel SMS gateway"

Settings choose plugins by identifier. Registration happens on import: ``autodiscover()``
imports the ``plugins`` module of every installed app (as the admin does with ``admin``
modules), so a new plugin module is imported from its app's ``plugins.py`` and nowhere else.
A sandbox plugin names the setting that switches its sandbox on and is refused while it is off.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from django.conf import settings
from django.utils.module_loading import autodiscover_modules


class UnknownPlugin(LookupError):
    """No plugin of this kind has that identifier (or it is a sandbox switched off)."""


class SandboxSwitchedOff(UnknownPlugin):
    """A sandbox plugin asked for while its sandbox switch is off: unknown as far as callers go."""


class DuplicatePlugin(ValueError):
    """Two plugins of one kind claim the same identifier."""


class Plugin:
    """What every plugin declares: who it is, whether it is a stand-in, what it lacks."""

    identifier: ClassVar[str]
    verbose_name: ClassVar[str] = ""
    # A local stand-in for an external system (demo, development, tests).
    is_sandbox: ClassVar[bool] = False
    # The boolean setting that must be true for this sandbox to be used; "" when none.
    sandbox_setting: ClassVar[str] = ""

    def check_config(self) -> list[str]:
        """What is missing or unreachable in its configuration (empty: usable)."""
        return []

    @classmethod
    def switched_on(cls) -> bool:
        """A sandbox is usable only while its switch is on (read on every use).

        Every switch is declared in settings.py; one missing all the same (a test deleting it)
        counts as off: a sandbox fails closed.
        """
        if not cls.sandbox_setting:
            return True
        return bool(getattr(settings, cls.sandbox_setting, False))


P = TypeVar("P", bound=Plugin)
C = TypeVar("C", bound=type[Plugin])

# What the settings select, by use, each as a function building the configured plugin.
Selection = Callable[[], Mapping[str, Callable[[], P]]]

_registries: dict[str, Registry[Plugin]] = {}


class Registry(Generic[P]):
    """Plugin classes of one kind by identifier; a duplicate identifier is refused.

    ``kind`` enters the registry in the platform's index (``registries()``); tests build
    anonymous registries of their own. ``setting`` names the setting that chooses plugins of
    this kind, and the function given to ``selector`` what it chooses (see ``selected``).
    """

    def __init__(self, base: type[Plugin], *, kind: str = "", setting: str = "") -> None:
        self.base = base
        self.kind = kind
        self.setting = setting  # the setting that selects plugins of this kind
        self._plugins: dict[str, type[P]] = {}
        self._selection: Selection[P] | None = None
        if kind:
            if kind in _registries:
                raise DuplicatePlugin(f"A registry of kind {kind!r} exists.")
            _registries[kind] = self  # type: ignore[assignment]

    def register(self, plugin: C) -> C:
        """Class decorator: add ``plugin`` under its ``identifier``."""
        candidate: type[Plugin] = plugin  # checked without narrowing the decorator's type
        if not issubclass(candidate, self.base):
            raise TypeError(f"{candidate.__name__} is not a {self.base.__name__}.")
        identifier = candidate.identifier
        if identifier in self._plugins:
            raise DuplicatePlugin(
                f"A {self.kind or self.base.__name__} plugin {identifier!r} is registered."
            )
        self._plugins[identifier] = plugin  # type: ignore[assignment]
        return plugin

    def unregister(self, identifier: str) -> None:
        """Remove a plugin (tests that register one of their own take it out again)."""
        self._plugins.pop(identifier, None)

    def __getitem__(self, identifier: str) -> type[P]:
        """The plugin class ``identifier``, sandbox or not; ``UnknownPlugin`` otherwise."""
        autodiscover()
        try:
            return self._plugins[identifier]
        except KeyError:
            raise UnknownPlugin(f"{self.kind or self.base.__name__}: {identifier!r}") from None

    def usable(self, identifier: str) -> type[P]:
        """As ``[identifier]``, refusing a sandbox whose switch is off."""
        plugin = self[identifier]
        if not plugin.switched_on():
            raise SandboxSwitchedOff(
                f"{self.kind or self.base.__name__}: {identifier!r} needs {plugin.sandbox_setting}"
            )
        return plugin

    def __contains__(self, identifier: object) -> bool:
        autodiscover()
        return identifier in self._plugins

    def __iter__(self) -> Iterator[type[P]]:
        autodiscover()
        return iter(list(self._plugins.values()))

    def selector(self, function: Selection[P]) -> Selection[P]:
        """Decorator naming the function that says which plugins the settings select."""
        self._selection = function
        return function

    def selected(self) -> Mapping[str, Callable[[], P]]:
        """What the settings select, by use (a channel, a gateway's name, …): for each, a
        function building the configured plugin, raising when the settings name a bad one."""
        if self._selection is None:
            return {}
        return self._selection()


def registries() -> dict[str, Registry[Plugin]]:
    """Every registry of the platform by kind, with every plugin registered."""
    autodiscover()
    return dict(sorted(_registries.items()))


@dataclass(frozen=True)
class SelectedPlugin:
    """One use the settings select a plugin for, and what its ``check_config`` says."""

    kind: str
    use: str  # the channel, gateway name … it serves
    identifier: str  # empty when the settings name no usable plugin
    is_sandbox: bool
    problems: tuple[str, ...]


def check_selected() -> list[SelectedPlugin]:
    """Every plugin the settings select, in every registry, with its problems (empty: ready)."""
    report = []
    for kind, registry in registries().items():
        for use, build in registry.selected().items():
            try:
                plugin = build()
            except Exception as exc:  # a bad selection is a problem to show, not a crash
                report.append(SelectedPlugin(kind, use, "", False, (str(exc) or repr(exc),)))
                continue
            problems = tuple(plugin.check_config())
            report.append(SelectedPlugin(kind, use, plugin.identifier, plugin.is_sandbox, problems))
    return report


_discovered = False


def autodiscover() -> None:
    """Import each installed app's ``plugins`` module once, so that its plugins register."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    try:
        autodiscover_modules("plugins")
    except BaseException:
        _discovered = False
        raise


def import_submodules(package: str) -> None:
    """Import every module of ``package``: modules there register themselves on import."""
    for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
        importlib.import_module(f"{package}.{module.name}")
