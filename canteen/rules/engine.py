"""Runs the rules: block rules on a record about to be written, period rules over a date range."""

from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable

from .finding import Finding
from .records import SiteRecords

BlockRule = Callable[[dict, object, "int | None"], Iterable[Finding]]
PeriodRule = Callable[["Period"], Iterable[Finding]]

BLOCK_RULES: dict[str, list[BlockRule]] = {}
PERIOD_RULES: list[PeriodRule] = []


def block_rule(*kinds: str):
    """Register a check run before a record of these kinds is written."""
    def register(fn):
        for kind in kinds:
            BLOCK_RULES.setdefault(kind, []).append(fn)
        return fn
    return register


RULES_OF: dict[PeriodRule, tuple[str, ...]] = {}  # a check's rule ids, where it declares them


def period_rule(fn=None, *, rules: tuple[str, ...] = ()):
    """Register a check over a range of days. A check may declare the rules it reports
    (`@period_rule(rules=("LATE-ENTRY",))`) so that a narrower question (the daily close asks
    only for violations) need not run it."""
    def register(check):
        PERIOD_RULES.append(check)
        if rules:
            RULES_OF[check] = rules
        return check
    return register(fn) if fn is not None else register


def asked(check, severities, rules=None) -> bool:
    """Whether a check can report a finding of one of `severities` (None: every severity) and
    of one of `rules` (None: every rule); a check that does not declare its rules always can."""
    from .catalogue import RULES
    declared = RULES_OF.get(check)
    if not declared:
        return True
    return (severities is None or any((RULES[r].reported or RULES[r].severity) in severities for r in declared)) \
        and (rules is None or any(r in rules for r in declared))


class Period:
    """The range a period rule looks at, with the site's settings at hand."""

    def __init__(self, site_id: int, start: dt.date, end: dt.date, today: dt.date | None = None,
                 source: SiteRecords | None = None):
        self.site_id, self.start, self.end = site_id, start, end
        self.today = today or end
        self.source = source if source is not None else SiteRecords([site_id])
        self.settings = self.source.settings(site_id)
        self._rows: dict[tuple, list] = {}

    def days(self):
        day = self.start
        while day <= self.end:
            yield day
            day += dt.timedelta(days=1)

    def records(self, model):
        """Standing records of a type whose event falls in the period, as a query."""
        return model.live().where((model.site == self.site_id) & (model.day >= self.start) & (model.day <= self.end))

    def rows(self, model, names: str, order: str = "id", by: str = "day") -> list:
        """Standing records of a type whose event day (or the date column `by`) falls in the
        period, as named tuples of the columns `names`, ordered by `order` (records.py)."""
        key = (model, names, order, by)
        if key not in self._rows:
            self._rows[key] = self.source.rows(self.site_id, model, names, self.start, self.end, order, by)
        return self._rows[key]


def blocking_findings(kind: str, values: dict, session, record_id: int | None = None,
                      stored: dict | None = None) -> list[Finding]:
    """The blocks that refuse writing `values`. For an amendment, `stored` is the version being
    amended: a block it already stood in was not brought about by this change (a positive screen
    that came after the acceptance, a certificate voided since) and does not refuse correcting a
    typo; moving a record into a blocked state is still refused. Such states are reported by the
    period rules where the domain asks for it (PES-POSITIVE)."""
    found: list[Finding] = []
    for rule in BLOCK_RULES.get(kind, ()):
        found.extend(rule(values, session, record_id))
    if found and stored is not None:
        held = {f.rule for rule in BLOCK_RULES.get(kind, ()) for f in rule(stored, session, record_id)}
        found = [f for f in found if f.rule not in held]
    return found


def evaluate(site_id: int, start: dt.date, end: dt.date, today: dt.date | None = None,
             severities: frozenset[str] | None = None, source: SiteRecords | None = None,
             rules: frozenset[str] | None = None) -> list[Finding]:
    """Every non-block finding for days start..end, sorted by day, severity and rule; with
    `severities` or `rules`, only findings of those. `source` answers the rules' reads for several
    canteens at once (a district evaluating each of them over the same days)."""
    start, end = as_day(start, "start", "From", "从"), as_day(end, "end", "To", "至")
    today = as_day(today, "today", "Today", "今天") if today is not None else None
    period = Period(site_id, start, end, today, source)
    found: list[Finding] = []
    for rule in PERIOD_RULES:
        if asked(rule, severities, rules):
            found.extend(rule(period))
    if severities is not None:
        found = [f for f in found if f.severity in severities]
    if rules is not None:
        found = [f for f in found if f.rule in rules]
    return sorted(found, key=Finding.sort_key)


def as_day(value, field: str, en: str, zh: str) -> dt.date:
    """A period bound as a date: a script may pass an ISO string or a datetime."""
    from ..errors import ValidationError
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if isinstance(value, dt.date):
        return value
    raise ValidationError(field, f"must be a date (YYYY-MM-DD), not {value!r:.40}", "必须是日期（年-月-日）", en, zh)
