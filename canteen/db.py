"""The one place where the database is opened, configured, locked, backed up and restored.

Everything SQLite-specific lives here (and in migrations.py): the rest of the core speaks
peewee, so the same code runs on a PostgreSQL server shared by a district.

This module and migrations.py are the storage rung: they import no models. The tables are
registered by `canteen.models` (see migrations.py), so `open_database` works once the models
are imported, which every entry point does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import shutil
import sqlite3
import threading
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse

import peewee
from platformdirs import user_data_path
from playhouse.shortcuts import ReconnectMixin

from . import migrations, row_security
from .errors import DamagedDatabase, StorageError
from .migrations import schemas_with_tables
from .places import SQLITE_HEADER, is_postgres, sqlite_path

APP_NAME = "canteen-log"
BUSY_TIMEOUT_MS = 5000
# The PostgreSQL counterpart of BEGIN IMMEDIATE: one transaction-scoped advisory lock (per database)
# that every writer takes first, so the audit chain's "read head, append next" never interleaves.
WRITE_LOCK_KEY = 0x63616E74  # "cant"
# The open-time damage check (see check_not_damaged). Measured on this project's demo databases:
# PRAGMA quick_check takes 14 ms on a 100-day file (7.6 MB) and 125 ms on a 2000-day file
# (146 MB) with the file in the page cache, 1.75 s for the 2000-day file read cold from disk.
FULL_CHECK_BYTES = 256 * 2**20
# Beyond that size only the tables that opening, signing in and every save write into are checked.
WRITTEN_ON_OPEN = ("meta", "site", "user", "user_key", "audit_entry", "signature")
CONNECTION_LOST = ("terminat", "server closed the connection", "connection already closed",
                   "no connection to the server", "could not receive data from server", "ssl connection has been closed",
                   "connection not open")



class _ProcessDatabase(peewee.DatabaseProxy):
    """The process's database, which one thread may swap for another for a while (`bound_here`):
    a desk worker pushing straight into the district's database must not send the desk's own
    reads and writes there meanwhile, as rebinding the shared proxy would."""

    __slots__ = ("_here", "_shared")

    def __init__(self):
        self._here = threading.local()
        self._shared = None
        super().__init__()

    @property
    def obj(self):
        here = getattr(self._here, "database", None)
        return here if here is not None else self._shared

    @obj.setter
    def obj(self, value) -> None:
        self._shared = value

    def __setattr__(self, name, value) -> None:  # peewee's proxy refuses attributes it does not list
        object.__setattr__(self, name, value)


database = _ProcessDatabase()


@contextlib.contextmanager
def bound_here(other: peewee.Database):
    """The models speak to `other` on this thread only, until the block ends."""
    before = getattr(database._here, "database", None)
    database._here.database = other
    try:
        yield other
    finally:
        database._here.database = before


def default_url() -> str:
    """`CANTEEN_DB` if set, else a file in the user's data folder."""
    return os.environ.get("CANTEEN_DB") or str(user_data_path(APP_NAME, appauthor=False) / "canteen.db")


