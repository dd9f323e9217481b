"""Filing a report: anonymous with a phone code or signed in, checked like dossier
attachments, refused without text or outside the province, similar reports suggested first,
and a public tracking page that never shows a phone number."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.tests.factories import UserFactory
from motcua.notifications.models import OutboxMessage
from motcua.petitions.models import Report, ReportStatus

from .factories import HAI_CHAU, HANOI, TRAN_PHU, file_report, png, topic, ward_committee

pytestmark = pytest.mark.django_db

PHONE = "0905123456"


def verified_client(phone: str = PHONE) -> Client:
    client = Client()
    page = client.post("/phan-anh/xac-minh/", {"phone": "+84 905 123 456", "send": "1"})
    assert page.status_code == 200
    sms = OutboxMessage.objects.filter(recipient=phone).latest("pk")
    code = re.search(r"\d{6}", sms.body)
    assert code is not None
    done = client.post(
        "/phan-anh/xac-minh/", {"phone": phone, "code": code.group(), "confirm": "1"}
    )
    assert done.status_code == 302 and done["Location"].endswith("/phan-anh/gui/")
    return client


def form(the_topic: object, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "topic": the_topic.pk,  # type: ignore[attr-defined]
        "subject": "place",
        "latitude": "16,0678",
        "longitude": "108.2208",
        "title": "Ổ gà",
        "text": "Ổ gà lớn trước số 24 Trần Phú, xe máy dễ ngã.",
        "name": "Trần Thị Bình",
        "is_public": "on",
    }
    data.update(extra)
    return data


def test_an_anonymous_reporter_files_with_a_verified_phone_and_the_phone_never_shows() -> None:
    the_topic = topic(by_ward=True)
    ward = ward_committee(HAI_CHAU)
    assert Client().get("/phan-anh/gui/")["Location"].endswith("/phan-anh/xac-minh/")
    client = verified_client()
    response = client.post("/phan-anh/gui/", {**form(the_topic), "photos": png()})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{report.code}/")
    assert re.fullmatch(r"PA-\d{6}-0001", report.code)
    assert report.phone == PHONE and report.phone_verified and report.reporter is None
    assert report.agency == ward  # a ward topic with a point: the ward's committee
    assert report.files.get().content_type == "image/png"
    for page in (
        client.get(f"/phan-anh/{report.code}/"),
        Client().get(f"/phan-anh/{report.code}/"),
        Client().get("/phan-anh/"),
    ):
        text = page.content.decode()
        assert page.status_code == 200
        assert PHONE not in text and "905 123 456" not in text and "905123456" not in text
    public = Client().get(f"/phan-anh/{report.code}/").content.decode()
    assert "Ổ gà lớn" in public
    assert "Trần Thị Bình" not in public  # the name stays hidden unless chosen


def test_a_wrong_code_is_refused_and_counted() -> None:
    client = Client()
    client.post("/phan-anh/xac-minh/", {"phone": PHONE, "send": "1"})
    wrong = client.post("/phan-anh/xac-minh/", {"phone": PHONE, "code": "000000", "confirm": "1"})
    if wrong.status_code == 302:  # one chance in a million that 000000 was the code
        return
    assert wrong.status_code == 400
    assert client.get("/phan-anh/gui/").status_code == 302


def test_a_report_without_text_is_refused_and_what_was_typed_stays() -> None:
    client = verified_client()
    response = client.post("/phan-anh/gui/", form(topic(), text="   ", title="Đèn đường hỏng"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Đèn đường hỏng" in body and "16,0678" in body
    assert not Report.objects.exists()


def test_a_point_outside_the_province_is_refused() -> None:
    client = verified_client()
    response = client.post(
        "/phan-anh/gui/", form(topic(), latitude=str(HANOI[0]), longitude=str(HANOI[1]))
    )
    assert response.status_code == 400
    assert "Đà Nẵng" in response.content.decode()
    assert not Report.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused() -> None:
    client = verified_client()
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = client.post("/phan-anh/gui/", {**form(topic()), "photos": fake})
    assert response.status_code == 400
    assert "anh.jpg" in response.content.decode()
    assert not Report.objects.exists()
    # A PDF is a fine document but not a photo either.
    pdf = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    assert client.post("/phan-anh/gui/", {**form(topic()), "photos": pdf}).status_code == 400


def test_similar_open_reports_nearby_or_on_the_same_procedure_are_suggested() -> None:
    the_topic = topic()
    near = file_report(the_topic=the_topic, point=(16.06782, 108.22081), text="Ổ gà")
    far = file_report(the_topic=the_topic, point=(16.0700, 108.2208), text="Xa 240 m")
    hidden = file_report(the_topic=the_topic, point=TRAN_PHU, text="Riêng tư", is_public=False)
    client = verified_client()
    typed = {
        "check": "1",
        "latitude": "16,0678",
        "longitude": "108.2208",
        "topic": str(the_topic.pk),
        "title": "Ổ gà trước nhà",
        "is_public": "on",
    }
    page = client.post("/phan-anh/gui/", typed)
    body = page.content.decode()
    assert page.status_code == 200
    assert near.code in body and far.code not in body and hidden.code not in body
    # What was typed stays in the form, without errors for what is not typed yet, and nothing
    # is filed: the check is a step before sending.
    assert "16,0678" in body and "Ổ gà trước nhà" in body
    assert "error-summary" not in body
    assert Report.objects.count() == 3


def test_files_chosen_before_the_check_are_asked_for_again_not_lost_silently() -> None:
    client = verified_client()
    page = client.post(
        "/phan-anh/gui/",
        {"check": "1", "latitude": "16,0678", "longitude": "108.2208", "photos": png()},
    )
    assert page.status_code == 200
    assert "hãy chọn lại" in page.content.decode()
    assert not Report.objects.exists()


def test_checking_for_similar_reports_puts_nothing_typed_in_a_url() -> None:
    # The check was a GET: the text, the name and the form's token went into the address
    # (browser history, access logs). It is a POST now, and the page's form says so.
    client = verified_client()
    page = client.get("/phan-anh/gui/").content.decode()
    assert 'formmethod="get"' not in page
    assert 'name="check"' in page


def test_a_signed_in_citizen_files_and_chooses_to_show_their_name() -> None:
    user = UserFactory.create(full_name="Lê Văn Công", phone="0911222333")
    client = Client()
    client.force_login(user)
    response = client.post("/phan-anh/gui/", {**form(topic()), "name": "", "name_public": "on"})
    report = Report.objects.get()
    assert response.status_code == 302 and report.reporter == user
    public = Client().get(f"/phan-anh/{report.code}/").content.decode()
    assert "Lê Văn Công" in public and "0911222333" not in public
    assert report.status == ReportStatus.RECEIVED


def test_another_citizen_never_reaches_a_non_public_report() -> None:
    owner = UserFactory.create()
    other = UserFactory.create()
    report = file_report(user=owner, is_public=False, text="Nội dung riêng tư của tôi")
    from motcua.petitions.models import FileKind, ReportFile

    stored = ReportFile(
        report=report,
        kind=FileKind.PHOTO,
        original_name="a.png",
        content_type="image/png",
        size=len(png().read()),
        sha256="0" * 64,
    )
    from django.core.files.base import ContentFile

    stored.file.save("x", ContentFile(b"x"), save=True)
    mine = Client()
    mine.force_login(owner)
    theirs = Client()
    theirs.force_login(other)
    assert "Nội dung riêng tư" in mine.get(f"/phan-anh/{report.code}/").content.decode()
    for client in (theirs, Client()):
        page = client.get(f"/phan-anh/{report.code}/").content.decode()
        assert "Nội dung riêng tư" not in page
        assert client.get(f"/phan-anh/{report.code}/tep/{stored.pk}/").status_code == 404
        assert client.post(f"/phan-anh/{report.code}/mo-lai/", {"reason": "x"}).status_code == 404
        assert client.get("/can-bo/phan-anh/").status_code in (302, 404)
    assert mine.get(f"/phan-anh/{report.code}/tep/{stored.pk}/").status_code == 200
    # Not in the public list, the map data or Open311 either.
    assert report.code not in Client().get("/phan-anh/").content.decode()
    assert (
        report.code not in Client().get("/phan-anh/ban-do.json?bbox=108,15,109,17").content.decode()
    )
    assert Client().get(f"/open311/v2/requests/{report.code}.json").status_code == 404


def test_the_map_data_lists_open_public_reports_in_a_box_and_refuses_a_bad_box() -> None:
    report = file_report()
    data = Client().get("/phan-anh/ban-do.json", {"bbox": "108.2,16.0,108.3,16.1"}).json()
    assert [r["code"] for r in data["reports"]] == [report.code]
    assert set(data["reports"][0]) == {"code", "topic", "status", "lat", "long", "filed_at"}
    assert Client().get("/phan-anh/ban-do.json", {"bbox": "a,b"}).status_code == 400


def test_a_report_about_ones_own_dossier_goes_to_its_agency_and_anothers_is_refused() -> None:
    from motcua.dossiers.tests.factories import file_dossier, make_world

    world = make_world()
    dossier = file_dossier(world)
    client = Client()
    client.force_login(world.applicant)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert f"/phan-anh/gui/?subject=dossier&amp;dossier_code={dossier.code}" in page
    assert (
        dossier.code
        in client.get(
            "/phan-anh/gui/", {"subject": "dossier", "dossier_code": dossier.code}
        ).content.decode()
    )
    data = form(topic(), subject="dossier", dossier_code=dossier.code, latitude="", longitude="")
    assert client.post("/phan-anh/gui/", data).status_code == 302
    assert Report.objects.get().agency == dossier.receiving_agency
    stranger = Client()
    stranger.force_login(UserFactory.create())
    refused = stranger.post("/phan-anh/gui/", data)
    assert refused.status_code == 400 and Report.objects.count() == 1


def test_codes_sent_to_one_phone_are_limited(settings: Any) -> None:
    from django.core.cache import cache

    client = Client()
    for _ in range(5):
        assert client.post("/phan-anh/xac-minh/", {"phone": PHONE, "send": "1"}).status_code == 200
    sixth = client.post("/phan-anh/xac-minh/", {"phone": PHONE, "send": "1"})
    assert sixth.status_code == 400  # the service's own count per phone
    assert OutboxMessage.objects.filter(recipient=PHONE).count() == 5
    settings.RATELIMIT_ENABLE = True  # the rate limits on the address and the phone (429)
    cache.clear()
    other = "0935111222"
    codes = [client.post("/phan-anh/xac-minh/", {"phone": other, "send": "1"}) for _ in range(6)]
    assert [c.status_code for c in codes][-1] == 429 and codes[-1]["Retry-After"]
    cache.clear()


def test_a_phone_or_hidden_name_typed_into_the_report_is_not_shown_to_the_public() -> None:
    report = file_report(
        text="Gọi tôi: 0905 123 456 hoặc binh@example.vn — Trần Thị Bình",
        title="Ổ gà, gọi 0905123456",
        name="Trần Thị Bình",
    )
    for body in (
        Client().get(f"/phan-anh/{report.code}/").content.decode(),
        Client().get("/phan-anh/").content.decode(),
        Client().get(f"/open311/v2/requests/{report.code}.json").content.decode(),
        Client().get(f"/open311/v2/requests/{report.code}.xml").content.decode(),
    ):
        assert report.code in body
        for personal in ("0905 123 456", "0905123456", "binh@example.vn", "Trần Thị Bình"):
            assert personal not in body
    assert "Ổ gà" in Client().get(f"/phan-anh/{report.code}/").content.decode()


def test_open_reports_about_the_same_procedure_are_suggested() -> None:
    from motcua.dossiers.tests.factories import make_world

    world = make_world()
    code = world.procedure.code
    same = file_report(point=None, subject="procedure", procedure_code=code, text="Thủ tục lâu")
    other = file_report(point=None, subject="procedure", text="Thủ tục khác")
    # Routed to the agency implementing the procedure, not the topic's default agency.
    assert same.procedure == world.procedure and same.agency == world.agency
    client = verified_client()
    body = client.post("/phan-anh/gui/", {"check": "1", "procedure_code": code}).content.decode()
    assert same.code in body and other.code not in body
