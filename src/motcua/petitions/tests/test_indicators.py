"""The dashboard's JSON: the satisfaction indicators from reports and ratings (DOMAIN.md §9)."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.tests.factories import UserFactory
from motcua.agencies.tests.factories import AgencyFactory
from motcua.petitions import services
from motcua.petitions.access import Reporter

from .factories import file_report, officer, topic

pytestmark = pytest.mark.django_db


def test_indicators_count_reports_classified_on_time_and_satisfied() -> None:
    agency = AgencyFactory.create()
    handler = officer(agency)
    citizen = UserFactory.create()
    the_topic = topic(agency=agency)
    answered = file_report(the_topic=the_topic, user=citizen)
    services.accept(report=answered, officer=handler)
    services.answer(report=answered, officer=handler, text="Đã xử lý.")
    services.rate(report=answered, reporter=Reporter(user=citizen), value=3)
    file_report(the_topic=the_topic)  # still at the desk: not classified yet
    data = Client().get("/api/v1/indicators/satisfaction/").json()
    assert data["reports"]["total"] == 2
    assert data["indicators"]["reports_classified_share"] == 0.5
    assert data["indicators"]["reports_on_time_share"] == 1.0
    assert data["indicators"]["report_answer_satisfied_share"] == 1.0
    assert set(data["ratings"]["by_question"]) == {
        "access",
        "procedure",
        "officers",
        "result",
        "timeliness",
    }
    assert "0905123456" not in str(data)


def test_a_bad_period_is_a_400() -> None:
    client = Client()
    assert client.get("/api/v1/indicators/satisfaction/", {"start": "hôm qua"}).status_code == 400
    bad = client.get(
        "/api/v1/indicators/satisfaction/", {"start": "2026-12-01", "end": "2026-01-01"}
    )
    assert bad.status_code == 400 and bad.json()["detail"]
