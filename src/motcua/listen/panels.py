"""The "Listen" control on the procedure page, registered with the catalogue's panels."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from motcua.catalog.models import Procedure
from motcua.catalog.panels import ProcedurePanel, procedure_panels
from motcua.catalog.selectors import published_version_id

from .models import ProcedureAudio
from .speech import Voice

VOICE_PARAMETER = "giong"


def chosen_voice(request: HttpRequest) -> str:
    voice = request.GET.get(VOICE_PARAMETER, "")
    return voice if voice in Voice.values else Voice.NORTHERN.value


def listen_context(request: HttpRequest, procedure: Procedure) -> dict[str, Any] | None:
    version_id = published_version_id(procedure)  # cached with the catalogue: no query
    if version_id is None:
        return None  # nothing published to read yet
    voice = chosen_voice(request)
    recording = ProcedureAudio.objects.filter(version_id=version_id, voice=voice).first()
    return {
        "procedure": procedure,
        "voices": Voice.choices,
        "voice": voice,
        "recording": recording,
    }


procedure_panels.register(
    ProcedurePanel(identifier="listen", template="listen/panel.html", context=listen_context)
)
