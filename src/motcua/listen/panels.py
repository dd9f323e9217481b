"""The "Listen" control on the procedure page, registered with the catalogue's panels."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from motcua.catalog.cache import bump_catalog_version, catalog_cache
from motcua.catalog.models import Procedure
from motcua.catalog.panels import ProcedurePanel, procedure_panels

from .models import ProcedureAudio
from .services import latest_published_version
from .speech import Voice

VOICE_PARAMETER = "giong"


def chosen_voice(request: HttpRequest) -> str:
    voice = request.GET.get(VOICE_PARAMETER, "")
    return voice if voice in Voice.values else Voice.NORTHERN.value


def listen_context(request: HttpRequest, procedure: Procedure) -> dict[str, Any] | None:
    voice = chosen_voice(request)
    # Kept with the catalogue's cached pages: a recording asked for, made or failed changes
    # the catalogue version (below), so the page never shows an old state.
    state = catalog_cache(request).remember(
        "listen-panel",
        {"procedure": procedure.pk, "voice": voice},
        lambda: _recording_state(procedure, voice),
    )
    if not state["published"]:
        return None  # nothing published to read yet
    return {
        "procedure": procedure,
        "voices": Voice.choices,
        "voice": voice,
        "recording": state["recording"],
    }


def _recording_state(procedure: Procedure, voice: str) -> dict[str, Any]:
    version = latest_published_version(procedure)
    recording = (
        ProcedureAudio.objects.filter(version=version, voice=voice).first() if version else None
    )
    return {"published": version is not None, "recording": recording}


@receiver(post_save, sender=ProcedureAudio, dispatch_uid="listen-recording-saved")
@receiver(post_delete, sender=ProcedureAudio, dispatch_uid="listen-recording-deleted")
def _recording_changed(**kwargs: Any) -> None:
    bump_catalog_version()


procedure_panels.register(
    ProcedurePanel(identifier="listen", template="listen/panel.html", context=listen_context)
)
