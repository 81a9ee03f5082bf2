"""What the export fault tests share: a small demo canteen built once, the `canteen` command run as
a user would run it, the three desk documents run the same way, and a small tmpfs to fill up."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
PASSWORD = "demo"  # every demo user's

# The desk's three documents have no command of their own: this runs each the way the desk does,
# through its entry point in `reports` and so through the core's export pipeline, in a new process.
DESK_DOCUMENT = """
import datetime as dt, sys
from canteen import db
from canteen.services import users
db.open_database(sys.argv[1])
session = users.login("auditor", "demo")
what, day, out = sys.argv[2], dt.date.fromisoformat(sys.argv[3]), sys.argv[4]
if what == "daily-sheet":
    from reports.daily_sheet import export_daily_sheet
    export_daily_sheet(session, day, out)
elif what == "sample-labels":
    from reports.labels import export_sample_labels
    export_sample_labels(session, day, out)
else:
    from reports.disclosure import export_disclosure
    export_disclosure(session, day.year, day.month, out)
"""


@dataclass(frozen=True)
class DemoCanteen:
    """A demo database (users with the password "demo") and the first and last of its school days."""

    path: Path
    first: str
    last: str

    def copy_to(self, folder: Path) -> Path:
        target = folder / "canteen.db"
        shutil.copyfile(self.path, target)
        return target


def child_environment(**extra: str) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPOSITORY), os.environ.get("PYTHONPATH")])),
               CANTEEN_PASSWORD=PASSWORD, QT_QPA_PLATFORM="offscreen", LANG="en_US.UTF-8")
    env.pop("CANTEEN_DB", None)
    env.update(extra)
    return env


def build_demo(folder: Path) -> DemoCanteen:
    path = folder / "demo.db"
    done = subprocess.run([sys.executable, "-m", "canteen", "--db", str(path), "demo", "--days", "2"],
                          capture_output=True, text=True, env=child_environment(), timeout=300)
    assert done.returncode == 0, done.stderr
    first, last = re.search(r"(\d{4}-\d\d-\d\d) – (\d{4}-\d\d-\d\d)", done.stdout).groups()
    return DemoCanteen(path, first, last)


_built: list[DemoCanteen] = []  # one demo per test process, whichever fault module asks first


@pytest.fixture(scope="session")
def demo_canteen(tmp_path_factory) -> DemoCanteen:
    if not _built:
        _built.append(build_demo(tmp_path_factory.mktemp("demo")))
    return _built[0]


def export_command(document: str, database: Path, demo: DemoCanteen, out: Path) -> list[str]:
    """The command that makes `document` (a file suffix picks the spreadsheet's format)."""
    canteen = [sys.executable, "-m", "canteen", "--db", str(database)]
    if document == "archive":
        return canteen + ["--user", "auditor", "export-archive", "--from", demo.first, "--to", demo.last, "-o", str(out)]
    if document in ("csv", "xlsx"):
        return canteen + ["--user", "auditor", "export", "deliveries", "--from", demo.first, "--to", demo.last,
                          "-o", str(out)]
    if document == "template":
        return canteen + ["export-template", "deliveries", "-o", str(out)]
    return [sys.executable, "-c", DESK_DOCUMENT, str(database), document, demo.last, str(out)]


def file_name(document: str) -> str:
    return {"csv": "deliveries.csv", "xlsx": "deliveries.xlsx", "template": "template.xlsx"}.get(document,
                                                                                                f"{document}.pdf")


def run(command: list[str], drop_root: bool = False, **extra: str) -> subprocess.CompletedProcess:
    """Run as the user would; `drop_root` takes away root's power to write where permissions forbid it."""
    if drop_root and os.geteuid() == 0:  # a test that drops it is marked conditions.needs_file_modes
        caps = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}"] + command
    return subprocess.run(command, capture_output=True, text=True, env=child_environment(**extra), timeout=300)


def fill(folder: Path) -> None:
    """Write into `folder` until its file system says it is full."""
    handle = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        with contextlib.suppress(OSError):
            while os.write(handle, b"\0" * 4096):
                pass
    finally:
        os.close(handle)


def export_entries(database: Path) -> tuple[list[dict], int]:
    """The "export" entries of a database file's audit trail, and how many problems `verify` finds."""
    from canteen import db
    from canteen.integrity.verify import verify_database
    from canteen.models import AuditEntry
    db.open_database(str(database))
    try:
        entries = [json.loads(e.after) for e in AuditEntry.select().where(AuditEntry.action == "export")]
        return entries, len(verify_database().problems)
    finally:
        db.close()


@pytest.fixture
def auditor_here(demo_canteen, tmp_path):
    """A copy of the demo canteen (a term's worth of real records) opened in this process, and its
    auditor's session: the desk's documents rendered from it fail the way the user's would."""
    from canteen import db
    from canteen.services.users import session_for
    db.open_database(str(demo_canteen.copy_to(tmp_path)))
    yield session_for("auditor")
    db.close()