def _sqlite_database(path: Path) -> peewee.SqliteDatabase:
    handle = peewee.SqliteDatabase(
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
    handle.canteen_place = str(path)
    return handle


class ReconnectingPostgres(ReconnectMixin, peewee.PostgresqlDatabase):
    """A server connection that comes back after the server dropped it (restart, failover, idle
    timeout, pg_terminate_backend). peewee's ReconnectMixin reopens it only outside a transaction,
    at the next statement or BEGIN, so a read simply works again and a write interrupted half-way
    is rolled back by the server and reported (service_transaction), never half-kept."""

    reconnect_errors = tuple((cls, fragment) for cls in (peewee.OperationalError, peewee.InterfaceError)
                             for fragment in CONNECTION_LOST)


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
    handle = ReconnectingPostgres(
        name,
        user=unquote(parsed.username) if parsed.username else None,
        password=unquote(parsed.password) if parsed.password else None,
        host=parsed.hostname,
        port=parsed.port or 5432,
        **options,
    )
    handle.canteen_place = display_url(url)
    return handle


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
    """Refuse, with one readable line, a path that cannot hold or is not a database.

    Everything here reads the file without writing it (no pragma, no journal), so a command that
    only reads — verify, check, export — leaves an empty or foreign file exactly as it was."""
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
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise file_error(exc, path, "read") from exc
    if not head:
        if must_exist:
            raise StorageError(f"{path} is an empty file, not a canteen database; nothing was changed "
                               "(create one there with 'canteen init').",
                               f"{path} 是空文件，不是食堂台账数据库，未做任何更改（可用 'canteen init' 在此创建）。")
        return
    if head != SQLITE_HEADER:
        raise StorageError(f"{path} is not a canteen database.", f"{path} 不是食堂台账数据库。")
    check_not_damaged(path)


def check_not_damaged(path: Path) -> None:
    """Refuse a damaged file before anything is written into it (not even a sign-in entry).

    Runs on a read-only connection, before the program's own connection sets its pragmas. The
    budget: a file up to FULL_CHECK_BYTES (256 MiB) gets a full `PRAGMA quick_check` — measured at
    14 ms for a 100-day demo database (7.6 MB) and 125 ms warm / 1.75 s cold for a 2000-day one
    (146 MB), so about ten years of a canteen opens in well under a second once cached. A larger
    file gets `quick_check` of only the tables every open and save writes into (WRITTEN_ON_OPEN:
    meta, sites, users, keys, the audit trail, signatures), which bounds the cost by the size of
    the trail rather than of the attachments and records; `canteen verify` reads the rest.
    Damage inside a record's content that quick_check cannot see is found when the row is read
    (verify and check report it by table and row id)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise storage_error(exc, str(path)) from exc
    try:
        if con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is None:
            raise StorageError(f"{path}: this database was not made by the canteen log; nothing was changed.",
                               f"{path}：此数据库不是食堂台账创建的，未做任何更改。")
        problems = _quick_check(con, path.stat().st_size)
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc).lower() or "not a database" in str(exc).lower():
            raise damaged(path, str(exc)) from exc
        raise storage_error(exc, str(path)) from exc
    finally:
        con.close()
    if problems:
        raise damaged(path, problems[0])


def _quick_check(con: sqlite3.Connection, size: int) -> list[str]:
    """The problems quick_check reports (empty when the file is sound), within the budget above."""
    if size <= FULL_CHECK_BYTES:
        rows = con.execute("PRAGMA quick_check(5)").fetchall()
    else:
        present = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        rows = [row for table in WRITTEN_ON_OPEN if table in present
                for row in con.execute(f'PRAGMA quick_check("{table}")').fetchall()]
    return [r[0] for r in rows if r[0] != "ok"]


def damaged(path: Path, detail: str) -> DamagedDatabase:
    """The one line a damaged file gets, naming the latest backup (and its date) when there is one."""
    latest = latest_backup(path)
    detail = " ".join(detail.split())[:120]
    if latest is None:
        return DamagedDatabase(path, None, f"{path} is damaged ({detail}); nothing was written to it. "
                               "Restore it from a backup with 'canteen restore BACKUP'.",
                               f"{path} 已损坏（{detail}），未写入任何内容。请用 'canteen restore 备份文件' 从备份恢复。")
    when = backup_time(latest).strftime("%Y-%m-%d %H:%M")
    return DamagedDatabase(path, latest, f"{path} is damaged ({detail}); nothing was written to it. "
                           f"The latest backup is {latest} of {when}: 'canteen restore {latest}'.",
                           f"{path} 已损坏（{detail}），未写入任何内容。最近的备份是 {when} 的 {latest}："
                           f"'canteen restore {latest}'。")


# ------------------------------------------------------------------------------------- backups

def backup_log(database_path: Path) -> Path:
    """The list of backups made of a database, kept beside it (`canteen.db.backups`): one line per
    backup, "UTC time<TAB>absolute path". A damaged database cannot be trusted to say where its
    backups went, so this record lives outside it."""
    return database_path.with_name(database_path.name + ".backups")


def backups_folder(database_path: Path) -> Path:
    """The `backups` folder beside the database: any canteen file put there counts as a backup."""
    return database_path.parent / "backups"


def latest_backup(database_path: Path) -> Path | None:
    """The newest backup of this database that still exists and passes its integrity check.

    Candidates are the files `canteen backup` wrote (listed in backup_log) and the canteen files
    in backups_folder; the newest by modification time (when the backup was made) wins."""
    candidates: set[Path] = set()
    log = backup_log(database_path)
    try:
        for line in log.read_text(encoding="utf-8").splitlines():
            _, _, name = line.partition("\t")
            if name:
                candidates.add(Path(name))
    except (OSError, UnicodeDecodeError):
        pass
    folder = backups_folder(database_path)
    if folder.is_dir():
        candidates.update(p for p in folder.iterdir() if p.is_file() and not p.name.endswith((".part", "-wal", "-shm")))
    candidates.discard(database_path)
    for candidate in sorted((p for p in candidates if p.is_file()), key=backup_time, reverse=True):
        if is_canteen_file(candidate):
            return candidate
    return None


def backup_time(path: Path) -> dt.datetime:
    """When a backup was made (its file's modification time), in local time for display."""
    from .timeutil import to_local
    return to_local(dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).replace(tzinfo=None))


def note_backup(database_path: Path, backup: Path) -> None:
    """Add a finished backup to the database's backup log (best effort: the backup itself is done
    and valid; a log that cannot be written only means the desk will not offer it by itself)."""
    from .timeutil import utcnow
    with contextlib.suppress(OSError):
        with open(backup_log(database_path), "a", encoding="utf-8") as fh:
            fh.write(f"{utcnow().isoformat(timespec='seconds')}\t{backup.resolve()}\n")


def open_database(url: str | None = None, *, create: bool = False) -> peewee.Database:
    """Open (and with `create`, make) the database at `url`, bind the models to it, migrate it.

    Raises StorageError for a missing folder, a foreign file, a locked or corrupt database.
    """
    migrations.require_schema()
    url = url or default_url()
    db = connect(url, create=create)
    database.initialize(db)
    try:
        bring_up_to_date(db, create=create)
    except (peewee.DatabaseError, peewee.InterfaceError, sqlite3.Error) as exc:
        _close_quietly(db)
        raise storage_error(exc, display_url(url)) from exc
    except BaseException:
        _close_quietly(db)
        raise
    return db


def bring_up_to_date(db: peewee.Database, create: bool = False) -> int:
    """Create or migrate the schema of an open database with storage's own write transaction and
    the copy kept before a change; returns the schema version now in force. On a server whose
    canteens have their own logins, a step's new table gets its row-level policies at once."""
    return migrations.bring_up_to_date(db, create, transaction=write_transaction, keep_copy=_copy_before_migration,
                                       after_steps=row_security.follow_tables)


def _copy_before_migration(db: peewee.Database, version: int) -> None:
    if isinstance(db, peewee.SqliteDatabase) and db.database != ":memory:":
        copy_file_before_migration(Path(db.database), version)


def _close_quietly(db: peewee.Database) -> None:
    with contextlib.suppress(peewee.PeeweeException, sqlite3.Error):
        db.close()


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
    except peewee.ImproperlyConfigured as exc:
        raise StorageError(f"{display_url(url)} is a PostgreSQL database, and PostgreSQL support is not installed: "
                           "pip install 'canteen-log[postgres]'.",
                           f"{display_url(url)} 是 PostgreSQL 数据库，尚未安装 PostgreSQL 支持：请运行 "
                           "pip install 'canteen-log[postgres]'。") from exc
    except (peewee.DatabaseError, peewee.InterfaceError) as exc:
        _close_quietly(db)
        raise storage_error(exc, display_url(url)) from exc
    return db


def connection_lost(exc: BaseException) -> bool:
    """Whether a driver error means the server connection went away (not that the SQL was wrong)."""
    text = str(exc).lower()
    return isinstance(exc, (peewee.OperationalError, peewee.InterfaceError)) and any(f in text for f in CONNECTION_LOST)


def _current_place() -> str:
    return getattr(database.obj, "canteen_place", "") if database.obj is not None else ""


def _first_cause(exc: Exception) -> Exception:
    """The error that started it: when SQLite gives up a transaction by itself (a full disk), the
    savepoint peewee then tries to roll back is gone, and "no such savepoint" hides the cause."""
    while "no such savepoint" in str(exc).lower() or "no transaction is active" in str(exc).lower():
        if not isinstance(exc.__context__, Exception):
            break
        exc = exc.__context__
    return exc


def storage_error(exc: Exception, where: str = "") -> StorageError:
    """Translate a driver error into one line a user can act on, naming the database and the cause
    (`where` defaults to the open database)."""
    if isinstance(exc, StorageError):
        return exc
    exc = _first_cause(exc)
    where = where or _current_place()
    if isinstance(exc, OSError):
        return file_error(exc, Path(exc.filename or where or "."))
    text = str(exc).lower()
    if connection_lost(exc) and "could not connect" not in text:
        return StorageError(f"The connection to the server was lost ({where}); nothing was saved — try again.",
                            f"与服务器的连接已断开（{where}），未保存任何内容——请重试。")
    server = _postgres_error(text, where)
    if server is not None:
        return server
    if "locked" in text or "busy" in text:
        return StorageError(
            f"The database {where} is in use by another program (it holds the lock); try again in a moment.",
            f"数据库 {where} 正被其他程序使用（已被锁定），请稍后再试。",
        )
    if "readonly" in text or "read-only" in text:
        cause_en, cause_zh = _why_not_writable(where)
        return StorageError(f"The database {where} is read-only ({cause_en}); nothing was saved.",
                            f"数据库 {where} 为只读（{cause_zh}），未保存任何内容。")
    if "full" in text or "no space" in text:
        return _disk_full(where)
    if "unable to open" in text or "disk i/o error" in text or "cannot open" in text:
        return _unopenable(where, text)
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return StorageError(f"{where} is not a canteen database or is damaged.", f"{where} 不是食堂台账数据库或已损坏。")
    line = " ".join(str(exc).split())  # PostgreSQL's messages span lines; the promise is one
    return StorageError(f"Database error ({where}): {line}", f"数据库错误（{where}）：{line}")


def _postgres_error(text: str, where: str) -> StorageError | None:
    """The PostgreSQL server's usual refusals, said the way an administrator can act on them."""
    place = f" ({where})" if where else ""
    if "could not connect" in text or "connection refused" in text or "could not translate host" in text \
            or "timeout expired" in text or "server closed the connection" in text:
        return StorageError(f"Cannot reach the PostgreSQL server{place}; is it running and reachable?",
                            f"无法连接 PostgreSQL 服务器{place}，请确认其已启动且可访问。")
    if "the database system is starting up" in text or "the database system is shutting down" in text \
            or "the database system is in recovery mode" in text:
        return StorageError(f"The PostgreSQL server{place} is starting or stopping; nothing was saved — try again "
                            "in a moment.", f"PostgreSQL 服务器{place}正在启动或关闭，未保存任何内容——请稍后重试。")
    if "password authentication failed" in text or "no password supplied" in text or "no pg_hba.conf entry" in text \
            or re.search(r'role "[^"]*" does not exist', text):
        return StorageError(f"The PostgreSQL server refused the user name or password{place}.",
                            f"PostgreSQL 服务器拒绝了用户名或密码{place}。")
    if "row-level security" in text or "permission denied for" in text or "must be owner of" in text:
        return StorageError(f"The PostgreSQL login of this connection may not do that{place}: a canteen's own login "
                            "reaches only its canteen's rows, and only the district's login changes the schema.",
                            f"本连接的 PostgreSQL 登录名无权执行此操作{place}：食堂自己的登录名只能访问本食堂的数据，"
                            "只有区县的登录名可以更改数据库结构。")
    if re.search(r'database "[^"]*" does not exist', text):
        return StorageError(f"The database{place} does not exist on the PostgreSQL server; create it first (createdb).",
                            f"PostgreSQL 服务器上不存在该数据库{place}，请先创建（createdb）。")
    return None


def _disk_full(where) -> StorageError:
    return StorageError(f"The disk holding {where} is full; nothing was written. Free some space and try again.",
                        f"{where} 所在的磁盘已满，未写入任何内容。请腾出空间后重试。")


def _why_not_writable(where: str) -> tuple[str, str]:
    """Which of the file and its folder cannot be written (SQLite needs both, for its journal)."""
    if not where or is_postgres(where):
        return "the server refused the write", "服务器拒绝写入"
    path = Path(where)
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only", "文件为只读"
    if not os.access(path.parent, os.W_OK):
        return f"its folder {path.parent} is read-only", f"所在文件夹 {path.parent} 为只读"
    return "the file or its journal cannot be written", "文件或其日志无法写入"


def _unopenable(where: str, text: str) -> StorageError:
    """SQLite's "unable to open database file" / "disk I/O error", told apart by looking at the path."""
    path = Path(where) if where and not is_postgres(where) else None
    if path is not None and not path.parent.exists():
        return StorageError(f"The folder {path.parent} does not exist.", f"文件夹 {path.parent} 不存在。")
    if path is not None and path.exists() and not os.access(path, os.R_OK):
        return StorageError(f"Permission denied: {path} cannot be read by this user.",
                            f"权限不足：当前用户无法读取 {path}。")
    if path is not None and not os.access(path.parent, os.W_OK):
        return StorageError(f"The database {path} cannot be opened: its folder {path.parent} is read-only "
                            "(the database keeps its journal beside it).",
                            f"无法打开数据库 {path}：所在文件夹 {path.parent} 为只读（数据库需在旁边保存日志）。")
    if path is not None and path.exists() and not os.access(path, os.W_OK):
        return StorageError(f"The database {path} cannot be opened: the file is read-only.",
                            f"无法打开数据库 {path}：文件为只读。")
    if path is not None and _free_bytes(path.parent) < 1 << 20:
        return _disk_full(where)
    detail = "disk I/O error" if "i/o" in text else "unable to open the file"
    return StorageError(f"The database {where} cannot be opened ({detail}).", f"无法打开数据库 {where}（{detail}）。")


def _free_bytes(folder: Path) -> int:
    try:
        stat = os.statvfs(folder)
    except (OSError, AttributeError):
        return 1 << 40
    return stat.f_bavail * stat.f_frsize


def file_error(exc: OSError, path: Path, verb: str = "write") -> StorageError:
    """An operating-system refusal on a file, as one line naming the file and the cause."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return _disk_full(path)
    if code == errno.EROFS:
        return StorageError(f"{path} is on a read-only disk; nothing was written.", f"{path} 位于只读磁盘上，未写入任何内容。")
    if code in (errno.EACCES, errno.EPERM):
        zh = "读取" if verb == "read" else "写入"
        return StorageError(f"Permission denied: {path} cannot be {'read' if verb == 'read' else 'written'} by this user.",
                            f"权限不足：当前用户无法{zh} {path}。")
    if code == errno.ENOENT:
        return StorageError(f"{path} does not exist (or its folder does not).", f"{path} 不存在（或其文件夹不存在）。")
    reason = exc.strerror or type(exc).__name__
    return StorageError(f"{path}: {reason}.", f"{path}：{reason}。")


def holds_database(url: str) -> bool:
    """Whether there is a database to open at `url`: a non-empty file, or a server database with
    tables in any schema (a database whose tables live only in another schema is not empty)."""
    if not is_postgres(url):
        path = sqlite_path(url)
        return path.exists() and path.stat().st_size > 0
    return bool(server_schemas(url))


def server_schemas(url: str) -> list[str]:
    """The schemas of a PostgreSQL database that hold tables, the system's own left out."""
    handle = connect(url)
    try:
        return schemas_with_tables(handle)
    finally:
        _close_quietly(handle)


def write_transaction(db: peewee.Database | None = None, site_id: int | None = None):
    """A transaction that takes the write lock at its start, so two writers never deadlock mid-way.
    On a server, a write for one canteen (`site_id`) locks that canteen's chain only, so writers
    in different canteens go side by side; a write for none locks the whole database."""
    db = db or database.obj
    if db.in_transaction():
        return db.atomic()
    if isinstance(db, peewee.SqliteDatabase):
        return db.atomic(lock_type="IMMEDIATE")
    return _postgres_write(db, site_id)


@contextlib.contextmanager
def service_transaction(site_id: int | None = None):
    """A service's write transaction: a busy, read-only or full database, or a server connection
    lost half-way, reaches the caller as one StorageError line (the GUI shows it and keeps what was
    typed), and nothing is half-written (the server rolls back a transaction whose connection
    died; the next call reconnects)."""
    try:
        with write_transaction(site_id=site_id):
            yield
    except (peewee.DatabaseError, peewee.InterfaceError) as exc:
        if connection_lost(exc):
            _forget_connection()
        raise storage_error(exc) from exc


def _forget_connection() -> None:
    """Drop a dead server connection so that the next call opens a new one."""
    handle = database.obj
    if handle is not None and not handle.in_transaction():
        _close_quietly(handle)


@contextlib.contextmanager
def _postgres_write(db: peewee.Database, site_id: int | None = None):
    with db.atomic() as txn:
        if site_id is None:
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        else:  # shares the database lock with other canteens' writers, holds its own canteen's
            db.execute_sql("SELECT pg_advisory_xact_lock_shared(%s)", (WRITE_LOCK_KEY,))
            db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (WRITE_LOCK_KEY, site_id))
        yield txn


