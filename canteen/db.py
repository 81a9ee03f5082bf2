"""The one place where the database is opened, configured, locked, backed up and restored.

Everything SQLite-specific lives here (and in migrations.py): the rest of the core speaks
peewee, so the same code runs on a PostgreSQL server shared by a district.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse

import peewee
from platformdirs import user_data_path

from .errors import StorageError

APP_NAME = "canteen-log"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
# The PostgreSQL counterpart of BEGIN IMMEDIATE: one transaction-scoped advisory lock (per database)
# that every writer takes first, so the audit chain's "read head, append next" never interleaves.
WRITE_LOCK_KEY = 0x63616E74  # "cant"

database = peewee.DatabaseProxy()


def default_url() -> str:
    """`CANTEEN_DB` if set, else a file in the user's data folder."""
    return os.environ.get("CANTEEN_DB") or str(user_data_path(APP_NAME, appauthor=False) / "canteen.db")


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def sqlite_path(url: str) -> Path:
    """The file behind a plain path or a `sqlite:///relative` / `sqlite:////absolute` URL."""
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///"):]
    return Path(url).expanduser()


def _sqlite_database(path: Path) -> peewee.SqliteDatabase:
    return peewee.SqliteDatabase(
        str(path),
        pragmas={
            "journal_mode": "wal",
            "synchronous": 2,  # FULL: a committed record survives a power cut
            "foreign_keys": 1,
            "busy_timeout": BUSY_TIMEOUT_MS,
        },
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )


def _postgres_database(url: str) -> peewee.Database:
    """`postgresql://user:password@host:port/dbname?sslmode=require`; query options go to libpq."""
    parsed = urlparse(url)
    name = unquote(parsed.path.lstrip("/"))
    if not name:
        raise StorageError(f"{display_url(url)} names no database (postgresql://host/DBNAME).",
                           f"{display_url(url)} 未指定数据库名（postgresql://主机/数据库名）。")
    options = dict(parse_qsl(parsed.query))
    options.setdefault("connect_timeout", "10")
    options.setdefault("application_name", APP_NAME)
    return peewee.PostgresqlDatabase(
        name,
        user=unquote(parsed.username) if parsed.username else None,
        password=unquote(parsed.password) if parsed.password else None,
        host=parsed.hostname,
        port=parsed.port or 5432,
        **options,
    )


def display_url(url: str) -> str:
    """The URL as it may be printed: a PostgreSQL password is never shown."""
    if not is_postgres(url):
        return url
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@", 1)
    return parsed._replace(netloc=netloc).geturl()


def check_sqlite_file(path: Path, must_exist: bool) -> None:
    """Refuse, with one readable line, a path that cannot hold or is not a database."""
    if not path.parent.exists():
        raise StorageError(f"The folder {path.parent} does not exist.", f"文件夹 {path.parent} 不存在。")
    if path.is_dir():
        raise StorageError(f"{path} is a folder, not a database file.", f"{path} 是文件夹，不是数据库文件。")
    if not path.exists():
        if must_exist:
            raise StorageError(
                f"No database at {path}. Create one with 'canteen init' or 'canteen demo'.",
                f"{path} 没有数据库。请先运行 'canteen init' 或 'canteen demo'。",
            )
        return
    with open(path, "rb") as fh:
        head = fh.read(len(SQLITE_HEADER))
    if head and head != SQLITE_HEADER:
        raise StorageError(f"{path} is not a canteen database.", f"{path} 不是食堂台账数据库。")
    if head and not _has_schema_marker(path):
        raise StorageError(f"{path}: this database was not made by the canteen log; nothing was changed.",
                           f"{path}：此数据库不是食堂台账创建的，未做任何更改。")


