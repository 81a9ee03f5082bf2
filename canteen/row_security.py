"""Row-level security on a PostgreSQL server: a canteen connecting with its own database login
reads and writes only its own rows, whatever SQL it sends (issue 11, item 3).

The design, in PostgreSQL's own terms:

- `site_login` maps a login (a PostgreSQL role) to the one canteen it serves. A table rather than
  a naming rule (`canteen_7`): the district chooses readable login names, a site id never
  becomes part of a password file, and the map is a row the owner can read and change in one
  statement. `canteen_login_site()` answers the canteen of `current_user` (NULL for any login
  not in the map, such as the owner), and every policy compares with it.
- Policies, `ENABLE ROW LEVEL SECURITY`, on every table that carries a canteen: each record
  table, `setting`, `signature`, `attachment` (by `site_id`); `audit_entry` (by `chain_id`, plus
  the era-1 entries of that canteen or of none, which its chain continues); `user` (its own
  canteen's users, and the district's users whose names and public keys appear in what the
  district writes into a canteen, read-only); `user_key` (the keys of the users it sees);
  `site` (its own row). `meta` is readable and not writable. A login in no map sees nothing.
- Secrets: the district's users are visible rows, but not their secrets. The login's SELECT on
  `user` and `user_key` names every column except `password_hash` and `private_key_enc` (the
  Argon2 hash, and the signing key sealed under the password: either one lets a patient thief
  guess the password offline), so `SELECT *`, a join or a RETURNING that reaches a secret is
  refused whoever's row it is. Its own canteen's secrets — the desk checks a password against
  the hash to sign a user in and opens the key to sign — it reads through two views,
  `canteen_user_secret` and `canteen_key_secret` ("id" and the secret), which hold the rows of
  the login's own canteen only. Why so: policies choose rows, never columns, and a secret of a
  row the login must see (a district inspector's) cannot be hidden by a policy; moving the
  secrets into tables of their own would change the schema of every database, SQLite files
  included, for a rule that only a server needs. The views are `security_barrier` (a function
  in the caller's WHERE cannot peek at rows the view leaves out) and owned by the tables'
  owner, who is not held by the policies, so each filters by `canteen_login_site()` itself;
  `current_user` inside a view is still the caller. The program reads a secret in these two
  places only (models.people.WithSecret): every other read of a user or a key, on any
  connection and on SQLite too, names the columns without it. A future schema step that changes
  a column these views name must drop the views first; `install` makes them again after the steps.
- Not `FORCE`: the owner is the district's own login, which must see every canteen; under FORCE
  each of its queries would carry the policy as a security barrier, and PostgreSQL then no longer
  uses a non-leakproof operator (the list search's LIKE) as an index condition. A login that
  would bypass the policies (a superuser, BYPASSRLS, the owner or a member of it) is refused
  a place in the map instead.
- Privileges follow the program's writes: records, settings, attachments and users may be
  inserted and updated, the audit trail, signatures and keys only inserted (their triggers refuse
  the rest anyway), nothing deleted. Sequences: USAGE (nextval), never setval.

Nothing here needs a superuser: the owner of the tables installs the policies; creating a login
needs CREATEROLE, and a login made by the server's administrator can be mapped instead. The
policies are installed by the first `site login` (a database with no canteen login has nothing
to guard) and installed again after every schema step, so a table a step adds is covered.
SQLite has none of this: the file's own permissions are its guard.
"""

from __future__ import annotations

import re

import peewee

from .errors import StorageError, ValidationError
from .migrations import current_tables

LOGIN_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
OWN = "(SELECT canteen_login_site())"
APPEND_ONLY = ("audit_entry", "signature", "user_key")
# Tables whose rows are not a canteen's own `site_id` rows, each with its own policies below.
SPECIAL = frozenset({"site", "meta", "user", "user_key", "audit_entry"})

MAP_SQL = (
    'CREATE TABLE IF NOT EXISTS "site_login" ("login" VARCHAR(63) PRIMARY KEY, '
    '"site_id" INTEGER NOT NULL REFERENCES "site" ("id") ON DELETE RESTRICT)',
    'ALTER TABLE "site_login" ENABLE ROW LEVEL SECURITY',
    'DROP POLICY IF EXISTS "canteen_own" ON "site_login"',
    'CREATE POLICY "canteen_own" ON "site_login" FOR SELECT USING ("login" = current_user)',
    "CREATE OR REPLACE FUNCTION canteen_login_site() RETURNS integer LANGUAGE sql STABLE AS "
    "$$ SELECT site_id FROM site_login WHERE login = current_user $$",
)


