"""Speech synthesisers, as plugins (``motcua.plugins``): text in, a WAV file's bytes out.

``MOTCUA_SPEECH_SYNTHESISER`` names the one in use. The default drives Debian's ``espeak-ng``,
which has the three Vietnamese variants; a better Vietnamese voice is a new plugin registered
with ``@speech_synthesisers.register`` offering the same voices.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.plugins import Plugin, Registry


class Voice(models.TextChoices):
    """The regional accents a listener chooses from."""

    NORTHERN = "north", _("Northern voice")
    CENTRAL = "central", _("Central voice")
    SOUTHERN = "south", _("Southern voice")


class SpeechUnavailable(RuntimeError):
    """The synthesiser cannot speak now (its program is missing or failed)."""


class SpeechSynthesiser(Plugin, ABC):
    content_type = "audio/wav"
    extension = ".wav"

    @abstractmethod
    def synthesise(self, text: str, voice: str) -> bytes:
        """The spoken ``text`` in ``voice`` (a ``Voice`` value), as the bytes of one file."""


speech_synthesisers: Registry[SpeechSynthesiser] = Registry(
    SpeechSynthesiser, kind="speech_synthesiser", setting="MOTCUA_SPEECH_SYNTHESISER"
)


@speech_synthesisers.register
class EspeakNg(SpeechSynthesiser):
    """Debian's ``espeak-ng`` (formant synthesis: robotic, but offline, free and fast)."""

    identifier = "espeak-ng"
    verbose_name = "eSpeak NG"
    program = "espeak-ng"
    # espeak-ng's names for the Vietnamese variants (``espeak-ng --voices=vi``).
    voices = {
        Voice.NORTHERN: "vi",
        Voice.CENTRAL: "vi-vn-x-central",
        Voice.SOUTHERN: "vi-vn-x-south",
    }
    words_per_minute = 150  # a little slower than its default 175: easier to follow

    def binary(self) -> str | None:
        return shutil.which(self.program)

    def check_config(self) -> list[str]:
        if self.binary() is None:
            return [f"{self.program} is not installed (Debian: apt-get install espeak-ng)."]
        return []

    def synthesise(self, text: str, voice: str) -> bytes:
        binary = self.binary()
        if binary is None:
            raise SpeechUnavailable(f"{self.program} is not installed.")
        # Written to a file, not to standard output: there espeak-ng cannot go back to fill in
        # the WAV header's sizes, and browsers would not know the length.
        with tempfile.TemporaryDirectory() as directory:
            target = Path(directory) / "speech.wav"
            try:
                # A fixed program and arguments; the text goes through standard input, so it is
                # never parsed as options whatever it holds.
                subprocess.run(  # noqa: S603
                    [
                        binary,
                        "-v",
                        self.voices[Voice(voice)],
                        "-s",
                        str(self.words_per_minute),
                        "--stdin",
                        "-w",
                        str(target),
                    ],
                    input=text.encode("utf-8"),
                    capture_output=True,
                    timeout=120,
                    check=True,
                )
                audio = target.read_bytes()
            except (subprocess.SubprocessError, OSError) as error:
                raise SpeechUnavailable(str(error)) from error
        if not audio.startswith(b"RIFF"):
            raise SpeechUnavailable(f"{self.program} gave no WAV audio.")
        return audio


def selected_synthesiser() -> SpeechSynthesiser:
    """The synthesiser ``MOTCUA_SPEECH_SYNTHESISER`` selects."""
    return speech_synthesisers.usable(str(settings.MOTCUA_SPEECH_SYNTHESISER))()


@speech_synthesisers.selector
def _selection() -> dict[str, Callable[[], SpeechSynthesiser]]:
    return {"procedure guidance": selected_synthesiser}