def chain_lock(chain_id: int) -> None:
    """Hold one canteen's chain until the transaction ends (on a server; SQLite has one writer)."""
    db = current()
    if not isinstance(db, peewee.SqliteDatabase):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (WRITE_LOCK_KEY, chain_id))


def next_audit_seq(count: int | None = None):
    """The next key(s) of the audit trail, in writing order: on SQLite its one writer takes MAX + 1;
    on a server a sequence, so writers in different canteens never wait on one another for it."""
    db = current()
    n = count or 1
    if isinstance(db, peewee.SqliteDatabase):
        top = db.execute_sql('SELECT COALESCE(MAX("seq"), 0) FROM "audit_entry"').fetchone()[0]
        values = list(range(top + 1, top + n + 1))
    else:
        values = [row[0] for row in db.execute_sql(
            f"SELECT nextval('{migrations.AUDIT_SEQUENCE}') FROM generate_series(1, %s)", (n,)).fetchall()]
    return values if count is not None else values[0]


def sync_id_sequences(models, db: peewee.Database | None = None) -> None:
    """After rows were written with explicit ids (a whole database copied in by migrate-to), make
    PostgreSQL's id sequences continue after the highest id; SQLite needs nothing (it uses
    MAX(rowid)+1). Needs the owner of the tables: a canteen's own login may not setval, and its
    MAX sees only its canteen's rows, so nothing a canteen does calls this (bulk.new_ids draws)."""
    db = db or current()
    if isinstance(db, peewee.SqliteDatabase):
        return
    migrations.sync_audit_sequence(db)
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
    """Copy the open SQLite database with the online backup API (never a file copy).

    The copy is written as `TARGET.part` and renamed only once it passes integrity_check; on any
    failure (a full disk, a read-only folder) the `.part` file is removed and one line says why.
    A finished backup is noted in the database's backup log (see latest_backup). The command
    line's `backup` goes through the export pipeline instead (write_backup_copy), so that the
    backup is in the audit trail before it exists under its name."""
    target = Path(target)
    if not target.parent.exists():
        raise StorageError(f"The folder {target.parent} does not exist.", f"文件夹 {target.parent} 不存在。")
    tmp = target.with_name(target.name + ".part")
    try:
        write_backup_copy(tmp, target, db)
        os.replace(tmp, target)
    except BaseException as exc:
        remove_with_journal(tmp)
        if isinstance(exc, OSError):
            raise file_error(exc, target) from exc
        raise
    note_backup(Path((db or current()).database), target)
    return target


