"""Numbered schema steps. A new database gets the whole current schema at once; an older one is
copied aside, then brought forward one step at a time, each step atomic with its version bump."""

from __future__ import annotations

from pathlib import Path

import peewee

from .errors import StorageError

LATEST = 3
APPEND_ONLY = ("audit_entry", "signature", "user_key")


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
    from .db import schemas_with_tables
    return [name for name in schemas_with_tables(db) if name != "public"]


def set_version(db: peewee.Database, version: int) -> None:
    from .models import DatabaseFact
    DatabaseFact.insert(key="schema_version", value=str(version)).on_conflict(
        conflict_target=[DatabaseFact.key], update={DatabaseFact.value: str(version)}).execute()


def bring_up_to_date(db: peewee.Database, create: bool = False) -> int:
    """Make or migrate the schema; returns the version now in force."""
    from .db import write_transaction
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
        with write_transaction(db):
            create_current_schema(db)
        return LATEST
    if version > LATEST:
        raise StorageError(f"This database was made by a newer version of the program (schema {version}).",
                           f"此数据库由更新版本的程序创建（架构版本 {version}），请升级程序。")
    if version < LATEST:
        keep_copy(db, version)
    for step in range(version + 1, LATEST + 1):
        with write_transaction(db):
            STEPS[step](db)
            set_version(db, step)
    return LATEST


def keep_copy(db: peewee.Database, version: int) -> None:
    from .db import copy_file_before_migration
    if isinstance(db, peewee.SqliteDatabase) and db.database != ":memory:":
        copy_file_before_migration(Path(db.database), version)


def create_current_schema(db: peewee.Database) -> None:
    from .models import all_tables
    db.create_tables(all_tables())
    install_append_only_guards(db)
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


def step_2_append_only_guards(db: peewee.Database) -> None:
    install_append_only_guards(db)


MEAT_KIND_REASON = ("Schema 3: meat kind set from the item name (list of common cuts) / "
                    "架构升级：按品名（常见部位名单）补填肉类品种")


def step_3_meat_kind(db: peewee.Database) -> None:
    """Deliveries say which kind of meat they are (PUR-QUARANTINE asks pork for a second
    certificate): add the column, then set it on each standing meat delivery whose item name the
    maintained lists recognise. Each fill is an audited amendment (a new version, no user), so
    `verify` stays clean and a signed delivery honestly shows that it changed after signing."""
    from playhouse.migrate import SchemaMigrator, migrate
    from .models import Delivery
    migrate(SchemaMigrator.from_database(db).add_column("delivery", "meat_kind", Delivery.field_spec("meat_kind").column({})))
    fill_meat_kinds(db)


def fill_meat_kinds(db: peewee.Database) -> int:
    """Set the default meat kind on standing meat deliveries that have none; returns how many.
    Reads only the columns the table has now, so a later step adding another column keeps this one working."""
    from .integrity import chain
    from .integrity.canonical import snapshot
    from .meat import MEAT_CATEGORIES, default_meat_kind
    from .models import Delivery
    present = {c.name for c in db.get_columns("delivery")}
    columns = [f for f in Delivery._meta.sorted_fields if f.column_name in present]
    query = (Delivery.select(*columns).where(Delivery.category.in_(MEAT_CATEGORIES) & Delivery.meat_kind.is_null()
                                             & (Delivery.voided == False)).order_by(Delivery.id))  # noqa: E712
    filled = 0
    for delivery in query:
        kind = default_meat_kind(delivery.item, delivery.category)
        if kind is None:
            continue  # the name does not tell: the kind is asked for when the delivery is next changed
        before = snapshot(delivery)
        delivery.meat_kind, delivery.version = kind, delivery.version + 1
        Delivery.update(meat_kind=kind, version=delivery.version).where(Delivery.id == delivery.id).execute()
        chain.append("amend", site_id=delivery.site_id, kind=Delivery.KIND, record_id=delivery.id,
                     version=delivery.version, before=before, after=snapshot(delivery), reason=MEAT_KIND_REASON)
        filled += 1
    return filled


STEPS = {2: step_2_append_only_guards, 3: step_3_meat_kind}
