"""The results app's plugins: the signing key stores register in ``signing``."""

from . import signing  # noqa: F401
