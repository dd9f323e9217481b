"""The personal data store's plugins: connectors to national databases."""

from .connectors import national  # noqa: F401
