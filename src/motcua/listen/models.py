"""Spoken guidance: one recording per procedure version and voice, made once and kept."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import ProcedureVersion

from .speech import Voice


class ProcedureAudio(models.Model):
    """The guidance of one procedure version read aloud in one voice, with what was read.

    The row is made when someone asks to listen (pending: no file yet); the background task
    fills in the file. A new version of the procedure is a new row: old recordings stay true
    to the version they read.
    """

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("procedure version"),
        on_delete=models.CASCADE,
        related_name="audio",
    )
    voice = models.CharField(_("voice"), max_length=16, choices=Voice.choices)
    transcript = models.TextField(_("transcript"), blank=True)
    audio = models.FileField(_("audio"), upload_to="listen/%Y/%m/", blank=True)
    content_type = models.CharField(_("content type"), max_length=40, blank=True)
    synthesiser = models.CharField(_("speech synthesiser"), max_length=60, blank=True)
    failure = models.CharField(_("failure"), max_length=255, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("procedure recording")
        verbose_name_plural = _("procedure recordings")
        constraints = [
            models.UniqueConstraint(fields=["version", "voice"], name="procedure_audio_once")
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.voice})"

    @property
    def ready(self) -> bool:
        return bool(self.audio)
