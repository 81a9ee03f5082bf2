"""Spreadsheets in and out (canteen.sheet_export, sheet_import and the export / import / export-template commands):
what goes out comes back the same, a bad row refuses the whole file and names itself, and the
database is untouched by a refused import."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from openpyxl import Workbook, load_workbook
from records_support import licensed_supplier

from canteen import db, sheet_columns, sheet_export, sheet_import
from canteen.cli import main
from canteen.errors import PermissionDenied
from canteen.integrity import chain
from canteen.models import MODELS, REGISTRY, AuditEntry, Site
from canteen.services import records, users
from tests.conftest import PASSWORD, local_now

# In the order a fresh database can take them: what is referred to comes first.
ROUND_TRIP_KINDS = ("suppliers", "certificates", "staff", "health-certificates", "deliveries", "pesticide-tests",
                    "samples", "morning-checks", "menus", "meetings", "ledger")


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def as_manager(monkeypatch, db_path):
    """Command-line arguments that act as the canteen administrator on the test database."""
    monkeypatch.setenv("CANTEEN_PASSWORD", PASSWORD)
    return ["--db", str(db_path), "--user", "manager"]


@pytest.fixture
def supplier(manager):
    return licensed_supplier(manager, "城关超市")


def fill_canteen(m) -> None:
    """A few records of every kind the round trip covers, with the awkward values people type."""
    now, today = local_now(), local_now().date()
    supplier = records.create(m, "suppliers", {"name": "城关超市", "kind": "distributor", "address": "城关镇",
                                               "phone": "+86 0931 1234567"})
    farm = records.create(m, "suppliers", {"name": "绿源蔬菜合作社", "kind": "farm", "address": "东乡"})
    records.create(m, "certificates", {"supplier": supplier.id, "cert_type": "operation_licence", "number": "JY1",
                                       "issued_on": "2025-01-01", "expires_on": "2030-01-01"})
    for cert_type in ("business_licence", "product_qualification"):
        records.create(m, "certificates", {"supplier": farm.id, "cert_type": cert_type, "number": f"F-{cert_type}"})
    cook = records.create(m, "staff", {"name": "李师傅", "post": "cook", "hired_on": "2024-09-01", "trained": True})
    records.create(m, "staff", {"name": "马师傅", "post": "chef", "contract_signed": True})
    records.create(m, "health-certificates", {"staff": cook.id, "number": "JK-1", "issued_on": today - dt.timedelta(days=100),
                                              "expires_on": today + dt.timedelta(days=265), "issuer": "县疾控中心"})
    cabbage = records.create(m, "deliveries", {
        "occurred_at": now - dt.timedelta(hours=2), "item": "=白菜", "category": "vegetable", "quantity": "20.5",
        "supplier": farm.id, "production_date": (now - dt.timedelta(hours=2)).date(), "result": "accepted", "receiver": "王芳",
        "unit_price_fen": 350, "certs_checked": True, "second_inspector": "马师傅"})
    records.create(m, "deliveries", {
        "occurred_at": now - dt.timedelta(days=3), "item": "猪肉", "category": "meat", "quantity": "10.125", "unit": "kg",
        "supplier": supplier.id, "batch_no": "B2", "result": "accepted", "receiver": "王芳", "quarantine_cert_no": "Q1",
        "meat_quality_cert_no": "M1", "storage": "chilled", "label_temp_c": "4", "arrival_temp_c": "-1.5",
        "unit_price_fen": 2890, "amount_fen": 29261, "late_reason": "纸质台账补录"})
    records.create(m, "deliveries", {
        "occurred_at": now - dt.timedelta(hours=1), "item": "鸡蛋", "category": "dairy", "quantity": "3",
        "unit": "箱", "supplier": supplier.id, "batch_no": "E1", "result": "rejected", "reject_reason": "破损",
        "receiver": "王芳", "sensory_ok": False, "sensory_note": "多枚破损"})
    records.create(m, "pesticide-tests", {"occurred_at": now - dt.timedelta(minutes=90), "sample_name": "白菜",
                                          "delivery": cabbage.id, "method": "spectro", "control_delta": "0.5",
                                          "sample_delta": "0.4", "tester": "王芳", "instrument": "RP-410"})
    records.create(m, "pesticide-tests", {"occurred_at": now - dt.timedelta(minutes=80), "sample_name": "菠菜",
                                          "method": "card", "card_result": "negative", "tester": "王芳"})
    positive = records.create(m, "pesticide-tests", {"occurred_at": now - dt.timedelta(minutes=70), "sample_name": "白菜",
                                                     "delivery": cabbage.id, "method": "spectro", "control_delta": "0.5",
                                                     "sample_delta": "0.2", "tester": "王芳"})
    for minutes in (60, 50):  # two retests that name the positive screen above them in the same file
        records.create(m, "pesticide-tests", {"occurred_at": now - dt.timedelta(minutes=minutes), "sample_name": "白菜",
                                              "delivery": cabbage.id, "method": "card", "card_result": "negative",
                                              "test_kind": "retest", "retest_of": positive.id, "tester": "王芳"})
    records.create(m, "samples", {"occurred_at": now - dt.timedelta(minutes=30), "dish": "红烧肉", "served_on": today,
                                  "meal": "lunch", "weight_g": "150", "fridge": "留样冰箱1", "storage_temp_c": "4",
                                  "sampler": "王芳"})
    records.create(m, "morning-checks", {"day": today, "staff": cook.id, "temperature_c": "36.5", "checker": "王芳"})
    records.create(m, "morning-checks", {"day": today, "staff": cook.id, "temperature_c": "37.8", "fever": True,
                                         "fit": False, "action": "回家休息", "checker": "王芳"})
    records.create(m, "menus", {"day": today, "meal": "lunch", "dishes": ["红烧肉", "炒白菜", "米饭"], "diners_planned": 250})
    records.create(m, "meetings", {"day": today, "attendees": ["王芳", "李师傅"], "topics": "晨检要求\n留样规范"})
    records.create(m, "ledger", {"day": today, "diners_students": 240, "diners_teachers": 12,
                                 "income_student_fen": 123456, "income_subsidy_fen": 10, "cost_fuel_fen": 99999999,
                                 "note": "本日正常"})
    stray = records.create(m, "menus", {"day": today, "meal": "dinner", "dishes": ["作废的菜"]})
    records.void(m, "menus", stray.id, "entered twice")


def content(kind: str) -> list[dict]:
    """What the records of a kind say, with references by name (ids may differ between databases)."""
    model = REGISTRY[kind]
    rows = []
    for record in model.live():
        row = {"day": record.day, "late_reason": record.late_reason}
        if model.EVENT == "datetime":
            row["occurred_at"] = record.occurred_at
        for spec in model.FIELDS:
            value = record.__data__.get(spec.name)
            if spec.kind == "ref" and value is not None:
                value = MODELS[spec.ref].get_by_id(value).title()
            row[spec.name] = value
        rows.append(row)
    return sorted(rows, key=repr)


def fresh_canteen(path) -> users.Session:
    db.open_database(str(path), create=True)
    site, _admin = users.create_site("城关中学食堂", "admin", PASSWORD, school="城关中学")
    users.add_user(site, "manager", "王芳", "manager", PASSWORD)
    return users.session_for("manager")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_every_kind_comes_back_the_same_from_a_file(manager, tmp_path, suffix):
    fill_canteen(manager)
    today = local_now().date()
    expected, files = {}, {}
    for kind in ROUND_TRIP_KINDS:
        files[kind] = tmp_path / f"{kind}{suffix}"
        result = sheet_export.export_records(manager, kind, today - dt.timedelta(days=7), today, files[kind])
        expected[kind] = content(kind)
        assert result.rows == len(expected[kind]) > 0
    second = fresh_canteen(tmp_path / "second.db")
    try:
        for kind in ROUND_TRIP_KINDS:
            sheet_import.import_file(second, kind, files[kind])
            assert content(kind) == expected[kind], kind
        tests = REGISTRY["pesticide-tests"]
        retested = [t.retest_of for t in tests.select().where(tests.test_kind == "retest")]
        assert [(t.result, t.test_kind) for t in retested] == [("positive", "initial")] * 2
    finally:
        db.close()


def test_an_export_is_audited_with_its_digest_and_leaves_no_temporary_file(manager, supplier, tmp_path):
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "suppliers.xlsx"
    result = sheet_export.export_records(manager, "suppliers", local_now().date(), local_now().date(), path)
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    after = json.loads(entry.after)
    assert (entry.action, entry.record_kind, entry.username) == ("export", "suppliers", "manager")
    assert after["rows"] == 1 and after["sha256"] == result.sha256 and after["file"] == "suppliers.xlsx"
    assert sorted(p.name for p in path.parent.iterdir()) == ["suppliers.xlsx"]


def test_the_csv_opens_in_excel_as_utf8_with_chinese_labels_and_yuan(manager, supplier, tmp_path):
    records.create(manager, "deliveries", {
        "occurred_at": local_now().replace(hour=7, minute=30) if local_now().hour >= 8 else local_now(),
        "item": "白菜", "category": "vegetable", "quantity": "20", "supplier": supplier.id, "batch_no": "B1",
        "result": "accepted", "receiver": "王芳", "unit_price_fen": 5, "certs_checked": True})
    path = tmp_path / "d.csv"
    sheet_export.export_records(manager, "deliveries", local_now().date(), local_now().date(), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    heads, row = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    cell = dict(zip(heads, row))
    assert cell["品名 Item"] == "白菜" and cell["类别 Category"] == "蔬菜" and cell["已索证 Certificates checked"] == "是"
    assert cell["单价（元） Unit price (yuan)"] == "0.05" and cell["金额（元） Amount (yuan)"] == "1.00"
    assert cell["供货者 Supplier"] == f"城关超市 (#{supplier.id})"


def test_an_auditor_may_export_but_an_admin_may_not(sessions, supplier, tmp_path):
    today = local_now().date()
    assert sheet_export.export_records(sessions["auditor"], "suppliers", today, today, tmp_path / "a.csv").rows == 1
    with pytest.raises(PermissionDenied):
        sheet_export.export_records(sessions["admin"], "suppliers", today, today, tmp_path / "b.csv")
    assert not (tmp_path / "b.csv").exists()


def test_a_bad_retest_rolls_back_the_rows_written_before_it(manager, tmp_path):
    """Pesticide tests are written row by row (a retest names a test above it); one bad row undoes them all."""
    at = local_now() - dt.timedelta(hours=1)
    heads = ["编号 ID", "检测时间 Tested at", "样品 Sample", "方法 Method", "速测卡结果 Card result", "初检/复检 Initial or retest",
             "复检对象 Retest of", "检测人 Tester"]
    path = tmp_path / "tests.xlsx"
    write_xlsx(path, heads, [[7, at, "白菜", "速测卡", "阳性", "初检", None, "王芳"],
                             [8, at, "白菜", "card", "negative", "retest", "白菜 (#7)", "王芳"],
                             [9, at, "白菜", "card", "maybe", "retest", "#7", "王芳"]])
    before = state()
    with pytest.raises(sheet_import.ImportRefused) as refused:
        sheet_import.import_file(manager, "pesticide-tests", path)
    assert refused.value.lines == ["row 4, 速测卡结果 Card result: must be one of 阴性/阳性, not 'maybe'"]
    assert state() == before
    path.unlink()
    write_xlsx(path, heads, [[7, at, "白菜", "速测卡", "阳性", "初检", None, "王芳"],
                             [8, at, "白菜", "card", "negative", "retest", "白菜 (#7)", "王芳"],
                             [9, at, "白菜", "card", "negative", "retest", "#7", "王芳"]])
    first, *retests = sheet_import.import_file(manager, "pesticide-tests", path).ids
    assert [records.get(manager, "pesticide-tests", i).retest_of_id for i in retests] == [first, first]


DELIVERY_HEADS = ["到货时间 Delivered at", "品名 Item", "类别 Category", "数量 Quantity", "供货者 Supplier", "批号 Batch number",
                  "单价（元） Unit price (yuan)", "验收结果 Result", "验收人 Receiver"]


def write_xlsx(path, heads, rows) -> None:
    book = Workbook()
    book.active.append(heads)
    for row in rows:
        book.active.append(row)
    book.save(path)


def delivery_row(at, item="白菜", quantity=20, supplier="城关超市", price="3.50", result="验收合格"):
    return [at, item, "蔬菜", quantity, supplier, "B1", price, result, "王芳"]


def state() -> tuple:
    return sum(m.select().count() for m in REGISTRY.values()), AuditEntry.select().count(), chain.head(Site.get().id)


def assert_only_the_sign_in_was_written(before: tuple) -> None:
    """The command signs in (an audited login); the refused import itself leaves no trace."""
    records_before, _entries, head = before
    assert sum(m.select().count() for m in REGISTRY.values()) == records_before
    assert [e.action for e in AuditEntry.select().where(AuditEntry.seq > head.seq)] == ["login"]


def test_a_file_with_bad_rows_is_refused_naming_row_and_field_and_nothing_changes(manager, supplier, tmp_path, capsys,
                                                                                 as_manager):
    at = local_now() - dt.timedelta(hours=1)
    rows = [delivery_row(at), delivery_row(at), delivery_row(at), delivery_row(at), delivery_row(at),
            delivery_row(at, quantity=-3),                     # row 7
            delivery_row(at, item="亚硝酸钠"),                  # row 8: a block rule
            delivery_row(at, supplier="没有这家"),              # row 9
            delivery_row(at, price="3.505")]                   # row 10
    path = tmp_path / "in.xlsx"
    write_xlsx(path, DELIVERY_HEADS, rows)
    before = state()
    with pytest.raises(sheet_import.ImportRefused) as refused:
        sheet_import.import_file(manager, "deliveries", path)
    assert refused.value.lines[0] == "row 7, 数量 Quantity: must be more than 0, not -3"
    assert state() == before
    code, out, err = run(capsys, *as_manager, "import", "deliveries", str(path))
    lines = err.splitlines()
    assert code == 2 and "Traceback" not in err
    assert lines[0] == "row 7, 数量 Quantity: must be more than 0, not -3"
    assert lines[1].startswith("row 8: Refused: [PUR-NITRITE]")
    assert lines[2] == "row 9, 供货者 Supplier: no record named '没有这家'"
    assert lines[3] == "row 10, 单价（元） Unit price (yuan): has more than 2 decimals: 3.505 yuan"
    assert lines[4].startswith("canteen: 4 of 9 rows are wrong; nothing was imported.")
    assert len(lines) == 5
    assert_only_the_sign_in_was_written(before)


def test_at_most_twenty_bad_rows_are_listed(supplier, tmp_path, capsys, as_manager):
    at = local_now() - dt.timedelta(hours=1)
    path = tmp_path / "in.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([DELIVERY_HEADS] + [delivery_row(at.isoformat(sep=" "), quantity=0)] * 25)
    before = state()
    code, _, err = run(capsys, *as_manager, "import", "deliveries", str(path))
    lines = err.splitlines()
    assert code == 2 and len(lines) == 22 and lines[19].startswith("row 21, 数量 Quantity")
    assert lines[20] == "… and 5 more" and "25 of 25 rows" in lines[21]
    assert_only_the_sign_in_was_written(before)


def test_values_are_read_the_way_people_type_them(manager, supplier, tmp_path):
    at = local_now() - dt.timedelta(hours=1)
    rows = [delivery_row(at.strftime("%Y/%m/%d %H:%M"), supplier=str(supplier.id), price="1,234.56"),
            delivery_row(at.strftime("%Y年%m月%d日 %H:%M"), supplier=f"城关超市 (#{supplier.id})", price=0.1),
            delivery_row(at, price=None, result="Accepted")]
    rows[1][2], rows[2][2] = "vegetable", "Vegetable"
    path = tmp_path / "in.csv"
    with open(path, "w", encoding="gb18030", newline="") as out:  # Excel on Chinese Windows saves CSV as GBK
        csv.writer(out).writerows([DELIVERY_HEADS] + [[sheet_columns.as_text(v) if v is not None else "" for v in r] for r in rows])
    result = sheet_import.import_file(manager, "deliveries", path)
    saved = [records.get(manager, "deliveries", i) for i in result.ids]
    assert [d.unit_price_fen for d in saved] == [123456, 10, None]
    assert {d.category for d in saved} == {"vegetable"} and {d.result for d in saved} == {"accepted"}
    assert {d.supplier_id for d in saved} == {supplier.id} and {d.unit for d in saved} == {"kg"}
    assert all(d.entered_at >= d.occurred_at and d.late_reason is None for d in saved)


def test_old_rows_need_a_late_reason_from_the_file_or_the_command(manager, supplier, tmp_path, capsys, as_manager):
    now = local_now()
    path = tmp_path / "old.xlsx"
    write_xlsx(path, DELIVERY_HEADS, [delivery_row(now - dt.timedelta(days=5)), delivery_row(now - dt.timedelta(hours=1))])
    code, _, err = run(capsys, *as_manager, "import", "deliveries", str(path))
    assert code == 2 and err.splitlines()[0].startswith("row 2, 补录原因 Late reason: is required")
    code, out, _ = run(capsys, *as_manager, "import", "deliveries", str(path), "--late-reason", "从纸质台账补录")
    assert code == 0 and "Imported 2 deliveries" in out
    reasons = sorted((d.late_reason or "") for d in REGISTRY["deliveries"].select())
    assert reasons == ["", "从纸质台账补录"]  # only the old row is marked late


def test_a_template_has_headings_hints_lists_and_imports_once_filled(manager, supplier, tmp_path, capsys):
    path = tmp_path / "deliveries.xlsx"
    code, out, _ = run(capsys, "export-template", "deliveries", "-o", str(path))
    assert code == 0 and str(path) in out
    sheet = load_workbook(path).active
    heads = [c.value for c in sheet[1]]
    assert heads == [c.heading for c in sheet_columns.columns(REGISTRY["deliveries"], template=True)]
    assert heads[:3] == ["到货时间 Delivered at", "品名 Item", "类别 Category"] and "补录原因 Late reason" in heads
    assert sheet.freeze_panes == "A3" and "必填 required" in sheet["B2"].value
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["C3"] == '"畜肉,禽肉,水产,蔬菜,水果,粮食,食用油,调味品,奶蛋,食品添加剂,其他"'
    filled = {"到货时间 Delivered at": local_now() - dt.timedelta(hours=1), "品名 Item": "土豆", "类别 Category": "蔬菜",
              "数量 Quantity": 50, "供货者 Supplier": "城关超市", "批号 Batch number": "T1", "验收结果 Result": "验收合格",
              "验收人 Receiver": "王芳"}
    sheet.append([filled.get(h) for h in heads])
    sheet.parent.save(path)
    result = sheet_import.import_file(manager, "deliveries", path)  # the hint row is left in and skipped
    assert result.rows == 1 and records.get(manager, "deliveries", result.ids[0]).item == "土豆"


@pytest.mark.parametrize("argv, message", [
    (["export", "deliveries", "--from", "2026-01-01", "--to", "2026-01-31", "-o", "out.txt"], "must end in .csv or .xlsx"),
    (["export", "dinners", "--from", "2026-01-01", "--to", "2026-01-31", "-o", "out.csv"], "Unknown record kind 'dinners'"),
    (["import", "deliveries", "ledger.pdf"], "must end in .csv, .tsv, .txt, .xlsx, .xls, .ods"),
    (["import", "dinners", "ledger.csv"], "Unknown record kind"),
    (["import", "deliveries", "no-such-file.xlsx"], "no such file"),
    (["export-template", "deliveries", "-o", "template.csv"], "a template is an .xlsx file"),
    (["export-template", "dinners", "-o", "template.xlsx"], "Unknown record kind"),
])
def test_impossible_requests_exit_2_with_one_line(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_workbook_or_has_unknown_columns_exits_2(supplier, tmp_path, capsys, as_manager):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    code, _, err = run(capsys, *as_manager, "import", "deliveries", str(fake))
    assert code == 2 and "not a readable .xlsx workbook" in err and err.count("\n") == 1
    odd = tmp_path / "odd.xlsx"
    write_xlsx(odd, DELIVERY_HEADS + ["颜色 Colour"], [delivery_row(local_now()) + ["绿"]])
    code, _, err = run(capsys, *as_manager, "import", "deliveries", str(odd))
    assert code == 2 and "column 10 '颜色 Colour' is not a column of deliveries" in err
    short = tmp_path / "short.xlsx"
    write_xlsx(short, DELIVERY_HEADS[:-1], [delivery_row(local_now())[:-1]])
    code, _, err = run(capsys, *as_manager, "import", "deliveries", str(short))
    assert code == 2 and "no column 验收人 Receiver (required)" in err


def test_export_command_writes_the_file_as_the_user(manager, supplier, tmp_path, capsys, as_manager):
    path = tmp_path / "suppliers.xlsx"
    today = local_now().date().isoformat()
    code, out, _ = run(capsys, *as_manager, "export", "suppliers", "--from", today, "--to", today, "-o", str(path))
    assert code == 0 and "1 suppliers" in out
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[2]][1:4] == ["城关超市", "经营者/超市", None]


class Cancelled(Exception):
    """What a GUI's cancel button raises from the progress callback."""


def test_progress_is_reported_and_cancelling_keeps_nothing(manager, supplier, tmp_path):
    at = local_now() - dt.timedelta(hours=1)
    path = tmp_path / "in.xlsx"
    write_xlsx(path, DELIVERY_HEADS, [delivery_row(at)] * 3)
    heard = []
    assert sheet_import.import_file(manager, "deliveries", path, progress=lambda done, total: heard.append((done, total))).rows == 3
    assert heard[-1] == (3, 3)

    def cancel(done, total):
        raise Cancelled()
    before = state()
    with pytest.raises(Cancelled):
        sheet_import.import_file(manager, "deliveries", path, progress=cancel, again="cancelled on purpose")
    with pytest.raises(Cancelled):
        sheet_export.export_records(manager, "deliveries", at.date(), at.date(), tmp_path / "out.csv", progress=cancel)
    assert state() == before and not (tmp_path / "out.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []
