"""The list search through an index (SQLite FTS5 trigram, PostgreSQL pg_trgm), on both backends:
Latin text, Chinese words of three characters or more and of one or two, the index in step after
an amendment, a void and a bulk write, the fallback to a scan where pg_trgm cannot be made, and
the schema step that gives an existing database its index with `verify` still clean."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from records_support import licensed_supplier, m  # noqa: F401  (fixture)

from canteen import bulk, db, migrations
from canteen.integrity.verify import verify_database
from canteen.models import search
from canteen.read import lists
from canteen.read.lists import ListQuery
from canteen.services import records
from canteen.timeutil import to_utc

pytestmark = pytest.mark.both_databases
MORNING = dt.datetime(2026, 3, 2, 7, 30)


@pytest.fixture
def supplier(m):
    return licensed_supplier(m, "城关蔬菜批发部")


def delivery_input(supplier, item, receiver="王芳", **values) -> dict:
    return {"occurred_at": MORNING, "item": item, "category": "vegetable", "quantity": "10", "unit": "kg",
            "supplier": supplier.id, "batch_no": "B1", "result": "accepted", "receiver": receiver, **values}


def delivery(m, supplier, item, **values):
    return records.create(m, "deliveries", delivery_input(supplier, item, **values))


def found(m, text: str) -> set[int]:
    """What the list finds, by its three ways of reading: the ordered ids, the count, the first block."""
    query = ListQuery("deliveries", text=text)
    ids = list(lists.matching_ids(m, query))
    assert lists.count(m, query) == len(ids)
    assert [r[0] for r in lists.fetch_block(m, query, 0).rows] == ids[:lists.BLOCK]
    return set(ids)


def test_latin_text_matches_inside_words_whatever_the_case(m, supplier):
    potato = delivery(m, supplier, "Potato (Kennebec)", batch_no="LOT-2026-0302")
    delivery(m, supplier, "土豆")
    assert found(m, "tato") == found(m, "KENNEBEC") == found(m, "lot-2026") == {potato.id}
    assert found(m, "Accepted") >= {potato.id}  # a choice by its English label
    assert found(m, "zzz") == set()


def test_chinese_words_of_three_characters_or_more(m, supplier):
    oil = delivery(m, supplier, "菜籽油", receiver="欧阳明月")
    delivery(m, supplier, "花生油")
    assert found(m, "菜籽油") == found(m, "欧阳明月") == found(m, "阳明月") == {oil.id}
    assert found(m, "验收合格") == found(m, "合格")  # a choice by its Chinese label, any length


def test_chinese_words_of_one_and_two_characters(m, supplier):
    potato = delivery(m, supplier, "土豆", receiver="李四")
    shredded = delivery(m, supplier, "土豆丝", receiver="王芳")
    cabbage = delivery(m, supplier, "大白菜", receiver="王芳")
    assert found(m, "土豆") == {potato.id, shredded.id}  # at a field's end and inside a field
    assert found(m, "豆") == {potato.id, shredded.id}
    assert found(m, "王芳") == found(m, "芳") == {shredded.id, cabbage.id}
    assert found(m, "白") == {cabbage.id} and found(m, "李") == {potato.id}
    assert found(m, "豆王") == set()  # no word across two fields
    assert found(m, "鱼") == set()


def test_referenced_names_and_the_record_number_are_still_found(m, supplier):
    eggs = delivery(m, supplier, "鸡蛋")
    assert found(m, "城关蔬菜") >= {eggs.id} and found(m, "蔬") >= {eggs.id}
    assert eggs.id in found(m, str(eggs.id))


def test_after_an_amendment_and_a_void_no_stale_hit(m, supplier):
    tofu = delivery(m, supplier, "老豆腐")
    records.amend(m, "deliveries", tofu.id, {"item": "嫩豆腐", "receiver": "张三"}, reason="写错品名")
    assert found(m, "老豆腐") == found(m, "老") == found(m, "王芳") == set()
    assert found(m, "嫩豆腐") == found(m, "嫩") == found(m, "张三") == {tofu.id}
    records.void(m, "deliveries", tofu.id, reason="重复录入")
    assert found(m, "嫩豆腐") == {tofu.id}  # a void keeps the record readable, struck through in the list
    row = lists.fetch_block(m, ListQuery("deliveries", text="嫩豆腐"), 0).rows[0]
    assert row[-1] and row[-2] == 3  # voided, version 3: the row read is the record as it stands


def test_a_bulk_write_is_searchable_at_once(m, supplier):
    at = to_utc(dt.datetime(2026, 3, 2, 8, 0))
    items = [(delivery_input(supplier, name, receiver=who), at)
             for name, who in [("西兰花", "赵六"), ("胡萝卜", "钱七"), ("Broccoli", "Qian")]]
    made = bulk.bulk_create(m, "deliveries", items)
    assert found(m, "西兰花") == found(m, "赵六") == {made[0]}
    assert found(m, "萝卜") == found(m, "七") == {made[1]}
    assert found(m, "brocc") == {made[2]}
    changes = [(made[1], {"item": "白萝卜"}, at)]
    bulk.bulk_amend(m, "deliveries", changes, reason="品名更正")
    assert found(m, "胡萝卜") == set() and found(m, "白萝卜") == {made[1]}


def test_a_search_in_a_day_range_and_either_order(m, supplier):
    early = delivery(m, supplier, "土豆", occurred_at=MORNING - dt.timedelta(days=3),
                     late_reason="纸质记录补录")
    late = delivery(m, supplier, "土豆")
    day = MORNING.date()
    assert list(lists.matching_ids(m, ListQuery("deliveries", text="土豆"))) == [late.id, early.id]
    oldest_first = ListQuery("deliveries", text="土豆", descending=False)
    assert [r[0] for r in lists.fetch_block(m, oldest_first, 0).rows] == [early.id, late.id]
    in_range = ListQuery("deliveries", text="豆", start=day, end=day)
    assert [r[0] for r in lists.fetch_block(m, in_range, 0).rows] == [late.id] and lists.count(m, in_range) == 1


def test_schema_4_builds_the_index_of_an_existing_database_and_verify_stays_clean(database, m, supplier):
    before = delivery(m, supplier, "土豆丝")
    with db.write_transaction(database):
        search.uninstall(database)
        database.execute_sql("DROP TABLE corrective_action")  # made by schema 5
        migrations.set_version(database, 3)
    assert db.bring_up_to_date(database) == migrations.LATEST
    assert found(m, "土豆丝") == found(m, "土豆") == {before.id}
    report = verify_database()
    assert report.ok, report.summary()


def test_blocks_of_an_indexed_order_read_from_either_end_agree(m, supplier):
    names = ["甲", "乙", "丙", "丁", "戊"]
    for name in names:
        delivery(m, supplier, name)
    column = next(i for i, c in enumerate(lists.list_columns("deliveries")) if c.name == "item")
    query = ListQuery("deliveries", sort_column=column, descending=False)
    assert lists.sorts_fast(query) and lists.first_rows_fast(query)
    from_start = lists.fetch_block(m, query, 0).rows
    from_end = lists.fetch_block(m, query, 0, count=len(names)).rows  # the one block is the second half too
    assert [r[column] for r in from_start] == [r[column] for r in from_end] == sorted(names)
    quantity = next(i for i, c in enumerate(lists.list_columns("deliveries")) if c.name == "quantity")
    assert not lists.sorts_fast(ListQuery("deliveries", sort_column=quantity))


@pytest.mark.postgres_only  # pg_trgm is PostgreSQL's
def test_without_pg_trgm_the_list_scans_and_the_log_says_so(database, m, supplier, monkeypatch, caplog):
    monkeypatch.setattr(search, "TRIGRAM_EXTENSION", "pg_trgm_not_installed_here")
    eggs = delivery(m, supplier, "鸡蛋", receiver="欧阳明月")
    with caplog.at_level(logging.WARNING, logger="canteen"), db.write_transaction(database):
        search.uninstall(database)
        search.install(database)
    assert [r.message for r in caplog.records if "could not be created" in r.message]
    indexes = database.execute_sql("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%search_trgm'").fetchall()
    assert indexes == []
    assert found(m, "欧阳明月") == found(m, "鸡蛋") == found(m, "蛋") == {eggs.id}
    assert found(m, "城关") >= {eggs.id}
