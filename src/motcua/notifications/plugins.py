"""The notifications app's plugins: the channel backends register in ``backends``."""

from . import backends  # noqa: F401