# The columns a canteen login may not read in these tables, and the view that holds its own canteen's.
SECRETS = {"user": ("password_hash", "canteen_user_secret"), "user_key": ("private_key_enc", "canteen_key_secret")}
SECRET_VIEWS_SQL = (
    'CREATE OR REPLACE VIEW "canteen_user_secret" WITH (security_barrier) AS '
    f'SELECT "id", "password_hash" FROM "user" WHERE "site_id" = {OWN}',
    'CREATE OR REPLACE VIEW "canteen_key_secret" WITH (security_barrier) AS '
    'SELECT k."id", k."private_key_enc" FROM "user_key" k JOIN "user" u ON u."id" = k."user_id" '
    f'WHERE u."site_id" = {OWN}',
)


def is_server(db: peewee.Database) -> bool:
    return not isinstance(db, peewee.SqliteDatabase)


def installed(db: peewee.Database) -> bool:
    """Whether the policies are in this database (the first `site login` put them there)."""
    return is_server(db) and db.execute_sql("SELECT to_regclass('public.site_login')").fetchone()[0] is not None


def login_site(db: peewee.Database) -> int | None:
    """The canteen this connection's login serves; None for the owner, the district's logins and
    SQLite. Asked once per connection object (a reconnect is the same login)."""
    if not is_server(db):
        return None
    if not hasattr(db, "canteen_login_site"):
        db.canteen_login_site = _ask_login_site(db)
    return db.canteen_login_site


def _ask_login_site(db: peewee.Database) -> int | None:
    if not installed(db):
        return None
    row = db.execute_sql('SELECT "site_id" FROM "site_login" WHERE "login" = current_user').fetchone()
    return row[0] if row else None


def read_secret(db: peewee.Database, table: str, column: str, row_id: int):
    """One row's secret column (see the module's docstring): from the table itself for the owner,
    the district's logins and SQLite; from the view of its own canteen's secrets for a canteen
    login, so another canteen's or the district's row gives None."""
    source = table if login_site(db) is None else SECRETS[table][1]
    row = db.execute_sql(f'SELECT "{column}" FROM "{source}" WHERE "id" = {db.param}', (row_id,)).fetchone()
    return row[0] if row else None


def policy_sql(table: str) -> list[str]:
    """The policies of one table (dropped first, so that installing again replaces them)."""
    own = f'"site_id" = {OWN}'
    policies = {
        "site": [f'FOR SELECT USING ("id" = {OWN})', f'FOR UPDATE USING ("id" = {OWN}) WITH CHECK ("id" = {OWN})'],
        "user": [f'FOR SELECT USING ({own} OR "site_id" IS NULL)', f"FOR INSERT WITH CHECK ({own})",
                 f"FOR UPDATE USING ({own}) WITH CHECK ({own})"],
        "user_key": ['FOR SELECT USING ("user_id" IN (SELECT "id" FROM "user"))',
                     f'FOR INSERT WITH CHECK ("user_id" IN (SELECT "id" FROM "user" WHERE {own}))'],
        "audit_entry": [f'FOR SELECT USING ("chain_id" = {OWN} OR ("chain_id" IS NULL AND ({own} OR "site_id" IS NULL)))',
                        f'FOR INSERT WITH CHECK ("chain_id" = {OWN} AND {own})'],
    }.get(table, [f"USING ({own}) WITH CHECK ({own})"])
    names = [f"canteen_{n}" for n in range(len(policies))]
    drops = [f'DROP POLICY IF EXISTS "{name}" ON "{table}"' for name in ("canteen_0", "canteen_1", "canteen_2")]
    return [*drops, f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
            *(f'CREATE POLICY "{name}" ON "{table}" {body}' for name, body in zip(names, policies))]


def guarded_tables() -> list[str]:
    """Every table of the program whose rows belong to a canteen (all but `meta`)."""
    tables = [model._meta.table_name for model in current_tables()]
    return [t for t in tables if t != "meta" and (t in SPECIAL or _has_site(t))]


def _has_site(table: str) -> bool:
    model = next(m for m in current_tables() if m._meta.table_name == table)
    return "site" in model._meta.fields


def privileges_of(table: str) -> str:
    """Table-wide privileges; SELECT on a table with a secret is narrowed by secret_grant_sql."""
    if table == "meta":
        return "SELECT"
    if table in APPEND_ONLY:
        return "SELECT, INSERT"
    if table == "site":
        return "SELECT, UPDATE"
    return "SELECT, INSERT, UPDATE"


