"""Shared fixtures: every test gets its own temporary database, a canteen and a user per role."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # tests never need a screen
os.environ.setdefault("LANG", "en_US.UTF-8")

import datetime as dt  # noqa: E402
import uuid  # noqa: E402
from urllib.parse import urlparse  # noqa: E402

import pytest  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from conditions import POSTGRES_SERVER, needs_postgres, postgres_unavailable, server_admin  # noqa: E402,F401

from canteen import db  # noqa: E402
from canteen.integrity import signatures  # noqa: E402
from canteen.services import users  # noqa: E402

ROLE_USERS = {
    "manager": ("王芳", "食堂管理员"),
    "doctor": ("李医生", "校医"),
    "director": ("张主任", "总务主任"),
    "leader": ("陈校长", "副校长"),
    "auditor": ("赵审核", "审核员"),
}
PASSWORD = "demo"


def pytest_report_header(config):
    """Say which day the suite runs on: CI runs it again with CANTEEN_CLOCK set to awkward days."""
    from canteen.timeutil import CLOCK_VARIABLE, to_local, utcnow
    setting = os.environ.get(CLOCK_VARIABLE)
    now = to_local(utcnow()).strftime("%Y-%m-%d %H:%M %a")
    return f"canteen clock: {now} Asia/Shanghai" + (f" ({CLOCK_VARIABLE}={setting})" if setting else " (real time)")


def pytest_terminal_summary(terminalreporter):
    """The fault suite's figures (kills, records confirmed, lost), also when its output is captured
    or it ran in an xdist worker: its tests record them as the property "fault figures"."""
    figures = [value for outcome in ("passed", "failed", "xfailed", "xpassed")
               for report in terminalreporter.stats.get(outcome, []) if report.when == "call"
               for name, value in getattr(report, "user_properties", ()) if name == "fault figures"]
    if figures:
        terminalreporter.write_sep("-", "fault suite figures")
        for line in figures:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Argon2id at its cheapest: the algorithm under test is the same, the suite stays fast."""
    monkeypatch.setattr(signatures, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "canteen.db"


# Opt-in: with a PostgreSQL server URL in CANTEEN_TEST_POSTGRES (e.g. postgresql://postgres@127.0.0.1:5432/postgres),
# tests marked `both_databases` run once on SQLite and once on a fresh database of that server;
# tests marked `postgres_only` run on that server alone. Either is skipped, with the reason, where
# the server or its driver is missing (conditions.needs_postgres).
ON_POSTGRES = pytest.param("postgres", marks=needs_postgres)


def pytest_generate_tests(metafunc):
    if "database" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("postgres_only"):
        metafunc.parametrize("database", [ON_POSTGRES], indirect=True)
    elif _on_both_databases(metafunc) and POSTGRES_SERVER:
        metafunc.parametrize("database", ["sqlite", ON_POSTGRES], indirect=True)


def _on_both_databases(metafunc) -> bool:
    """Marked where it is written, or named in test_postgres.EXISTING_TESTS (which marks a
    representative set of the other files' tests without touching those files)."""
    if metafunc.definition.get_closest_marker("both_databases"):
        return True
    from test_postgres import EXISTING_TESTS
    if f"{metafunc.module.__name__}::{metafunc.function.__name__}" in EXISTING_TESTS:
        pytest.mark.both_databases(metafunc.function)  # so that -m both_databases selects it too
        return True
    return False


def fresh_postgres_url() -> str:
    """CREATE a database with a unique name on the test server; returns its URL."""
    name = f"canteen_test_{uuid.uuid4().hex[:16]}"
    con = server_admin()
    try:
        con.cursor().execute(f'CREATE DATABASE "{name}"')
    finally:
        con.close()
    return urlparse(POSTGRES_SERVER)._replace(path=f"/{name}").geturl()


def drop_postgres_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    con = server_admin()
    try:
        con.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        con.close()


@pytest.fixture
def server_database():
    """The URL of a fresh database on the test server, dropped afterwards (a test that asks for it
    is marked needs_postgres)."""
    url = fresh_postgres_url()
    yield url
    db.close()
    drop_postgres_database(url)


@pytest.fixture
def database(request, db_path):
    if getattr(request, "param", "sqlite") == "postgres":
        url = fresh_postgres_url()
        request.addfinalizer(lambda: drop_postgres_database(url))
    else:
        url = str(db_path)
    handle = db.open_database(url, create=True)
    yield handle
    handle.close()


@pytest.fixture
def site(database):
    site, _admin = users.create_site("城关中学食堂", "admin", PASSWORD, school="城关中学")
    for role, (name, post) in ROLE_USERS.items():
        users.add_user(site, role, name, role, PASSWORD, post=post)
    return site


@pytest.fixture
def sessions(site):
    """A signed-in session per role: sessions['manager'], sessions['doctor'], ..."""
    return {role: users.session_for(role) for role in ["admin", *ROLE_USERS]}


@pytest.fixture
def manager(sessions):
    return sessions["manager"]


def local_now() -> dt.datetime:
    """Now as wall-clock time in the site's zone (Asia/Shanghai), what a user would type."""
    from canteen.timeutil import to_local, utcnow
    return to_local(utcnow()).replace(microsecond=0)
