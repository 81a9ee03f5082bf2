"""Isolation enforced by PostgreSQL itself (issue 11, item 3): canteen A connects with its own
database login, made by `site login`, and even plain SQL reaches none of canteen B's rows; the
program works as that login (sign in, record, sign, verify, export); the owner still sees all."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from urllib.parse import urlparse

import pytest

try:
    import psycopg2
except ImportError:  # no `postgres` extra: the tests that use it are postgres_only and skip with their reason
    psycopg2 = None
from conditions import POSTGRES_SERVER
from district_support import district, light_sample, session  # noqa: F401
from records_support import DELIVERY_HEADS, MARCH_MORNING, delivery_rows, licensed_supplier, sheet_text

from canteen import cli, db, migrations, sheet_import
from canteen.errors import AuthError, PermissionDenied, StorageError, ValidationError
from canteen.integrity.verify import verify_database
from canteen.services import records, signing, site_logins, users
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


SECRET_READS = (  # every way to a password hash or a sealed key through the tables themselves
    'SELECT password_hash FROM "user"',
    'SELECT * FROM "user"',
    'SELECT "user" FROM "user"',  # the whole row as one value
    'SELECT row_to_json(u) FROM "user" u WHERE site_id IS NULL',
    "SELECT id FROM \"user\" WHERE password_hash LIKE '$argon2%%'",
    'SELECT r.dish, u.password_hash FROM retained_sample r JOIN "user" u ON u.id = r.entered_by',
    'SELECT k.private_key_enc FROM user_key k JOIN "user" u ON u.id = k.user_id WHERE u.site_id IS NULL',
    'SELECT * FROM user_key',
    'UPDATE "user" SET active = active WHERE site_id = %s RETURNING password_hash',
)


def secrets_of_others(a_id: int) -> tuple[set, set]:
    """As the owner: every password hash and sealed key that is not canteen A's users'."""
    owner = db.current()
    hashes = {h for (h,) in owner.execute_sql('SELECT password_hash FROM "user" WHERE site_id IS DISTINCT FROM %s',
                                              (a_id,)).fetchall()}
    keys = {bytes(k) for (k,) in owner.execute_sql(
        'SELECT k.private_key_enc FROM user_key k JOIN "user" u ON u.id = k.user_id '
        'WHERE u.site_id IS DISTINCT FROM %s', (a_id,)).fetchall()}
    return hashes, keys


@pytest.mark.postgres_only
def test_as_canteen_a_login_no_secret_but_its_own_users_is_readable(district, logins):
    """The district's users are there by name and public key (what the district writes into the
    canteen names them), but no password hash or sealed key of theirs, nor of canteen B's."""
    a = district.a.id
    with raw_sql_as(logins["a"]) as cur:
        for sql in SECRET_READS:
            with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
                cur.execute(sql, (a,) * sql.count("%s"))
        assert rows(cur, 'SELECT username, display_name FROM "user" WHERE site_id IS NULL ORDER BY 1') == [
            ("bureau", "District administrator"), ("inspector", "区县检查员")]
        assert len(rows(cur, 'SELECT public_key FROM user_key k JOIN "user" u ON u.id = k.user_id '
                             "WHERE u.username = 'inspector'")) == 1
        own_hashes = rows(cur, 'SELECT u.username, s.password_hash FROM canteen_user_secret s JOIN "user" u USING (id) '
                               "ORDER BY 1")
        own_keys = rows(cur, "SELECT s.private_key_enc FROM canteen_key_secret s")
        inspector = rows(cur, "SELECT id FROM \"user\" WHERE username = 'inspector'")[0][0]
        assert rows(cur, "SELECT count(*) FROM canteen_user_secret WHERE id = %s", inspector) == [(0,)]
    assert [name for name, _ in own_hashes] == ["admin_a", "auditor_a", "doctor_a", "manager_a"]
    assert all(h.startswith("$argon2id$") for _, h in own_hashes) and len(own_keys) == 4
    other_hashes, other_keys = secrets_of_others(a)
    assert len(other_hashes) == 6 and not other_hashes & {h for _, h in own_hashes}
    assert len(other_keys) == 6 and not other_keys & {bytes(k) for (k,) in own_keys}


