"""verify writes the canonical texts of the trail and of the records a batch at a time, column
by column (canonical.RowTexts, chain.batch_hasher, record_text.TableText): those texts must be,
byte for byte, the ones the general way (a dict and a sorted dump) gives — for what the program
writes and for what raw SQL may leave in a column — or tampering would go unseen or be invented."""

from __future__ import annotations

import datetime as dt
import decimal
import random

import pytest
from test_verify import fill

from canteen.db import current
from canteen.integrity import chain
from canteen.integrity.canonical import (
    Irregular,
    RowTexts,
    day_column,
    dumps,
    moment_column,
    moment_text,
    plain,
    scalar_column,
)
from canteen.integrity.record_text import TableText
from canteen.integrity.verify import ENTRY_COLUMNS, _Progress, verify_database
from canteen.models import REGISTRY, Delivery

ODD_VALUES = ["", "食堂", 'a "quoted" \\ back\\slash', "tab\there\nnewline\x00nul\x1f", "\u2028 line sep", "😀",
              0, -1, 2**70, True, False, None, 1.5, float("nan"), -0.0, decimal.Decimal("1.50"), b"\x00\xff",
              dt.date(2024, 2, 29)]


def general(keys, row, omit=frozenset()):
    return dumps({k: v for k, v in zip(keys, row) if v is not None or k not in omit})


def test_row_texts_are_sorted_dumps_or_refused():
    keys = ["b", "a", "z_later", "c"]
    texts = RowTexts({k: scalar_column for k in keys}, frozenset({"z_later"}))
    rng = random.Random(13)
    for _ in range(300):
        rows = [tuple(rng.choice(ODD_VALUES) for _ in keys) for _ in range(rng.randint(1, 5))]
        columns = [tuple(row[keys.index(k)] for row in rows) for k in texts.keys]
        try:
            written = texts.texts(columns)
        except Irregular:  # a float, a Decimal, bytes or a date: the caller writes those rows the general way
            continue
        assert written == [general(keys, row, frozenset({"z_later"})) for row in rows]


def test_a_later_column_first_in_order_is_refused():
    with pytest.raises(ValueError):
        RowTexts({"a": scalar_column, "b": scalar_column}, frozenset({"a"}))


def test_moments_and_days_are_written_as_plain_writes_them():
    zone = dt.timezone(dt.timedelta(hours=8))
    moments = [dt.datetime(2026, 1, 1, 0, 0), dt.datetime(2024, 2, 29, 23, 59, 59, 1), dt.datetime(1, 1, 1),
               dt.datetime(2026, 1, 1, 8, 0, tzinfo=zone), dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.timezone.utc)]
    texts = [str(m.replace(tzinfo=None)) for m in moments] + ["2026-01-01T08:00:00+08:00", "2026-01-01 08:00:00.5"]
    for value in moments + texts:
        parsed = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
        assert moment_text(value) == plain(parsed)
    # two aware moments of one instant are equal but written apart (the zone is dropped, not converted)
    assert moment_column((moments[3], moments[4], None)) == [f'"{plain(moments[3])}"', f'"{plain(moments[4])}"', "null"]
    assert day_column(("2024-02-29", dt.date(2024, 2, 29), None)) == ['"2024-02-29"', '"2024-02-29"', "null"]
    for bad in ("2024-02-30 00:00:00", "yesterday"):
        with pytest.raises(ValueError):
            moment_column((bad,))


def entry_rows() -> list[tuple]:
    return current().execute_sql(f"SELECT {', '.join(ENTRY_COLUMNS)} FROM audit_entry ORDER BY seq").fetchall()


def general_hash(values: tuple):
    try:
        return chain.row_hash(dict(zip(ENTRY_COLUMNS, values)))
    except (ValueError, TypeError):
        return None


@pytest.mark.both_databases
def test_batch_hashes_are_row_hashes(sessions):
    fill(sessions)
    rows = entry_rows()
    hashes = chain.batch_hasher(ENTRY_COLUMNS)
    assert hashes(rows) == [row[-1] for row in rows] == [general_hash(row) for row in rows]
    at, fmt, after = (ENTRY_COLUMNS.index(c) for c in ("at", "format", "after"))
    era1 = [row[:fmt] + (1,) + row[fmt + 1:] for row in rows]  # the single chain kept before schema step 6
    odd = [rows[0][:at] + ("not a moment",) + rows[0][at + 1:], rows[1][:after] + (1.5,) + rows[1][after + 1:],
           rows[2][:fmt] + ("2",) + rows[2][fmt + 1:]]
    for batch in (era1, era1[:2] + rows[2:], odd + rows, []):
        assert hashes(batch) == [general_hash(row) for row in batch]
    assert hashes(odd)[0] is None and hashes(odd)[1] != rows[1][-1]


@pytest.mark.both_databases
def test_table_texts_are_the_general_texts(sessions):
    fill(sessions)
    for model in REGISTRY.values():
        table = TableText(model)
        rows = current().execute_sql(f'SELECT {table.columns} FROM "{model._meta.table_name}"').fetchall()
        assert table.texts(rows) == [table.general_text(row) for row in rows]


def test_odd_values_in_columns_give_the_general_texts(sessions):
    """What raw SQL may leave in a SQLite column: text in a number column, a number in a text
    column, an impossible day, a later schema's column filled or empty — each batch as the general
    way writes it, the odd row and the regular ones alike."""
    table = TableText(Delivery)
    names = table.names
    base = tuple(0 if n in ("id", "version", "site") else None for n in names)

    def row(**values):
        assert set(values) <= set(names)
        return tuple(values.get(n, v) for n, v in zip(names, base))
    odd = [row(id=1, item="白菜", meat_kind="pork"), row(id=2, quantity="12.50", day="2024-02-29"),
           row(id=3, item=7, sensory_ok=1), row(id=4, day="2024-02-30"), row(id=5, shelf_life_days=1.25),
           row(id=6, occurred_at="2026-01-01 08:00:00", quantity=decimal.Decimal("3.000"), meat_kind="")]
    for batch in (odd, odd[:1], odd[1:2], odd[5:]):
        assert table.texts(batch) == [table.general_text(values) for values in batch]
    assert table.texts(odd[3:4]) == [""]  # an impossible day cannot match the trail


def test_progress_is_reported_every_so_often_by_batches():
    heard = []
    tick = _Progress(lambda done, total: heard.append((done, total)), 9000)
    for count in (1500, 1500, 5000, 1000):
        tick.advance(count)
    tick.step()
    tick.finish()
    assert heard == [(3000, 9000), (8000, 9000), (9000, 9000)]


@pytest.mark.both_databases
def test_a_record_changed_with_raw_sql_is_still_named(sessions):
    supplier = fill(sessions)
    table = REGISTRY["suppliers"]._meta.table_name
    current().execute_sql(f'UPDATE "{table}" SET "address" = {current().param} WHERE "id" = {current().param}',
                          ("别处", supplier.id))
    found = verify_database().problems
    assert any(p.code == "record-mismatch" and p.record_id == supplier.id and "address changed" in p.en for p in found)
