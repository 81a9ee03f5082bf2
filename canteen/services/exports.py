"""Every export is itself a recorded event: who took which records out, when, and the file's hash."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from ..db import service_transaction
from ..errors import ValidationError
from ..integrity import chain
from . import permissions


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def record_export(session, what: str, path: Path, start: dt.date | None = None, end: dt.date | None = None,
                  **facts) -> None:
    """Append an "export" entry to the audit trail after a file was written (archive, sheet, CSV …)."""
    permissions.require_export(session, what)
    path = Path(path)
    if not path.is_file():  # the export is recorded with the hash of what was written, so it must exist
        raise ValidationError("file", f"{path} was not written", f"{path} 未写出", "File", "文件")
    after = {"document": what, "file": path.name, "sha256": file_sha256(path), "bytes": path.stat().st_size,
             "from": start.isoformat() if start else None, "to": end.isoformat() if end else None, **facts}
    with service_transaction():
        chain.append("export", user=session.user, site_id=session.site.id, kind=what, after=after,
                     at=session.now())
