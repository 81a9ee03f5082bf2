"""An insider with the database file and plain SQL: every kind of tampering is found and located.

Each test changes the file through its own sqlite3 connection, outside the program, the way
someone holding the file would, then runs the verification the `canteen verify` command runs.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from types import SimpleNamespace

import pytest
from conftest import PASSWORD, local_now

from canteen.integrity import chain, daily_close, signatures
from canteen.integrity.canonical import dumps
from canteen.integrity.verify import verify_database
from canteen.models import REGISTRY, Site
from canteen.services import records, signing, users

WASTE_KIND = REGISTRY["waste"].field_spec("kind").choices[0][0]
TRIGGERS = [f"{t}_no_{op}" for t in ("audit_entry", "signature", "user_key") for op in ("update", "delete")]


def add_supplier(manager):
    supplier = records.create(manager, "suppliers", {"name": "城关粮油店", "kind": "distributor", "address": "城关镇"})
    today = local_now().date()
    records.create(manager, "certificates", {"supplier": supplier.id, "cert_type": "operation_licence",
                                             "number": "JY143", "issued_on": today - dt.timedelta(days=30),
                                             "expires_on": today + dt.timedelta(days=300)})
    return supplier


def add_delivery(manager, supplier, item="大米", quantity="25"):
    return records.create(manager, "deliveries", {
        "occurred_at": local_now() - dt.timedelta(minutes=30), "item": item, "category": "grain",
        "quantity": quantity, "unit": "kg", "supplier": supplier.id, "batch_no": "B-1", "result": "accepted",
        "receiver": "王芳", "unit_price_fen": 420})


@pytest.fixture
def day(sessions):
    """A closed day: two deliveries, the first signed by the doctor, the inspection signed (sealed)."""
    manager, doctor = sessions["manager"], sessions["doctor"]
    supplier = add_supplier(manager)
    signed = add_delivery(manager, supplier)
    unsigned = add_delivery(manager, supplier, "面粉", "10")
    inspection = records.create(doctor, "inspections", {"day": local_now().date(), "inspector": "李医生",
                                                        "checklist": {"environment": True, "samples": True}})
    delivery_sig = signing.sign_record(doctor, "deliveries", signed.id, "reviewed", PASSWORD)
    signing.sign_record(doctor, "inspections", inspection.id, "inspected", PASSWORD)
    seal = daily_close.seal_of(manager.site.id, local_now().date())
    return SimpleNamespace(signed=signed, unsigned=unsigned, inspection=inspection, signature=delivery_sig,
                           anchor=seal.anchor, site=manager.site)


def tamper(db_path, *statements, drop_triggers=False):
    con = sqlite3.connect(str(db_path))
    try:
        if drop_triggers:
            for name in TRIGGERS:
                con.execute(f"DROP TRIGGER IF EXISTS {name}")
        for sql, *params in statements:
            con.execute(sql, *params)
        con.commit()
    finally:
        con.close()


def entries(db_path):
    con = sqlite3.connect(str(db_path))
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT * FROM audit_entry ORDER BY seq")]
    finally:
        con.close()


def last_snapshot_entry(db_path, kind, record_id):
    return [e for e in entries(db_path) if e["record_kind"] == kind and e["record_id"] == record_id
            and e["action"] != "sign"][-1]


def codes(report, **place):
    return {p.code for p in report.problems if all(getattr(p, k) == v for k, v in place.items())}


def test_untouched_database_verifies_clean(day):
    report = verify_database(anchor=day.anchor)
    assert report.ok, [p.en for p in report.problems]
    assert report.signatures_checked == 2 and report.records_checked >= 5


def test_value_changed_in_signed_record_is_named(db_path, day):
    tamper(db_path, ("UPDATE delivery SET quantity = '2.5' WHERE id = ?", (day.signed.id,)))
    report = verify_database()
    assert not report.ok
    assert {"signature-content", "record-mismatch"} <= codes(report, kind="deliveries", record_id=day.signed.id)
    mismatch = next(p for p in report.problems if p.code == "record-mismatch")
    assert "quantity" in mismatch.en and mismatch.where == f"deliveries {day.signed.id}"
    assert "李医生" in next(p for p in report.problems if p.code == "signature-content").en


def test_record_changed_with_its_audit_entry_fixed_up(db_path, day):
    entry = last_snapshot_entry(db_path, "deliveries", day.unsigned.id)
    after = json.loads(entry["after"])
    after["quantity"] = "1"
    tamper(db_path, ("UPDATE delivery SET quantity = '1' WHERE id = ?", (day.unsigned.id,)),
           ("UPDATE audit_entry SET after = ? WHERE seq = ?", (dumps(after), entry["seq"])),
           drop_triggers=True)
    report = verify_database()
    assert codes(report, seq=entry["seq"]) == {"entry-altered"}
    assert f"audit entry {entry['seq']}" in [p.where for p in report.problems]


def test_fixed_up_entry_with_its_hash_recomputed_breaks_the_next_link(db_path, day):
    entry = last_snapshot_entry(db_path, "deliveries", day.unsigned.id)
    after = json.loads(entry["after"])
    after["quantity"] = "1"
    entry["after"] = dumps(after)
    new_hash = chain.entry_hash(SimpleNamespace(**entry))
    tamper(db_path, ("UPDATE delivery SET quantity = '1' WHERE id = ?", (day.unsigned.id,)),
           ("UPDATE audit_entry SET after = ?, hash = ? WHERE seq = ?", (entry["after"], new_hash, entry["seq"])),
           drop_triggers=True)
    report = verify_database()
    assert "link-broken" in codes(report, seq=entry["seq"] + 1)


def test_entry_deleted_in_the_middle(db_path, day):
    middle = last_snapshot_entry(db_path, "deliveries", day.unsigned.id)["seq"]
    tamper(db_path, ("DELETE FROM audit_entry WHERE seq = ?", (middle,)), drop_triggers=True)
    report = verify_database()
    missing = [p for p in report.problems if p.code == "entry-missing"]
    assert len(missing) == 1 and missing[0].seq == middle and str(middle) in missing[0].en
    assert "record-untracked" in codes(report, kind="deliveries", record_id=day.unsigned.id)


def test_tail_deleted_is_caught_by_an_anchor(db_path, day, sessions):
    late = records.create(sessions["manager"], "waste", {
        "occurred_at": local_now() - dt.timedelta(minutes=5), "kind": WASTE_KIND, "weight_kg": "3",
        "collector_unit": "城关环卫", "recorder": "王芳", "late_reason": "忘记登记"})
    users.login("auditor", PASSWORD)
    anchor = str(chain.head(Site.get().id))
    first_gone = last_snapshot_entry(db_path, "waste", late.id)["seq"]
    tamper(db_path, ("DELETE FROM waste_disposal WHERE id = ?", (late.id,)),
           ("DELETE FROM audit_entry WHERE seq >= ?", (first_gone,)), drop_triggers=True)
    assert verify_database().ok  # a clean cut at the end leaves nothing to compare with...
    report = verify_database(anchor=anchor)  # ...except a head printed earlier
    assert codes(report) == {"anchor-missing"}
    assert report.problems[0].seq == int(anchor.split(":")[0])


def recompute_whole_chain(db_path):
    """What an insider who read canonical.py would do after dropping the triggers."""
    con = sqlite3.connect(str(db_path))
    try:
        for name in TRIGGERS:
            con.execute(f"DROP TRIGGER IF EXISTS {name}")
        prev = chain.GENESIS
        for entry in entries(db_path):
            entry["prev_hash"] = prev
            prev = chain.entry_hash(SimpleNamespace(**entry))
            con.execute("UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE seq = ?", (entry["prev_hash"], prev, entry["seq"]))
        con.commit()
    finally:
        con.close()


def test_recomputed_chain_is_caught_by_the_seal_anchor(db_path, day):
    first = entries(db_path)[2]
    tamper(db_path, ("UPDATE audit_entry SET reason = 'nothing happened' WHERE seq = ?", (first["seq"],)),
           drop_triggers=True)
    recompute_whole_chain(db_path)
    report = verify_database(anchor=day.anchor)
    anchor_seq = int(day.anchor.split(":")[0])
    assert "anchor-mismatch" in codes(report, seq=anchor_seq)
    assert f"audit entry {anchor_seq}" in [p.where for p in report.problems]
    # the signatures recorded chain heads too, so they notice even without an anchor
    assert "signature-chain" in codes(verify_database())


def test_signature_copied_onto_another_record(db_path, day):
    tamper(db_path, ("INSERT INTO signature (site_id, record_kind, record_id, record_version, meaning, signer_id, "
                     "signer_name, key_id, signed_at, content_sha256, chain_seq, chain_hash, signature) "
                     "SELECT site_id, record_kind, ?, record_version, meaning, signer_id, signer_name, key_id, "
                     "signed_at, content_sha256, chain_seq, chain_hash, signature FROM signature WHERE id = ?",
                     (day.unsigned.id, day.signature.id)))
    assert signatures.signature_state("deliveries", day.unsigned.id).state == "signed"  # the forgery looks fine...
    report = verify_database()  # ...until verified
    moved = [p for p in report.problems if p.code == "signature-moved"]
    assert len(moved) == 1 and moved[0].record_id == day.unsigned.id
    assert f"deliveries {day.signed.id}" in moved[0].en
    assert "signature-copied" in codes(report, record_id=day.unsigned.id)


def test_signature_meaning_rewritten(db_path, day):
    tamper(db_path, ("UPDATE signature SET meaning = 'approved' WHERE id = ?", (day.signature.id,)), drop_triggers=True)
    report = verify_database()
    assert codes(report, signature_id=day.signature.id) == {"signature-invalid"}


def test_record_inserted_outside_the_program(db_path, day):
    con = sqlite3.connect(str(db_path))
    columns = [row[1] for row in con.execute("PRAGMA table_info(delivery)") if row[1] != "id"]
    con.close()
    listed = ", ".join(columns)
    tamper(db_path, (f"INSERT INTO delivery (id, {listed}) SELECT 999, {listed} FROM delivery WHERE id = ?",
                     (day.unsigned.id,)))
    report = verify_database()
    assert "record-untracked" in codes(report, kind="deliveries", record_id=999)


def test_record_deleted_outside_the_program(db_path, day, sessions):
    meeting = records.create(sessions["manager"], "meetings", {"day": local_now().date(), "attendees": ["王芳"],
                                                               "topics": "卫生", "late_reason": "补记"})
    tamper(db_path, ("DELETE FROM staff_meeting WHERE id = ?", (meeting.id,)))
    report = verify_database()
    assert codes(report, kind="meetings", record_id=meeting.id) == {"record-deleted"}


def test_public_key_swapped_for_an_insiders_own(db_path, day):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    forger = Ed25519PrivateKey.generate()
    key_id = day.signature.key_id
    tamper(db_path, ("UPDATE user_key SET public_key = ? WHERE id = ?", (signatures.public_bytes(forger), key_id)),
           drop_triggers=True)
    report = verify_database()
    assert "key-replaced" in {p.code for p in report.problems if p.where == f"key {key_id}"}


def test_signature_deleted_to_make_a_record_look_unsigned(db_path, day):
    tamper(db_path, ("DELETE FROM signature WHERE id = ?", (day.signature.id,)), drop_triggers=True)
    assert signatures.signature_state("deliveries", day.signed.id).state == "unsigned"
    report = verify_database()
    assert codes(report) == {"signature-deleted"}
    assert report.problems[0].where == f"deliveries {day.signed.id}"


def test_scan_replaced_in_an_attachment(db_path, day, sessions):
    from canteen.services import attachments
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    kept = attachments.add_attachment(sessions["manager"], "deliveries", day.unsigned.id, "invoice.png", png, "image/png")
    assert verify_database().ok  # an attachment's entry is not mistaken for the record's content
    tamper(db_path, ("UPDATE attachment SET data = ? WHERE id = ?", (png + b"forged", kept.id)))
    report = verify_database()
    assert codes(report) == {"attachment-altered"} and report.problems[0].where == f"attachment {kept.id}"
