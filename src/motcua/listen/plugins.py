"""The listen app's plugins: the speech synthesisers register in ``speech``."""

from . import speech  # noqa: F401
