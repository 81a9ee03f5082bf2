"""`kill -9` at random moments: of a writer entering records one by one, and of `canteen import`.

A record the writer confirmed (its transaction committed) must be in the database afterwards,
whatever moment the kill hit; an import leaves all its rows or none; `verify` stays clean."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from canteen import db
from canteen.cli import main
from canteen.models import REGISTRY, AuditEntry
from canteen.services import users

from .fault_processes import HANG, Lines

pytestmark = pytest.mark.faults

PROCESSES = Path(__file__).with_name("fault_processes.py")
ROOT = Path(__file__).resolve().parents[2]
WRITER_KILLS = 120
IMPORT_KILLS = 25
IMPORT_ROWS = 300
PASSWORD = "demo"


@pytest.fixture
def fork_server(tmp_path):
    """Start children through the fork server; what they print to stderr goes to a log that the
    assertions quote (a writer that fails to start says why)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    log = (tmp_path / "fault-processes.log").open("wb")
    server = subprocess.Popen([sys.executable, str(PROCESSES), "serve"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=log, env=env, cwd=ROOT)
    lines = Lines(server.stdout)

    def start(command: dict) -> int:
        server.stdin.write((json.dumps(command) + "\n").encode("utf-8"))
        server.stdin.flush()
        line = lines.next()
        assert line.startswith("started "), line
        return int(line.split()[1])

    yield start, lines
    server.stdin.close()
    server.kill()
    server.wait()
    log.close()


def errors_of(tmp_path) -> str:
    return (tmp_path / "fault-processes.log").read_text(encoding="utf-8", errors="replace")[-2000:]


@pytest.fixture
def canteen_file(tmp_path) -> str:
    """A canteen with its administrator, closed again: the killed processes open it themselves."""
    path = str(tmp_path / "canteen.db")
    db.open_database(path, create=True)
    site, _admin = users.create_site("城关中学食堂", "admin", PASSWORD, school="城关中学")
    users.add_user(site, "manager", "王芳", "manager", PASSWORD)
    db.close()
    return path


def kill_and_collect(lines: Lines, pid: int, after_lines: int, then_seconds: float) -> tuple[list[str], int]:
    """Read `after_lines` of the child's lines and whatever more arrives within `then_seconds`,
    kill -9 the child (unless it has ended by itself), and read its lines up to the server's
    `ended PID STATUS`. Returns the child's lines and its wait status."""
    heard: list[str] = []

    def ended(line: str | None) -> int | None:
        if line is not None and line.startswith(f"ended {pid} "):
            return int(line.split()[2])
        if line is not None:
            heard.append(line)
        return None

    for _ in range(after_lines):
        if (status := ended(lines.next())) is not None:
            return heard, status
    window_end = time.monotonic() + then_seconds
    while (remaining := window_end - time.monotonic()) > 0:
        if (status := ended(lines.next(timeout=remaining))) is not None:
            return heard, status
    with contextlib.suppress(ProcessLookupError):  # it may have ended this very moment
        os.kill(pid, signal.SIGKILL)
    while (status := ended(lines.next())) is None:
        pass
    return heard, status


def verify_is_clean(path: str, capsys) -> str:
    capsys.readouterr()
    code = main(["--db", path, "verify"])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def test_kill_9_of_a_writer_at_random_moments_loses_no_confirmed_record(fork_server, canteen_file, tmp_path, capsys,
                                                                         record_property):
    start, lines = fork_server
    rng = random.Random(20260817)
    confirmed: list[int] = []
    for _ in range(WRITER_KILLS):
        pid = start({"do": "write", "db": canteen_file})
        # a few confirmed lines, then anywhere inside the next write (one takes a few milliseconds)
        heard, status = kill_and_collect(lines, pid, rng.randint(0, 4), rng.uniform(0.0, 0.01))
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (heard, errors_of(tmp_path))
        assert all(line.startswith("confirmed ") for line in heard), heard
        confirmed += [int(line.split()[1]) for line in heard]
    db.open_database(canteen_file)
    stored = {row.id for row in REGISTRY["suppliers"].select(REGISTRY["suppliers"].id)}
    db.close()
    lost = sorted(set(confirmed) - stored)
    figures = (f"kill -9 of a writer: {WRITER_KILLS} kills, {len(confirmed)} records confirmed, "
               f"{len(stored)} stored, {len(lost)} lost")
    record_property("fault figures", figures)
    assert len(set(confirmed)) == len(confirmed) and not lost
    assert "0 problem(s)" in verify_is_clean(canteen_file, capsys)


def supplier_sheet(path: Path, attempt: int) -> Path:
    """A suppliers sheet of IMPORT_ROWS rows, different for every attempt (a file imported before
    may be refused as a repeat)."""
    with path.open("w", newline="", encoding="utf-8") as out:
        sheet = csv.writer(out)
        sheet.writerow(["名称 Name", "类型 Kind", "地址 Address"])
        sheet.writerows([f"供货者 {attempt}-{row}", "经营者/超市", "城关镇"] for row in range(IMPORT_ROWS))
    return path


def stored_state(path: str) -> tuple[int, int]:
    db.open_database(path)
    try:
        return REGISTRY["suppliers"].select().count(), AuditEntry.select().count()
    finally:
        db.close()


def test_kill_9_of_an_import_at_random_moments_leaves_all_rows_or_none(fork_server, canteen_file, tmp_path, capsys,
                                                                       record_property):
    start, lines = fork_server
    rng = random.Random(20260818)
    command = {"do": "import", "db": canteen_file, "kind": "suppliers", "password": PASSWORD}
    started = time.monotonic()
    pid = start(dict(command, file=str(supplier_sheet(tmp_path / "first.csv", 0))))
    heard, status = kill_and_collect(lines, pid, 1, HANG)  # one whole import, not killed
    whole = time.monotonic() - started  # how long one takes on this machine, to spread the kills over
    assert status == 0 and stored_state(canteen_file)[0] == IMPORT_ROWS, (heard, errors_of(tmp_path))
    outcomes = {"none": 0, "all": 0, "finished": 0}
    for attempt in range(1, IMPORT_KILLS + 1):
        before, _entries = stored_state(canteen_file)
        pid = start(dict(command, file=str(supplier_sheet(tmp_path / f"sheet-{attempt}.csv", attempt))))
        _heard, status = kill_and_collect(lines, pid, 0, rng.uniform(0.0, whole * 1.2))  # sign-in to past the commit
        after, _entries = stored_state(canteen_file)
        assert after - before in (0, IMPORT_ROWS), f"attempt {attempt}: {after - before} of {IMPORT_ROWS} rows kept"
        killed = os.WIFSIGNALED(status)
        outcomes["finished" if not killed else "all" if after > before else "none"] += 1
    figures = (f"kill -9 of an import of {IMPORT_ROWS} rows: {IMPORT_KILLS} attempts, {outcomes['finished']} finished "
               f"first; of the killed {outcomes['all']} left all rows, {outcomes['none']} none, 0 part")
    record_property("fault figures", figures)
    assert "0 problem(s)" in verify_is_clean(canteen_file, capsys)
