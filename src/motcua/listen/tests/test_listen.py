"""Listening to a procedure: recorded once per version and voice, served with its transcript."""

from __future__ import annotations

import datetime
import re
import shutil
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from motcua.agencies.tests.factories import AgencyFactory
from motcua.catalog import services as catalog_services
from motcua.catalog.models import Component, Procedure
from motcua.catalog.tests.factories import make_procedure
from motcua.listen import speech
from motcua.listen.models import ProcedureAudio
from motcua.listen.services import latest_published_version
from motcua.listen.speech import EspeakNg, Voice, speech_synthesisers
from motcua.listen.transcript import build_transcript
from motcua.plugins import registries

pytestmark = pytest.mark.django_db

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (scripts/test installs it: apt-get install espeak-ng)",
)


@pytest.fixture
def procedure() -> Procedure:
    found = make_procedure(
        code="1.001193",
        name="Đăng ký khai sinh",
        agencies=[AgencyFactory.create(code="H17.50.01", name="Ủy ban nhân dân phường Hải Châu")],
    )
    case = found.cases.get()
    case.fee = 8000
    case.fee_description = "cấp bản sao trích lục"
    case.save()
    Component.objects.create(case=case, name="Tờ khai đăng ký khai sinh", originals=1)
    Component.objects.create(case=case, name="Giấy chứng sinh", originals=1)
    catalog_services.record_version(procedure=found, actor=None, note="documents")
    return found


@pytest.fixture
def listen(client: Client, django_capture_on_commit_callbacks: Any) -> Any:
    """Press "Listen": the task is enqueued once the request's transaction commits."""

    def press(voice: str, code: str = "1.001193") -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/thu-tuc/{code}/nghe/", {"voice": voice})

    return press


def audio_source(text: str) -> str:
    match = re.search(r'<audio controls[^>]* src="([^"]+)"', text)
    assert match, "no audio element with a source"
    return match.group(1)


def test_the_transcript_reads_the_guidance_of_the_latest_version(procedure: Procedure) -> None:
    version = latest_published_version(procedure)
    assert version is not None and version.number == procedure.version
    transcript = build_transcript(version)
    assert transcript.startswith("Đăng ký khai sinh.")
    assert "Đối tượng thực hiện: Công dân." in transcript
    assert "Thành phần hồ sơ: Tờ khai đăng ký khai sinh; Giấy chứng sinh." in transcript
    assert "Thời hạn giải quyết: 3 ngày làm việc." in transcript
    assert "Phí, lệ phí: 8000 đồng, cấp bản sao trích lục." in transcript
    assert "Nơi nộp hồ sơ: Ủy ban nhân dân phường Hải Châu." in transcript


def test_the_page_offers_to_listen_before_any_recording(
    client: Client, procedure: Procedure
) -> None:
    text = client.get("/thu-tuc/1.001193/").text
    assert 'id="nghe"' in text
    assert 'action="/thu-tuc/1.001193/nghe/"' in text
    assert ">Nghe</button>" in text
    for label in ("Giọng miền Bắc", "Giọng miền Trung", "Giọng miền Nam"):
        assert label in text
    assert "Chưa có bản ghi âm bằng giọng này" in text
    assert "<audio" not in text


@needs_espeak
@pytest.mark.parametrize("voice", Voice.values)
def test_listening_records_the_procedure_in_each_voice(
    client: Client, procedure: Procedure, voice: str, listen: Any
) -> None:
    response = listen(voice)
    assert response.status_code == 302
    assert response["Location"] == f"/thu-tuc/1.001193/?giong={voice}#nghe"
    page = client.get(response["Location"]).text
    source = audio_source(page)
    assert "Nội dung được đọc" in page
    assert "Thành phần hồ sơ: Tờ khai đăng ký khai sinh; Giấy chứng sinh." in page
    recording = ProcedureAudio.objects.get()
    assert recording.voice == voice and recording.synthesiser == "espeak-ng"

    audio = client.get(source)
    assert audio.status_code == 200
    assert audio["Content-Type"] == "audio/wav"
    body = b"".join(audio.streaming_content)  # type: ignore[attr-defined]
    assert body[:4] == b"RIFF" and body[8:12] == b"WAVE"
    assert len(body) > 44 + 22050  # more than a second of speech


