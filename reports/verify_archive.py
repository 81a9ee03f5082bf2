"""Checking an inspection archive against itself and against the database.

Three things must agree: the SHA-256 printed on the cover, the embedded records.json, and the
records as they now stand in the database. Any difference is one line in English; an empty
list means the archive is what the database says. The caller has opened the database.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from canteen.integrity.canonical import dumps, sha256_hex, snapshot
from canteen.models import REGISTRY, AuditEntry, Site

from .archive import ATTACHMENT_NAME, period_query

HASH_PATTERN = re.compile(r"EmbeddedrecordsSHA-256([0-9a-f]{64})")  # matched with all white space removed


def check_archive(path: str | Path) -> list[str]:
    """Problems found in the archive at `path`, one line each; empty when all agree."""
    try:
        reader = PdfReader(str(path))
        cover = reader.pages[0].extract_text() if reader.pages else ""
        embedded = reader.attachments.get(ATTACHMENT_NAME)
    except (OSError, PdfReadError, ValueError, KeyError) as exc:
        return [f"{path}: not a readable PDF ({exc})"]
    problems: list[str] = []
    printed = HASH_PATTERN.search(re.sub(r"\s+", "", cover))
    if not embedded:
        return [f"the PDF has no embedded {ATTACHMENT_NAME}: not an inspection archive, or the file was removed"]
    data = embedded[0]
    actual = sha256_hex(data)
    if printed is None:
        problems.append("the cover shows no SHA-256 of the embedded records (cover page changed or missing)")
    elif printed.group(1) != actual:
        problems.append(f"the embedded {ATTACHMENT_NAME} has SHA-256 {actual}, but the cover shows {printed.group(1)}")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return problems + [f"the embedded {ATTACHMENT_NAME} is not valid JSON"]
    if dumps(document).encode("utf-8") != data:
        problems.append(f"the embedded {ATTACHMENT_NAME} is not in canonical form (edited by hand?)")
    return problems + compare_with_database(document)


def compare_with_database(document: dict) -> list[str]:
    """Each archived record against the database row of the same id, and the period's rows back."""
    try:
        site_id = int(document["site"]["id"])
        start = dt.date.fromisoformat(document["period"]["start"])
        end = dt.date.fromisoformat(document["period"]["end"])
        archived = document["records"]
    except (KeyError, TypeError, ValueError):
        return ["the embedded records file lacks its site, period or records"]
    if Site.get_or_none(Site.id == site_id) is None:
        return [f"the database has no canteen with id {site_id}: wrong database for this archive"]
    problems = _chain_problems(document.get("chain_head") or {})
    for kind, rows in archived.items():
        model = REGISTRY.get(kind)
        if model is None:
            problems.append(f"unknown record type {kind!r} in the archive")
            continue
        current = {r.id: snapshot(r) for r in period_query(model, site_id, start, end)}
        seen = set()
        for row in rows:
            record_id = row.get("id")
            seen.add(record_id)
            now = current.get(record_id)
            if now is None:
                now_row = model.get_or_none(model.id == record_id)
                problems.append(f"{kind} #{record_id}: in the archive but "
                                + ("not in the database" if now_row is None else "no longer in this period"))
            elif now != row:
                fields = sorted(k for k in set(now) | set(row) if now.get(k) != row.get(k))
                problems.append(f"{kind} #{record_id}: differs from the database in {', '.join(fields)}")
        for extra in sorted(set(current) - seen):
            problems.append(f"{kind} #{extra}: in the database for this period but not in the archive")
    return problems


def _chain_problems(head: dict) -> list[str]:
    seq, digest = head.get("seq"), head.get("hash")
    if not seq:
        return []
    entry = AuditEntry.get_or_none(AuditEntry.seq == seq)
    if entry is None:
        return [f"audit chain entry {seq} named on the cover is missing from the database"]
    if entry.hash != digest:
        return [f"audit chain entry {seq} has hash {entry.hash}, the archive recorded {digest}"]
    return []
