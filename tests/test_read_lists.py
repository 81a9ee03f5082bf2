"""The record list and the one record the records page reads (canteen.read.lists, read.records,
read.ledger, read.findings): search, order, day range, counts, blocks with their titles and
signed versions, history and attachments — never a record of another canteen."""

from __future__ import annotations

import datetime as dt
from array import array

import pytest
from conftest import PASSWORD

from canteen.errors import NotFound
from canteen.read import findings as read_findings
from canteen.read import ledger as read_ledger
from canteen.read import lists
from canteen.read import records as read_records
from canteen.read.lists import ListQuery
from canteen.services import attachments, records, signing, users

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def other(site):
    """A second canteen on the same database, with a manager of its own."""
    other_site, _admin = users.create_site("另一所学校食堂", "admin2", PASSWORD, school="另一所学校")
    users.add_user(other_site, "manager2", "外校管理员", "manager", PASSWORD)
    return users.session_for("manager2")


def supplier(session, name, kind="producer"):
    return records.create(session, "suppliers", {"name": name, "kind": kind, "address": "城关镇"})


def staff(session, name):
    return records.create(session, "staff", {"name": name, "post": "cook"})


def column(kind, name):
    return next(i for i, c in enumerate(lists.list_columns(kind)) if c.name == name)


def test_columns_are_number_event_fields_version_voided_in_block_order(manager):
    names = [c.name for c in lists.list_columns("deliveries")]
    assert names[:2] == ["id", "occurred_at"] and names[-2:] == ["version", "voided"]
    money = next(c for c in lists.list_columns("deliveries") if c.kind == "money")
    assert "(yuan)" in money.en and "（元）" in money.zh
    supplier(manager, "城关蔬菜")
    block = lists.fetch_block(manager, ListQuery("suppliers"), 0)
    assert len(block.rows[0]) == len(lists.list_columns("suppliers"))


def test_search_matches_names_choice_labels_and_the_record_number(manager):
    a = supplier(manager, "城关蔬菜批发部", "distributor")
    b = supplier(manager, "东山农场")
    assert list(lists.matching_ids(manager, ListQuery("suppliers", text="蔬菜"))) == [a.id]
    assert lists.count(manager, ListQuery("suppliers", text="农场")) == 1
    assert set(lists.matching_ids(manager, ListQuery("suppliers", text=str(b.id)))) >= {b.id}
    assert lists.count(manager, ListQuery("suppliers", text="没有这个")) == 0


def test_sort_by_a_column_either_way_and_entry_order_by_default(manager):
    names = ["乙供货商", "甲供货商", "丙供货商"]
    made = [supplier(manager, n).id for n in names]
    assert list(lists.matching_ids(manager, ListQuery("suppliers"))) == made[::-1]  # newest first
    by_name = ListQuery("suppliers", sort_column=column("suppliers", "name"), descending=False)
    ordered = [r[column("suppliers", "name")] for r in lists.fetch_block(manager, by_name, 0).rows]
    assert ordered == sorted(names)
    backwards = ListQuery("suppliers", sort_column=column("suppliers", "name"), descending=True)
    assert [r[column("suppliers", "name")] for r in lists.fetch_block(manager, backwards, 0).rows] == sorted(names)[::-1]
    assert not by_name.is_plain() and ListQuery("suppliers").is_plain()


@pytest.mark.both_databases
def test_blocks_in_an_index_order_from_either_end_within_days_and_the_canteen(manager, other):
    """Blocks without search text, as the table reads them: entry order or the name, from the
    start or (given the count) from the end, within a day range, only the reader's canteen."""
    names = ["丁", "乙", "甲", "丙", "戊"]
    made = [supplier(manager, n).id for n in names]
    supplier(other, "外校")
    name = column("suppliers", "name")
    assert [r[0] for r in lists.fetch_block(manager, ListQuery("suppliers"), 0).rows] == made[::-1]
    for descending in (False, True):
        query = ListQuery("suppliers", sort_column=name, descending=descending)
        from_start = [r[name] for r in lists.fetch_block(manager, query, 0).rows]
        assert from_start == sorted(names, reverse=descending)
        # the second block of a list said to hold BLOCK + 5 rows is read from the end: its last five
        end = lists.fetch_block(manager, query, 1, count=lists.BLOCK + 5)
        assert [r[name] for r in end.rows] == from_start
        assert lists._ordered_rows(lists._model("suppliers"), manager.site.id, query, 2, 3) == \
            lists.fetch_block(manager, query, 0).rows[3:5]
    today = manager.today()
    check = records.create(manager, "morning-checks", {"day": today, "staff": staff(manager, "王师傅").id,
                                                       "checker": "王芳", "fit": True})
    assert [r[0] for r in lists.fetch_block(manager, ListQuery("morning-checks", start=today, end=today), 0).rows] \
        == [check.id]
    assert lists.fetch_block(manager, ListQuery("morning-checks", start=today + dt.timedelta(days=1)), 0).rows == []
    assert lists.at_most("suppliers") >= 6 and lists.at_most("waste") == 0


