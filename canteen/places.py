"""Where a database lives, told from its URL alone: a server or a file, and the file behind it.

Nothing here loads peewee or a database driver, so the desk can decide how to start (the sign-in
window at once, or the first-start dialog) before it imports the rest of the core.
"""

from __future__ import annotations

from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def sqlite_path(url: str) -> Path:
    """The file behind a plain path or a `sqlite:///relative` / `sqlite:////absolute` URL."""
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///"):]
    return Path(url).expanduser()


def begins_as_sqlite(url: str) -> bool:
    """Whether the file behind `url` exists and begins as an SQLite database does (only its first
    bytes are read: whether it is a sound canteen database is for opening it to say)."""
    try:
        with open(sqlite_path(url), "rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False
