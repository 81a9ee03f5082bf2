"""One reading of a typed number (canteen.numbers): the same text typed into the delivery form and
brought in by a CSV import gives the same stored value, or the same refusal in the same words."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest
from gui_support import certified_supplier, desk, type_text  # noqa: F401  (fixtures)

from canteen import sheet_import
from canteen.errors import ValidationError
from canteen.models import Delivery
from canteen.numbers import NotANumber, parse_number, plain_text
from canteen.services import site_admin
from tests.conftest import local_now


@pytest.mark.parametrize(("typed", "number"), [
    ("1,234.5", Decimal("1234.5")), ("12,345", Decimal("12345")), ("1,234,567.25", Decimal("1234567.25")),
    ("-1,234", Decimal("-1234")), ("12.5", Decimal("12.5")), (" 0.5 ", Decimal("0.5")), (".5", Decimal("0.5")),
    ("１２．５", Decimal("12.5")), ("１，２３４．５", Decimal("1234.5")), ("１２", Decimal("12")),
    ("－３", Decimal("-3")), ("\u3000８\u3000", Decimal("8")), ("1e3", Decimal("1e3")), (0.1, Decimal("0.1")),
    (12, Decimal(12)), (Decimal("2.50"), Decimal("2.50"))])
def test_numbers_people_write_are_read_as_written(typed, number):
    assert parse_number(typed) == number


@pytest.mark.parametrize(("typed", "why"), [
    ("12,5", "'12,5' is ambiguous — write 12.5"), ("12，5", "'12，5' is ambiguous — write 12.5"),
    ("1,23", "'1,23' is ambiguous — write 1.23"), ("0,25", "'0,25' is ambiguous — write 0.25"),
    ("1,2,3", "'1,2,3' is ambiguous — commas may only group thousands, as in 1,234.5"),
    ("1.234,5", "'1.234,5' is ambiguous — commas may only group thousands, as in 1,234.5"),
    ("12,34.5", "'12,34.5' is ambiguous — commas may only group thousands, as in 1,234.5"),
    ("1.2.3", "'1.2.3' is not a number: it has more than one decimal point"),
    ("١٢", "must be a number, not '١٢'"), ("12kg", "must be a number, not '12kg'"),
    ("inf", "must be a number, not 'inf'"), (float("nan"), "must be a finite number"), (True, "must be a number, not bool")])
def test_numbers_that_could_mean_two_things_are_refused_saying_what_to_write(typed, why):
    with pytest.raises(NotANumber) as refused:
        parse_number(typed)
    assert refused.value.en == why
    assert refused.value.zh and refused.value.zh != why


def test_money_may_carry_its_yuan_sign_and_is_never_rounded():
    price = Delivery.field_spec("unit_price_fen")
    assert [price.yuan_as_fen(t) for t in ("¥12.50", "￥1,234.5", "12元", 0.1, "０．０５")] == [1250, 123450, 1200, 10, 5]
    with pytest.raises(Exception, match="more than 2 decimals"):
        price.yuan_as_fen("3.505")


def test_a_number_excel_kept_in_a_text_column_reads_as_its_digits():
    assert [plain_text(v) for v in (13800138000.0, 12.5, 1.5e-7, 7)] == ["13800138000", "12.5", "0.00000015", "7"]


# ---- the same text through the form and through an import -----------------------------------

FIELDS = {"quantity": "数量 Quantity", "shelf_life_days": "保质期（天） Shelf life (days)",
          "unit_price_fen": "单价（元） Unit price (yuan)"}
TYPED = [("quantity", "1,234.5"), ("quantity", "12,345"), ("quantity", "１２．５"), ("quantity", "１，２３４．５"),
         ("quantity", "12,5"), ("quantity", "12，5"), ("quantity", "1,2,3"), ("quantity", "1.2.3"), ("quantity", "1,23"),
         ("shelf_life_days", "12,5"), ("shelf_life_days", "1,000"), ("shelf_life_days", "１２"),
         ("unit_price_fen", "12,5"), ("unit_price_fen", "1,234.50"), ("unit_price_fen", "１２．５"),
         ("unit_price_fen", "3.505")]
STORED = {("quantity", "1,234.5"): Decimal("1234.5"), ("quantity", "12,345"): Decimal("12345"),
          ("quantity", "１２．５"): Decimal("12.5"), ("quantity", "１，２３４．５"): Decimal("1234.5"),
          ("shelf_life_days", "1,000"): 1000, ("shelf_life_days", "１２"): 12,
          ("unit_price_fen", "1,234.50"): 123450, ("unit_price_fen", "１２．５"): 1250}


def typed_in_the_form(qtbot, session, supplier_id: int, field: str, typed: str) -> tuple[object, str]:
    """Fill in a delivery, typing `typed` into `field`, and press Save: (stored value or None, message beside it)."""
    from ui.forms.record_form import RecordForm
    form = RecordForm(session, "deliveries")
    qtbot.addWidget(form)
    form.show()
    given = {"item": "白菜", "category": "vegetable", "quantity": "20", "supplier": supplier_id, "batch_no": f"F-{typed}",
             "result": "accepted", "receiver": "王芳"}
    for name, value in given.items():
        form.editors[name].set_value(value)
    editor = form.editors[field]
    editor.set_value(None)
    editor.widget.setFocus()
    type_text(qtbot, editor.widget, typed)
    assert editor.widget.text() == typed  # the box lets every one of these through to the core's judgement
    before = Delivery.select().count()
    form.accept()
    saved = Delivery.select().order_by(Delivery.id.desc()).first() if Delivery.select().count() > before else None
    return (getattr(saved, field) if saved else None), editor.message.text()


def imported(session, tmp_path, field: str, typed: str) -> tuple[object, str]:
    """The same delivery as one CSV row: (stored value or None, the refusal line for that row)."""
    at = (local_now() - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    row = {"到货时间 Delivered at": at, "品名 Item": "白菜", "类别 Category": "蔬菜", "数量 Quantity": "20",
           "供货者 Supplier": "城关蔬菜批发部", "批号 Batch number": f"I-{typed}", "验收结果 Result": "验收合格",
           "验收人 Receiver": "王芳", FIELDS[field]: typed}
    path = tmp_path / f"one-{len(list(tmp_path.iterdir()))}.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([list(row), list(row.values())])
    try:
        result = sheet_import.import_file(session, "deliveries", path)
    except sheet_import.ImportRefused as refused:
        return None, refused.lines[0]
    return getattr(Delivery.get_by_id(result.ids[0]), field), ""


@pytest.mark.parametrize(("field", "typed"), TYPED, ids=[f"{f}={t}" for f, t in TYPED])
def test_the_form_and_an_import_read_the_same_text_the_same_way(qtbot, desk, manager, tmp_path, field, typed):
    supplier_id = certified_supplier(manager)
    in_form, beside_field = typed_in_the_form(qtbot, manager, supplier_id, field, typed)
    from_file, refusal = imported(manager, tmp_path, field, typed)
    assert in_form == from_file == STORED.get((field, typed))
    if in_form is None:
        assert beside_field and refusal == f"row 2, {FIELDS[field]}: {beside_field}"


def test_the_issue_example_refuses_a_decimal_comma_with_its_row_and_column(manager, tmp_path):
    """`12,5` was stored as 125 by an import and as 12.5 by the form; now both refuse it."""
    certified_supplier(manager)
    _value, line = imported(manager, tmp_path, "quantity", "12,5")
    assert line == "row 2, 数量 Quantity: '12,5' is ambiguous — write 12.5"
    assert Delivery.select().count() == 0


def test_a_setting_is_read_by_the_same_parser(sessions):
    """The settings page and `update_setting` take "３７．５" as 37.5 and refuse "37,5" the same way."""
    assert site_admin.update_setting(sessions["admin"], "fever_c", "３７．５") == Decimal("37.5")
    with pytest.raises(ValidationError) as refused:
        site_admin.update_setting(sessions["admin"], "fever_c", "37,5")
    assert refused.value.en.endswith("'37,5' is ambiguous — write 37.5")
