"""Switching the language from the Settings menu: navigation, pages and forms in Chinese."""

from __future__ import annotations

from gui_support import desk, window  # noqa: F401  (fixtures)
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction


def test_switch_to_chinese_and_back(qtbot, window):
    window.show_page("records:deliveries")
    window.findChild(QAction, "language_zh_CN").trigger()
    groups = [window.nav.topLevelItem(i).text(0) for i in range(window.nav.topLevelItemCount())]
    assert "采购与供应商" in groups and "检测与留样" in groups and "审计" in groups
    page = window.pages["records:deliveries"]
    assert window.stack.currentWidget() is page
    assert page.add_button.text().replace("&", "").startswith("新增")
    headers = [page.table_model.headerData(i, Qt.Orientation.Horizontal) for i in range(page.table_model.columnCount())]
    assert "品名" in headers and "供货者" in headers
    form = page.add_record()
    assert form.editors["item"].label.text() == "品名 *"
    assert form.save_button.text() == "保存"
    assert QSettings().value("language") == "zh_CN"
    form.reject()
    window.findChild(QAction, "language_en").trigger()
    assert window.pages["records:deliveries"].add_button.text().replace("&", "") == "Add"
    assert window.nav.topLevelItem(2).text(0) == "Purchasing & suppliers"


def test_a_source_checkout_compiles_missing_catalogues_into_the_cache(desk, tmp_path, monkeypatch):
    from ui import i18n
    source = tmp_path / "i18n"
    source.mkdir()
    (source / "canteen_zh_CN.ts").write_bytes((i18n.HERE / "canteen_zh_CN.ts").read_bytes())
    monkeypatch.setattr(i18n, "HERE", source)
    found = i18n.qm_files("zh_CN")
    assert [p.name for p in found] == ["canteen_zh_CN.qm"]
    assert found[0].parent == tmp_path / "cache" / "canteen-log" / "i18n"
    assert found[0].stat().st_size > 1000


def test_automatic_language_follows_a_chinese_locale(desk, monkeypatch):
    from PySide6.QtCore import QLocale

    from ui import i18n
    monkeypatch.setattr(i18n.QLocale, "system", staticmethod(lambda: QLocale("zh_CN")))
    assert i18n.resolve("auto") == "zh_CN"
    monkeypatch.setattr(i18n.QLocale, "system", staticmethod(lambda: QLocale("en_US")))
    assert i18n.resolve("auto") == "en"


def test_window_remembers_geometry_and_last_page(qtbot, desk, sessions):
    from ui.main_window import MainWindow
    first = MainWindow(sessions["manager"])
    qtbot.addWidget(first)
    first.show()
    first.show_page("records:samples")
    first.resize(700, 480)  # within the offscreen screen, which geometry restoring respects
    size = (first.width(), first.height())
    first.close()
    again = MainWindow(sessions["manager"])
    qtbot.addWidget(again)
    assert again.current_key() == "records:samples"
    assert again.height() == size[1] == 480  # the offscreen screen is 800 px wide: width is clamped
