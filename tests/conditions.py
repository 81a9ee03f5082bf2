"""What the machine must offer for some tests, checked once and declared as markers, so a test
that cannot run here is skipped before it starts, with the reason in the report:

- `needs_postgres`: a PostgreSQL server named in CANTEEN_TEST_POSTGRES that answers, and its driver;
- `needs_file_modes`: file permissions that apply (as root, `setpriv` must be able to drop them);
- `needs_tmpfs`: a small tmpfs can be mounted (root, and a kernel that allows it) to fill a disk.

`small_tmpfs` mounts one for a test; the probe has shown that it can, so a failure there is a
failure of the test, not a skip."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest

POSTGRES_SERVER = os.environ.get("CANTEEN_TEST_POSTGRES", "")


def server_admin():
    """A connection to the server's maintenance database, in autocommit (CREATE DATABASE needs it)."""
    import psycopg2
    con = psycopg2.connect(POSTGRES_SERVER)
    con.autocommit = True
    return con


@cache
def postgres_unavailable() -> str:
    """Why the PostgreSQL tests cannot run here ("" when they can): no server named in
    CANTEEN_TEST_POSTGRES, no driver (the `postgres` extra), or a server that does not answer."""
    if not POSTGRES_SERVER:
        return "no PostgreSQL server: set CANTEEN_TEST_POSTGRES=postgresql://…"
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return "no PostgreSQL driver: pip install -e '.[postgres]'"
    try:
        server_admin().close()
    except Exception as exc:  # noqa: BLE001 (any refusal of the server is a reason to skip)
        return f"the PostgreSQL server in CANTEEN_TEST_POSTGRES does not answer: {' '.join(str(exc).split())}"
    return ""


def file_modes_ignored() -> str:
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        return "running as root without setpriv: root writes where file modes forbid it"
    return ""


@cache
def tmpfs_unavailable() -> str:
    """Why no small file system can be mounted here ("" when one can), found by mounting one."""
    if shutil.which("mount") is None:
        return "no mount command here to make a small file system"
    with tempfile.TemporaryDirectory() as probe:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], capture_output=True,
                              text=True)
        if done.returncode != 0:
            return f"cannot mount a small tmpfs here ({done.stderr.strip() or 'not root'})"
        subprocess.run(["umount", "-l", probe], capture_output=True)
    return ""


needs_postgres = pytest.mark.skipif(bool(postgres_unavailable()), reason=postgres_unavailable() or "-")
needs_file_modes = pytest.mark.skipif(bool(file_modes_ignored()), reason=file_modes_ignored() or "-")
needs_tmpfs = pytest.mark.skipif(bool(tmpfs_unavailable()), reason=tmpfs_unavailable() or "-")


@contextlib.contextmanager
def small_tmpfs(folder: Path, options: str):
    """A tmpfs mounted at `folder` for the length of the block (`options` as for mount: size=…, ro)."""
    folder.mkdir(exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True,
                   check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
