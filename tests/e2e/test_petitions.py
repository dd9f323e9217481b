"""An anonymous citizen on a phone confirms their number with a one-time code, reports a
pothole with a photo (coordinates typed, no map needed), follows the report by its code and
reads the agency's published answer; their phone number is never on the public page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from motcua.agencies.tests.factories import AgencyFactory
from motcua.notifications.models import OutboxMessage
from motcua.petitions import services
from motcua.petitions.models import Report
from motcua.petitions.tests.factories import PNG, officer, topic
from tests.e2e.test_accessibility import violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = "0905123456"


def test_a_citizen_files_a_report_with_a_photo_and_reads_the_published_answer(
    live_server: Any, page: Any, settings: Any
) -> None:
    settings.MOTCUA_MAP_TILE_URL = ""  # no tiles from outside in tests: coordinates are typed
    agency = AgencyFactory.create(name="Sở Xây dựng thử")
    the_topic = topic("ha-tang-do-thi", agency=agency)
    handler = officer(agency)
    base = live_server.url

    page.goto(base + "/phan-anh/gui/")
    assert page.url.endswith("/phan-anh/xac-minh/")
    page.fill("#id_phone", PHONE)
    page.locator("button[name=send]").click()
    sms = OutboxMessage.objects.filter(recipient=PHONE).latest("pk")
    code = re.search(r"\d{6}", sms.body)
    assert code is not None
    page.fill("#id_code", code.group())
    page.locator("button[name=confirm]").click()
    assert page.url.endswith("/phan-anh/gui/")

    page.select_option("#id_topic", str(the_topic.pk))
    page.check("input[name=subject][value=place]")
    page.fill("#id_latitude", "16,0678")
    page.fill("#id_longitude", "108.2208")
    page.fill("#id_title", "Ổ gà trước số 24 Trần Phú")
    page.fill("#id_text", "Ổ gà sâu giữa đường, xe máy dễ ngã vào ban đêm.")
    page.set_input_files(
        "#id_photos", files=[{"name": "o-ga.png", "mimeType": "image/png", "buffer": PNG}]
    )
    assert violations(page) == []
    page.get_by_role("button", name=re.compile("Gửi phản ánh|Send the report")).click()

    report = Report.objects.get()
    assert page.url.endswith(f"/phan-anh/{report.code}/")
    assert report.code in page.content()
    assert "o-ga.png" in page.content()
    assert report.files.get().content_type == "image/png"

    services.accept(report=report, officer=handler)
    services.answer(
        report=report, officer=handler, text=f"Đã vá ổ gà. Liên hệ lại số {PHONE} nếu cần."
    )
    page.goto(base + f"/phan-anh/{report.code}/")
    body = page.content()
    assert "Đã vá ổ gà." in body
    assert PHONE not in body
    assert violations(page) == []


def test_the_public_map_draws_reports_and_clusters_over_the_list(
    live_server: Any, page: Any, settings: Any, monkeypatch: Any
) -> None:
    from django.core.cache import cache

    from motcua.petitions import selectors
    from motcua.petitions.tests.factories import TRAN_PHU, file_report

    cache.clear()
    # Tiles from this server (absent: the map's data is what is tested, not the pictures).
    settings.MOTCUA_MAP_TILE_URL = live_server.url + "/static/khong-co/{z}/{x}/{y}.png"
    the_topic = topic("ha-tang-do-thi", agency=AgencyFactory.create())
    first = file_report(the_topic=the_topic)
    page.goto(live_server.url + "/phan-anh/")
    assert first.code in page.locator(".report-list").inner_text()  # the list, as without JS
    point = page.locator(".petitions-map .petitions-point")
    point.first.wait_for()
    assert point.count() == 1
    point.first.click()
    link = page.locator(".leaflet-popup-content a")
    assert link.inner_text() == first.code
    assert link.get_attribute("href") == f"/phan-anh/{first.code}/"

    # Many reports in view: clusters with their counts, which zoom in when chosen.
    monkeypatch.setattr(selectors, "MAP_POINTS", 2)
    for _ in range(3):
        file_report(the_topic=the_topic, point=(TRAN_PHU[0] + 0.0001, TRAN_PHU[1]))
    page.reload()
    cluster = page.locator(".petitions-map .petitions-cluster")
    cluster.first.wait_for()
    assert cluster.first.inner_text() == "4"
    assert "4" in (cluster.first.get_attribute("title") or "")
    assert page.locator(".petitions-map .petitions-point").count() == 0
    assert violations(page) == []