class CountingSynthesiser(speech.SpeechSynthesiser):
    identifier = "counting"
    calls: list[tuple[str, str]] = []

    def synthesise(self, text: str, voice: str) -> bytes:
        self.calls.append((text, voice))
        return b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(40)


@pytest.fixture
def counting(settings: Any) -> Any:
    speech_synthesisers.register(CountingSynthesiser)
    settings.MOTCUA_SPEECH_SYNTHESISER = "counting"
    CountingSynthesiser.calls = []
    yield CountingSynthesiser
    speech_synthesisers.unregister("counting")


def test_a_recording_is_made_once_per_version_and_voice(
    client: Client, procedure: Procedure, counting: Any, listen: Any
) -> None:
    for _ in range(3):
        listen("central")
    assert len(counting.calls) == 1
    assert ProcedureAudio.objects.count() == 1
    listen("south")
    assert [voice for _, voice in counting.calls] == ["central", "south"]


def test_a_new_version_is_recorded_anew(
    client: Client, procedure: Procedure, counting: Any, listen: Any
) -> None:
    listen("north")
    first = audio_source(client.get("/thu-tuc/1.001193/").text)

    procedure.name = "Đăng ký khai sinh (sửa đổi)"
    procedure.save()
    catalog_services.record_version(procedure=procedure, actor=None, note="renamed")
    page = client.get("/thu-tuc/1.001193/").text
    assert "<audio" not in page  # the old recording reads an old version
    listen("north")
    second = audio_source(client.get("/thu-tuc/1.001193/").text)
    assert second != first
    assert len(counting.calls) == 2
    assert counting.calls[1][0].startswith("Đăng ký khai sinh (sửa đổi).")
    assert client.get(first).status_code == 200  # kept for the version it reads


def test_a_failed_recording_says_so_and_can_be_asked_again(
    client: Client,
    procedure: Procedure,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    listen: Any,
) -> None:
    monkeypatch.setattr(EspeakNg, "binary", lambda self: None)
    settings.MOTCUA_SPEECH_SYNTHESISER = "espeak-ng"
    listen("north")
    recording = ProcedureAudio.objects.get()
    assert "espeak-ng is not installed" in recording.failure
    page = client.get("/thu-tuc/1.001193/").text
    assert "Chưa tạo được bản ghi âm" in page
    assert client.get(f"/thu-tuc/1.001193/nghe/{recording.pk}.wav").status_code == 404


def test_a_recording_waiting_for_the_worker_says_it_is_being_prepared(
    client: Client, procedure: Procedure
) -> None:
    version = latest_published_version(procedure)
    assert version is not None
    ProcedureAudio.objects.create(version=version, voice="north")
    page = client.get("/thu-tuc/1.001193/").text
    assert "Bản ghi âm đang được chuẩn bị" in page


def test_unknown_voice_or_method_is_refused_politely(client: Client, procedure: Procedure) -> None:
    assert client.get("/thu-tuc/1.001193/nghe/").status_code == 405
    assert client.post("/thu-tuc/9.999999/nghe/", {"voice": "north"}).status_code == 404


def test_the_espeak_plugin_is_a_registered_speech_synthesiser(monkeypatch: Any) -> None:
    assert "speech_synthesiser" in registries()
    assert speech_synthesisers["espeak-ng"] is EspeakNg
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert EspeakNg().check_config() == [
        "espeak-ng is not installed (Debian: apt-get install espeak-ng)."
    ]


def test_a_request_no_worker_took_up_is_asked_again(
    client: Client, procedure: Procedure, counting: Any, listen: Any
) -> None:
    version = latest_published_version(procedure)
    assert version is not None
    waiting = ProcedureAudio.objects.create(version=version, voice="north")
    listen("north")
    assert counting.calls == []  # still waiting for the worker
    ProcedureAudio.objects.filter(pk=waiting.pk).update(
        requested_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    listen("north")
    assert len(counting.calls) == 1
    assert ProcedureAudio.objects.get().ready
