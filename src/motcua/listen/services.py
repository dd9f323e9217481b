"""Listening to a procedure: which version is read, asking for a recording, making it."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.catalog.models import Procedure, ProcedureVersion, PublicationStatus
from motcua.notifications.services import enqueue_with_transaction

from .models import ProcedureAudio
from .speech import SpeechUnavailable, Voice, selected_synthesiser
from .transcript import build_transcript

# Longer than any recording takes once a worker has it: past this the request was lost.
STALE_REQUEST = datetime.timedelta(minutes=10)


def latest_published_version(procedure: Procedure) -> ProcedureVersion | None:
    """The version the procedure page shows: the newest one recorded as published."""
    return (
        ProcedureVersion.objects.filter(procedure=procedure, status=PublicationStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )


def request_recording(version: ProcedureVersion, voice: str) -> ProcedureAudio:
    """The recording of ``version`` in ``voice``; asked of the background worker if new.

    Asked once: a second request while the first is waiting (or after it is made) finds the
    same row. One that failed, or that no worker took up in ``STALE_REQUEST``, is asked again
    (making it twice is harmless: the task does nothing once the file is there).
    """
    voice = Voice(voice).value
    recording = ProcedureAudio.objects.filter(version=version, voice=voice).first()
    if recording is None:
        try:
            with transaction.atomic():
                recording = ProcedureAudio.objects.create(version=version, voice=voice)
        except IntegrityError:  # asked at the same moment by someone else
            return ProcedureAudio.objects.get(version=version, voice=voice)
    elif recording.ready or (
        not recording.failure and recording.requested_at > timezone.now() - STALE_REQUEST
    ):
        return recording
    from .tasks import make_recording  # the task module imports this one

    enqueue_with_transaction(make_recording, recording.pk)
    return recording


def make_recording_now(recording_id: int) -> bool:
    """Read the version aloud and keep the file; False when it was already made."""
    recording = ProcedureAudio.objects.select_related("version").get(pk=recording_id)
    if recording.ready:
        return False
    transcript = build_transcript(recording.version)
    synthesiser = selected_synthesiser()
    try:
        audio = synthesiser.synthesise(transcript, recording.voice)
    except SpeechUnavailable as error:
        recording.failure = str(error)[:255]
        recording.save(update_fields=["failure"])
        raise
    name = f"{recording.version.procedure.code}-v{recording.version.number}-{recording.voice}"
    recording.transcript = transcript
    recording.content_type = synthesiser.content_type
    recording.synthesiser = synthesiser.identifier
    recording.failure = ""
    recording.generated_at = timezone.now()
    recording.audio.save(name + synthesiser.extension, ContentFile(audio), save=False)
    recording.save()
    return True
