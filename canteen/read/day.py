"""Today: what a day still needs, its reminders, and where a day without meals sends the reader.

The page asks for all of it at once, on a worker thread; the duties and reminders are worked out
by `canteen.today`, which already returns plain values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import today
from .kinds import record_type
from .rows import titles
from .scope import scope_of


@dataclass(frozen=True)
class DayView:
    """One day as the Today page shows it."""

    checks: list[today.DayCheck]
    reminders: list[today.Reminder]
    last_service_day: dt.date | None


def day_view(session, day: dt.date) -> DayView:
    """The day's checks, the reminders as of that day, and the last service day before it."""
    site_id = scope_of(session).site_id
    return DayView(today.day_status(site_id, day), today.reminders(site_id, day), last_service_day(session, day))


def last_service_day(session, before: dt.date) -> dt.date | None:
    """The latest day before `before` on which the canteen served meals (it has a menu)."""
    return today.last_service_day(scope_of(session).site_id, before)


def record_titles(session, kind: str, ids, language: str = "en") -> dict[int, str]:
    """Short names of a card's records (one query for all of them, not one each)."""
    return titles(session, record_type(kind).model_name, ids, language)
