"""Checking an inspection archive against itself and against the database.

Three things must agree: the SHA-256 printed on the cover, the embedded records.json, and the
records as they now stand in the database. Any difference is one line in English; an empty
list means the archive is what the database says. The caller has opened the database. This
module reads the PDF; the comparison with the database is the core's
(`canteen.integrity.archive_check`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from canteen.integrity.archive_check import compare_with_database
from canteen.integrity.canonical import dumps, sha256_hex

from .archive import ATTACHMENT_NAME

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
