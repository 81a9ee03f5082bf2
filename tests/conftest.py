"""Shared fixtures: every test gets its own temporary database, a canteen and a user per role."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # tests never need a screen
os.environ.setdefault("LANG", "en_US.UTF-8")

import datetime as dt  # noqa: E402

import pytest  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402

from canteen import db  # noqa: E402
from canteen.services import users  # noqa: E402

ROLE_USERS = {
    "manager": ("王芳", "食堂管理员"),
    "doctor": ("李医生", "校医"),
    "director": ("张主任", "总务主任"),
    "leader": ("陈校长", "副校长"),
    "auditor": ("赵审核", "审核员"),
}
PASSWORD = "demo"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Argon2id at its cheapest: the algorithm under test is the same, the suite stays fast."""
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "canteen.db"


@pytest.fixture
def database(db_path):
    handle = db.open_database(str(db_path), create=True)
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
