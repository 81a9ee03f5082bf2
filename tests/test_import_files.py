"""The files people send, imported honestly (canteen.sheetfile, canteen.import_checks and the
`import` command): workbooks from LibreOffice, Excel's "Unicode text", TSV; one decoding decision
per file; a cut UTF-8 copy or an over-long cell refused by its place; the same file twice refused;
rows that repeat kept records listed as warnings."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from gui_support import desk, window  # noqa: F401  (fixtures)
from records_support import DELIVERY_HEADS, delivery_rows, licensed_supplier, sheet_text

from canteen import sheet_import
from canteen.cli import main
from canteen.import_checks import AlreadyImported
from canteen.models import AuditEntry, Delivery
from canteen.services import records
from tests.conftest import PASSWORD, local_now

DATA = Path(__file__).parent / "data"
LATE = "从纸质台账补录"


@pytest.fixture
def supplier(manager):
    return licensed_supplier(manager, "城关超市")


@pytest.fixture
def as_manager(monkeypatch, db_path):
    monkeypatch.setenv("CANTEEN_PASSWORD", PASSWORD)
    return ["--db", str(db_path), "--user", "manager"]


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err




def stored() -> list[tuple]:
    return [(d.item, d.batch_no, Decimal(d.quantity), d.receiver) for d in Delivery.select().order_by(Delivery.id)]


def import_entries() -> list[dict]:
    return [{**json.loads(e.after), "reason": e.reason, "by": e.username}
            for e in AuditEntry.select().where(AuditEntry.action == "import").order_by(AuditEntry.seq)]


# ---- workbooks made by LibreOffice -------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["csv", "xlsx", "xls", "ods"])
def test_a_sheet_saved_by_libreoffice_imports_exactly(manager, supplier, suffix):
    """The same three deliveries typed in LibreOffice and saved as each format come in identically."""
    path = DATA / f"deliveries-libreoffice.{suffix}"
    result = sheet_import.import_file(manager, "deliveries", path, late_reason=LATE)
    got = [(d.occurred_at, d.item, d.category, d.quantity, d.unit_price_fen, d.production_date, d.batch_no, d.receiver,
            d.late_reason) for d in (records.get(manager, "deliveries", i) for i in result.ids)]
    assert got == [
        (dt.datetime(2025, 3, 2, 23, 30), "大白菜", "vegetable", Decimal("12.500"), 10, dt.date(2025, 3, 2), "B-0303", "王芳", LATE),
        (dt.datetime(2025, 3, 2, 23, 45), "东北大米", "grain", Decimal("1234.500"), 435, dt.date(2025, 1, 15), "M-77", "李师傅", LATE),
        (dt.datetime(2025, 3, 3, 22, 5), "土豆", "vegetable", Decimal("80.000"), 120, dt.date(2025, 3, 1), "T-1", "王芳", LATE)]
    assert (result.format, result.sha256) == (suffix, hashlib.sha256(path.read_bytes()).hexdigest())
    assert result.encoding == ("UTF-8" if suffix == "csv" else None)


# ---- one decoding decision per file ------------------------------------------------------------

@pytest.mark.parametrize(("name", "encode", "encoding", "kind"), [
    ("unicode-text.txt", lambda t: t.replace(",", "\t").encode("utf-16"), "UTF-16LE with BOM", "tsv"),
    ("unicode-text-be.txt", lambda t: b"\xfe\xff" + t.replace(",", "\t").encode("utf-16-be"), "UTF-16BE with BOM", "tsv"),
    ("no-mark.txt", lambda t: t.replace(",", "\t").encode("utf-16-le"), "UTF-16LE", "tsv"),
    ("plain.tsv", lambda t: t.replace(",", "\t").encode("utf-8"), "UTF-8", "tsv"),
    ("bom.csv", lambda t: t.encode("utf-8-sig"), "UTF-8 with BOM", "csv"),
    ("tabs-in-a.csv", lambda t: t.replace(",", "\t").encode("utf-8"), "UTF-8", "tsv"),
    ("excel-gbk.csv", lambda t: t.encode("gb18030"), "GB18030", "csv")])
def test_text_files_in_every_encoding_people_save_import_the_same(manager, supplier, tmp_path, name, encode, encoding,
                                                                  kind):
    path = tmp_path / name
    path.write_bytes(encode(sheet_text([DELIVERY_HEADS] + delivery_rows("B1", "B2"))))
    result = sheet_import.import_file(manager, "deliveries", path)
    assert stored() == [("大白菜", "B1", Decimal("12.5"), "王芳"), ("小白菜", "B2", Decimal("12.5"), "王芳")]
    assert import_entries() == [{"file": name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                                 "format": kind,
                                 "encoding": encoding, "rows": 2, "first_id": result.ids[0], "last_id": result.ids[1],
                                 "repeated_rows": [], "reason": "", "by": "manager"}]


def test_a_utf8_file_cut_short_is_refused_naming_row_and_byte_not_read_as_gbk(manager, supplier, tmp_path, capsys,
                                                                             as_manager):
    """The issue's cut copy: 王芳 and the rest would have come in as GBK mojibake (鐜嬭姵)."""
    data = sheet_text([DELIVERY_HEADS] + delivery_rows("B1", "B2", "B3")).encode("utf-8").rstrip(b"\r\n")[:-1]  # 王芳 loses its last byte
    path = tmp_path / "cut.csv"
    path.write_bytes(data)
    code, out, err = run(capsys, *as_manager, "import", "deliveries", str(path))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert f"row 4, byte {len(data) - 2}: the file is UTF-8 but the bytes there (e8 8a) are broken" in err
    assert stored() == [] and import_entries() == []


