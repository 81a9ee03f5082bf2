"""What an import checks beyond each row's own validity: the same file brought in twice, and
rows that repeat a record already kept.

A file imported twice doubles a ledger without a word (five deliveries become ten), so a file
whose SHA-256 an earlier import of the same kind for the same canteen recorded is refused,
naming when and by whom, unless the user asks again with a reason (kept in the audit entry).
A row that repeats a stored record (the same delivery time, item, batch and supplier) may be
right — two identical crates — so it is imported and listed as a warning for the user to see.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from .errors import CanteenError, Said
from .models import AuditEntry
from .timeutil import to_local

# The fields that, with the record's event time, say "this is the same record", per kind.
SAME_RECORD = {
    "suppliers": ("name",), "certificates": ("supplier", "cert_type", "number"),
    "deliveries": ("item", "batch_no", "supplier"), "pesticide-tests": ("sample_name", "delivery", "method"),
    "menus": ("meal",), "samples": ("dish", "meal"), "staff": ("name",), "health-certificates": ("staff", "number"),
    "trainings": ("staff", "topic"), "morning-checks": ("staff",), "inspections": ("inspector",),
    "meetings": ("topics",), "accompanied-meals": ("meal", "leader"), "disinfections": ("meal", "items"),
    "water-supplies": ("boiler",), "container-cleanings": ("container",), "additive-uses": ("additive", "dish"),
    "shop-checks": ("product", "production_date"), "waste": ("kind",), "ledger": (), "ledger-months": ("month",),
}
EVENT_FIELD = {"datetime": "occurred_at", "date": "day", "none": None}


class AlreadyImported(CanteenError):
    """This very file (by SHA-256) was imported before as the same kind for the same canteen."""

    def __init__(self, file_name: str, at: dt.datetime, username: str, rows: Any):
        self.at, self.username = at, username
        when = f"{at:%Y-%m-%d %H:%M}"
        super().__init__(
            f"{file_name} was already imported on {when} by {username} ({rows} rows; same SHA-256); "
            f"nothing was imported. To import it again, give a reason (--again REASON).",
            f"{file_name} 已于 {when} 由 {username} 导入（{rows} 行，SHA-256 相同），本次未导入。"
            f"如需再次导入，请说明原因（--again 原因）。")


def earlier_import(site_id: int, kind: str, sha256: str, tz: str) -> AlreadyImported | None:
    """The refusal for a file imported before (the latest such import), or None for a new file."""
    entries = (AuditEntry.select(AuditEntry.at, AuditEntry.username, AuditEntry.after)
               .where((AuditEntry.action == "import") & (AuditEntry.site_id == site_id)
                      & (AuditEntry.record_kind == kind) & AuditEntry.after.contains(sha256))
               .order_by(AuditEntry.seq.desc()))
    for entry in entries:
        after = json.loads(entry.after or "{}")
        if after.get("sha256") == sha256:
            return AlreadyImported(after.get("file", ""), to_local(entry.at, tz), entry.username, after.get("rows", "?"))
    return None


@dataclass(frozen=True)
class Repeat:
    """Row `row` of the file is the same record as stored record `record_id` (or an earlier row)."""

    row: int
    record_id: int
    earlier_row: int | None = None


def repeated_rows(model, site_id: int, written: list[tuple[int, dict]]) -> list[Repeat]:
    """Rows (sheet row number, stored values with their new id) that repeat a record kept before
    this import, or an earlier row of the same file. Judged after writing, inside the import's
    transaction, so the file's own rows are told apart by id."""
    names = _identity(model)
    if not written or names is None:
        return []
    first_new = min(values["id"] for _row, values in written)
    stored = _stored_identities(model, site_id, names, [values for _row, values in written], first_new)
    repeats, seen = [], {}
    for row, values in written:
        key = tuple(_comparable(values.get(n)) for n in names)
        if key in stored:
            repeats.append(Repeat(row, stored[key]))
        elif key in seen:
            repeats.append(Repeat(row, seen[key][1], earlier_row=seen[key][0]))
        else:
            seen[key] = (row, values["id"])
    return repeats


def _identity(model) -> tuple[str, ...] | None:
    fields = SAME_RECORD.get(model.KIND)
    if fields is None:
        return None
    event = EVENT_FIELD[model.EVENT]
    return ((event,) if event else ()) + fields


def _stored_identities(model, site_id: int, names: tuple[str, ...], rows: list[dict], before_id: int) -> dict:
    query = model.live().where((model.site == site_id) & (model.id < before_id))
    days = [v["day"] for v in rows if v.get("day") is not None]
    if days and "day" in model._meta.fields:
        query = query.where(model.day.between(min(days), max(days)))
    columns = [model._meta.fields[n] for n in names]
    return {tuple(_comparable(v) for v in found[1:]): found[0]
            for found in query.select(model.id, *columns).tuples()}


def _comparable(value: Any) -> Any:
    """Stored and freshly cleaned values compare alike (a naive UTC moment, a trimmed name)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        return value.strip()
    return value


def describe(model, repeat: Repeat) -> Said:
    """"row 5: the same delivery as record #12 already kept (…); imported anyway" — for the user."""
    heads = "、".join(_label(model, n) for n in _identity(model) or ())
    if repeat.earlier_row is not None:
        return Said(f"row {repeat.row}: repeats row {repeat.earlier_row} ({heads}); imported anyway",
                    f"第 {repeat.row} 行：与第 {repeat.earlier_row} 行相同（{heads}），仍已导入")
    return Said(f"row {repeat.row}: the same as {model.ZH} #{repeat.record_id} already kept ({heads}); imported anyway",
                f"第 {repeat.row} 行：与已有的{model.ZH} #{repeat.record_id} 相同（{heads}），仍已导入")


def _label(model, name: str) -> str:
    if name == "occurred_at" or name == "day":
        return model.EVENT_ZH
    spec = model.field_spec(name)
    return spec.zh
