"""The one way a file leaves the program: every document and spreadsheet goes through `export_file`.

An export is a recorded event (who took which records out, when, and the file's hash), and the
record must never be missing for a file that exists. So the steps run in this order:

1. permission: refused (and the refusal audited) before anything is read or written;
2. render into a temporary `.part` file beside the target (the same folder, so the final rename
   is atomic); the renderer is a callable handed in, so the core imports no ReportLab;
3. fsync the temporary file, so what was hashed is what is on the disk;
4. the "export" audit entry, with the temporary file's SHA-256, committed;
5. rename into place.

A kill at any moment therefore leaves either no file under the target name, or the file and its
entry; a kill between 4 and 5 leaves the entry without the file, which is true: the export was
made, and never delivered. Every failure removes the temporary file and is one line naming the
file and the cause (a full disk, a read-only or missing folder, no permission, a locked file).

A blank template (`write_beside`) holds no records: it is written the same careful way, without
the permission check and the audit entry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import signal
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..db import service_transaction
from ..errors import Cancelled, StorageError, ValidationError
from ..integrity import chain
from . import permissions

Render = Callable[[Path], "dict | None"]  # writes the whole file at the path it is given; returns facts to record
CancelCheck = Callable[[], bool]

# The fault suite's hook: with this variable set to a step's name, the process kills itself
# (SIGKILL, no clean-up) right after that step, so a test can prove what each moment leaves behind.
STOP_VARIABLE = "CANTEEN_FAULT_EXPORT_STOP"
STEPS = ("started", "rendered", "synced", "recorded", "placed")
FIXED_KEYS = ("document", "file", "sha256", "bytes", "from", "to")

_CAUSES = {
    errno.ENOSPC: ("the disk is full", "磁盘已满"),
    getattr(errno, "EDQUOT", -1): ("the disk quota is used up", "磁盘配额已用完"),
    errno.EROFS: ("the folder is read-only", "文件夹为只读"),
    errno.EACCES: ("permission denied", "没有写入权限"),
    errno.EPERM: ("permission denied", "没有写入权限"),
    errno.ENOENT: ("the folder does not exist", "文件夹不存在"),
    errno.ENOTDIR: ("a part of the path is not a folder", "路径中有一部分不是文件夹"),
    errno.EISDIR: ("it is a folder", "它是一个文件夹"),
    errno.ENAMETOOLONG: ("the name is too long", "文件名过长"),
    errno.EBUSY: ("the file is in use by another program", "文件正被其他程序占用"),
}
_WINDOWS_LOCKED = (32, 33)  # sharing or lock violation: the file is open in another program (e.g. Excel)


@dataclass(frozen=True)
class Exported:
    """A file in place and its audit entry: where, what, its hash and size, and the renderer's facts."""

    path: Path
    document: str
    sha256: str
    size: int
    facts: dict


def export_file(session, document: str, target: str | os.PathLike, render: Render, *,
                start: dt.date | None = None, end: dt.date | None = None,
                cancel: CancelCheck | None = None) -> Exported:
    """Write `target` with `render` and record the export, in the order that never leaves an
    unrecorded file (see the module's docstring). `document` names it in the audit trail: a
    document ("archive", "daily-sheet", …) or a record kind (a spreadsheet)."""
    permissions.require_export(session, document)
    target = writable_target(target)
    with _part_beside(target) as part:
        facts = _render(target, part, render, cancel)
        digest, size = _seal(target, part)
        record_export(session, document, target.name, digest, size, start, end, facts)
        _stop_after("recorded")
        _place(target, part, recorded=True)
    return Exported(target, document, digest, size, facts)


def write_beside(target: str | os.PathLike, render: Render) -> Path:
    """Write a file that is not an export of records (a blank template) with the same care:
    a temporary file, fsync, rename; one line naming the file and the cause on failure."""
    target = writable_target(target)
    with _part_beside(target) as part:
        _render(target, part, render, None)
        _seal(target, part)
        _place(target, part, recorded=False)
    return target


