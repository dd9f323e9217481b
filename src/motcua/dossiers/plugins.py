"""The dossiers app's plugins: the upload scanners register in ``scanners``."""

from . import scanners  # noqa: F401