def _has_schema_marker(path: Path) -> bool:
    """Looked at read-only, before any pragma (WAL) could rewrite a stranger's file."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            return con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is not None
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise storage_error(exc, str(path)) from exc


def open_database(url: str | None = None, *, create: bool = False) -> peewee.Database:
    """Open (and with `create`, make) the database at `url`, bind the models to it, migrate it.

    Raises StorageError for a missing folder, a foreign file, a locked or corrupt database.
    """
    from . import migrations

    url = url or default_url()
    db = connect(url, create=create)
    database.initialize(db)
    try:
        migrations.bring_up_to_date(db, create=create)
    except peewee.DatabaseError as exc:
        db.close()
        raise storage_error(exc, display_url(url)) from exc
    return db


def connect(url: str, *, create: bool = False) -> peewee.Database:
    """A connected database object for `url`, neither bound to the models nor migrated
    (what copying between two databases needs); StorageError when it cannot be reached."""
    if is_postgres(url):
        db = _postgres_database(url)
    else:
        path = sqlite_path(url)
        if create and url == default_url():
            path.parent.mkdir(parents=True, exist_ok=True)
        check_sqlite_file(path, must_exist=not create)
        db = _sqlite_database(path)
    try:
        db.connect(reuse_if_open=True)
    except peewee.DatabaseError as exc:
        db.close()
        raise storage_error(exc, display_url(url)) from exc
    return db


def storage_error(exc: Exception, where: str = "") -> StorageError:
    """Translate a driver error into one line a user can act on."""
    text = str(exc).lower()
    server = _postgres_error(text, where)
    if server is not None:
        return server
    if "locked" in text or "busy" in text:
        return StorageError(
            f"The database {where} is in use by another program; try again in a moment.",
            f"数据库 {where} 正被其他程序使用，请稍后再试。",
        )
    if "readonly" in text or "read-only" in text:
        return StorageError(f"The database {where} is read-only.", f"数据库 {where} 为只读。")
    if "disk is full" in text or "full" in text:
        return StorageError("The disk is full; nothing was written.", "磁盘已满，未写入任何内容。")
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return StorageError(f"{where} is not a canteen database or is damaged.", f"{where} 不是食堂台账数据库或已损坏。")
    line = " ".join(str(exc).split())  # PostgreSQL's messages span lines; the promise is one
    return StorageError(f"Database error: {line}", f"数据库错误：{line}")


def _postgres_error(text: str, where: str) -> StorageError | None:
    """The PostgreSQL server's usual refusals, said the way an administrator can act on them."""
    place = f" ({where})" if where else ""
    if "could not connect" in text or "connection refused" in text or "could not translate host" in text \
            or "timeout expired" in text or "server closed the connection" in text:
        return StorageError(f"Cannot reach the PostgreSQL server{place}; is it running and reachable?",
                            f"无法连接 PostgreSQL 服务器{place}，请确认其已启动且可访问。")
    if "password authentication failed" in text or "no password supplied" in text or "no pg_hba.conf entry" in text \
            or re.search(r'role "[^"]*" does not exist', text):
        return StorageError(f"The PostgreSQL server refused the user name or password{place}.",
                            f"PostgreSQL 服务器拒绝了用户名或密码{place}。")
    if re.search(r'database "[^"]*" does not exist', text):
        return StorageError(f"The database{place} does not exist on the PostgreSQL server; create it first (createdb).",
                            f"PostgreSQL 服务器上不存在该数据库{place}，请先创建（createdb）。")
    return None


def holds_database(url: str) -> bool:
    """Whether there is a database to open at `url`: a non-empty file, or a server database with tables."""
    if not is_postgres(url):
        path = sqlite_path(url)
        return path.exists() and path.stat().st_size > 0
    handle = connect(url)
    try:
        return bool(handle.get_tables())
    finally:
        handle.close()


def write_transaction(db: peewee.Database | None = None):
    """A transaction that takes the write lock at its start, so two writers never deadlock mid-way."""
    db = db or database.obj
    if db.in_transaction():
        return db.atomic()
    if isinstance(db, peewee.SqliteDatabase):
        return db.atomic(lock_type="IMMEDIATE")
    return _postgres_write(db)


