"""Storage faults as a user meets them: a damaged, truncated, empty or foreign file, a read-only
file or folder, a missing folder, a file nobody may read, a lock held by another program, a full
disk. Each case runs the real command and asserts the one line on stderr, the exit code, that no
traceback or "unexpected error" appears, and that the file (and every record in it) is intact."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from conditions import needs_file_modes, needs_tmpfs, small_tmpfs

from canteen import db
from canteen.cli import main

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_V1 = ROOT / "tests" / "data" / "schema-v1.db"
# Root may write anything; without these two capabilities it meets file modes like anyone else.
WITHOUT_ROOT_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
                         "--inh-caps=-dac_override,-dac_read_search"]


def canteen(*argv, password: str | None = None, as_plain_user: bool = False) -> tuple[int, str, str]:
    """Run the installed command in its own process, as a user would."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    env.pop("CANTEEN_DB", None)
    if password is not None:
        env["CANTEEN_PASSWORD"] = password
    prefix = WITHOUT_ROOT_OVERRIDE if as_plain_user and os.geteuid() == 0 else []
    proc = subprocess.run([*prefix, sys.executable, "-m", "canteen", *argv], capture_output=True, text=True,
                          env=env, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def one_clean_line(err: str) -> str:
    """The promise for every failure: exactly one line, no traceback, nothing "unexpected"."""
    assert err.count("\n") == 1, err
    for bad in ("Traceback", "unexpected error", "Exception ignored"):
        assert bad not in err
    return err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("storage-demo") / "demo.db"
    assert main(["--db", str(path), "demo", "--days", "4"]) == 0
    return path


@pytest.fixture
def copy_of_demo(demo_file, tmp_path) -> Path:
    path = tmp_path / "canteen.db"
    shutil.copy(demo_file, path)
    return path


def quick_check(path: Path) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        con.close()


def flip_a_page(path: Path) -> None:
    """Overwrite the start of a page in the middle of the file, as a failing disk would: the
    first page (from the middle on) whose damage SQLite's quick_check sees."""
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    for page in range(pages // 2, pages):
        before = bytes(data[page * 4096:page * 4096 + 64])
        data[page * 4096:page * 4096 + 64] = b"\xa5" * 64
        path.write_bytes(data)
        if quick_check(path) != "ok":
            return
        data[page * 4096:page * 4096 + 64] = before
    pytest.fail("no page of the demo file shows damage to quick_check")


def flip_a_name(path: Path) -> str:
    """Break one byte of a supplier's name inside its row: the file's structure stays sound (quick_check
    passes), the text is no longer readable."""
    con = sqlite3.connect(path)
    supplier_id, name = con.execute("SELECT id, name FROM supplier ORDER BY id DESC LIMIT 1").fetchone()
    con.close()
    data = bytearray(path.read_bytes())
    at = data.find(name.encode())
    assert at > 0
    data[at] = 0xFF
    path.write_bytes(data)
    return f"supplier #{supplier_id}"


# ------------------------------------------------------------------------ damaged, empty, foreign

def test_a_damaged_page_is_refused_before_sign_in_writes_anything(copy_of_demo, tmp_path):
    flip_a_page(copy_of_demo)
    before = digest(copy_of_demo)
    code, _, err = canteen("--db", str(copy_of_demo), "--user", "manager", "export", "deliveries",
                           "--from", "2020-01-01", "--to", "2030-12-31", "-o", str(tmp_path / "d.csv"), password="demo")
    assert code == 2 and f"{copy_of_demo} is damaged" in one_clean_line(err)
    assert digest(copy_of_demo) == before and not (tmp_path / "d.csv").exists()  # no sign-in entry, no export
    for command in ("verify", "check"):
        code, _, err = canteen("--db", str(copy_of_demo), command)
        assert code == 2 and "is damaged" in one_clean_line(err)
    assert digest(copy_of_demo) == before


def test_a_damaged_file_names_the_latest_backup_and_its_date(copy_of_demo, tmp_path):
    backup = tmp_path / "backups" / "monday.db"
    backup.parent.mkdir()
    assert canteen("--db", str(copy_of_demo), "--user", "admin", "backup", "-o", str(backup),
                   password="demo")[0] == 0
    flip_a_page(copy_of_demo)
    code, _, err = canteen("--db", str(copy_of_demo), "check")
    assert code == 2 and f"The latest backup is {backup.resolve()} of " in one_clean_line(err)
    assert db.latest_backup(copy_of_demo) == backup.resolve()


def test_an_unreadable_record_is_reported_as_damage_by_table_and_row(copy_of_demo):
    where = flip_a_name(copy_of_demo)
    assert quick_check(copy_of_demo) == "ok"  # the damage is inside a record, where quick_check does not look
    code, out, err = canteen("--db", str(copy_of_demo), "verify")
    assert code == 1 and f"DAMAGED   {where}: Could not decode" in out and err == ""
    code, out, err = canteen("--db", str(copy_of_demo), "check")
    assert code == 2 and f"DAMAGED   {where}" in out and "is damaged: some rows cannot be read" in one_clean_line(err)


def test_a_truncated_file_is_refused_and_kept(copy_of_demo):
    with open(copy_of_demo, "r+b") as fh:
        fh.truncate(copy_of_demo.stat().st_size // 2)
    before = digest(copy_of_demo)
    code, _, err = canteen("--db", str(copy_of_demo), "verify")
    assert code == 2 and "is damaged" in one_clean_line(err) and digest(copy_of_demo) == before


@pytest.mark.parametrize("command", [["verify"], ["check"],
                                     ["--user", "manager", "export", "suppliers", "--from", "2020-01-01",
                                      "--to", "2020-01-02", "-o", "x.csv"]])
def test_reading_an_empty_file_leaves_it_empty_and_init_still_works(tmp_path, command):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    code, _, err = canteen("--db", str(path), *command, password="demo")
    assert code == 2 and "is an empty file" in one_clean_line(err)
    assert path.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]
    code, out, err = canteen("--db", str(path), "init", "--site", "城关中学食堂", "--admin", "admin", password="s3cret!")
    assert code == 0 and "Created" in out


def test_a_failed_init_leaves_an_empty_file_empty(tmp_path):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    code, _, err = canteen("--db", str(path), "init", "--site", "S", "--admin", "admin", password="x")
    assert code == 2 and "Password" in one_clean_line(err) and path.stat().st_size == 0


def test_a_foreign_sqlite_file_is_refused_and_unchanged(tmp_path):
    path = tmp_path / "photos.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE photo (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    before = digest(path)
    code, _, err = canteen("--db", str(path), "verify")
    assert code == 2 and "not made by the canteen log" in one_clean_line(err) and digest(path) == before


# ------------------------------------------------------------------ permissions, folders, locks

@needs_file_modes
def test_a_read_only_file_reads_and_refuses_writes_naming_it(copy_of_demo, tmp_path):
    copy_of_demo.chmod(0o444)
    code, _, err = canteen("--db", str(copy_of_demo), "check", "--from", "2001-01-01", "--to", "2001-01-02",
                           as_plain_user=True)
    assert code == 0, err
    code, _, err = canteen("--db", str(copy_of_demo), "--user", "manager", "export", "suppliers", "--from", "2020-01-01",
                           "--to", "2030-01-01", "-o", str(tmp_path / "s.csv"), password="demo", as_plain_user=True)
    line = one_clean_line(err)
    assert code == 2 and f"The database {copy_of_demo} is read-only (the file is read-only)" in line
    assert "为只读" in line


@needs_file_modes
def test_a_read_only_folder_is_named_as_the_cause(copy_of_demo, tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "canteen.db"
    shutil.move(copy_of_demo, path)
    folder.chmod(0o555)
    try:
        code, _, err = canteen("--db", str(path), "--user", "manager", "export", "suppliers", "--from",
                               "2020-01-01", "--to", "2030-01-01", "-o", str(tmp_path / "s.csv"), password="demo",
                               as_plain_user=True)
    finally:
        folder.chmod(0o755)
    line = one_clean_line(err)
    assert code == 2 and str(path) in line and f"folder {folder} is read-only" in line


@needs_file_modes
def test_a_file_this_user_may_not_read_is_permission_denied(copy_of_demo):
    copy_of_demo.chmod(0o000)
    try:
        code, _, err = canteen("--db", str(copy_of_demo), "check", as_plain_user=True)
    finally:
        copy_of_demo.chmod(0o644)
    assert code == 2 and f"Permission denied: {copy_of_demo} cannot be read" in one_clean_line(err)


def test_a_missing_folder_is_named(tmp_path):
    missing = tmp_path / "no-such-folder" / "canteen.db"
    code, _, err = canteen("--db", str(missing), "init", "--site", "S", "--admin", "admin", password="s3cret!")
    assert code == 2 and f"The folder {missing.parent} does not exist" in one_clean_line(err)


def test_a_write_lock_held_by_another_program(copy_of_demo, tmp_path, capsys, monkeypatch):
    """Another program holds the write lock (an uncommitted write): reading still works; signing
    in, which writes, says who is in the way, in one line, and loses nothing."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setenv("CANTEEN_PASSWORD", "demo")
    other = sqlite3.connect(copy_of_demo)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE setting SET value = value")
    try:
        code = main(["--db", str(copy_of_demo), "--user", "manager", "export", "suppliers", "--from", "2020-01-01",
                     "--to", "2030-01-01", "-o", str(tmp_path / "s.csv")])
        err = capsys.readouterr().err
    finally:
        other.rollback()
        other.close()
    assert code == 2 and f"The database {copy_of_demo} is in use by another program" in one_clean_line(err)
    assert main(["--db", str(copy_of_demo), "verify"]) == 0


# ------------------------------------------------------------------------------------ full disk

@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs of a given size (kB), mounted for the test (which is marked needs_tmpfs)."""
    with contextlib.ExitStack() as mounted:
        yield lambda kilobytes: mounted.enter_context(
            small_tmpfs(tmp_path / f"disk-{uuid.uuid4().hex[:6]}", f"size={kilobytes}k"))


@needs_tmpfs
def test_a_backup_onto_a_full_disk_is_one_line_and_leaves_no_part_file(copy_of_demo, small_disk):
    disk = small_disk(128)
    code, _, err = canteen("--db", str(copy_of_demo), "--user", "admin", "backup", "-o", str(disk / "b.db"),
                           password="demo")
    assert code == 2 and f"The disk holding {disk / 'b.db'} is full" in one_clean_line(err)
    assert list(disk.iterdir()) == []
    assert backups_recorded(copy_of_demo) == 0  # the sign-in is in the trail; no backup that does not exist


def backups_recorded(path) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT COUNT(*) FROM audit_entry WHERE action = 'export' AND record_kind = 'backup'").fetchone()[0]
    finally:
        con.close()


@needs_tmpfs
def test_an_upgrade_on_a_full_disk_leaves_no_empty_copy(small_disk):
    disk = small_disk(SCHEMA_V1.stat().st_size // 1024 + 64)
    old = disk / "old.db"
    shutil.copy(SCHEMA_V1, old)
    code, _, err = canteen("--db", str(old), "verify")
    line = one_clean_line(err)
    assert code == 2 and f"{old} needs an upgrade" in line and "is full" in line
    assert sorted(p.name for p in disk.iterdir()) == ["old.db"]
    assert contents(old) == contents(SCHEMA_V1)


def contents(path: Path) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


@needs_tmpfs
def test_a_new_canteen_on_a_full_disk_is_one_line(small_disk):
    disk = small_disk(64)
    code, _, err = canteen("--db", str(disk / "c.db"), "demo", "--days", "2")
    line = one_clean_line(err)
    assert code == 2 and "is full" in line and str(disk) in line


@needs_tmpfs
def test_records_survive_a_full_disk_during_a_write(demo_file, small_disk, tmp_path):
    """The disk fills up while the desk saves (here: an import): refused in one line, and every
    record confirmed before is still there, unchanged."""
    disk = small_disk(demo_file.stat().st_size // 1024 + 256)
    path = disk / "canteen.db"
    shutil.copy(demo_file, path)
    sheet = tmp_path / "suppliers.csv"
    sheet.write_text("名称 Name,类型 Kind,地址 Address\n" +
                     "".join(f"供货者{i}{'长' * 150},distributor,城关镇{'路' * 150}\n" for i in range(3000)),
                     encoding="utf-8")
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    filler.write_bytes(b"\0" * max(0, free - 96 * 1024))
    code, _, err = canteen("--db", str(path), "--user", "manager", "import", "suppliers", str(sheet), password="demo")
    assert code == 2 and "is full" in one_clean_line(err)
    filler.unlink()
    code, out, _ = canteen("--db", str(path), "verify")
    assert code == 0 and "0 problem(s)" in out
