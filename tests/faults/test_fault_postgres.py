"""PostgreSQL under a writer that stays open (a desk left open all day): its connections
terminated at random moments, and the server stopped and started while it writes.

What the user must see: a write the drop interrupted is refused in one line ("the connection to
the server was lost; nothing was saved — try again"), never an "unexpected error"; the same
process then writes again without a restart; every confirmed record is stored; `verify` is clean.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conditions import needs_postgres
from conftest import PASSWORD

from canteen import db
from canteen.cli import main
from canteen.models import REGISTRY
from canteen.services import users

from .fault_processes import Lines

pytestmark = pytest.mark.faults

PROCESSES = Path(__file__).with_name("fault_processes.py")
ROOT = Path(__file__).resolve().parents[2]
TERMINATIONS = 30
LOST = "connection to the server was lost"


class Writer:
    """`fault_processes.py write URL`: enters records for ever, reporting each one and each refusal."""

    def __init__(self, url: str):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        self.process = subprocess.Popen([sys.executable, str(PROCESSES), "write", url], stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
        self.lines = Lines(self.process.stdout)
        self.confirmed: list[int] = []
        self.refused: list[str] = []
        self.errors: list[str] = []

    def read(self, count: int) -> list[str]:
        """The writer's next `count` lines, sorted into confirmed ids, refusals and errors."""
        lines = [self.lines.next() for _ in range(count)]
        for line in lines:
            verb, _, rest = line.partition(" ")
            {"confirmed": lambda: self.confirmed.append(int(rest)), "refused": lambda: self.refused.append(rest),
             }.get(verb, lambda: self.errors.append(line))()
        return lines

    def read_until_confirmed(self, count: int, limit: int = 5000) -> int:
        """Read until `count` more records are confirmed (at most `limit` lines); how many were."""
        before = len(self.confirmed)
        for _ in range(limit):
            if len(self.confirmed) - before >= count:
                break
            self.read(1)
        return len(self.confirmed) - before

    def stop(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def a_canteen_on(url: str) -> None:
    db.open_database(url, create=True)
    site, _admin = users.create_site("城关中学食堂", "admin", PASSWORD, school="城关中学")
    users.add_user(site, "manager", "王芳", "manager", PASSWORD)
    db.close()


def stored_and_verified(url: str, confirmed: list[int], capsys) -> list[int]:
    """The confirmed ids missing from the database (none, we hope); `verify` must be clean."""
    db.open_database(url)
    stored = {row.id for row in REGISTRY["suppliers"].select(REGISTRY["suppliers"].id)}
    db.close()
    capsys.readouterr()
    assert main(["--db", url, "verify"]) == 0, capsys.readouterr().out
    return sorted(set(confirmed) - stored)


def assert_the_user_saw_one_line_refusals(writer: Writer) -> None:
    assert not writer.errors, writer.errors[:3]  # no "unexpected error", no raw driver error
    understood = (LOST, "Cannot reach the PostgreSQL server", "is starting or stopping; nothing was saved")
    assert all(any(words in text for words in understood) for text in writer.refused), \
        sorted(set(writer.refused))[:3]
    assert all("\n" not in text for text in writer.refused)


def terminate_backends(admin, database: str) -> int:
    """pg_terminate_backend on every connection to `database` but our own: how many were ended."""
    with admin.cursor() as cursor:
        cursor.execute("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = %s AND pid <> pg_backend_pid()", (database,))
        return cursor.fetchone()[0]


@needs_postgres
def test_connections_terminated_under_a_writer_then_it_writes_again(server_database, capsys, record_property):
    import psycopg2
    from conftest import POSTGRES_SERVER
    a_canteen_on(server_database)
    name = server_database.rsplit("/", 1)[1]
    admin = psycopg2.connect(POSTGRES_SERVER)
    admin.autocommit = True
    writer = Writer(server_database)
    rng = random.Random(20260819)
    terminated = 0
    try:
        writer.read_until_confirmed(1)
        for _ in range(TERMINATIONS * 10):
            if terminated >= TERMINATIONS:
                break
            writer.read(rng.randint(1, 3))  # at a random moment: between, or inside, the writer's writes
            terminated += terminate_backends(admin, name)
        again = writer.read_until_confirmed(3)
    finally:
        writer.stop()
        admin.close()
    figures = (f"pg_terminate_backend under a writer: {terminated} terminations, {len(writer.confirmed)} records "
               f"confirmed, {len(writer.refused)} writes refused as lost, {len(writer.errors)} unexpected errors")
    record_property("fault figures", figures)
    assert terminated >= TERMINATIONS, figures
    assert_the_user_saw_one_line_refusals(writer)
    assert again == 3, f"the same process did not write again after the last termination ({figures})"
    lost = stored_and_verified(server_database, writer.confirmed, capsys)
    assert not lost, f"{len(lost)} confirmed records lost ({figures})"


# ---------------------------------------------------------------- a server stopped and started

def own_cluster_unavailable() -> str:
    if importlib.util.find_spec("psycopg2") is None:
        return "no PostgreSQL driver: pip install -e '.[postgres]'"
    if os.geteuid() != 0:
        return "stopping a server needs a throwaway cluster of our own, made as the postgres user: run as root"
    if shutil.which("su") is None or subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
        return "no postgres user to run a throwaway cluster as"
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        return "no initdb (apt-get install postgresql) to make a throwaway cluster"
    return ""


class Cluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1, run as the postgres user (as .ci/run makes one)."""

    def __init__(self):
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: [int(x) for x in p.parent.name.split(".")
                                                                                     if x.isdigit()])[-1]
        self.data = Path(tempfile.mkdtemp(prefix="canteen-fault-pg."))
        shutil.chown(self.data, "postgres")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.as_postgres(f"'{self.bin}/initdb' -D '{self.data}' -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync")

    def as_postgres(self, command: str) -> None:
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", command], check=True, capture_output=True)

    def start(self) -> None:
        self.as_postgres(f"'{self.bin}/pg_ctl' -D '{self.data}' -l '{self.data}/server.log' -w "
                         f"-o \"-h 127.0.0.1 -p {self.port} -k '{self.data}' -F\" start")

    def stop(self, mode: str = "fast") -> None:
        self.as_postgres(f"'{self.bin}/pg_ctl' -D '{self.data}' -m {mode} -w stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.data, ignore_errors=True)


@pytest.fixture
def cluster():
    made = Cluster()
    try:
        made.start()
        yield made
    finally:
        db.close()
        made.remove()


@pytest.mark.skipif(bool(own_cluster_unavailable()), reason=own_cluster_unavailable() or "-")
def test_the_server_stopped_and_started_during_writes_then_the_same_process_writes_again(cluster, capsys,
                                                                                          record_property):
    import psycopg2
    admin = psycopg2.connect(cluster.url)
    admin.autocommit = True
    admin.cursor().execute('CREATE DATABASE "canteen"')
    admin.close()
    url = cluster.url.rsplit("/", 1)[0] + "/canteen"
    a_canteen_on(url)
    writer = Writer(url)
    try:
        writer.read_until_confirmed(3)
        cluster.stop()  # "fast": the server ends every session, the writer's write in flight included
        confirmed_before_restart = len(writer.confirmed)
        refused_before = len(writer.refused)
        while len(writer.refused) == refused_before and len(writer.errors) < 20:
            writer.read(1)  # until the writer has been told the server is gone
        down = len(writer.refused) - refused_before
        cluster.start()
        again = writer.read_until_confirmed(3)
    finally:
        writer.stop()
    figures = (f"server stopped and started under a writer: {confirmed_before_restart} records confirmed before, "
               f"{down} writes refused while down, {again} confirmed after the restart, "
               f"{len(writer.errors)} unexpected errors")
    record_property("fault figures", figures)
    assert_the_user_saw_one_line_refusals(writer)
    assert again == 3, f"the same process did not write again after the restart ({figures})"
    lost = stored_and_verified(url, writer.confirmed, capsys)
    assert not lost, f"{len(lost)} confirmed records lost ({figures})"