def write_backup_copy(part: Path, target: Path, db: peewee.Database | None = None) -> None:
    """The backup of the open database into `part` (checked whole), errors named after `target`;
    the caller renames it into place and removes `part` on failure."""
    db = db or current()
    if not is_sqlite(db):
        raise StorageError("Back up a PostgreSQL database with pg_dump.", "PostgreSQL 数据库请使用 pg_dump 备份。")
    try:
        _write_backup(db, Path(part))
    except sqlite3.Error as exc:
        remove_with_journal(Path(part))
        raise storage_error(exc, str(target)) from exc


def _write_backup(db: peewee.Database, tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    dest = sqlite3.connect(str(tmp))
    try:
        db.connection().backup(dest)
        ok = dest.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dest.close()
    if ok != "ok":
        raise StorageError("The backup copy failed its integrity check.", "备份副本未通过完整性检查。")


def remove_with_journal(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(str(path) + suffix).unlink(missing_ok=True)


def is_canteen_file(path: Path) -> bool:
    """A readable SQLite file that passes integrity_check and carries our schema marker."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return False
        with open(path, "rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return False
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return False
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            return row is not None
        finally:
            con.close()
    except (StorageError, sqlite3.Error, OSError):
        return False


def keep_aside(target: Path, label: str) -> Path:
    """Copy `target` to a new file beside it named `STEM.LABEL-DATE-TIME[-N].SUFFIX` and return it.

    The name is claimed with an exclusive create, so two copies made within the same second (two
    restores in a row) get two files, and an existing file is never deleted or overwritten. A file
    the backup API cannot read (a damaged one: that is often why it is being replaced) is copied
    byte for byte instead, so the evidence is kept as it was."""
    from .timeutil import to_local, utcnow
    stamp = to_local(utcnow()).strftime("%Y%m%d-%H%M%S")
    kept = claim_new_file(target, f"{label}-{stamp}")
    try:
        try:
            online_copy(target, kept)
        except sqlite3.DatabaseError:
            shutil.copyfile(target, kept)
            wal = Path(str(target) + "-wal")
            if wal.exists():
                shutil.copyfile(wal, Path(str(kept) + "-wal"))
    except BaseException as exc:
        remove_with_journal(kept)
        if isinstance(exc, OSError):
            raise file_error(exc, kept) from exc
        if isinstance(exc, sqlite3.Error):
            raise storage_error(exc, str(kept)) from exc
        raise
    return kept


def claim_new_file(target: Path, tag: str) -> Path:
    for n in range(1, 10_000):
        name = f"{target.stem}.{tag}{'' if n == 1 else f'-{n}'}{target.suffix}"
        candidate = target.with_name(name)
        try:
            with open(candidate, "xb"):
                return candidate
        except FileExistsError:
            continue
        except OSError as exc:
            raise file_error(exc, candidate) from exc
    raise StorageError(f"Too many kept copies beside {target}.", f"{target} 旁的保留副本过多。")


def put_in_place(prepared: Path, target: Path) -> None:
    """Rename a finished copy over `target` (atomic); the target's old WAL files go first, as they
    belong to the file being replaced."""
    try:
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        os.replace(prepared, target)
    except OSError as exc:
        raise file_error(exc, target) from exc


def online_copy(src: Path, dst: Path) -> None:
    """Copy with SQLite's backup API into `dst` (new or empty; never an existing database)."""
    s = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    try:
        d = sqlite3.connect(str(dst))
        try:
            s.backup(d)
        finally:
            d.close()
    finally:
        s.close()


def copy_file_before_migration(path: Path, from_version: int) -> Path | None:
    """Keep the file as it was before a schema change, beside it. A copy that cannot be finished
    (a full disk) is removed — no empty "copy" is left to be mistaken for one — and the schema
    change does not start."""
    if not path.exists():
        return None
    keep = path.with_name(f"{path.stem}.v{from_version}-before-migration{path.suffix}")
    if keep.exists():
        keep = claim_new_file(path, f"v{from_version}-before-migration")
    try:
        online_copy(path, keep) if path.stat().st_size else shutil.copy2(path, keep)
    except (OSError, sqlite3.Error) as exc:
        remove_with_journal(keep)
        cause = file_error(exc, keep) if isinstance(exc, OSError) else storage_error(exc, str(keep))
        raise StorageError(f"{path} needs an upgrade, and the copy kept before it could not be written: {cause.en} "
                           "The database was not changed.",
                           f"{path} 需要升级，但升级前的备份副本无法写入：{cause.zh} 数据库未做任何更改。") from exc
    return keep
