"""Isolation enforced by PostgreSQL itself (issue 11, item 3): canteen A connects with its own
database login, made by `site login`, and even plain SQL reaches none of canteen B's rows; the
program works as that login (sign in, record, sign, verify, export); the owner still sees all."""

from __future__ import annotations

import contextlib
import uuid
from urllib.parse import urlparse

import pytest

try:
    import psycopg2
except ImportError:  # no `postgres` extra: the tests that use it are postgres_only and skip with their reason
    psycopg2 = None
from conditions import POSTGRES_SERVER
from district_support import district, light_sample, session  # noqa: F401
from records_support import MARCH_MORNING

from canteen import cli, db, migrations
from canteen.errors import AuthError, PermissionDenied, StorageError, ValidationError
from canteen.integrity.verify import verify_database
from canteen.services import signing, site_logins, users
from tests.conftest import PASSWORD

LOGIN_PASSWORD = "Kitchen-A-2026"
DAY = MARCH_MORNING.date()


def url_as(login: str) -> str:
    """The open test database's URL, connecting as `login`."""
    server = urlparse(POSTGRES_SERVER)
    netloc = f"{login}:{LOGIN_PASSWORD}@{server.hostname}:{server.port or 5432}"
    return server._replace(netloc=netloc, path=f"/{db.current().database}").geturl()


def drop_login(database: str, login: str) -> None:
    """Logins belong to the whole server: each test's go with what they were granted."""
    con = psycopg2.connect(urlparse(POSTGRES_SERVER)._replace(path=f"/{database}").geturl())
    con.autocommit = True
    try:
        cur = con.cursor()
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,))
        if cur.fetchone():
            cur.execute(f'DROP OWNED BY "{login}"')
            cur.execute(f'DROP ROLE "{login}"')
    finally:
        con.close()


@pytest.fixture
def logins(district, request):
    """Canteen A's own login (made through the service, as `site login` does); the owner's samples
    of both canteens are there first: A's 红烧肉 and B's 清蒸鱼."""
    tag = uuid.uuid4().hex[:8]
    made = {"a": f"canteen_a_{tag}", "b": f"canteen_b_{tag}"}
    database = db.current().database
    request.addfinalizer(lambda: [drop_login(database, name) for name in made.values()])
    light_sample(session("manager_a"), "红烧肉")
    light_sample(session("manager_b"), "清蒸鱼")
    site_logins.grant_site_login(users.session_for("bureau"), "一中食堂", made["a"], lambda: LOGIN_PASSWORD)
    return made


@contextlib.contextmanager
def raw_sql_as(login: str):
    """A plain psycopg2 cursor as that login, in autocommit: each statement stands alone."""
    con = psycopg2.connect(url_as(login))
    con.autocommit = True
    try:
        yield con.cursor()
    finally:
        con.close()


@contextlib.contextmanager
def program_as(login: str):
    """The program's own database connection opened as that login, the owner's put back after."""
    owner = db.current()
    handle = db.open_database(url_as(login))
    try:
        yield handle
    finally:
        handle.close()
        db.database.initialize(owner)


def rows(cur, sql: str, *params) -> list:
    cur.execute(sql, params)
    return cur.fetchall()


@pytest.mark.postgres_only
def test_as_canteen_a_login_a_raw_select_of_b_returns_nothing(district, logins):
    a, b = district.a.id, district.b.id
    with raw_sql_as(logins["a"]) as cur:
        assert rows(cur, 'SELECT dish FROM retained_sample WHERE site_id = %s', b) == []
        assert rows(cur, 'SELECT dish FROM retained_sample') == [("红烧肉",)]
        assert rows(cur, 'SELECT count(*) FROM audit_entry WHERE chain_id = %s OR site_id = %s', b, b) == [(0,)]
        assert rows(cur, 'SELECT count(*) FROM audit_entry WHERE chain_id = %s', a)[0][0] > 0
        assert rows(cur, 'SELECT DISTINCT site_id FROM "user" ORDER BY 1') == [(a,), (None,)]
        assert rows(cur, 'SELECT id FROM site') == [(a,)]
        assert rows(cur, 'SELECT count(*) FROM signature WHERE site_id = %s', b) == [(0,)]


