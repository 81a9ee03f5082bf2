"""Times are stored in UTC (naive datetimes) and shown in the site's local time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Shanghai"


def utcnow() -> dt.datetime:
    """Now in UTC, naive, to the microsecond: the form every stored timestamp takes."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


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
