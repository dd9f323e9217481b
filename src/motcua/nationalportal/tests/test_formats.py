import datetime

import pytest
from pytest_django.fixtures import Settings

from motcua.nationalportal import services
from motcua.nationalportal.formats import national_time, parse_national_time

UTC = datetime.UTC


def test_times_are_vietnamese_wall_clock_in_the_national_format() -> None:
    # 17:30 UTC on New Year's Eve is already 00:30 on 1 January in Hà Nội (UTC+7).
    moment = datetime.datetime(2026, 12, 31, 17, 30, 5, tzinfo=UTC)
    assert national_time(moment) == "20270101003005"
    assert national_time(None) == ""


def test_a_time_read_back_is_the_same_moment() -> None:
    moment = datetime.datetime(2026, 7, 1, 1, 2, 3, tzinfo=UTC)
    assert parse_national_time(national_time(moment)) == moment


@pytest.mark.parametrize(
    "text", ["2026-12-05", "2026120512000", "20261305120000", "abcdefghijklmn"]
)
def test_malformed_times_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_national_time(text)


def test_the_back_off_doubles_up_to_an_hour(settings: Settings) -> None:
    settings.MOTCUA_NATIONAL_SYNC_RETRY_SECONDS = 60
    delays = [services.retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 20)]
    assert delays == [60, 120, 240, 3600, 3600]
