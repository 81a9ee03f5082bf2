"""The district's view: every canteen of the database at once, for the district inspector.

A county bureau asks three questions of a hundred canteens: who did today's duties, where the
problems of a month lie, and which problems are still open. Each answer here costs one run of the
rules per canteen for the whole period (the heat map, the findings and the cases share it), never
one per canteen per day; the day's duties reuse the Today page's checks, so the district and the
school see the same states. Which canteens a reader sees is decided in `scope.district_canteens`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from peewee import fn

from .. import today as day_checks
from ..integrity import chain
from ..models import REGISTRY
from ..rules import SEVERITIES, Finding, evaluate
from ..rules.records import SiteRecords
from ..timeutil import to_local
from .admin import SiteInfo
from .cases import LOOKBACK, Case, canteen_at, cases_from
from .pushes import Freshness, freshness
from .scope import CanteenRef, district_canteens

__all__ = ["CanteenDay", "district_info", "CanteenPeriod", "CanteenRef", "DistrictSummary", "SummaryLine", "canteen_period",
           "district_day", "district_period", "district_summary", "filter_findings", "heat_map", "month_days",
           "worst_severity"]


@dataclass(frozen=True)
class CanteenDay:
    """One canteen's daily duties on a day (the Today page's checks: done, missing, violation…),
    and how recent the records the district holds of it are (a canteen that has not pushed today
    shows today's duties missing here, whatever it did in its kitchen)."""

    canteen: CanteenRef
    checks: list[day_checks.DayCheck]
    push: Freshness | None = None

    def state_of(self, key: str) -> str:
        return next((c.state for c in self.checks if c.key == key), day_checks.NOT_APPLICABLE)


@dataclass
class CanteenPeriod:
    """One canteen over a period: its findings there and the cases touching it."""

    canteen: CanteenRef
    start: dt.date
    end: dt.date
    findings: list[Finding] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)

    @property
    def open_cases(self) -> int:
        """Cases not yet acted on (the overdue among them too)."""
        return sum(c.status == "open" for c in self.cases)

    @property
    def overdue_cases(self) -> int:
        return sum(c.overdue for c in self.cases)

    def by_severity(self) -> dict[str, int]:
        counted = Counter(f.severity for f in self.findings)
        return {s: counted.get(s, 0) for s in SEVERITIES}


def district_day(session, day: dt.date) -> list[CanteenDay]:
    """Every canteen's duties on `day`, each judged as its own Today page judges it, with its
    freshness now."""
    now, pushes, canteens = session.now(), freshness(session), district_canteens(session)
    records = day_checks.DayRecords([c.id for c in canteens], day)
    return [CanteenDay(c, day_checks.day_status(c.id, day, now, records), pushes.get(c.id)) for c in canteens]


def canteen_period(canteen: CanteenRef, start: dt.date, end: dt.date, now: dt.datetime,
                   source: SiteRecords | None = None) -> CanteenPeriod:
    """One run of the rules over start - LOOKBACK .. end: the period's findings, and the cases
    (which may have begun in the days before) from the same findings. `source` reads the rules'
    records for every canteen of the district at once."""
    today = min(end, to_local(now, canteen.tz).date())
    source = source if source is not None else SiteRecords([canteen.id])
    found = evaluate(canteen.id, start - dt.timedelta(days=LOOKBACK), end, today=today, source=source)
    deadlines = source.settings(canteen.id)["case_deadlines"]
    built = cases_from(canteen_at(canteen.id, canteen.tz, now, deadlines), found, start, end)
    return CanteenPeriod(canteen, start, end, [f for f in found if start <= f.day <= end], built)


def district_period(session, start: dt.date, end: dt.date, site_ids=None, progress=None) -> list[CanteenPeriod]:
    """Every canteen's findings and cases over start..end (runs on a worker thread); `site_ids`
    narrows it to some canteens, `progress(done, total, name)` is called before each canteen and
    once at the end (it may raise to cancel)."""
    canteens = [c for c in district_canteens(session) if site_ids is None or c.id in site_ids]
    now, periods, source = session.now(), [], SiteRecords(c.id for c in canteens)
    for n, canteen in enumerate(canteens):
        if progress:
            progress(n, len(canteens), canteen.name)
        periods.append(canteen_period(canteen, start, end, now, source))
    if progress:
        progress(len(canteens), len(canteens), "")
    return periods


