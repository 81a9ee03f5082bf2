"""Issue 12: a canteen pushes its chain to the district in files (SQLite canteen → SQLite district)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from push_support import demo_copy, run

from canteen.cli import main
from canteen.integrity.chain import row_hash

DISTRICT_PASSWORD = "district-pass-1"



_DEMO = {}


@pytest.fixture
def canteen(tmp_path_factory, tmp_path):
    """A copy of a small demo canteen (built once per module)."""
    return demo_copy(_DEMO, tmp_path_factory, tmp_path, 3)


@pytest.fixture
def district(tmp_path, monkeypatch):
    path = tmp_path / "district.db"
    monkeypatch.setenv("CANTEEN_PASSWORD", DISTRICT_PASSWORD)
    assert main(["--db", str(path), "init", "--district", "城关区", "--admin", "dadmin"]) == 0
    return path


def push_file(capsys, monkeypatch, school, out):
    code, said, err = run(capsys, monkeypatch, "demo", "--db", str(school), "--user", "admin", "push", "-o", str(out))
    assert code == 0, err
    return said


def receive(capsys, monkeypatch, district, file):
    return run(capsys, monkeypatch, DISTRICT_PASSWORD, "--db", str(district), "--user", "dadmin", "receive", str(file))


def enrol(capsys, monkeypatch, district, file):
    monkeypatch.setenv("CANTEEN_NEW_PASSWORD", "canteen-pass-1")
    code, _, err = run(capsys, monkeypatch, DISTRICT_PASSWORD, "--db", str(district), "--user", "dadmin",
                       "site", "add", "城关中学", "--admin", "cgadmin", "--from", str(file))
    assert code == 0, err


def a_sign_in_at(school, monkeypatch) -> None:
    """The canteen does more work (a sign-in is an audit entry of its chain)."""
    monkeypatch.setenv("CANTEEN_PASSWORD", "demo")
    assert main(["--db", str(school), "--user", "admin", "verify"]) in (0, 1)


def test_the_same_file_twice_gives_0_new_entries_and_a_receipt_the_canteen_keeps(canteen, district, tmp_path,
                                                                                   capsys, monkeypatch):
    first = tmp_path / "1.canteen"
    push_file(capsys, monkeypatch, canteen, first)
    enrol(capsys, monkeypatch, district, first)
    code, said, err = receive(capsys, monkeypatch, district, first)
    assert code == 0 and "new entries" in said and not said.startswith("0 new"), err
    code, said, _ = receive(capsys, monkeypatch, district, first)
    assert code == 0 and said.startswith("0 new entries")
    code, said, err = run(capsys, monkeypatch, "demo", "--db", str(canteen), "--user", "admin", "receipt",
                          str(tmp_path / "1.receipt"))
    assert code == 0 and "Kept the receipt of 城关区" in said, err


def test_a_later_file_waits_for_the_missing_one_then_both_arrive(canteen, district, tmp_path, capsys, monkeypatch):
    one, two = tmp_path / "1.canteen", tmp_path / "2.canteen"
    push_file(capsys, monkeypatch, canteen, one)
    a_sign_in_at(canteen, monkeypatch)
    said = push_file(capsys, monkeypatch, canteen, two)
    needed = int(said.split("entries ")[1].split("..")[0])
    enrol(capsys, monkeypatch, district, one)
    code, said, _ = receive(capsys, monkeypatch, district, two)
    assert code == 0 and "waits for seq 1," in said
    code, said, _ = receive(capsys, monkeypatch, district, one)
    last = int(said.split("holds seq ")[1].split(".")[0])
    assert code == 0 and last >= needed
    code, said, _ = receive(capsys, monkeypatch, district, two)
    assert said.startswith("0 new entries")


def test_an_old_backup_restored_and_pushed_again_is_refused_and_flagged(canteen, district, tmp_path, capsys,
                                                                         monkeypatch):
    backup = tmp_path / "old.db"
    shutil.copy(canteen, backup)
    one = tmp_path / "1.canteen"
    a_sign_in_at(canteen, monkeypatch)
    push_file(capsys, monkeypatch, canteen, one)
    enrol(capsys, monkeypatch, district, one)
    receive(capsys, monkeypatch, district, one)
    received = _received(district)
    again = tmp_path / "again.canteen"
    push_file(capsys, monkeypatch, backup, again)
    code, _, err = receive(capsys, monkeypatch, district, again)
    assert code == 2 and "history differs from what the district received at seq" in err
    assert _flagged(district) and _received(district) == received


def test_a_record_changed_and_the_chain_recomputed_is_refused(canteen, district, tmp_path, capsys, monkeypatch):
    one = tmp_path / "1.canteen"
    push_file(capsys, monkeypatch, canteen, one)
    enrol(capsys, monkeypatch, district, one)
    receive(capsys, monkeypatch, district, one)
    before = _received(district)
    _rewrite_chain(canteen)
    again = tmp_path / "again.canteen"
    push_file(capsys, monkeypatch, canteen, again)
    code, _, err = receive(capsys, monkeypatch, district, again)
    assert code == 2 and "history differs" in err and _flagged(district) and _received(district) == before


def test_a_file_of_a_canteen_not_enrolled_or_not_signed_by_it_is_refused(canteen, district, tmp_path, capsys,
                                                                         monkeypatch):
    one = tmp_path / "1.canteen"
    push_file(capsys, monkeypatch, canteen, one)
    code, _, err = receive(capsys, monkeypatch, district, one)
    assert code == 2 and "not enrolled" in err
    enrol(capsys, monkeypatch, district, one)
    forged = tmp_path / "forged.canteen"
    data = bytearray(one.read_bytes())
    data[-20] ^= 1  # the signature no longer matches
    forged.write_bytes(bytes(data))
    code, _, err = receive(capsys, monkeypatch, district, forged)
    assert code == 2 and ("not signed" in err or "damaged" in err) and _received(district) == 0


def test_verify_at_the_canteen_uses_the_receipt_as_an_anchor(canteen, district, tmp_path, capsys, monkeypatch):
    one = tmp_path / "1.canteen"
    push_file(capsys, monkeypatch, canteen, one)
    enrol(capsys, monkeypatch, district, one)
    receive(capsys, monkeypatch, district, one)
    run(capsys, monkeypatch, "demo", "--db", str(canteen), "--user", "admin", "receipt", str(tmp_path / "1.receipt"))
    _rewrite_chain(canteen)
    code, said, _ = run(capsys, monkeypatch, "demo", "--db", str(canteen), "verify")
    assert code == 1 and "received on" in said


def test_the_daily_sheet_prints_the_last_receipt_the_canteen_kept(canteen, district, tmp_path, capsys, monkeypatch):
    from pypdf import PdfReader

    from canteen.services import storage, users
    from reports.daily_sheet import export_daily_sheet
    one = tmp_path / "1.canteen"
    push_file(capsys, monkeypatch, canteen, one)
    enrol(capsys, monkeypatch, district, one)
    said = receive(capsys, monkeypatch, district, one)[1]
    seq = int(said.split("holds seq ")[1].split(".")[0])
    run(capsys, monkeypatch, "demo", "--db", str(canteen), "--user", "admin", "receipt", str(tmp_path / "1.receipt"))
    storage.open_canteen(str(canteen))
    doctor = users.login("doctor", "demo")
    sheet = export_daily_sheet(doctor, doctor.today(), tmp_path / "day.pdf")
    text = "".join(page.extract_text() for page in PdfReader(sheet.path).pages).replace("\n", "")
    assert f"District receipt：城关区 已收至第 {seq} 条" in text


def test_the_district_reads_each_canteen_s_last_push_and_its_flag(canteen, district, tmp_path, capsys, monkeypatch):
    from canteen.read.pushes import push_states
    from canteen.services import storage, users
    backup = tmp_path / "old.db"
    shutil.copy(canteen, backup)
    one, again = tmp_path / "1.canteen", tmp_path / "again.canteen"
    a_sign_in_at(canteen, monkeypatch)
    push_file(capsys, monkeypatch, canteen, one)
    enrol(capsys, monkeypatch, district, one)
    receive(capsys, monkeypatch, district, one)
    push_file(capsys, monkeypatch, backup, again)
    receive(capsys, monkeypatch, district, again)
    storage.open_canteen(str(district))
    [state] = push_states(users.login("dadmin", DISTRICT_PASSWORD))
    assert state.canteen == "城关中学" and state.last_at is not None and state.last_seq == state.flag_seq > 0
    assert state.flagged_at is not None


def _rewrite_chain(school) -> None:
    """Change the first entry's reason and recompute every hash after it, triggers dropped."""
    con = sqlite3.connect(school)
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_entry'"):
        con.execute(f'DROP TRIGGER "{name}"')
    columns = [r[1] for r in con.execute("PRAGMA table_info(audit_entry)")]
    rows = [dict(zip(columns, r)) for r in con.execute("SELECT * FROM audit_entry ORDER BY chain_seq")]
    prev = rows[0]["prev_hash"]
    rows[0]["reason"] = "rewritten"
    for row in rows:
        row["prev_hash"] = prev
        row["hash"] = prev = row_hash(row)
        con.execute("UPDATE audit_entry SET reason = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                    (row["reason"], row["prev_hash"], row["hash"], row["seq"]))
    con.commit()
    con.close()


def _flagged(district) -> bool:
    con = sqlite3.connect(district)
    try:
        return con.execute("SELECT flagged_at FROM enrolment").fetchone()[0] is not None
    finally:
        con.close()


def _received(district) -> int:
    con = sqlite3.connect(district)
    try:
        return con.execute("SELECT COUNT(*) FROM received_entry").fetchone()[0]
    finally:
        con.close()

