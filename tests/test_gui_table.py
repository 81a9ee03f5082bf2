"""The paged table over a large record table: counts, blocks, search and date range in SQL."""

from __future__ import annotations

import datetime as dt

from gui_support import certified_supplier, desk, window  # noqa: F401  (fixtures)
from PySide6.QtCore import Qt

from canteen import db
from canteen.models import Delivery

ROWS = 100_000


def bulk_deliveries(site_id: int, supplier_id: int, count: int) -> None:
    """Test set-up only: rows written straight into the table with one executemany."""
    first = dt.date(2025, 9, 1)
    now = dt.datetime(2026, 1, 1, 8, 0)
    rows = []
    for i in range(count):
        day = first + dt.timedelta(days=i % 120)
        item = "土豆" if i % 10 == 0 else ("鸡蛋" if i % 10 == 1 else f"青菜{i % 7}")
        rows.append((site_id, day.isoformat(), f"{day.isoformat()} 00:30:00", str(now), 1, 0, item, "vegetable",
                     "10.000", "kg", supplier_id, "accepted", "王芳", 1))
    sql = ('INSERT INTO "delivery" (site_id, day, occurred_at, entered_at, version, voided, item, category, '
           'quantity, unit, supplier_id, result, receiver, sensory_ok) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)')
    with db.write_transaction():
        db.current().cursor().executemany(sql, rows)


def test_a_hundred_thousand_rows_count_page_and_filter(qtbot, window, manager):
    supplier = certified_supplier(manager)
    bulk_deliveries(manager.site.id, supplier, ROWS)
    page = window.show_page("records:deliveries")
    page.refresh()
    model = page.table_model
    assert model.rowCount() == ROWS
    assert len(model._blocks) <= 2  # only what was painted has been fetched
    last = model.index(ROWS - 1, 2)
    page.table.scrollToBottom()
    assert model.data(last) in ("土豆", "鸡蛋") or model.data(last).startswith("青菜")
    # search text typed into the search box
    page.search.setFocus()
    qtbot.keyClicks(page.search, "")
    from gui_support import type_text
    type_text(qtbot, page.search, "土豆")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert model.rowCount() == ROWS // 10
    assert "10,000 of 100,000" in page.count_label.text()
    # date range: one day holds every 120th row
    page.date_from.setDate(page.date_from.date().fromString("2025-09-01", "yyyy-MM-dd"))
    page.date_to.setDate(page.date_to.date().fromString("2025-09-01", "yyyy-MM-dd"))
    qtbot.mouseClick(page.use_dates, Qt.MouseButton.LeftButton)
    expected = sum(1 for i in range(0, ROWS, 120) if i % 10 == 0)
    assert model.rowCount() == expected
    page.search.clear()
    page.apply_filter()
    assert model.rowCount() == len(range(0, ROWS, 120))


def test_on_a_large_table_the_first_rows_are_painted_before_the_count(qtbot, window, manager, monkeypatch):
    from ui.models import records as table_models
    supplier = certified_supplier(manager)
    bulk_deliveries(manager.site.id, supplier, 3000)
    monkeypatch.setattr(table_models, "COUNT_BEHIND_FROM", 1000)  # treat 3,000 rows as a large table
    page = window.show_page("records:deliveries")
    model = page.table_model
    with qtbot.waitSignal(model.filtered, timeout=10000) as done:
        page.refresh()
        assert model.counting and model.rowCount() == 500  # the first block, newest first
        assert "First 500 records shown; counting" in page.count_label.text()
        assert int(model.data(model.index(0, 0))) > int(model.data(model.index(499, 0)))
    assert done.args == [3000] and model.rowCount() == 3000 and not model.counting
    assert page.count_label.text() == "3,000 records"
    page.table.scrollToBottom()
    assert int(model.data(model.index(2999, 0))) == min(d.id for d in Delivery.select(Delivery.id))


