"""What the rule engine finds over a range of days in the reader's canteen, a month at a time.

The findings page used to run `rules.evaluate` with a site id, cutting the range itself; the
range is cut here so a month rule sees whole months, and a long range reports its progress
(and can be cancelled by the progress callback raising).
"""

from __future__ import annotations

import datetime as dt

from ..rules import RULES, SEVERITIES, Finding, evaluate
from .scope import scope_of

__all__ = ["RULES", "SEVERITIES", "Finding", "findings", "month_parts"]


def month_parts(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The range cut at calendar-month boundaries, so a month rule sees whole months."""
    parts, first = [], start
    while first <= end:
        nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        last = min(end, nxt - dt.timedelta(days=1))
        parts.append((first, last))
        first = nxt
    return parts


def findings(session, start: dt.date, end: dt.date, today: dt.date | None = None, progress=None) -> list[Finding]:
    """The engine's findings for start..end in the reader's canteen (runs on a worker thread).

    `today` defaults to the canteen's today; `progress(done, total, month)` is called before
    each month and once at the end."""
    site_id = scope_of(session).site_id
    today = session.today() if today is None else today
    found = []
    parts = month_parts(start, end)
    for n, (first, last) in enumerate(parts):
        if progress:
            progress(n, len(parts), f"{first:%Y-%m}")
        found.extend(evaluate(site_id, first, last, today=today))
    if progress:
        progress(len(parts), len(parts), "")
    return found
