"""Recordings are made by the background worker: a page never waits for speech synthesis."""

from __future__ import annotations

from django_tasks import task

from .services import make_recording_now


@task()
def make_recording(recording_id: int) -> bool:
    return make_recording_now(recording_id)
