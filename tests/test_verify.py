"""The verification behind `canteen verify`: a clean database passes, its report counts what it
checked, anchors are parsed strictly, and records of every kind match their audit snapshots."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PASSWORD, local_now

from canteen.integrity import chain
from canteen.integrity.canonical import content_hash
from canteen.integrity.verify import parse_anchor, verify_database
from canteen.models import REGISTRY, AuditEntry, Site
from canteen.services import records, signing


def fill(sessions):
    """A little of everything the services write: records, an amendment, a void, signatures."""
    manager, doctor = sessions["manager"], sessions["doctor"]
    today = local_now().date()
    supplier = records.create(manager, "suppliers", {"name": "城关蔬菜合作社", "kind": "farm", "address": "城关镇"})
    staff = records.create(manager, "staff", {"name": "刘建国", "post": REGISTRY["staff"].field_spec("post").choices[0][0]})
    meeting = records.create(manager, "meetings", {"day": today, "attendees": ["王芳"], "topics": "卫生"})
    water = records.create(manager, "water-supplies", {"occurred_at": local_now() - dt.timedelta(minutes=20),
                                                       "operator": staff.id, "litres": "80"})
    records.amend(manager, "meetings", meeting.id, {"decisions": "每日检查"}, "补记")
    records.void(manager, "water-supplies", water.id, "重复登记")
    inspection = records.create(doctor, "inspections", {"day": today, "inspector": "李医生", "checklist": {"water": True}})
    signing.sign_record(doctor, "inspections", inspection.id, "inspected", PASSWORD)
    signing.sign_record(doctor, "suppliers", supplier.id, "reviewed", PASSWORD)
    return supplier


def test_clean_database_passes_and_counts(sessions):
    fill(sessions)
    report = verify_database()
    assert report.ok, [p.en for p in report.problems]
    assert report.entries_checked == AuditEntry.select().count()
    assert report.records_checked == 5 and report.signatures_checked == 2
    assert report.head == chain.head(Site.get().id)
    assert "No tampering found" in report.summary() and "未发现篡改" in report.summary("zh")


def test_empty_database_passes(database):
    report = verify_database()
    assert report.ok and report.entries_checked == 0 and report.head.seq == 0


def test_current_anchor_passes_and_a_wrong_one_fails(sessions):
    fill(sessions)
    head = chain.head(Site.get().id)
    assert verify_database(anchor=str(head)).ok
    wrong = f"{head.seq}:{'0' * 64}"
    assert [p.code for p in verify_database(anchor=wrong).problems] == ["anchor-mismatch"]
    assert [p.code for p in verify_database(anchor=f"{head.seq + 5}:{head.hash}").problems] == ["anchor-missing"]


@pytest.mark.parametrize("text", ["", "12", "12:abc", "x:" + "0" * 64, "3:" + "g" * 64])
def test_malformed_anchor_is_refused(text):
    with pytest.raises(ValueError):
        parse_anchor(text)


def test_anchor_accepts_upper_case_hex():
    assert parse_anchor("7:" + "AB" * 32).hash == "ab" * 32


def test_progress_reaches_the_total(sessions):
    fill(sessions)
    calls = []
    verify_database(progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1]


def test_audit_snapshot_equals_the_stored_record_for_every_service_write(sessions):
    """The basis of the record check: what the trail says after a write is what a reader hashes."""
    fill(sessions)
    for kind, model in REGISTRY.items():
        for record in model.select():
            entry = (AuditEntry.select().where((AuditEntry.record_kind == kind) & (AuditEntry.record_id == record.id)
                                               & (AuditEntry.action != "sign"))
                     .order_by(AuditEntry.seq.desc()).first())
            assert chain.sha256_hex(entry.after) == content_hash(record), (kind, record.id)


def test_problems_read_in_both_languages(sessions, db_path):
    import sqlite3
    supplier = fill(sessions)
    con = sqlite3.connect(str(db_path))
    con.execute("UPDATE supplier SET address = '别处' WHERE id = ?", (supplier.id,))
    con.commit()
    con.close()
    report = verify_database()
    assert not report.ok and "problem" in report.summary() and "篡改" in report.summary("zh")
    for problem in report.problems:
        assert problem.text("en") and problem.text("zh") != problem.text("en")
        assert problem.where == f"suppliers {supplier.id}"
