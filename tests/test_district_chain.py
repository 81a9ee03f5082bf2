"""A chain per canteen (issue 11, item 4): each canteen's audit entries are numbered and linked on
their own, verify checks one canteen or all, an upgraded database keeps every older entry and
anchor verifiable, and on a server two canteens' writers do not wait on one another."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from district_support import district, light_sample, session  # noqa: F401

from canteen import db
from canteen.cli import main
from canteen.integrity import chain
from canteen.integrity.verify import verify_database
from canteen.models import AuditEntry, Site
from canteen.services import records, users


def positions(site_id: int) -> list[int]:
    return [e.chain_seq for e in AuditEntry.select().where(AuditEntry.chain_id == site_id).order_by(AuditEntry.seq)]


@pytest.mark.both_databases
def test_each_canteen_keeps_its_own_chain(district):
    light_sample(session("manager_a"), "红烧肉")
    light_sample(session("manager_b"), "清蒸鱼")
    light_sample(session("manager_a"), "炒白菜")
    for site in (district.a, district.b):
        numbers = positions(site.id)
        assert numbers == list(range(1, len(numbers) + 1))
        assert chain.head(site.id).seq == numbers[-1]
    assert chain.head(district.a.id) != chain.head(district.b.id)
    only_a = verify_database(site_id=district.a.id)
    assert only_a.ok, only_a.summary()
    assert only_a.head == chain.head(district.a.id) and only_a.records_checked == 2
    everything = verify_database()
    assert everything.ok and set(everything.heads) == {0, district.a.id, district.b.id}


def test_a_canteen_changed_outside_the_program_is_found_in_that_canteen_alone(district, db_path):
    light_sample(session("manager_a"), "红烧肉")
    fish = light_sample(session("manager_b"), "清蒸鱼")
    db.close()
    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE retained_sample SET weight_g = '130' WHERE id = ?", (fish.id,))
    db.open_database(str(db_path))
    assert verify_database(site_id=district.a.id).ok
    found = verify_database(site_id=district.b.id)
    assert [p.code for p in found.problems] == ["record-mismatch"]


def test_verify_on_the_command_line_checks_the_named_canteen_or_all(district, db_path, capsys, monkeypatch):
    light_sample(session("manager_a"))
    db.close()
    monkeypatch.setenv("CANTEEN_PASSWORD", "demo")
    assert main(["--db", str(db_path), "--user", "inspector", "--site", "一中食堂", "verify"]) == 0
    assert f"chain head {positions(district.a.id)[-1]}:" in capsys.readouterr().out
    assert main(["--db", str(db_path), "--user", "inspector", "verify", "--all-sites"]) == 0
    out = capsys.readouterr().out
    assert "HEAD      一中食堂" in out and "HEAD      二中食堂" in out
    assert main(["--db", str(db_path), "--user", "auditor_a", "verify", "--all-sites"]) == 2


def test_an_upgraded_database_keeps_every_entry_and_anchor_verifiable(tmp_path):
    """tests/data/schema-v1.db holds one chain for the whole database; after step 6 its entries
    stay "era 1", the anchor printed from them still holds, and the canteen's own chain
    continues from its head."""
    path = tmp_path / "old.db"
    shutil.copy(Path(__file__).parent / "data" / "schema-v1.db", path)
    with sqlite3.connect(path) as con:
        old_head = chain.ChainHead(*con.execute("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1").fetchone())
    db.open_database(str(path))
    site = Site.get()
    assert chain.era1_head() == old_head and chain.head(site.id) == old_head
    upgraded = [e for e in AuditEntry.select().where(AuditEntry.chain_id.is_null())]
    records.create(users.session_for("manager"), "suppliers", {"name": "城关超市", "kind": "distributor", "address": "城关镇"})
    first = AuditEntry.select().where(AuditEntry.chain_id == site.id).order_by(AuditEntry.seq).first()
    assert (first.chain_seq, first.prev_hash) == (old_head.seq + 1, old_head.hash)
    report = verify_database(anchor=str(old_head))
    assert report.ok, report.summary()
    assert report.entries_checked == len(upgraded) + 1 + AuditEntry.select().where(AuditEntry.chain_id == 0).count()
    assert verify_database(anchor=str(chain.head(site.id))).ok


def test_cutting_the_era1_tail_is_caught(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(Path(__file__).parent / "data" / "schema-v1.db", path)
    db.open_database(str(path))
    records.create(users.session_for("manager"), "suppliers", {"name": "城关超市", "kind": "distributor", "address": "城关镇"})
    last = chain.era1_head().seq
    db.close()
    with sqlite3.connect(path) as con:
        con.execute("DROP TRIGGER audit_entry_no_delete")
        con.execute("DELETE FROM audit_entry WHERE seq = ?", (last,))
    db.open_database(str(path))
    codes = {p.code for p in verify_database().problems}
    assert "era1-end" in codes  # the canteen chain still links to the head that was cut away


@pytest.mark.postgres_only
def test_writers_in_two_canteens_do_not_wait_on_one_another(district):
    """Canteen A's write transaction stays open (its chain locked) while canteen B saves a record:
    B's save finishes first, so A's transaction is released by the test, not by a time-out."""
    holding, released, outcome = threading.Event(), threading.Event(), {}

    def hold_canteen_a():
        try:
            with db.service_transaction(district.a.id):
                chain.append("refused", site_id=district.a.id, reason="held open by the test")
                holding.set()
                outcome["released"] = released.wait(timeout=20)
        finally:
            db.close()

    worker = threading.Thread(target=hold_canteen_a)
    worker.start()
    assert holding.wait(timeout=20)
    light_sample(session("manager_b"))
    released.set()
    worker.join()
    assert outcome["released"] is True
    assert verify_database().ok
