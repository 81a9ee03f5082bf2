"""The cost ledger: exact fen arithmetic from ledger days and accepted deliveries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from canteen import ledger, settings
from canteen.db import write_transaction
from canteen.services import records
from canteen.timeutil import to_utc


@pytest.fixture
def book(sessions):
    """The manager's session on a clock standing at 20:00 local on 31 March 2026."""
    session = sessions["manager"]
    session.clock = lambda: to_utc(dt.datetime(2026, 3, 31, 20, 0))
    return session


@pytest.fixture
def supplier(book):
    supplier = records.create(book, "suppliers", {"name": "城关超市", "kind": "distributor", "address": "城关镇"})
    records.create(book, "certificates", {"supplier": supplier.id, "cert_type": "operation_licence",
                                          "number": "JY1", "issued_on": "2025-01-01", "expires_on": "2030-01-01"})
    return supplier


def deliver(session, supplier, day: int, item: str, category: str, amount_fen: int, result: str = "accepted"):
    data = {"occurred_at": dt.datetime(2026, 3, day, 7, 0), "item": item, "category": category,
            "quantity": "10", "unit": "kg", "supplier": supplier.id, "batch_no": "B1",
            "amount_fen": amount_fen, "result": result, "receiver": "王芳", "late_reason": "entered from paper"}
    if result == "rejected":
        data["reject_reason"] = "spoiled"
    return records.create(session, "deliveries", data)


def book_day(session, day: dt.date, **values):
    return records.create(session, "ledger", {"day": day, "late_reason": "entered from paper", **values})


def count_costs(site_id: int, value: str) -> None:
    with write_transaction():
        settings.store(site_id, "costs_counted", value)


def test_month_sums_income_food_cost_and_diners_exactly(book, supplier):
    book_day(book, dt.date(2026, 3, 2), diners_students=240, diners_teachers=10,
             income_student_fen=240 * 1001, income_teacher_fen=10 * 1200, income_subsidy_fen=5001)
    book_day(book, dt.date(2026, 3, 3), diners_students=237, diners_teachers=13,
             income_student_fen=237 * 1001, income_teacher_fen=13 * 1200, income_other_fen=99)
    deliver(book, supplier, 2, "白菜", "vegetable", 12345)
    deliver(book, supplier, 2, "大米", "grain", 100001)
    deliver(book, supplier, 3, "青菜", "vegetable", 6789)

    month = ledger.month_summary(book.site.id, 2026, 3)

    assert month.income_by_source == {"student": 477 * 1001, "teacher": 23 * 1200, "subsidy": 5001, "other": 99}
    assert month.income_total == 477477 + 27600 + 5001 + 99 == 510177
    assert month.food_cost_by_category == {"vegetable": 12345 + 6789, "grain": 100001}
    assert month.food_cost == 119135
    assert month.cost_total == 119135
    assert month.surplus == 510177 - 119135 == 391042
    assert month.surplus_rate == Decimal("76.65")  # 391042 / 510177 = 76.648...%
    assert month.diner_days == 500
    assert month.cost_per_diner_day == 238  # 119135 / 500 = 238.27 fen
    assert [d.day for d in month.days] == [dt.date(2026, 3, 2), dt.date(2026, 3, 3)]
    assert isinstance(month.income_total, int) and isinstance(month.cost_per_diner_day, int)


def test_rejected_and_voided_deliveries_are_not_food_cost(book, supplier):
    deliver(book, supplier, 4, "猪肉", "meat", 50000, result="rejected")
    voided = deliver(book, supplier, 4, "土豆", "vegetable", 3000)
    records.void(book, "deliveries", voided.id, "typed twice")
    deliver(book, supplier, 4, "土豆", "vegetable", 3001)

    day = ledger.day_summary(book.site.id, dt.date(2026, 3, 4))

    assert day.food_cost == 3001
    assert day.food_cost_by_category == {"vegetable": 3001}


def test_other_costs_count_only_when_the_setting_names_them(book, supplier):
    book_day(book, dt.date(2026, 3, 5), diners_students=100, income_student_fen=100000,
             cost_fuel_fen=1111, cost_utilities_fen=2222, cost_wages_fen=3333, cost_other_fen=4444)
    deliver(book, supplier, 5, "面粉", "grain", 90000)

    uncounted = ledger.month_summary(book.site.id, 2026, 3)
    assert uncounted.costs_counted == ()
    assert uncounted.cost_total == 90000
    assert uncounted.other_cost_by_kind == {}
    assert uncounted.other_cost_not_counted == {"fuel": 1111, "utilities": 2222, "wages": 3333, "other": 4444}
    assert uncounted.surplus_rate == Decimal("10.00")

    count_costs(book.site.id, "fuel, wages")
    counted = ledger.month_summary(book.site.id, 2026, 3)
    assert counted.costs_counted == ("fuel", "wages")
    assert counted.other_cost_by_kind == {"fuel": 1111, "wages": 3333}
    assert counted.cost_total == 90000 + 1111 + 3333 == 94444
    assert counted.surplus == 5556
    assert counted.surplus_rate == Decimal("5.56")
    assert counted.cost_per_diner_day == 944  # 94444 / 100 = 944.44
    assert ledger.day_summary(book.site.id, dt.date(2026, 3, 5)).other_cost == 4444


def test_a_month_without_income_or_diners_has_no_rate(book, supplier):
    deliver(book, supplier, 6, "食用油", "oil", 25000)

    month = ledger.month_summary(book.site.id, 2026, 3)

    assert month.income_total == 0
    assert month.surplus == -25000
    assert month.surplus_rate is None
    assert month.cost_per_diner_day is None


def test_a_deficit_gives_a_negative_rate_rounded_half_up(book, supplier):
    book_day(book, dt.date(2026, 3, 9), diners_students=3, income_student_fen=3)
    deliver(book, supplier, 9, "盐", "seasoning", 4)

    month = ledger.month_summary(book.site.id, 2026, 3)

    assert month.surplus == -1
    assert month.surplus_rate == Decimal("-33.33")
    assert month.cost_per_diner_day == 1  # 4 / 3 = 1.33 fen


def test_an_empty_day_is_all_zero(book):
    day = ledger.day_summary(book.site.id, dt.date(2026, 3, 10))
    assert (day.diners, day.income, day.food_cost, day.other_cost, day.surplus) == (0, 0, 0, 0, 0)


def test_days_outside_the_month_are_left_out(book, supplier):
    book_day(book, dt.date(2026, 2, 27), diners_students=1, income_student_fen=500)
    book_day(book, dt.date(2026, 3, 1), diners_students=2, income_student_fen=700)

    month = ledger.month_summary(book.site.id, 2026, 3)

    assert month.income_total == 700
    assert month.first_day == dt.date(2026, 3, 1) and month.last_day == dt.date(2026, 3, 31)
    assert ledger.months_between(dt.date(2026, 1, 15), dt.date(2026, 3, 31)) == [(2026, 2), (2026, 3)]