@pytest.mark.postgres_only
def test_a_login_granted_before_the_secrets_were_hidden_loses_them_when_site_login_runs_again(district, logins):
    owner = db.current()
    owner.execute_sql(f'GRANT SELECT ON "user", user_key TO "{logins["a"]}"')  # as `site login` used to grant
    with raw_sql_as(logins["a"]) as cur:
        assert len(rows(cur, 'SELECT password_hash FROM "user"')) == 6  # A's four users and the district's two
    site_logins.grant_site_login(users.session_for("bureau"), "一中食堂", logins["a"], lambda: LOGIN_PASSWORD)
    with raw_sql_as(logins["a"]) as cur:
        for sql in ('SELECT password_hash FROM "user"', "SELECT private_key_enc FROM user_key"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(sql)


@pytest.mark.postgres_only
def test_the_owner_reads_no_canteen_s_secrets_through_the_canteen_views(district, logins):
    """The views hold the secrets of the login's own canteen: a login of no canteen (the owner,
    the district's) gets none from them, and reads the tables as before."""
    owner = db.current()
    assert owner.execute_sql("SELECT count(*) FROM canteen_user_secret").fetchone()[0] == 0
    assert owner.execute_sql("SELECT count(*) FROM canteen_key_secret").fetchone()[0] == 0
    assert owner.execute_sql('SELECT count(password_hash) FROM "user"').fetchone()[0] == 10


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
def test_on_a_s_login_the_district_s_notice_names_its_writer_and_a_s_users_still_sign(district, logins):
    """What the district wrote into canteen A shows its writer's name on A's login; A's doctor
    answers it with a password and a signature, which verify; the district's secrets stay unread."""
    from canteen.models import User, UserKey
    from canteen.read import cases as read_cases
    from canteen.read import records as read_records
    from canteen.services import cases
    notice = records.create(session("inspector", district.a), "inspection-notices", {
        "day": DAY, "problem": "留样冰箱无温度计", "requirement": "配备温度计", "deadline": "2026-03-06",
        "inspector": "区县检查员"})
    inspector = User.get(User.username == "inspector")
    with program_as(logins["a"]):
        [created] = read_records.history(session("manager_a"), "inspection-notices", notice.id)
        assert created.person == "区县检查员 (inspector)"
        manager = session("manager_a")
        [case] = [c for c in read_cases.cases(manager, DAY, DAY) if c.rule == "DIST-NOTICE"]
        action = cases.record_action(manager, case.id, "equipment", "manager a", "已配备温度计")
        cases.verify_action(session("doctor_a"), action.id, PASSWORD)
        report = verify_database(site_id=district.a.id)
        assert report.problems == [] and report.signatures_checked >= 1
        assert User.read_secret(inspector.id) is None and User.read_secret(users.session_for("doctor_a").user.id)
        assert UserKey.read_secret(UserKey.get(UserKey.user == inspector.id).id) is None
    assert User.read_secret(inspector.id).startswith("$argon2id$")  # the owner reads it, as sign-in needs


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


# ---- importing as a canteen's own login ------------------------------------------------------

def delivery_sheet(path, *batches: str):
    path.write_text(sheet_text([DELIVERY_HEADS] + delivery_rows(*batches)), encoding="utf-8")
    return path


def command_line_as(login: str, *argv: str) -> int:
    """The command line run as that database login, the owner's connection put back after."""
    owner = db.current()
    try:
        return cli.main(["--db", url_as(login), *argv])
    finally:
        db.close()
        db.database.initialize(owner)


def deliveries_by_site(owner) -> dict[int, list[tuple[int, str]]]:
    found: dict[int, list[tuple[int, str]]] = {}
    for site_id, row_id, batch in owner.execute_sql('SELECT site_id, id, batch_no FROM delivery ORDER BY id').fetchall():
        found.setdefault(site_id, []).append((row_id, batch))
    return found


@pytest.fixture
def both_logins(district, logins):
    """Canteen B's login too, and each canteen its licensed 城关超市 (the sheets' supplier)."""
    site_logins.grant_site_login(users.session_for("bureau"), "二中食堂", logins["b"], lambda: LOGIN_PASSWORD)
    return {**logins, "suppliers": [licensed_supplier(users.session_for(m)) for m in ("manager_a", "manager_b")]}


@pytest.mark.postgres_only
def test_a_csv_import_on_canteen_a_s_login_writes_a_s_rows_after_b_s(district, both_logins, tmp_path, monkeypatch,
                                                                      capsys):
    """B's rows came first, so they hold the highest ids; A's login sees none of them, and may not
    move a sequence: the import draws its ids from the sequence, and they are A's rows."""
    owner, supplier_a = db.current(), both_logins["suppliers"][0]
    monkeypatch.setenv("CANTEEN_PASSWORD", PASSWORD)
    assert sheet_import.import_file(users.session_for("manager_b"), "deliveries",
                                    delivery_sheet(tmp_path / "b.csv", "B1", "B2")).rows == 2
    code = command_line_as(both_logins["a"], "--user", "manager_a", "import", "deliveries",
                           str(delivery_sheet(tmp_path / "a.csv", "A1", "A2", "A3")))
    assert code == 0, capsys.readouterr().err
    found = deliveries_by_site(owner)
    assert [batch for _id, batch in found[district.a.id]] == ["A1", "A2", "A3"]
    assert min(i for i, _b in found[district.a.id]) > max(i for i, _b in found[district.b.id])
    imports = owner.execute_sql("SELECT chain_id FROM audit_entry WHERE action = 'import' ORDER BY seq").fetchall()
    assert imports == [(district.b.id,), (district.a.id,)]
    single = records.create(users.session_for("manager_a"), "deliveries", {  # the owner's single create, after them
        "occurred_at": delivery_rows("A4")[0][0], "item": "土豆", "category": "vegetable", "quantity": "5",
        "supplier": supplier_a.id, "batch_no": "A4", "result": "accepted", "receiver": "王芳"})
    assert single.id > max(i for rows_ in found.values() for i, _b in rows_)
    assert verify_database().problems == []


@pytest.mark.postgres_only
def test_two_canteens_import_at_once_without_waiting_and_with_distinct_ids(district, both_logins, tmp_path,
                                                                           monkeypatch):
    """While A's import holds its transaction open (its rows written, not yet committed), B's
    import runs to the end on B's own login in another process: it neither waits for A nor draws
    an id A holds; then A commits."""
    owner = db.current()
    env = {**os.environ, "CANTEEN_PASSWORD": PASSWORD}
    owner.execute_sql(f'ALTER ROLE "{both_logins["b"]}" SET lock_timeout = \'60s\'')  # a wait fails, never hangs
    b_sheet = delivery_sheet(tmp_path / "b.csv", "B1", "B2", "B3")
    finish = sheet_import._record_import
    b_runs = []

    def b_imports_meanwhile(*args):
        b_runs.append(subprocess.run([sys.executable, "-m", "canteen", "--db", url_as(both_logins["b"]), "--user",
                                      "manager_b", "import", "deliveries", str(b_sheet)],
                                     capture_output=True, text=True, env=env))
        return finish(*args)

    monkeypatch.setattr(sheet_import, "_record_import", b_imports_meanwhile)
    with program_as(both_logins["a"]):
        result = sheet_import.import_file(users.session_for("manager_a"), "deliveries",
                                          delivery_sheet(tmp_path / "a.csv", "A1", "A2", "A3", "A4"))
    [b_run] = b_runs
    assert b_run.returncode == 0, b_run.stderr
    found = deliveries_by_site(owner)
    assert [b for _i, b in found[district.a.id]] == ["A1", "A2", "A3", "A4"]
    assert [b for _i, b in found[district.b.id]] == ["B1", "B2", "B3"]
    assert sorted(result.ids) == [i for i, _b in found[district.a.id]]
    assert not {i for i, _b in found[district.a.id]} & {i for i, _b in found[district.b.id]}
    assert verify_database().problems == []
