"""Whether meat is pork is a field of the delivery (docs/domain.md §4, PUR-QUARANTINE): defaulted from the
maintained list of cut names when left empty — in the service, an import and the command line alike —
and changeable by the user; the rule reads the field, never the wording of the item."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook
from records_support import licensed_supplier, m  # noqa: F401  (fixture)

from canteen import db, migrations, sheet_import
from canteen.errors import BlockedError, ValidationError
from canteen.integrity.signatures import signature_states
from canteen.integrity.verify import verify_database
from canteen.meat import default_meat_kind
from canteen.models import AuditEntry, Delivery, search
from canteen.services import records

MORNING = dt.datetime(2026, 3, 2, 7, 0)


@pytest.fixture
def supplier(m):
    return licensed_supplier(m, "县肉类联合加工厂", address="工业园区")


def meat(m, supplier, item, category="meat", **values):
    data = {"occurred_at": MORNING, "item": item, "category": category, "quantity": "10", "unit": "kg",
            "supplier": supplier.id, "batch_no": "B1", "result": "accepted", "receiver": "王芳",
            "quarantine_cert_no": "DJ1", **values}
    return records.create(m, "deliveries", data)


@contextlib.contextmanager
def refused_for_pork():
    with pytest.raises(BlockedError) as caught:
        yield caught
    assert [f.rule for f in caught.value.findings] == ["PUR-QUARANTINE"]
    assert "猪肉（肉类品种）" in caught.value.text("zh") and "is pork (meat kind)" in caught.value.text("en")


@pytest.mark.parametrize("item", ["五花肉", "排骨", "里脊", "猪蹄", "大排", "前腿肉"])
def test_a_pork_cut_with_a_quarantine_number_but_no_quality_certificate_is_refused(m, supplier, item):
    with refused_for_pork():
        meat(m, supplier, item)
    saved = meat(m, supplier, item, meat_quality_cert_no="RJ1")
    assert saved.meat_kind == "pork"


@pytest.mark.parametrize("item, category, kind", [
    ("牛里脊", "meat", "beef"), ("羊排", "meat", "mutton"), ("鸡腿", "poultry", "poultry"),
    ("鸡排", "meat", "poultry"), ("驴肉", "meat", "other"),
])
def test_other_meat_needs_only_the_quarantine_certificate(m, supplier, item, category, kind):
    assert meat(m, supplier, item, category).meat_kind == kind


def test_the_kind_the_user_chose_wins_over_the_name(m, supplier):
    """羊排骨 written down as 排骨: the user says mutton, and it is judged as mutton; a beef item
    the user marks pork is judged as pork."""
    assert meat(m, supplier, "排骨", meat_kind="mutton").meat_kind == "mutton"
    with refused_for_pork():
        meat(m, supplier, "牛肉", meat_kind="pork")


def test_a_name_that_does_not_tell_asks_for_the_kind(m, supplier):
    with pytest.raises(ValidationError) as caught:
        meat(m, supplier, "肉丸")
    assert caught.value.field == "meat_kind"
    assert "肉丸" in caught.value.text("zh") and "does not tell" in caught.value.text("en")
    assert meat(m, supplier, "肉丸", meat_kind="other").meat_kind == "other"


def test_goods_that_are_not_meat_have_no_kind(m, supplier):
    cabbage = meat(m, supplier, "白菜", "vegetable", quarantine_cert_no=None)
    assert cabbage.meat_kind is None
    with pytest.raises(ValidationError) as caught:
        meat(m, supplier, "白菜", "vegetable", meat_kind="pork")
    assert caught.value.field == "meat_kind" and "only for meat" in caught.value.text("en")


def test_correcting_the_item_name_takes_the_kind_afresh_unless_the_kind_is_given(m, supplier):
    beef = meat(m, supplier, "牛腩")
    with refused_for_pork():
        records.amend(m, "deliveries", beef.id, {"item": "五花肉"}, "品名写错")
    assert records.amend(m, "deliveries", beef.id, {"item": "五花肉", "meat_quality_cert_no": "RJ9"},
                         "品名写错").meat_kind == "pork"
    assert records.amend(m, "deliveries", beef.id, {"quantity": "12"}, "称重更正").meat_kind == "pork"
    assert records.amend(m, "deliveries", beef.id, {"item": "牛腩", "meat_kind": "beef"}, "改回").meat_kind == "beef"


def test_default_from_the_list_reads_names_as_people_write_them():
    assert default_meat_kind(" 猪五花 ", "meat") == "pork"
    assert default_meat_kind("Pork belly", "meat") == "pork"
    assert default_meat_kind("牛排", "meat") == "beef"  # 排 alone is not pork: the animal is named first
    assert default_meat_kind("五花肉", "vegetable") is None
    assert default_meat_kind("", "meat") is None


# ---- import and the command line take the same default -------------------------------------------

HEADS = ["到货时间 Delivered at", "品名 Item", "类别 Category", "肉类品种 Meat kind", "数量 Quantity", "供货者 Supplier",
         "批号 Batch number", "动物检疫合格证明编号 Quarantine certificate no.", "验收结果 Result", "验收人 Receiver"]


def sheet(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    book.active.append(HEADS)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def row(item: str, kind: str = "") -> list:
    return [MORNING, item, "畜肉", kind, 10, "县肉类联合加工厂", "B1", "DJ1", "验收合格", "王芳"]


def test_an_import_with_the_kind_left_empty_takes_the_default(m, supplier, tmp_path):
    path = sheet(tmp_path / "in.xlsx", [row("牛腩"), row("排骨", "羊肉"), row("五花肉")])
    with pytest.raises(sheet_import.ImportRefused) as refused:
        sheet_import.import_file(m, "deliveries", path, late_reason="paper log")
    assert refused.value.lines[0].startswith("row 4: Refused: [PUR-QUARANTINE]")
    assert len(refused.value.lines) == 1 and "row 2" not in str(refused.value.lines)
    path = sheet(tmp_path / "ok.xlsx", [row("牛腩"), row("排骨", "羊肉"), row("五花肉", "其他肉类")])
    result = sheet_import.import_file(m, "deliveries", path, late_reason="paper log")
    assert [records.get(m, "deliveries", i).meat_kind for i in result.ids] == ["beef", "mutton", "other"]


# ---- the schema step that adds the field ------------------------------------------------------------

def test_upgrade_from_schema_2_fills_the_kind_as_an_audited_amendment(tmp_path):
    """tests/data/schema-v2.db was made by the schema-2 program: 五花肉 accepted with a quarantine
    number only (the old rule saw no 猪), 排骨 with both certificates and signed by the doctor,
    牛里脊, 鸡腿, 驴肉 and 白菜."""
    path = tmp_path / "old.db"
    shutil.copy(Path(__file__).parent / "data" / "schema-v2.db", path)
    entries = _audit_count(path)
    handle = db.open_database(str(path))
    try:
        assert migrations.version_of(handle) == migrations.LATEST
        kinds = {d.item: (d.meat_kind, d.version) for d in Delivery.select()}
        assert kinds == {"五花肉": ("pork", 3), "排骨": ("pork", 2), "牛里脊": ("beef", 2), "鸡腿": ("poultry", 2),
                         "驴肉": ("other", 2), "白菜": (None, 1)}
        filled = list(AuditEntry.select().where(AuditEntry.seq > entries).order_by(AuditEntry.seq))
        assert [(e.action, e.username, e.reason[:8]) for e in filled] == [("amend", "", "Schema 3")] * 5
        report = verify_database()
        assert report.ok, report.summary()
        ribs = Delivery.get(Delivery.item == "排骨")
        assert signature_states("deliveries", [ribs.id])[ribs.id].needs_signing_again
    finally:
        handle.close()


def _audit_count(path: Path) -> int:
    import sqlite3
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT COUNT(*) FROM audit_entry").fetchone()[0]
    finally:
        con.close()


@pytest.mark.both_databases
def test_schema_3_adds_the_column_on_either_database(database, m, supplier):
    """The step runs on SQLite and PostgreSQL alike; a record it does not fill keeps its audited content."""
    from canteen.db import write_transaction
    cabbage = meat(m, supplier, "白菜", "vegetable", quarantine_cert_no=None)
    with write_transaction(database):
        search.uninstall(database)  # schema 2 had no search index (it reads meat_kind)
        database.execute_sql("ALTER TABLE delivery DROP COLUMN meat_kind")
        database.execute_sql("DROP TABLE corrective_action")  # made by schema 5
        migrations.set_version(database, 2)
    assert "meat_kind" not in {c.name for c in database.get_columns("delivery")}
    assert db.bring_up_to_date(database) == migrations.LATEST
    assert "meat_kind" in {c.name for c in database.get_columns("delivery")}
    assert Delivery.get_by_id(cabbage.id).meat_kind is None
    report = verify_database()
    assert report.ok, report.summary()