@contextlib.contextmanager
def service_transaction():
    """A service's write transaction: a busy, read-only or full database reaches the caller as one
    StorageError line (the GUI shows it and keeps what was typed), and nothing is half-written."""
    try:
        with write_transaction():
            yield
    except peewee.DatabaseError as exc:
        raise storage_error(exc) from exc


@contextlib.contextmanager
def _postgres_write(db: peewee.Database):
    with db.atomic() as txn:
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        yield txn


def sync_id_sequences(models, db: peewee.Database | None = None) -> None:
    """After rows were written with explicit ids (bulk writes, a migration), make PostgreSQL's
    id sequences continue after the highest id; SQLite needs nothing (it uses MAX(rowid)+1)."""
    db = db or current()
    if isinstance(db, peewee.SqliteDatabase):
        return
    for model in models:
        pk = model._meta.primary_key
        if not isinstance(pk, peewee.AutoField):
            continue
        table, column = model._meta.table_name, pk.column_name
        db.execute_sql(
            f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX("{column}"), 1), MAX("{column}") IS NOT NULL) '
            f'FROM "{table}"', (f'"{table}"', column))


def current() -> peewee.Database:
    if database.obj is None:
        raise StorageError("No database is open.", "尚未打开数据库。")
    return database.obj


def is_sqlite(db: peewee.Database | None = None) -> bool:
    return isinstance(db or current(), peewee.SqliteDatabase)


def close() -> None:
    if database.obj is not None and not database.obj.is_closed():
        database.obj.close()


def backup_to(target: Path, db: peewee.Database | None = None) -> Path:
    """Copy the open SQLite database with the online backup API (never a file copy)."""
    db = db or current()
    if not is_sqlite(db):
        raise StorageError("Back up a PostgreSQL database with pg_dump.", "PostgreSQL 数据库请使用 pg_dump 备份。")
    target = Path(target)
    if not target.parent.exists():
        raise StorageError(f"The folder {target.parent} does not exist.", f"文件夹 {target.parent} 不存在。")
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    dest = sqlite3.connect(str(tmp))
    try:
        db.connection().backup(dest)
        ok = dest.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dest.close()
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise StorageError("The backup copy failed its integrity check.", "备份副本未通过完整性检查。")
    os.replace(tmp, target)
    return target


def is_canteen_file(path: Path) -> bool:
    """A readable SQLite file that passes integrity_check and carries our schema marker."""
    try:
        check_sqlite_file(path, must_exist=True)
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return False
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            return row is not None
        finally:
            con.close()
    except (StorageError, sqlite3.DatabaseError, OSError):
        return False


def restore_from(source: Path, target: Path) -> Path:
    """Replace the database at `target` with `source`, keeping the old one as a dated copy.

    Returns the path of the kept copy. The source is validated first; the target is replaced
    only through the backup API into a temporary file and an atomic rename.
    """
    source, target = Path(source), Path(target)
    if not is_canteen_file(source):
        raise StorageError(f"{source} is not a valid canteen database; nothing was changed.",
                           f"{source} 不是有效的食堂台账数据库，未做任何更改。")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
    if target.exists():
        _online_copy(target, kept)
    tmp = target.with_name(target.name + ".restoring")
    _online_copy(source, tmp)
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(tmp, target)
    return kept


def _online_copy(src: Path, dst: Path) -> None:
    dst.unlink(missing_ok=True)
    s = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    d = sqlite3.connect(str(dst))
    try:
        s.backup(d)
    finally:
        s.close()
        d.close()


@contextlib.contextmanager
def opened(url: str, create: bool = False):
    """Open for the length of a block, then close: what command-line commands use."""
    db = open_database(url, create=create)
    try:
        yield db
    finally:
        db.close()


def copy_file_before_migration(path: Path, from_version: int) -> Path | None:
    """Keep the file as it was before a schema change, beside it."""
    if not path.exists():
        return None
    keep = path.with_name(f"{path.stem}.v{from_version}-before-migration{path.suffix}")
    _online_copy(path, keep) if path.stat().st_size else shutil.copy2(path, keep)
    return keep