@pytest.mark.postgres_only
def test_as_canteen_a_login_an_insert_with_b_s_site_is_refused(district, logins):
    b = district.b.id
    with raw_sql_as(logins["a"]) as cur:
        for sql in ("INSERT INTO setting (site_id, key, value) VALUES (%s, 'fever_c', '39')",
                    "INSERT INTO audit_entry (seq, chain_id, chain_seq, at, site_id, action, prev_hash, hash) "
                    "VALUES (999999, %s, 999, now(), %s, 'login', 'x', 'forged')"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="row-level security"):
                cur.execute(sql, (b,) * sql.count("%s"))
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
            cur.execute("INSERT INTO meta (key, value) VALUES ('district', 'mine')")


@pytest.mark.postgres_only
def test_as_canteen_a_login_an_update_of_b_touches_nothing_and_a_delete_is_refused(district, logins):
    b = district.b.id
    with raw_sql_as(logins["a"]) as cur:
        cur.execute("UPDATE retained_sample SET dish = 'A 改的' WHERE site_id = %s", (b,))
        assert cur.rowcount == 0
        cur.execute("UPDATE \"user\" SET active = false WHERE site_id = %s OR site_id IS NULL", (b,))
        assert cur.rowcount == 0
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("DELETE FROM retained_sample")
    with raw_sql_as(logins["a"]) as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cur.execute("UPDATE retained_sample SET site_id = %s", (b,))
    owner = db.current()
    assert owner.execute_sql("SELECT dish FROM retained_sample ORDER BY site_id").fetchall() == [("红烧肉",), ("清蒸鱼",)]


@pytest.mark.postgres_only
def test_the_owner_sees_every_canteen_and_a_login_in_no_map_sees_nothing(district, logins):
    owner = db.current()
    assert owner.execute_sql("SELECT count(DISTINCT site_id) FROM retained_sample").fetchone()[0] == 2
    assert owner.execute_sql("SELECT count(DISTINCT chain_id) FROM audit_entry").fetchone()[0] >= 2
    stranger = logins["b"]  # a login of the server, granted as a canteen login would be, but in no map
    owner.execute_sql(f'CREATE ROLE "{stranger}" LOGIN PASSWORD \'{LOGIN_PASSWORD}\'')
    owner.execute_sql(f'GRANT SELECT ON retained_sample, audit_entry, site_login TO "{stranger}"')
    with raw_sql_as(stranger) as cur:
        assert rows(cur, "SELECT count(*) FROM retained_sample") == [(0,)]
        assert rows(cur, "SELECT count(*) FROM audit_entry") == [(0,)]


@pytest.mark.postgres_only
def test_the_program_works_as_canteen_a_s_login(district, logins, tmp_path):
    from reports.archive import export_archive
    a = district.a
    with program_as(logins["a"]):
        manager_a = users.login("manager_a", PASSWORD)
        assert manager_a.site.id == a.id
        fish = light_sample(session("manager_a"), "鱼香肉丝")
        signing.sign_record(session("doctor_a"), "samples", fish.id, "reviewed", PASSWORD)
        report = verify_database(site_id=a.id)
        assert report.problems == [] and report.signatures_checked == 1
        archive = export_archive(session("auditor_a"), DAY, DAY, tmp_path / "a.pdf")
        assert archive.path.exists()
        with pytest.raises(AuthError, match="Wrong user name or password"):
            users.login("manager_b", PASSWORD)  # B's users are not there at all
        with pytest.raises(AuthError, match="district users connect with the district's login"):
            users.login("inspector", PASSWORD)
    owner = db.current()
    refusals = owner.execute_sql("SELECT chain_id, reason FROM audit_entry WHERE action = 'login-failed' "
                                 "ORDER BY seq").fetchall()
    assert [chain for chain, _ in refusals] == [a.id, a.id] and "'manager_b'" in refusals[0][1]
    assert verify_database().problems == []


