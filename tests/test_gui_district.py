"""The district page (issue 11, item 5) as the district inspector sees it: every canteen's duties
on the March morning, the month heat map, findings across canteens filtered, open cases, and a
double-click into one canteen's pages, read-only."""

from __future__ import annotations

import pytest
from district_support import district, light_sample, session  # noqa: F401
from gui_support import desk  # noqa: F401


@pytest.fixture
def district_window(desk, qtbot, district):  # noqa: F811
    """Canteen A kept a 100 g sample on the March morning; the inspector opens the desk."""
    light_sample(session("manager_a"), "红烧肉")
    from ui.main_window import MainWindow
    win = MainWindow(session("inspector"))
    qtbot.addWidget(win)
    win.show()
    page = win.pages["district"]
    qtbot.waitUntil(lambda: bool(page.days and page.periods), timeout=20000)
    return win, page


def column_of(table, title: str) -> int:
    return next(c for c in range(table.columnCount()) if table.horizontalHeaderItem(c).text() == title)


def test_the_inspector_sees_every_canteens_day_with_colour_symbol_and_word(district_window):
    win, page = district_window
    assert list(win.nav_items) == ["district"] and "District" in win.windowTitle()
    table = page.day_table
    assert [table.verticalHeaderItem(r).text() for r in range(table.rowCount())] == ["一中食堂", "二中食堂"]
    samples = column_of(table, "Every dish sampled")
    assert table.item(0, samples).text() == "✖ Violation"  # A's 100 g sample
    assert table.item(0, samples).foreground().color().name() == "#c62828"
    assert table.item(1, samples).text() != "✖ Violation"
    open_cases = column_of(table, "Open cases")
    assert int(table.item(0, open_cases).text()) >= 1


def test_a_district_where_no_canteen_pushes_shows_no_push_columns(district_window):
    """Both canteens are written in the district's database: nothing to push, nothing to watch."""
    _win, page = district_window
    table = page.day_table
    assert table.isColumnHidden(column_of(table, "Last push")) and table.isColumnHidden(column_of(table, "History check"))
    assert not page.attention_only.isVisible() and not page.push_summary.isVisible()
    assert not table.isColumnHidden(column_of(table, "Every dish sampled"))


def test_the_heat_map_marks_canteen_a_on_the_morning_of_the_light_sample(district_window):
    _win, page = district_window
    page.tabs.setCurrentIndex(1)
    heat = page.heat_table
    assert heat.columnCount() == 31 and heat.horizontalHeaderItem(1).text() == "2"
    assert heat.item(0, 1).text() == "✖" and "Violation" in heat.item(0, 1).toolTip()
    assert "Violation" in page.legend.text() and "Warning" in page.legend.text()


def test_findings_across_canteens_filter_by_canteen_and_rule(district_window, qtbot):
    _win, page = district_window
    page.tabs.setCurrentIndex(2)
    page.rule_filter.setCurrentIndex(page.rule_filter.findData("SMP-WEIGHT"))
    rows = page.findings_model.rows
    assert [(c.name, f.rule) for c, f in rows] == [("一中食堂", "SMP-WEIGHT")]
    assert page.findings_count.text() == "1 findings in 1 canteens"
    page.canteen_filter.setCurrentIndex(page.canteen_filter.findText("二中食堂"))
    assert page.findings_model.rows == []


def test_a_double_click_opens_the_canteens_pages_read_only(district_window, qtbot):
    win, page = district_window
    with qtbot.waitSignal(page.open_canteen) as opened:
        page.day_table.cellDoubleClicked.emit(0, 0)
    assert opened.args == ["一中食堂"]
    canteen = win.canteen_windows[-1]
    qtbot.addWidget(canteen)
    assert "一中食堂" in canteen.windowTitle() and "read-only" in canteen.windowTitle()
    assert "today" in canteen.nav_items and "admin" not in canteen.nav_items
    assert canteen.session.site.name == "一中食堂" and win.session.site is None


def test_the_day_table_is_read_before_the_month_behind_it(desk, qtbot, district, monkeypatch):  # noqa: F811
    """Both read every canteen; the month starts once the day's table is filled, so the table the
    inspector looks at first never shares the cores with the month. Until the month is in, its
    cases columns say they are being read rather than standing empty."""
    import threading

    from canteen.read import district as district_read
    from ui.main_window import MainWindow
    month_began_with, go_on = [], threading.Event()
    period = district_read.district_period

    def watched(*args, **kwargs):
        month_began_with.append(len(win.pages["district"].days))
        go_on.wait(20)
        return period(*args, **kwargs)
    monkeypatch.setattr(district_read, "district_period", watched)
    win = MainWindow(session("inspector"))
    qtbot.addWidget(win)
    win.show()
    page = win.pages["district"]
    qtbot.waitUntil(lambda: month_began_with == [2], timeout=20000)
    table = page.day_table
    open_cases = column_of(table, "Open cases")
    assert table.rowCount() == 2 and table.item(0, open_cases).text() == "…" and page.progress.isVisible()
    assert table.item(0, open_cases).toolTip() == "Being read with the month"
    go_on.set()
    qtbot.waitUntil(lambda: bool(page.periods), timeout=20000)
    assert table.item(0, open_cases).text().isdigit() and not page.progress.isVisible()
    page.month_edit.setDate(page.month_edit.date().addMonths(-1))
    qtbot.waitUntil(lambda: not page.progress.isVisible(), timeout=20000)
    assert month_began_with == [2, 2]
