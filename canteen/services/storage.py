"""The files of the database, as the desk and the command line ask for them.

The desk needs to know where the database is, whether there is one, to open or create it, to
take back a first start that failed half-way, and to let go of a worker thread's connection;
the restore offer needs the time of the latest backup. Each of those is one call here, and each
is a thin call into `canteen/db.py`, which stays the one module that touches database files.
So `ui/` reaches no peewee, no `canteen.models` and no `canteen.db`, and a change of how files
are kept (a new journal mode, a new server) is made in one place.

Importing this module imports the models, which register the tables that `open_canteen`
creates and migrates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import peewee

from canteen import db
from canteen.models import Site


def default_url() -> str:
    """`CANTEEN_DB` if set, else the file in the user's data folder."""
    return db.default_url()


def display(url: str) -> str:
    """The URL as it may be shown: a server password is masked."""
    return db.display_url(url)


def is_server(url: str) -> bool:
    """Whether `url` names a PostgreSQL server rather than a file."""
    return db.is_postgres(url)


def exists(url: str) -> bool:
    """Whether there is a database to open at `url` (a non-empty file, or a server database with
    tables); StorageError when a server cannot be reached."""
    return db.holds_database(url)


def prepare_folder(url: str) -> None:
    """Make the folder a new database file will live in; a server needs none."""
    if not db.is_postgres(url):
        db.sqlite_path(url).parent.mkdir(parents=True, exist_ok=True)


def open_canteen(url: str | None = None, *, create: bool = False) -> peewee.Database:
    """Open (with `create`, make) the database at `url` and bind the process to it, migrated.

    Raises DamagedDatabase for a file found damaged, StorageError for anything else that keeps
    it from opening — before anything is written to it."""
    return db.open_database(url, create=create)


def has_site() -> bool:
    """Whether the open database holds a canteen yet: a first start that failed before the site
    was written leaves nothing worth keeping."""
    try:
        return Site.select().exists()
    except Exception:  # no tables, or no database bound: nothing there either way
        return False


def first_site_name() -> str:
    """The name the sign-in dialog shows: the canteen of a one-canteen database."""
    site = Site.select().order_by(Site.id).first()
    return site.name if site else ""


def remove_partial(url: str) -> None:
    """Delete the file (with its journal, -wal and -shm) of a database that a cancelled or
    failed first build, init or copy created, so that the next try starts from nothing.

    A server database is left alone: its tables were made in a transaction that rolled back."""
    if db.is_postgres(url):
        return
    db.close()  # an open file cannot be deleted on Windows
    db.remove_with_journal(db.sqlite_path(url))


def close() -> None:
    """Close this thread's connection to the open database (the process stays bound to it)."""
    db.close()


def close_thread_connection() -> None:
    """peewee keeps one connection per thread; a worker's ends with the worker, quietly, since
    the database may already be gone (a cancelled first build removes it)."""
    try:
        db.close()
    except Exception:
        pass


def backup_time(backup: Path) -> dt.datetime:
    """When the backup file `backup` was taken, in local time, for "restore the latest backup
    (date)"."""
    return db.backup_time(Path(backup))