def record_export(session, document: str, file_name: str, sha256: str, size: int,
                  start: dt.date | None, end: dt.date | None, facts: dict) -> None:
    """The one "export" audit entry: document, file name, sha256, bytes, period, then the facts."""
    clash = [key for key in facts if key in FIXED_KEYS]
    if clash:
        raise ValueError(f"an export's facts may not replace {clash}")
    after = {"document": document, "file": file_name, "sha256": sha256, "bytes": size,
             "from": start.isoformat() if start else None, "to": end.isoformat() if end else None, **facts}
    with service_transaction(session.site_id):
        chain.append("export", user=session.user, site_id=session.site_id, kind=document, after=after,
                     at=session.now())


def writable_target(target: str | os.PathLike) -> Path:
    """The target as a path, refused early when it cannot be a new file: its folder is missing,
    or it names a folder. The desk calls this too, to answer before it starts a worker."""
    target = Path(target).expanduser()
    if target.is_dir():
        raise file_problem(target, IsADirectoryError(errno.EISDIR, "is a folder"))
    if not target.parent.is_dir():
        raise file_problem(target, FileNotFoundError(errno.ENOENT, "no such folder"))
    return target


def file_problem(target: Path, exc: OSError, recorded: bool = False) -> StorageError:
    """An operating-system error as one line naming the file and the cause, in both languages."""
    if getattr(exc, "winerror", None) in _WINDOWS_LOCKED:
        en, zh = _CAUSES[errno.EBUSY]
    else:
        en, zh = _CAUSES.get(exc.errno, (exc.strerror or type(exc).__name__, exc.strerror or type(exc).__name__))
    if recorded:
        return StorageError(f"Cannot put {target} in place: {en}. The export is in the audit trail, but no file "
                            "was written under that name.",
                            f"无法将 {target} 放到位：{zh}。导出已记入审计记录，但该文件名下没有写入文件。")
    return StorageError(f"Cannot write {target}: {en}; nothing was written.", f"无法写入 {target}：{zh}，未写入任何内容。")


@contextlib.contextmanager
def _part_beside(target: Path) -> Iterator[Path]:
    """A fresh temporary file in the target's folder, removed on every way out but the rename.

    Created here (not by the renderer) so that a read-only or full folder is refused at once,
    before a long render; not with mkstemp, whose owner-only permissions would stay on the file."""
    part = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        with open(part, "xb"):
            pass
    except OSError as exc:
        raise file_problem(target, exc) from None
    try:
        _stop_after("started")
        yield part
    finally:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)


def _render(target: Path, part: Path, render: Render, cancel: CancelCheck | None) -> dict:
    try:
        facts = dict(render(part) or {})
    except OSError as exc:
        raise file_problem(target, exc) from None
    if cancel is not None and cancel():
        raise Cancelled("Export cancelled; nothing was written.", "导出已取消，未写入任何内容。")
    _stop_after("rendered")
    return facts


def _seal(target: Path, part: Path) -> tuple[str, int]:
    """fsync the finished temporary file and hash it as it is on the disk."""
    digest, size = hashlib.sha256(), 0
    try:
        with open(part, "r+b") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
            os.fsync(fh.fileno())
    except OSError as exc:
        raise file_problem(target, exc) from None
    if size == 0:  # a renderer that wrote nothing: never record an empty file as an export
        raise ValidationError("file", f"{target} was not written", f"{target} 未写出", "File", "文件")
    _stop_after("synced")
    return digest.hexdigest(), size


def _place(target: Path, part: Path, recorded: bool) -> None:
    try:
        os.replace(part, target)
    except OSError as exc:
        raise file_problem(target, exc, recorded=recorded) from None
    _sync_folder(target.parent)
    _stop_after("placed")


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); where folders cannot be opened, the rename stands."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        handle = os.open(folder, flags)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _stop_after(step: str) -> None:
    if os.environ.get(STOP_VARIABLE) == step:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
