"""The national portal's formats: its time stamps and its status codes (DOMAIN.md §4, §9b)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
TIME_FORMAT = "%Y%m%d%H%M%S"  # yyyyMMddHHmmss


def national_time(moment: datetime.datetime | None) -> str:
    """``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh (UTC+7, no daylight saving), "" for no time.

    Stored times are UTC; the national portal reads its stamps as Vietnamese wall-clock time.
    """
    if moment is None:
        return ""
    return moment.astimezone(VIETNAM).strftime(TIME_FORMAT)


def parse_national_time(text: str) -> datetime.datetime:
    """The moment ``yyyyMMddHHmmss`` (Vietnamese time) stands for; ValueError when malformed."""
    if len(text) != 14 or not text.isdigit():
        raise ValueError(text)
    return datetime.datetime.strptime(text, TIME_FORMAT).replace(tzinfo=VIETNAM)