def worst_severity(findings) -> str | None:
    """The most serious severity among findings (block first), or None for none."""
    return min((f.severity for f in findings), key=SEVERITIES.index, default=None)


def month_days(year: int, month: int) -> list[dt.date]:
    first = dt.date(year, month, 1)
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return [first + dt.timedelta(days=n) for n in range((nxt - first).days)]


def heat_map(periods: list[CanteenPeriod]) -> dict[tuple[int, dt.date], str]:
    """(canteen id, day) → the worst finding's severity that day; a day without findings is absent."""
    cells: dict[tuple[int, dt.date], list[Finding]] = {}
    for period in periods:
        for f in period.findings:
            cells.setdefault((period.canteen.id, f.day), []).append(f)
    return {key: worst_severity(found) for key, found in cells.items()}


def filter_findings(periods: list[CanteenPeriod], site_id: int | None = None, severity: str = "",
                    rule: str = "", start: dt.date | None = None,
                    end: dt.date | None = None) -> list[tuple[CanteenRef, Finding]]:
    """The findings across canteens that match the filters (an empty filter matches all), by day."""
    rows = [(p.canteen, f) for p in periods if site_id is None or p.canteen.id == site_id for f in p.findings
            if (not severity or f.severity == severity) and (not rule or f.rule == rule)
            and (start is None or f.day >= start) and (end is None or f.day <= end)]
    return sorted(rows, key=lambda row: (row[1].sort_key(), row[0].id))


# ---- the district summary (the PDF) ------------------------------------------------------------

@dataclass(frozen=True)
class SummaryLine:
    """One canteen's line of the district summary."""

    canteen: CanteenRef
    records: int
    findings: dict[str, int]
    open_cases: int
    overdue_cases: int
    chain_head: chain.ChainHead
    push: Freshness | None = None  # at the time the summary is made


@dataclass(frozen=True)
class DistrictSummary:
    """The district summary of a period: one line per canteen, the totals, and when it was made."""

    district: str
    start: dt.date
    end: dt.date
    made_at: dt.datetime  # UTC
    lines: list[SummaryLine]

    @property
    def records(self) -> int:
        return sum(line.records for line in self.lines)

    @property
    def findings(self) -> dict[str, int]:
        return {s: sum(line.findings[s] for line in self.lines) for s in SEVERITIES}

    @property
    def open_cases(self) -> int:
        return sum(line.open_cases for line in self.lines)

    @property
    def overdue_cases(self) -> int:
        return sum(line.overdue_cases for line in self.lines)

    @property
    def stale_canteens(self) -> int:
        return sum(1 for line in self.lines if line.push is not None and line.push.stale)

    @property
    def flagged_canteens(self) -> int:
        return sum(1 for line in self.lines if line.push is not None and line.push.flagged)

    @property
    def canteens_with_violations(self) -> int:
        return sum(1 for line in self.lines if line.findings["block"] + line.findings["violation"])


def records_per_canteen(start: dt.date, end: dt.date) -> Counter:
    """Standing records whose event falls in start..end, per canteen: one grouped count per record
    type for the whole district, not one per canteen."""
    counted: Counter = Counter()
    for model in REGISTRY.values():
        if model.EVENT == "none":
            continue
        query = (model.live().select(model.site, fn.COUNT(model.id))
                 .where((model.day >= start) & (model.day <= end)).group_by(model.site))
        for site_id, n in query.tuples():
            counted[site_id] += n
    return counted


def district_summary(session, start: dt.date, end: dt.date, progress=None) -> DistrictSummary:
    """Totals and one line per canteen for start..end, each with its audit chain's head (what an
    inspector writes down to prove later that nothing was changed since)."""
    from ..services.users import district_name
    periods = district_period(session, start, end, progress=progress)
    counted, pushes = records_per_canteen(start, end), freshness(session)
    lines = [SummaryLine(p.canteen, counted.get(p.canteen.id, 0), p.by_severity(), p.open_cases,
                         p.overdue_cases, chain.head(p.canteen.id), pushes.get(p.canteen.id)) for p in periods]
    return DistrictSummary(district_name(), start, end, session.now(), lines)


def district_info(session) -> SiteInfo:
    """The district as a document's header names it (its name; the district's clock, Shanghai)."""
    from ..services.users import district_name
    district_canteens(session)  # the same refusal as every district read
    name = district_name() or "—"
    return SiteInfo(None, name, name, "", "", session.tz)
