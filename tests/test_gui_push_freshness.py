"""The district page marks each canteen's pushes (issue 12, items 4 and 6): its last push in
Shanghai time, "stale" (colour, symbol, word) after the district's allowed time without one, a
push refused for a differing history in filled red with its seq and day, and a canteen written in
the district database shown as not pushing; "only stale or flagged" narrows the day table."""

from __future__ import annotations

import datetime as dt

import pytest
from district_support import district, enrolled, session  # noqa: F401
from gui_support import desk  # noqa: F401
from records_support import MARCH_MORNING

from canteen.timeutil import to_utc

NOW = to_utc(MARCH_MORNING)


@pytest.fixture
def district_page(desk, qtbot, district):  # noqa: F811
    """一中食堂 last pushed on the evening of 27 February and a later push was refused at seq 12 on
    1 March; 二中食堂 is written in the district database."""
    enrolled(district.a, NOW - dt.timedelta(days=30), last_at=to_utc(dt.datetime(2026, 2, 27, 18, 5)), last_seq=40,
             flagged_at=to_utc(dt.datetime(2026, 3, 1, 9, 30)), flag_seq=12)
    from ui.main_window import MainWindow
    win = MainWindow(session("inspector"))
    qtbot.addWidget(win)
    win.show()
    page = win.pages["district"]
    qtbot.waitUntil(lambda: bool(page.days and page.periods), timeout=20000)
    return page


def cells(page, column: int) -> dict[str, object]:
    table = page.day_table
    return {table.verticalHeaderItem(r).text(): table.item(r, column) for r in range(table.rowCount())}


def test_a_stale_canteen_shows_its_last_push_in_shanghai_time_marked_stale(district_page):
    page = district_page
    assert page.day_table.horizontalHeaderItem(0).text() == "Last push"
    assert not page.day_table.isColumnHidden(0) and not page.day_table.isColumnHidden(1)  # one canteen pushes
    last = cells(page, 0)
    assert last["一中食堂"].text().startswith("⚠ Stale · ") and last["一中食堂"].text().endswith("18:05")
    assert last["一中食堂"].foreground().color().name() == "#a15c00"
    assert "up to seq 40" in last["一中食堂"].toolTip() and "24 hours" in last["一中食堂"].toolTip()
    assert last["二中食堂"].text() == "– Written here"


def test_a_flagged_canteen_is_filled_red_with_the_seq_and_day_of_the_refusal(district_page):
    page = district_page
    assert page.day_table.horizontalHeaderItem(1).text() == "History check"
    history = cells(page, 1)
    flagged = history["一中食堂"]
    assert flagged.text().startswith("✖ History differs · seq 12 · ") and flagged.text().endswith("09:30")
    assert flagged.background().color().name() == "#c62828" and flagged.foreground().color().name() == "#ffffff"
    assert "differs from what the district received at seq 12" in flagged.toolTip()
    assert history["二中食堂"].text() == "– Not needed"
    assert page.push_summary.text() == "1 canteens push to the district: 1 stale, 1 flagged."


def test_only_stale_or_flagged_leaves_the_canteens_to_look_at(district_page, qtbot):
    page = district_page
    assert page.day_table.rowCount() == 2
    page.attention_only.click()
    assert [page.day_table.verticalHeaderItem(r).text() for r in range(page.day_table.rowCount())] == ["一中食堂"]
    with qtbot.waitSignal(page.open_canteen) as opened:
        page.day_table.cellDoubleClicked.emit(0, 3)
    assert opened.args == ["一中食堂"]
    page.attention_only.click()
    assert page.day_table.rowCount() == 2


def test_a_recent_push_unflagged_is_green_with_its_time(district_page, qtbot):
    from canteen.models import Enrolment
    Enrolment.update(last_at=NOW - dt.timedelta(hours=2), flagged_at=None, flag_seq=None).execute()
    page = district_page
    page.load_day()
    qtbot.waitUntil(lambda: cells(page, 0)["一中食堂"].text().startswith("✔"), timeout=20000)
    last, history = cells(page, 0)["一中食堂"], cells(page, 1)["一中食堂"]
    assert last.text().endswith("06:00") and last.foreground().color().name() == "#2e7d32"
    assert history.text() == "✔ Consistent"
    assert page.push_summary.text() == "1 canteens push to the district: 0 stale, 0 flagged."