def grant_sql(login: str) -> list[str]:
    """What one canteen login may do, table by table (the policies then choose the rows)."""
    quoted = quote_login(login)
    tables = ["meta", *guarded_tables()]
    return [*(f'GRANT {privileges_of(t)} ON "{t}" TO {quoted}' for t in tables),
            *(statement for table in SECRETS for statement in secret_grant_sql(table, quoted)),
            f'GRANT SELECT ON "site_login" TO {quoted}',
            f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {quoted}"]  # the tables' ids and the audit trail's


def secret_grant_sql(table: str, quoted: str) -> list[str]:
    """A table with a secret: the table-wide SELECT taken back (with it go the column grants), then
    SELECT on every other column, and on the view of the canteen's own secrets."""
    secret, view = SECRETS[table]
    model = next(m for m in current_tables() if m._meta.table_name == table)
    columns = ", ".join(f'"{f.column_name}"' for f in model._meta.sorted_fields if f.column_name != secret)
    return [f'REVOKE SELECT ON "{table}" FROM {quoted}', f'GRANT SELECT ({columns}) ON "{table}" TO {quoted}',
            f'GRANT SELECT ON "{view}" TO {quoted}']


def install(db: peewee.Database) -> None:
    """Put (or put again) the map, the policies and every mapped login's privileges into the
    database; needs the owner of the tables. Runs in the caller's transaction."""
    for statement in MAP_SQL:
        db.execute_sql(statement)
    for table in guarded_tables():
        for statement in policy_sql(table):
            db.execute_sql(statement)
    for statement in SECRET_VIEWS_SQL:
        db.execute_sql(statement)
    for (login,) in db.execute_sql('SELECT "login" FROM "site_login"').fetchall():
        for statement in grant_sql(login):
            db.execute_sql(statement)


def follow_tables(db: peewee.Database) -> None:
    """After schema steps: a table a step added gets its policies and the logins their grants."""
    if installed(db):
        install(db)


def quote_login(login: str) -> str:
    check_login_name(login)
    return f'"{login}"'


def check_login_name(login: str) -> None:
    if not isinstance(login, str) or not LOGIN_NAME.match(login):
        raise ValidationError("login", "must be lower-case letters, digits and _, at most 63, not starting with a digit",
                              "只能包含小写字母、数字和下划线，最多 63 个字符，且不能以数字开头",
                              "Database login", "数据库登录名")


def login_exists(db: peewee.Database, login: str) -> bool:
    check_login_name(login)
    return db.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone() is not None


def create_login(db: peewee.Database, login: str, password: str) -> None:
    """CREATE ROLE … LOGIN with the password already hashed by the driver (SCRAM, as the server
    asks), so the password itself never travels to the server or into its log."""
    from psycopg2.extensions import encrypt_password
    hashed = encrypt_password(password, login, db.connection())
    db.execute_sql(f"CREATE ROLE {quote_login(login)} LOGIN PASSWORD %s", (hashed,))


def refuse_bypassing(db: peewee.Database, login: str) -> None:
    """A login the policies would not hold (superuser, BYPASSRLS, the owner or one of its
    members) cannot be a canteen's login."""
    row = db.execute_sql(
        "SELECT r.rolsuper OR r.rolbypassrls OR pg_has_role(r.oid, c.relowner, 'USAGE') "
        "FROM pg_roles r, pg_class c WHERE r.rolname = %s AND c.oid = 'public.site'::regclass", (login,)).fetchone()
    if row and row[0]:
        raise StorageError(f"The PostgreSQL login {login} is a superuser, may bypass row-level security or owns the "
                           "tables: it would see every canteen, so it cannot be a canteen's login.",
                           f"PostgreSQL 登录名 {login} 是超级用户、可绕过行级安全或拥有数据表：它能看到所有食堂，"
                           "不能作为某个食堂的登录名。")


def bind(db: peewee.Database, login: str, site_id: int) -> None:
    """Map the login to its canteen and grant it what a canteen login may do; a login already
    serving another canteen is refused (one login, one canteen)."""
    row = db.execute_sql('SELECT "site_id" FROM "site_login" WHERE "login" = %s', (login,)).fetchone()
    if row and row[0] != site_id:
        raise ValidationError("login", f"{login} already serves another canteen (site {row[0]})",
                              f"{login} 已是另一个食堂（编号 {row[0]}）的登录名", "Database login", "数据库登录名")
    if not row:
        db.execute_sql('INSERT INTO "site_login" ("login", "site_id") VALUES (%s, %s)', (login, site_id))
    for statement in grant_sql(login):
        db.execute_sql(statement)
