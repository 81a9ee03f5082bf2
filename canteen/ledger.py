"""The cost ledger (伙食账): a day's and a month's income, cost and surplus, in integer fen.

Income and diners come from the daily ledger records; food cost comes from the deliveries
that were accepted (their amount, by category), so the books cannot drift from what was
actually bought. Which other costs (fuel, utilities, wages, other) count as cost is a site
setting, because schools differ: the canteen of docs/domain.md §1 counted none of them.
A surplus rate is only meaningful against income, so it is None in a month without income.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from peewee import fn

from . import settings
from .models import Delivery, LedgerDay

INCOME_SOURCES = (
    ("student", "income_student_fen", "Student fees", "学生伙食费"),
    ("teacher", "income_teacher_fen", "Teacher fees", "教师伙食费"),
    ("subsidy", "income_subsidy_fen", "Subsidies", "补助"),
    ("other", "income_other_fen", "Other income", "其他收入"),
)
OTHER_COSTS = (
    ("fuel", "cost_fuel_fen", "Fuel", "燃料"),
    ("utilities", "cost_utilities_fen", "Water & power", "水电"),
    ("wages", "cost_wages_fen", "Wages", "工资"),
    ("other", "cost_other_fen", "Other cost", "其他支出"),
)
DINER_COLUMNS = ("diners_students", "diners_teachers")
CENT = Decimal("0.01")


@dataclass
class DaySummary:
    """One day of the books; `other_cost` holds only the kinds the site counts as cost."""

    day: dt.date
    diners: int = 0
    income: int = 0
    food_cost: int = 0
    other_cost: int = 0
    diners_students: int = 0
    diners_teachers: int = 0
    income_by_source: dict[str, int] = field(default_factory=dict)
    food_cost_by_category: dict[str, int] = field(default_factory=dict)
    other_cost_by_kind: dict[str, int] = field(default_factory=dict)
    other_cost_not_counted: dict[str, int] = field(default_factory=dict)

    @property
    def cost(self) -> int:
        return self.food_cost + self.other_cost

    @property
    def surplus(self) -> int:
        return self.income - self.cost


@dataclass
class MonthSummary:
    """A month of the books, as published to parents (公示)."""

    site_id: int
    year: int
    month: int
    costs_counted: tuple[str, ...]
    income_by_source: dict[str, int]
    income_total: int
    food_cost_by_category: dict[str, int]
    food_cost: int
    other_cost_by_kind: dict[str, int]
    other_cost_not_counted: dict[str, int]
    cost_total: int
    surplus: int
    surplus_rate: Decimal | None
    diner_days: int
    cost_per_diner_day: int | None
    days: list[DaySummary]

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return month_end(self.year, self.month)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def counted_costs(site_id: int, setting: str | None = None) -> tuple[str, ...]:
    """The other-cost kinds the site's setting `costs_counted` names (read unless given), in
    ledger order."""
    raw = str((settings.get(site_id, "costs_counted") if setting is None else setting) or "")
    named = {part.strip().lower() for part in raw.replace("，", ",").replace("、", ",").split(",")}
    return tuple(kind for kind, _col, _en, _zh in OTHER_COSTS if kind in named)


def surplus_rate(surplus: int, income: int) -> Decimal | None:
    """Surplus as a percent of income, two places, rounded half up; None without income."""
    if income == 0:
        return None
    return (Decimal(surplus) * 100 / Decimal(income)).quantize(CENT, rounding=ROUND_HALF_UP)


def per_diner(cost: int, diner_days: int) -> int | None:
    """Cost per diner-day in whole fen (half up); None when nobody ate."""
    if diner_days == 0:
        return None
    return int((Decimal(cost) / Decimal(diner_days)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def day_summaries(site_id: int, start: dt.date, end: dt.date,
                  counted: tuple[str, ...] | None = None) -> list[DaySummary]:
    """Every day from start to end that has a ledger entry or accepted food, in date order.

    Two grouped queries for the whole range, so a year costs the same few queries as a day.
    """
    counted = counted_costs(site_id) if counted is None else counted
    days: dict[dt.date, DaySummary] = {}
    for row in _ledger_rows(site_id, start, end):
        summary = days.setdefault(_as_date(row["day"]), DaySummary(_as_date(row["day"])))
        _add_ledger_row(summary, row, counted)
    for row in _food_rows(site_id, start, end):
        summary = days.setdefault(_as_date(row["day"]), DaySummary(_as_date(row["day"])))
        amount = int(row["amount"] or 0)
        summary.food_cost_by_category[row["category"]] = summary.food_cost_by_category.get(row["category"], 0) + amount
        summary.food_cost += amount
    return [days[d] for d in sorted(days)]


def day_summary(site_id: int, day: dt.date) -> DaySummary:
    """One day of the books (an empty day when nothing was recorded)."""
    found = day_summaries(site_id, day, day)
    return found[0] if found else DaySummary(day)


def month_summary(site_id: int, year: int, month: int, costs_setting: str | None = None) -> MonthSummary:
    """The month's totals, surplus and surplus rate, and its days (`costs_setting`: the site's
    `costs_counted`, when the caller has its settings at hand)."""
    check_month(year, month)
    counted = counted_costs(site_id, costs_setting)
    days = day_summaries(site_id, dt.date(year, month, 1), month_end(year, month), counted)
    income = _sum_dicts(d.income_by_source for d in days)
    food = _sum_dicts(d.food_cost_by_category for d in days)
    other = _sum_dicts(d.other_cost_by_kind for d in days)
    income_total, food_cost = sum(income.values()), sum(food.values())
    cost_total = food_cost + sum(other.values())
    surplus = income_total - cost_total
    diner_days = sum(d.diners for d in days)
    return MonthSummary(
        site_id=site_id, year=year, month=month, costs_counted=counted,
        income_by_source=income, income_total=income_total,
        food_cost_by_category=food, food_cost=food_cost,
        other_cost_by_kind=other,
        other_cost_not_counted=_sum_dicts(d.other_cost_not_counted for d in days),
        cost_total=cost_total, surplus=surplus, surplus_rate=surplus_rate(surplus, income_total),
        diner_days=diner_days, cost_per_diner_day=per_diner(cost_total, diner_days), days=days)


def check_month(year: int, month: int) -> None:
    """Refuse, naming the field, a month a script got wrong (13, 0, "3", year 0)."""
    from .errors import ValidationError
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError("year", f"must be a year from 2000 to 2100, not {year!r:.20}", "必须是 2000–2100 之间的年份",
                              "Year", "年份")
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError("month", f"must be a month from 1 to 12, not {month!r:.20}", "必须是 1–12 之间的月份",
                              "Month", "月份")


def months_between(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """(year, month) of every month that lies wholly inside start..end."""
    found = []
    year, month = start.year, start.month
    while dt.date(year, month, 1) <= end:
        if dt.date(year, month, 1) >= start and month_end(year, month) <= end:
            found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _ledger_rows(site_id: int, start: dt.date, end: dt.date):
    columns = [c for _k, c, _e, _z in INCOME_SOURCES] + [c for _k, c, _e, _z in OTHER_COSTS] + list(DINER_COLUMNS)
    sums = [fn.SUM(getattr(LedgerDay, c)).alias(c) for c in columns]
    return (LedgerDay.select(LedgerDay.day, *sums)
            .where((LedgerDay.site == site_id) & (LedgerDay.voided == False)  # noqa: E712
                   & (LedgerDay.day >= start) & (LedgerDay.day <= end))
            .group_by(LedgerDay.day).dicts())


def _food_rows(site_id: int, start: dt.date, end: dt.date):
    return (Delivery.select(Delivery.day, Delivery.category, fn.SUM(Delivery.amount_fen).alias("amount"))
            .where((Delivery.site == site_id) & (Delivery.voided == False)  # noqa: E712
                   & (Delivery.result == "accepted") & (Delivery.day >= start) & (Delivery.day <= end))
            .group_by(Delivery.day, Delivery.category).dicts())


def _add_ledger_row(summary: DaySummary, row: dict, counted: tuple[str, ...]) -> None:
    for name, column, _en, _zh in INCOME_SOURCES:
        value = int(row[column] or 0)
        summary.income_by_source[name] = summary.income_by_source.get(name, 0) + value
        summary.income += value
    for name, column, _en, _zh in OTHER_COSTS:
        value = int(row[column] or 0)
        bucket = summary.other_cost_by_kind if name in counted else summary.other_cost_not_counted
        bucket[name] = bucket.get(name, 0) + value
        if name in counted:
            summary.other_cost += value
    summary.diners_students += int(row["diners_students"] or 0)
    summary.diners_teachers += int(row["diners_teachers"] or 0)
    summary.diners = summary.diners_students + summary.diners_teachers


def _sum_dicts(dicts) -> dict[str, int]:
    total: dict[str, int] = {}
    for d in dicts:
        for key, value in d.items():
            total[key] = total.get(key, 0) + value
    return total


def _as_date(value) -> dt.date:
    """SQLite may hand an aggregated date back as text; PostgreSQL as a date."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