def test_a_search_typed_before_a_large_tables_count_arrives_loses_nothing(qtbot, window, manager, monkeypatch):
    from ui.models import records as table_models
    supplier = certified_supplier(manager)
    bulk_deliveries(manager.site.id, supplier, 3000)
    monkeypatch.setattr(table_models, "COUNT_BEHIND_FROM", 1000)  # treat 3,000 rows as a large table
    page = window.show_page("records:deliveries")
    model = page.table_model
    page.refresh()
    assert model.counting and model.total() is None
    quantity = next(i for i, c in enumerate(model.columns) if c.name == "quantity")
    assert not model.sortable(quantity)  # only the first block is known: not yet "few rows"
    page.search.setText("鸡蛋")  # before the event loop turns: the count has not even begun
    page.apply_filter()
    qtbot.waitUntil(lambda: "300 of 3,000 records" in page.count_label.text(), timeout=10000)
    assert model.rowCount() == 300 and model.total() == 3000
    page.search.clear()
    page.apply_filter()
    assert model.rowCount() == 3000 and page.count_label.text() == "3,000 records"


def test_sorting_by_a_column_asks_the_database(qtbot, window, manager):
    supplier = certified_supplier(manager)
    bulk_deliveries(manager.site.id, supplier, 2000)
    page = window.show_page("records:deliveries")
    page.refresh()
    item_column = next(i for i, c in enumerate(page.table_model.columns) if c.name == "item")
    page.table.sortByColumn(item_column, Qt.SortOrder.AscendingOrder)
    first = page.table_model.data(page.table_model.index(0, item_column))
    assert first == min(d.item for d in Delivery.select(Delivery.item))
    page.table.sortByColumn(item_column, Qt.SortOrder.DescendingOrder)
    assert page.table_model.data(page.table_model.index(0, item_column)) == max(d.item for d in Delivery.select(Delivery.item))


def test_on_a_large_table_a_search_shows_its_first_rows_before_its_count(qtbot, window, manager, monkeypatch):
    from ui.models import records as table_models
    supplier = certified_supplier(manager)
    bulk_deliveries(manager.site.id, supplier, 12000)
    monkeypatch.setattr(table_models, "ASYNC_FROM", 1000)  # treat 12,000 rows as a large table
    page = window.show_page("records:deliveries")
    page.refresh()
    model = page.table_model
    item_column = next(i for i, c in enumerate(model.columns) if c.name == "item")
    assert model.rowCount() == 12000  # entry order needs no worker
    with qtbot.waitSignal(model.filtered, timeout=10000) as done:
        with qtbot.waitSignal(model.first_rows, timeout=1000) as first:
            page.search.setText("鸡蛋")
            page.apply_filter()
        assert first.args == [500] and model.counting  # the first block is painted, the count follows
        assert "counting" in page.count_label.text()
        assert model.data(model.index(0, item_column)) == "鸡蛋"
    assert done.args == [1200] and model.rowCount() == 1200 and not model.counting
    assert "1,200 of 12,000" in page.count_label.text()
    assert model.data(model.index(1199, item_column)) == "鸡蛋"
    with qtbot.waitSignal(model.filtered, timeout=10000):
        page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, item_column)) == "鸡蛋"
    assert int(model.data(model.index(0, 0))) < int(model.data(model.index(499, 0)))


def test_on_a_large_table_a_column_without_an_index_says_so_instead_of_sorting(qtbot, window, manager, monkeypatch):
    from ui.models import records as table_models
    supplier = certified_supplier(manager)
    bulk_deliveries(manager.site.id, supplier, 3000)
    monkeypatch.setattr(table_models, "SORT_SCAN_LIMIT", 1000)  # treat 3,000 rows as too many to sort by a scan
    page = window.show_page("records:deliveries")
    page.refresh()
    model = page.table_model
    columns = {c.name: i for i, c in enumerate(model.columns)}
    tip = model.headerData(columns["quantity"], Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "Too many rows to sort by this column quickly" in tip
    assert "\n" not in model.headerData(columns["item"], Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    with qtbot.waitSignal(page.status_message, timeout=1000) as said:
        page.table.sortByColumn(columns["quantity"], Qt.SortOrder.AscendingOrder)
    assert "Too many rows" in said.args[0]
    assert model._sort == (0, Qt.SortOrder.DescendingOrder)
    assert page.table.horizontalHeader().sortIndicatorSection() == 0
    page.table.sortByColumn(columns["item"], Qt.SortOrder.AscendingOrder)  # along its index: no worker, no wait
    assert model._task is None and model.rowCount() == 3000
    assert model.data(model.index(0, columns["item"])) == "土豆" and model.data(model.index(2999, columns["item"])) == "鸡蛋"
    page.search.setText("土豆")
    page.apply_filter()  # 300 rows in play: any column sorts
    page.table.sortByColumn(columns["quantity"], Qt.SortOrder.AscendingOrder)
    assert model._sort[0] == columns["quantity"]