def test_day_range_limits_the_list_and_counts_keep_the_total(manager):
    today = manager.today()
    kept = [records.create(manager, "morning-checks", {"day": today, "staff": staff(manager, "王师傅").id,
                                                       "checker": "王芳", "fit": True})]
    assert lists.total(manager, "morning-checks") == 1
    assert lists.count(manager, ListQuery("morning-checks", start=today, end=today)) == 1
    assert lists.count(manager, ListQuery("morning-checks", start=today + dt.timedelta(days=1))) == 0
    assert lists.count(manager, ListQuery("morning-checks", end=today - dt.timedelta(days=1))) == 0
    assert list(lists.matching_ids(manager, ListQuery("morning-checks", start=today))) == [kept[0].id]


def test_a_block_carries_reference_titles_and_signed_versions(sessions):
    manager, doctor = sessions["manager"], sessions["doctor"]
    cook = staff(manager, "李厨师")
    check = records.create(manager, "morning-checks", {"day": manager.today(), "staff": cook.id, "checker": "王芳", "fit": True})
    block = lists.fetch_block(manager, ListQuery("morning-checks"), 0)
    assert block.titles[("Staff", cook.id)] == "李厨师" and block.signed == {}
    signing.sign_record(doctor, "morning-checks", check.id, "reviewed", PASSWORD)
    again = lists.fetch_block(manager, ListQuery("morning-checks"), 0, known_titles={("Staff", cook.id)})
    assert again.signed == {check.id: 1} and again.titles == {}
    by_ids = lists.fetch_block(manager, ListQuery("morning-checks", text="李"), 0,
                               ids=lists.matching_ids(manager, ListQuery("morning-checks", text="李")))
    assert [r[0] for r in by_ids.rows] == [check.id]


def test_a_record_of_another_canteen_is_never_listed_nor_read(manager, other):
    ours = supplier(manager, "城关蔬菜")
    theirs = supplier(other, "外校蔬菜")
    assert lists.total(manager, "suppliers") == 1 and lists.total(other, "suppliers") == 1
    assert list(lists.matching_ids(manager, ListQuery("suppliers", text="蔬菜"))) == [ours.id]
    assert list(lists.matching_ids(manager, ListQuery("suppliers", text=str(theirs.id)))) in ([], [ours.id])
    assert [r[0] for r in lists.fetch_block(manager, ListQuery("suppliers"), 0).rows] == [ours.id]
    # even handed the other canteen's id, a block by ids leaves it out
    assert lists.fetch_block(manager, ListQuery("suppliers", text="x"), 0, ids=array("q", [theirs.id])).rows == []
    for read in (read_records.record, read_records.history, read_records.signatures, read_records.attachments):
        with pytest.raises(NotFound):
            read(manager, "suppliers", theirs.id)


def test_record_history_names_people_and_the_fields_an_amendment_changed(manager):
    made = supplier(manager, "城关蔬菜")
    records.amend(manager, "suppliers", made.id, {"name": "城关蔬菜批发部", "kind": "producer", "address": "城关镇"},
                  "名称写错", expected_version=1)
    row = read_records.record(manager, "suppliers", made.id)
    assert (row.version, row.get("name"), row.title) == (2, "城关蔬菜批发部", "城关蔬菜批发部")
    created, amended = read_records.history(manager, "suppliers", made.id)
    assert created.action == "create" and amended.action == "amend" and amended.reason == "名称写错"
    assert [(c.name, c.before, c.after) for c in amended.changes] == [("name", "城关蔬菜", "城关蔬菜批发部")]
    assert manager.user.display_name in amended.person and not amended.voided_changed
    assert read_records.signatures(manager, "suppliers", made.id).state == "unsigned"


def test_attachments_are_read_only_within_the_canteen(manager, other):
    cert_supplier = supplier(manager, "城关蔬菜", "distributor")
    cert = records.create(manager, "certificates", {"supplier": cert_supplier.id, "cert_type": "operation_licence",
                                                    "number": "JY1", "issued_on": dt.date(2024, 1, 1),
                                                    "expires_on": dt.date(2030, 1, 1)})
    added = attachments.add_attachment(manager, "certificates", cert.id, "scans/licence.png", PNG, "image/png")
    [info] = read_records.attachments(manager, "certificates", cert.id)
    assert (info.id, info.mime, info.size, info.voided) == (added.id, "image/png", len(PNG), False)
    assert read_records.attachment_bytes(manager, added.id) == PNG
    assert read_records.attachment_name(manager, added.id) == "licence.png"
    for read in (read_records.attachment_bytes, read_records.attachment_name, read_records.attachment_info):
        with pytest.raises(NotFound):
            read(other, added.id)
        with pytest.raises(NotFound):
            read(manager, "1")


def test_ledger_month_and_findings_read_for_the_readers_canteen(manager):
    view = read_ledger.month_view(manager, 2026, 3)
    assert view.summary.label and len(view.surplus_band) == 2
    assert read_findings.month_parts(dt.date(2026, 1, 30), dt.date(2026, 3, 2)) == [
        (dt.date(2026, 1, 30), dt.date(2026, 1, 31)), (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 2))]
    steps = []
    today = manager.today()
    found = read_findings.findings(manager, today - dt.timedelta(days=3), today,
                                   progress=lambda done, total, _m: steps.append((done, total)))
    assert isinstance(found, list) and steps[-1][0] == steps[-1][1]