@pytest.mark.postgres_only
def test_on_a_s_login_the_program_finds_no_canteen_b_and_a_forged_session_cannot_write_there(district, logins):
    with program_as(logins["a"]):
        with pytest.raises(ValidationError, match="there is no canteen '二中食堂'"):
            session("inspector", district.b)
        forged = session("manager_a")
        forged.site = district.b  # as if the core's own check had been got round
        with pytest.raises(StorageError, match="reaches only its canteen's rows"):
            light_sample(forged, "B 的菜")
    assert db.current().execute_sql("SELECT count(*) FROM retained_sample WHERE dish = 'B 的菜'").fetchone()[0] == 0


@pytest.mark.postgres_only
def test_site_login_on_the_command_line_creates_maps_and_then_only_grants(district, logins, monkeypatch, capsys):
    monkeypatch.setenv("CANTEEN_PASSWORD", PASSWORD)
    monkeypatch.setenv("CANTEEN_LOGIN_PASSWORD", LOGIN_PASSWORD)
    owner_url = urlparse(POSTGRES_SERVER)._replace(path=f"/{db.current().database}").geturl()
    args = ["--db", owner_url, "--user", "bureau", "site", "login", "二中食堂", "--login", logins["b"]]
    assert cli.main(args) == 0
    assert f"Created the PostgreSQL login {logins['b']}" in capsys.readouterr().out
    assert cli.main(args) == 0  # again: the login exists, its grants are refreshed
    assert f"The PostgreSQL login {logins['b']}; it reaches only the rows of 二中食堂" in capsys.readouterr().out
    with raw_sql_as(logins["b"]) as cur:
        assert rows(cur, "SELECT dish FROM retained_sample") == [("清蒸鱼",)]
    assert cli.main(["--db", owner_url, "--user", "bureau", "site", "login", "二中食堂", "--login", logins["a"]]) == 2
    assert "already serves another canteen" in capsys.readouterr().err


@pytest.mark.postgres_only
def test_a_login_that_would_bypass_the_policies_or_a_school_admin_is_refused(district, logins):
    bureau = users.session_for("bureau")
    with pytest.raises(StorageError, match="would see every canteen"):
        site_logins.grant_site_login(bureau, "二中食堂", urlparse(POSTGRES_SERVER).username, lambda: "")
    with pytest.raises(PermissionDenied):
        site_logins.grant_site_login(session("admin_b"), "二中食堂", logins["b"], lambda: LOGIN_PASSWORD)
    with pytest.raises(ValidationError, match="lower-case letters"):
        site_logins.grant_site_login(bureau, "二中食堂", 'x"; DROP TABLE site; --', lambda: LOGIN_PASSWORD)


@pytest.mark.postgres_only
def test_a_schema_step_s_table_gets_its_policies_again(district, logins):
    owner = db.current()
    owner.execute_sql("ALTER TABLE retained_sample DISABLE ROW LEVEL SECURITY")
    owner.execute_sql("UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(migrations.LATEST - 1),))
    db.bring_up_to_date(owner)  # the last step runs again, as after an upgrade
    with raw_sql_as(logins["a"]) as cur:
        assert rows(cur, "SELECT dish FROM retained_sample") == [("红烧肉",)]


def test_on_sqlite_there_are_no_logins_the_file_is_its_own_guard(district):
    with pytest.raises(StorageError, match="only on PostgreSQL"):
        site_logins.grant_site_login(users.session_for("bureau"), "一中食堂", "canteen_a", lambda: "x")
    assert site_logins.connection_site() is None


@pytest.mark.postgres_only
def test_a_canteen_login_does_not_upgrade_the_schema_it_says_who_does(district, logins):
    db.current().execute_sql("UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(migrations.LATEST - 1),))
    with pytest.raises(StorageError, match="only the district's login changes the schema"):
        db.open_database(url_as(logins["a"]))