def test_a_lost_byte_in_the_middle_is_refused_at_its_row(manager, supplier, tmp_path):
    data = bytearray(sheet_text([DELIVERY_HEADS] + delivery_rows("B1", "B2", "B3")).encode("utf-8"))
    at = data.index("小白菜".encode())
    del data[at + 1]
    path = tmp_path / "damaged.csv"
    path.write_bytes(bytes(data))
    with pytest.raises(sheet_import.ExchangeError, match=f"row 3, byte {at}: the file is UTF-8"):
        sheet_import.import_file(manager, "deliveries", path)
    assert stored() == []


def test_a_broken_utf16_file_is_refused_at_its_row(manager, supplier, tmp_path):
    data = sheet_text([DELIVERY_HEADS] + delivery_rows("B1", "B2"), "\t").encode("utf-16")
    path = tmp_path / "unicode.txt"
    path.write_bytes(data[:-3])  # an odd length: the last character is cut in half
    with pytest.raises(sheet_import.ExchangeError, match="row 3, byte .*UTF-16LE with BOM"):
        sheet_import.import_file(manager, "deliveries", path)


def test_an_over_long_cell_is_refused_with_its_row_and_column(manager, supplier, tmp_path, capsys, as_manager):
    table = [DELIVERY_HEADS] + delivery_rows("B1", "B2", "B3")
    table[2][1] = "菜" * (10 * 2**20 // 3)  # a 10 MB cell in row 3, the item column
    path = tmp_path / "huge.csv"
    path.write_text(sheet_text(table), encoding="utf-8")
    code, _out, err = run(capsys, *as_manager, "import", "deliveries", str(path))
    assert code == 2 and err.count("\n") == 1
    assert "row 3, column 2 (品名 Item): the cell holds 3,495,253 characters; a cell holds at most 32,767" in err
    assert stored() == []


# ---- the same file twice, and repeated rows ---------------------------------------------------

def test_the_same_file_twice_is_refused_naming_when_and_who_unless_asked_again(manager, supplier, tmp_path, capsys,
                                                                              as_manager):
    path = tmp_path / "five.csv"
    path.write_text(sheet_text([DELIVERY_HEADS] + delivery_rows("B1", "B2", "B3", "B4", "B5")), encoding="utf-8")
    code, out, _ = run(capsys, *as_manager, "import", "deliveries", str(path))
    assert code == 0 and "Imported 5 deliveries" in out and "csv, UTF-8; SHA-256 " in out
    first = import_entries()[0]
    code, out, err = run(capsys, *as_manager, "import", "deliveries", str(path))
    assert code == 2 and len(stored()) == 5 and err.count("\n") == 1
    when = AuditEntry.get(AuditEntry.action == "import").at
    from canteen.timeutil import to_local
    assert (f"five.csv was already imported on {to_local(when):%Y-%m-%d %H:%M} by manager (5 rows; same SHA-256); "
            "nothing was imported. To import it again, give a reason (--again REASON).") in err
    renamed = tmp_path / "five-copy.csv"
    renamed.write_bytes(path.read_bytes())  # a new name does not make it a new file
    with pytest.raises(AlreadyImported):
        sheet_import.import_file(manager, "deliveries", renamed)
    code, out, _ = run(capsys, *as_manager, "import", "deliveries", str(path), "--again", "第二批同样的货")
    assert code == 0 and "Imported 5 deliveries" in out and len(stored()) == 10
    assert out.count("warning: row") == 5 and "warning: row 2: the same as 进货查验 #1 already kept" in out
    second = import_entries()[1]
    assert second["reason"] == "第二批同样的货" and second["sha256"] == first["sha256"]
    assert second["repeated_rows"] == [2, 3, 4, 5, 6]
    assert run(capsys, "--db", as_manager[1], "verify")[0] == 0


@pytest.mark.both_databases
def test_a_refused_import_does_not_count_as_imported(manager, supplier, tmp_path):
    """Only a file that came in is refused a second time: a refused import leaves no trace to refuse by."""
    path = tmp_path / "bad.csv"
    typed = delivery_rows("B1")
    typed[0][3] = "12,5"
    path.write_text(sheet_text([DELIVERY_HEADS] + typed), encoding="utf-8")
    with pytest.raises(sheet_import.ImportRefused):
        sheet_import.import_file(manager, "deliveries", path)
    path.write_text(sheet_text([DELIVERY_HEADS] + delivery_rows("B1")), encoding="utf-8")
    assert sheet_import.import_file(manager, "deliveries", path).rows == 1


@pytest.mark.both_databases
def test_rows_repeating_kept_records_are_imported_and_listed_as_warnings(manager, supplier, tmp_path):
    at = local_now() - dt.timedelta(hours=2)
    first = tmp_path / "morning.csv"
    first.write_text(sheet_text([DELIVERY_HEADS] + delivery_rows("B1", "B2", at=at)), encoding="utf-8")
    assert sheet_import.import_file(manager, "deliveries", first).warnings == []
    second = tmp_path / "later.csv"
    table = [DELIVERY_HEADS] + delivery_rows("B2", "B9", "B9", at=at)
    table[1][1] = table[2][1] = table[3][1] = "小白菜"  # row 2 is the morning file's B2 again
    second.write_text(sheet_text(table), encoding="utf-8")
    result = sheet_import.import_file(manager, "deliveries", second)
    assert result.rows == 3 and len(stored()) == 5
    assert result.warnings == [
        "row 2: the same as 进货查验 #2 already kept (到货时间、品名、批号、供货者); imported anyway",
        "row 4: repeats row 3 (到货时间、品名、批号、供货者); imported anyway"]
    other_time = tmp_path / "evening.csv"
    other_time.write_text(sheet_text([DELIVERY_HEADS] + delivery_rows("B1", at=at + dt.timedelta(minutes=30))), encoding="utf-8")
    assert sheet_import.import_file(manager, "deliveries", other_time).warnings == []  # another time: another delivery
    with pytest.raises(AlreadyImported):
        sheet_import.import_file(manager, "deliveries", first)


# ---- the desk's import dialog -----------------------------------------------------------------

def test_the_desk_imports_warns_and_asks_a_reason_before_importing_a_file_again(qtbot, window, manager, supplier,
                                                                               tmp_path):
    """What the command line does, in the desk: import, refuse the same file naming when and who, and
    import it once more when the user gives a reason; repeated rows are listed."""
    from PySide6.QtCore import Qt
    path = tmp_path / "two.xlsx"
    from openpyxl import Workbook
    book = Workbook()
    for row in [DELIVERY_HEADS] + delivery_rows("B1", "B2"):
        book.active.append(row)
    book.save(path)
    page = window.show_page("records:deliveries")
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    dialog = page.import_dialog
    dialog.path.setText(str(path))
    with qtbot.waitSignal(dialog.imported):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "Imported 2 records from" in dialog.outcome.toPlainText() and "(xlsx)" in dialog.outcome.toPlainText()
    qtbot.waitUntil(lambda: page.table_model.rowCount() == 2)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.again.isHidden())
    assert "two.xlsx was already imported on" in dialog.outcome.toPlainText()
    assert "by manager (2 rows; same SHA-256)" in dialog.outcome.toPlainText() and len(stored()) == 2
    dialog.again.setText("两车同样的货")
    with qtbot.waitSignal(dialog.imported):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    shown = dialog.outcome.toPlainText()
    assert "Imported 2 records" in shown and "2 rows repeat records already kept (imported anyway):" in shown
    assert "row 2: the same as 进货查验 #1 already kept" in shown and dialog.again.isHidden()
    assert len(stored()) == 4 and import_entries()[1]["reason"] == "两车同样的货"


