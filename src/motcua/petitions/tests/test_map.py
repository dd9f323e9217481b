"""The public map's data: points when a view holds few reports, clusters counted per grid cell
when it holds many, the zoom bounded by the box, bad input refused, answers cached per version
of the reports; and the list page that works without it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from motcua.petitions import selectors, services
from motcua.petitions.models import Report

from .factories import TRAN_PHU, file_report, officer, topic

pytestmark = pytest.mark.django_db

URL = "/phan-anh/ban-do.json"
CITY = "108.0,15.9,108.4,16.2"
NEAR = (TRAN_PHU[0] + 0.0001, TRAN_PHU[1] + 0.0001)  # 15 m away: the same cell at any zoom ≤ 17
ELSEWHERE = (16.0300, 108.2400)  # about 4 km south-east


def get(**params: str | int) -> dict[str, Any]:
    answer = Client().get(URL, params)
    assert answer.status_code == 200, answer.content
    data: dict[str, Any] = answer.json()
    return data


def test_few_reports_come_as_points(monkeypatch: pytest.MonkeyPatch) -> None:
    first = file_report()
    second = file_report(point=ELSEWHERE)
    data = get(bbox=CITY, zoom=12)
    assert data["clustered"] is False and data["count"] == 2 and data["clusters"] == []
    assert [r["code"] for r in data["reports"]] == [second.code, first.code]


def test_many_reports_come_as_clusters_counted_per_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "MAP_POINTS", 2)
    the_topic = topic()
    for point in (TRAN_PHU, NEAR, NEAR, ELSEWHERE):
        file_report(the_topic=the_topic, point=point)
    hidden = file_report(the_topic=the_topic, point=NEAR, is_public=False)
    data = get(bbox=CITY, zoom=14)
    assert data["clustered"] is True and data["reports"] == []
    assert data["count"] == 4  # the report not shown to the public is not counted
    clusters = sorted(data["clusters"], key=lambda c: c["count"])
    assert [c["count"] for c in clusters] == [1, 3]
    # A cluster sits where its reports are (their mean point), not at its cell's corner.
    assert clusters[1]["lat"] == pytest.approx((TRAN_PHU[0] + 2 * NEAR[0]) / 3, abs=1e-6)
    assert clusters[0]["long"] == pytest.approx(ELSEWHERE[1], abs=1e-6)
    assert hidden.code not in str(data)
    # At a few streets' zoom, the reports themselves again, however many.
    close = get(bbox="108.2200,16.0670,108.2220,16.0690", zoom=18)
    assert close["clustered"] is False and close["count"] == 3


def test_the_answer_stays_small_whatever_the_box_and_zoom(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "MAP_POINTS", 0)
    file_report()
    # The whole world asked at a street's zoom is answered at the world's zoom.
    data = get(bbox="-180,-90,180,90", zoom=17)
    assert data["zoom"] == 3 and len(data["clusters"]) == 1
    west, south, east, north = data["bbox"]
    assert max(east - west, north - south) / data["cell"] <= selectors.MAP_GRID
    # No zoom: the box's own.
    assert (
        get(bbox=CITY)["zoom"]
        == selectors.map_view(west=108.0, south=15.9, east=108.4, north=16.2, zoom=None).zoom
    )


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"bbox": "a,b"},
        {"bbox": "108.4,15.9,108.0,16.2"},  # west east of east
        {"bbox": "108.0,15.9,108.4,95"},
        {"bbox": "nan,15.9,108.4,16.2"},
        {"bbox": CITY, "zoom": "x"},
        {"bbox": CITY, "zoom": "20"},
        {"bbox": CITY, "zoom": "-1"},
    ],
)
def test_a_bad_box_or_zoom_is_a_400(params: dict[str, str]) -> None:
    answer = Client().get(URL, params)
    assert answer.status_code == 400
    assert answer.json()["detail"]


def test_a_change_of_a_report_is_seen_at_once_despite_the_cache() -> None:
    report = file_report()
    assert get(bbox=CITY, zoom=12)["count"] == 1
    file_report(point=ELSEWHERE)
    assert get(bbox=CITY, zoom=12)["count"] == 2
    services.answer(
        report=Report.objects.get(pk=report.pk),
        officer=officer(report.agency),
        text="Đã vá ổ gà.",
    )
    assert get(bbox=CITY, zoom=12)["count"] == 1  # answered: no longer open


def test_the_list_page_has_the_map_and_works_without_it(settings: Settings) -> None:
    report = file_report()
    page = Client().get("/phan-anh/").content.decode()
    assert report.code in page  # the list itself, with no script needed
    assert 'class="petitions-map"' in page and "petitions/map.js" in page
    settings.MOTCUA_MAP_TILE_URL = ""
    page = Client().get("/phan-anh/").content.decode()
    assert report.code in page and "petitions/map.js" not in page


def test_the_map_never_shows_a_phone_or_a_hidden_name(monkeypatch: pytest.MonkeyPatch) -> None:
    report = file_report(phone="0935000111", name_public=False, name="Lê Văn Ẩn")
    body = Client().get(URL, {"bbox": CITY, "zoom": "12"}).content.decode()
    assert report.code in body
    assert "0935000111" not in body and "935 000 111" not in body and "Lê Văn Ẩn" not in body
    monkeypatch.setattr(selectors, "MAP_POINTS", 0)
    body = Client().get(URL, {"bbox": CITY, "zoom": "13"}).content.decode()
    assert '"clustered": true' in body and "0935000111" not in body
