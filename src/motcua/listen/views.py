"""Asking for a procedure read aloud, and the recording itself (public, as the page is)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from motcua.catalog.selectors import published_procedures

from .models import ProcedureAudio
from .panels import VOICE_PARAMETER
from .services import latest_published_version, request_recording
from .speech import Voice


@require_POST
def listen(request: HttpRequest, code: str) -> HttpResponse:
    """The "Listen" button: ask for the recording, then back to the page where it plays."""
    procedure = get_object_or_404(published_procedures(), code=code)
    voice = request.POST.get("voice", "")
    if voice not in Voice.values:
        voice = Voice.NORTHERN.value
    version = latest_published_version(procedure)
    if version is None:
        raise Http404
    request_recording(version, voice)
    page = reverse("catalog:procedure", kwargs={"code": code})
    return redirect(f"{page}?{VOICE_PARAMETER}={voice}#nghe")


@require_GET
def recording(request: HttpRequest, code: str, pk: int) -> FileResponse:
    found = get_object_or_404(
        ProcedureAudio.objects.select_related("version__procedure"),
        pk=pk,
        version__procedure__code=code,
    )
    if not found.ready:
        raise Http404
    response = FileResponse(found.audio.open("rb"), content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # A recording never changes (a new version is a new recording): cache it for long.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
