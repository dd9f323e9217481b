"""The national portal's clients register here (``motcua.plugins.autodiscover``)."""

from . import client  # noqa: F401
