"""Numbered schema steps. A new database gets the whole current schema at once; an older one is
copied aside, then brought forward one step at a time, each step atomic with its version bump.

This module sits on the storage rung beside `db.py` and imports neither `db` nor `models`, so
storage → models → integrity stays a ladder with no circle:

- the tables come from the models, which register them here when `canteen.models` is imported
  (`register_schema`); opening a database before that is refused with a StorageError;
- `db.py` passes in what a schema change needs from storage (its write transaction and the
  copy kept before a change), and calls `bring_up_to_date` through `db.bring_up_to_date`;
- a step that is plain SQL lives here (step 2); step 4 builds the list search and sort indexes
  with the function the models register (`register_derived`, `models/search.py`), which a new
  database gets at once too. A step that must write audited amendments
  (step 3 fills the meat kind, each fill a new version in the hash chain) needs the models and
  the chain, so it lives at the integrity rung (`integrity/upgrades.py`) and registers itself
  with `register_step`; importing any `canteen.integrity` module loads it. An old database
  opened by a program that has not loaded a step it needs is refused, never half-upgraded.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import peewee

from .errors import StorageError

LATEST = 8
APPEND_ONLY = ("audit_entry", "signature", "user_key")
AUDIT_SEQUENCE = "audit_entry_global_seq"  # on a server, where the audit trail's keys come from
Step = Callable[[peewee.Database], None]
_tables: list[Callable[[], list]] = []   # the one function that lists every table, once registered
_derived: list[Step] = []   # the one function that builds derived indexes (search, sort), once registered


def register_schema(tables: Callable[[], list]) -> None:
    """The models name their tables (in creation order) once, when `canteen.models` is imported."""
    _tables[:] = [tables]


def register_derived(build: Step) -> None:
    """The models name the function that builds the search and sort indexes from their fields."""
    _derived[:] = [build]


def register_step(version: int, step: Step) -> None:
    """A schema step written above the storage rung (it needs the models or the chain)."""
    STEPS[version] = step


def current_tables() -> list:
    require_schema()
    return _tables[0]()


def require_schema() -> None:
    """Refuse before a file is touched when the models have not registered their tables."""
    if not _tables:
        raise StorageError("The program's tables are not loaded (import canteen.models before opening a database).",
                           "程序的数据表定义尚未加载（打开数据库前请先导入 canteen.models）。")


def version_of(db: peewee.Database) -> int | None:
    """The schema version, None for a database without our `meta` table; a `meta` table that is
    not ours (other columns, no readable version) is refused as a stranger's database."""
    if "meta" not in db.get_tables():
        return None
    columns = {c.name for c in db.get_columns("meta")}
    if not {"key", "value"} <= columns:
        raise not_ours(db, "its meta table is not the canteen log's")
    row = db.execute_sql("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        return None
    try:
        return int(row[0])
    except (TypeError, ValueError):
        raise not_ours(db, f"its schema version {row[0]!r} is not a number") from None


def not_ours(db: peewee.Database, why_en: str = "", why_zh: str = "") -> StorageError:
    place = getattr(db, "canteen_place", "") or "This database"
    detail = f" ({why_en})" if why_en else ""
    return StorageError(f"{place} was not made by the canteen log{detail}; nothing was changed.",
                        f"{place} 不是食堂台账创建的{('（' + (why_zh or why_en) + '）') if why_en else ''}，未做任何更改。")


def foreign_schemas(db: peewee.Database) -> list[str]:
    """On PostgreSQL, the schemas other than the one we use that hold tables (SQLite has none)."""
    if isinstance(db, peewee.SqliteDatabase):
        return []
    return [name for name in schemas_with_tables(db) if name != "public"]


def schemas_with_tables(handle: peewee.Database) -> list[str]:
    """The schemas of a PostgreSQL database that hold tables, the system's own left out."""
    rows = handle.execute_sql(
        "SELECT DISTINCT table_schema FROM information_schema.tables WHERE table_schema NOT IN "
        "('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%%' ORDER BY 1").fetchall()
    return [r[0] for r in rows]


def set_version(db: peewee.Database, version: int) -> None:
    """Record the schema version in `meta` (a plain upsert: this rung does not know the models)."""
    db.execute_sql(f"INSERT INTO meta (key, value) VALUES ('schema_version', {db.param}) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(version),))


def bring_up_to_date(db: peewee.Database, create: bool = False, *,
                     transaction: Callable[[peewee.Database], AbstractContextManager],
                     keep_copy: Callable[[peewee.Database, int], object],
                     after_steps: Step | None = None) -> int:
    """Make or migrate the schema; returns the version now in force. `transaction` is storage's
    write transaction, `keep_copy` keeps the file as it was before a change and `after_steps`
    runs in the last step's transaction (db.py passes them: see db.bring_up_to_date)."""
    version = version_of(db)
    if version is None:
        if db.get_tables():
            raise not_ours(db)
        others = foreign_schemas(db)
        if others:
            names = ", ".join(others)
            raise not_ours(db, f"it holds tables in the schema(s) {names}", f"其数据表位于架构 {names} 中")
        if not create:
            raise StorageError("The database is empty; create it with 'canteen init' or 'canteen demo'.",
                               "数据库为空，请先运行 'canteen init' 或 'canteen demo'。")
        with transaction(db):
            create_current_schema(db)
        return LATEST
    if version > LATEST:
        raise StorageError(f"This database was made by a newer version of the program (schema {version}).",
                           f"此数据库由更新版本的程序创建（架构版本 {version}），请升级程序。")
    if version < LATEST:
        require_steps(db, version)
        keep_copy(db, version)
    for step in range(version + 1, LATEST + 1):
        with transaction(db):
            STEPS[step](db)
            set_version(db, step)
            if step == LATEST and after_steps is not None:
                after_steps(db)
    return LATEST


def require_steps(db: peewee.Database, version: int) -> None:
    """Refuse, before anything is copied or changed, an upgrade whose steps are not all loaded."""
    missing = [step for step in range(version + 1, LATEST + 1) if step not in STEPS]
    if missing:
        place = getattr(db, "canteen_place", "") or "This database"
        raise StorageError(f"{place} needs schema step {missing[0]}, which this program has not loaded "
                           "(import canteen.integrity before opening it); nothing was changed.",
                           f"{place} 需要架构升级步骤 {missing[0]}，本程序尚未加载（打开前请先导入 canteen.integrity），"
                           "未做任何更改。")


def create_current_schema(db: peewee.Database, tables: list | None = None) -> None:
    """The whole current schema in an empty database (`tables` defaults to the registered ones)."""
    db.create_tables(tables if tables is not None else current_tables())
    install_append_only_guards(db)
    install_derived_indexes(db)
    install_audit_sequence(db)
    set_version(db, LATEST)


def install_append_only_guards(db: peewee.Database) -> None:
    """Triggers that refuse UPDATE and DELETE on the audit trail, signatures and public keys."""
    if isinstance(db, peewee.SqliteDatabase):
        for tbl in APPEND_ONLY:
            for op in ("UPDATE", "DELETE"):
                db.execute_sql(
                    f"CREATE TRIGGER IF NOT EXISTS {tbl}_no_{op.lower()} BEFORE {op} ON {tbl} "
                    f"BEGIN SELECT RAISE(ABORT, '{tbl} is append-only'); END;")
        return
    # No '%' placeholder in the body: the driver would read it as a query parameter.
    db.execute_sql(
        "CREATE OR REPLACE FUNCTION canteen_refuse_change() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END $$ LANGUAGE plpgsql;")
    for tbl in APPEND_ONLY:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {tbl}_append_only ON {tbl};")
        db.execute_sql(f"CREATE TRIGGER {tbl}_append_only BEFORE UPDATE OR DELETE ON {tbl} "
                       f"FOR EACH ROW EXECUTE FUNCTION canteen_refuse_change();")


def install_audit_sequence(db: peewee.Database) -> None:
    """On a server, the sequence the audit trail takes its keys from, continuing after the highest."""
    if isinstance(db, peewee.SqliteDatabase):
        return
    db.execute_sql(f"CREATE SEQUENCE IF NOT EXISTS {AUDIT_SEQUENCE}")
    sync_audit_sequence(db)


def sync_audit_sequence(db: peewee.Database) -> None:
    """After rows were copied in with their keys (migrate-to), continue after the highest."""
    db.execute_sql(f'SELECT setval(\'{AUDIT_SEQUENCE}\', COALESCE(MAX("seq"), 0) + 1, false) FROM "audit_entry"')


def step_2_append_only_guards(db: peewee.Database) -> None:
    install_append_only_guards(db)


def install_derived_indexes(db: peewee.Database) -> None:
    """The search and sort indexes of the record lists (not records: no audit entry, no version)."""
    require_schema()
    if _derived:
        _derived[0](db)


def step_4_search_index(db: peewee.Database) -> None:
    install_derived_indexes(db)


STEPS: dict[int, Step] = {2: step_2_append_only_guards, 4: step_4_search_index}