def test_the_desk_shows_each_bad_row_of_a_refused_import(qtbot, window, manager, supplier, tmp_path):
    from PySide6.QtCore import Qt
    path = tmp_path / "bad.csv"
    typed = delivery_rows("B1", "B2")
    for row in typed:
        row[3] = "12,5"
    path.write_text(sheet_text([DELIVERY_HEADS] + typed), encoding="utf-8")
    page = window.show_page("records:deliveries")
    dialog = page.import_sheet()
    dialog.path.setText(str(path))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "nothing was imported" in dialog.outcome.toPlainText())
    assert dialog.outcome.toPlainText().splitlines()[:2] == [
        "row 2, 数量 Quantity: '12,5' is ambiguous — write 12.5", "row 3, 数量 Quantity: '12,5' is ambiguous — write 12.5"]
    assert stored() == []


def test_the_desk_in_chinese_names_each_bad_row_in_chinese(qtbot, window, manager, supplier, tmp_path):
    """The administrator's desk speaks Chinese: the rows of a refused import are said in Chinese too,
    while the command line keeps its English lines for scripts."""
    from PySide6.QtCore import Qt

    from ui import i18n
    path = tmp_path / "bad.csv"
    typed = delivery_rows("B1")
    typed[0][3] = "12,5"
    path.write_text(sheet_text([DELIVERY_HEADS] + typed), encoding="utf-8")
    i18n.install("zh_CN")
    page = window.show_page("records:deliveries")
    dialog = page.import_sheet()
    dialog.path.setText(str(path))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "未导入任何记录" in dialog.outcome.toPlainText())
    assert dialog.outcome.toPlainText().splitlines()[0] == "第 2 行，数量 Quantity：“12,5”有歧义，请写作 12.5"
    assert stored() == []
