"""Times are stored in UTC (naive datetimes) and shown in the site's local time zone.

This module is the program's one clock: every "now" and "today" in the core, the window and the
documents comes from `utcnow()`. `CANTEEN_CLOCK` sets it: with `CANTEEN_CLOCK=2027-01-01T00:01+08:00`
the clock reads that moment when it is first asked and then runs on with real time (an offset,
not a frozen time, so lockouts, timeouts and background work behave as they do on that day).
A moment without an offset is wall-clock time in the canteen's default zone (Asia/Shanghai); a
date alone is its midnight. The suite runs with it set to the awkward days of the year.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo

from .errors import ValidationError

DEFAULT_TZ = "Asia/Shanghai"
CLOCK_VARIABLE = "CANTEEN_CLOCK"
# "SECONDS@MOMENT": the real time (seconds since 1970) at which the set clock read MOMENT. The
# first process to read the clock puts it here, so that the commands it starts (the tests run the
# command line as subprocesses) share its clock instead of starting it afresh.
ANCHOR_VARIABLE = "CANTEEN_CLOCK_ANCHOR"

_offset_cache: tuple[str, str, dt.timedelta] | None = None


def utcnow() -> dt.datetime:
    """Now in UTC, naive, to the microsecond: the form every stored timestamp takes."""
    offset = clock_offset()  # first: the first reading of a set clock is its moment, never before it
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + offset


def clock_offset() -> dt.timedelta:
    """How far the set clock is from real time (zero when CANTEEN_CLOCK is not set)."""
    global _offset_cache
    setting = os.environ.get(CLOCK_VARIABLE, "").strip()
    if not setting:
        return dt.timedelta(0)
    anchor = os.environ.get(ANCHOR_VARIABLE, "")
    if _offset_cache is not None and _offset_cache[:2] == (setting, anchor):
        return _offset_cache[2]
    moment = parse_clock(setting)
    seconds, _, anchored = anchor.partition("@")
    if anchored != setting:  # no anchor yet, or one left over from another setting
        seconds = repr(time.time())
        anchor = os.environ[ANCHOR_VARIABLE] = f"{seconds}@{setting}"
    try:
        started = dt.datetime.fromtimestamp(float(seconds), dt.timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        raise ValidationError(ANCHOR_VARIABLE, f"{seconds!r} is not a time in seconds since 1970",
                              f"{seconds!r} 不是自 1970 年起的秒数") from None
    _offset_cache = (setting, anchor, moment - started)
    return _offset_cache[2]


def parse_clock(text: str) -> dt.datetime:
    """CANTEEN_CLOCK's moment as naive UTC: ISO 8601, with an offset or `Z`, or local to Asia/Shanghai."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            CLOCK_VARIABLE, f"{text!r} is not a date and time; write e.g. 2027-01-01T00:01+08:00",
            f"{text!r} 不是日期时间；请写成例如 2027-01-01T00:01+08:00") from None
    return to_utc(moment)


def to_utc(local: dt.datetime, tz: str = DEFAULT_TZ) -> dt.datetime:
    """A local wall-clock time (naive or aware) as naive UTC."""
    if local.tzinfo is None:
        local = local.replace(tzinfo=ZoneInfo(tz))
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


def to_local(utc: dt.datetime, tz: str = DEFAULT_TZ) -> dt.datetime:
    """A stored UTC time as naive local wall-clock time."""
    return utc.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def local_today(tz: str = DEFAULT_TZ) -> dt.date:
    return to_local(utcnow(), tz).date()


def end_of_day_utc(day: dt.date, tz: str = DEFAULT_TZ) -> dt.datetime:
    """The last moment of a local day, in UTC: when a date-only event is deemed to happen."""
    return to_utc(dt.datetime.combine(day, dt.time(23, 59, 59)), tz)


def day_bounds_utc(day: dt.date, tz: str = DEFAULT_TZ) -> tuple[dt.datetime, dt.datetime]:
    """The UTC moments a local day starts and the next one starts (a day of a clock change is
    23 or 25 hours long, so the end is the next midnight, not the start plus 24 h)."""
    start = to_utc(dt.datetime.combine(day, dt.time()), tz)
    return start, to_utc(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()), tz)
