"""Putting a backup back in place of a canteen database, without losing anything silently.

A restore is a rollback of the audit trail to the backup's chain head. Before anything is
replaced, `plan_restore` says what the current database holds beyond that head — the records
and audit entries that will be gone from the restored database, by kind, with the time of the
last one. `carry_out` then needs a reason and a user who signs in (against the backup, whose users
are the ones that will stand), writes a "restore" entry into the restored copy naming the chain
head it replaces, keeps the replaced file beside it under a name no other copy has, and only
then renames the copy into place. `canteen verify` reports every such entry as a rollback.

Both files are read through read-only connections until the final rename, so a plan that is
not carried out changes nothing.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from . import db
from .errors import StorageError, ValidationError
from .integrity.chain import GENESIS, ChainHead
from .read.kinds import kind_label
from .vocabulary import action_label

RESTORERS = {"admin", "director", "manager"}
RESTORE_ACTION = "restore"
RECORD_ACTIONS = ("create", "amend", "void")


@dataclass
class RestorePlan:
    """What restoring `source` over `target` would do; `lost_by_kind` is ((action, kind), count)."""

    source: Path
    target: Path
    backup_head: ChainHead
    current_head: ChainHead | None = None  # None: no database at the target
    common_seq: int = 0
    lost_entries: int = 0
    lost_records: int = 0
    lost_by_kind: list[tuple[tuple[str, str], int]] = field(default_factory=list)
    last_lost: tuple[str, str, dt.datetime | None] | None = None  # action, kind, local time
    unreadable: str = ""  # why the current database could not be read, if it could not

    def loses_nothing(self) -> bool:
        return self.current_head is None or (not self.unreadable and self.lost_entries == 0)

    def lines(self) -> list[tuple[str, str]]:
        """What would be lost, as (English, Chinese) lines for the command line and the desk."""
        if self.current_head is None:
            return [(f"No database at {self.target}: nothing will be replaced.",
                     f"{self.target} 没有数据库：不会替换任何内容。")]
        if self.unreadable:
            return [(f"The current database {self.target} cannot be read ({self.unreadable}): what it holds beyond the "
                     "backup is unknown. It will be kept as a copy beside it.",
                     f"当前数据库 {self.target} 无法读取（{self.unreadable}）：其中比备份多出的内容无法得知。"
                     "它将作为副本保留在旁边。")]
        head = (f"The backup ends at audit entry {self.backup_head.seq}; the current database at "
                f"{self.current_head.seq}.", f"备份止于审计记录 {self.backup_head.seq}；当前数据库止于 {self.current_head.seq}。")
        if self.lost_entries == 0:
            return [head, ("Nothing entered since the backup will be lost.", "备份之后没有录入任何内容，不会丢失。")]
        out = [head, (f"Will be lost: {self.lost_records} record change(s) in {self.lost_entries} audit entries "
                      f"after entry {self.common_seq}:",
                      f"将丢失：审计记录 {self.common_seq} 之后 {self.lost_entries} 条审计记录中的 {self.lost_records} 次记录变更：")]
        for (action, kind), count in self.lost_by_kind:
            en, zh = what_was_done(action, kind)
            out.append((f"  {count} × {en}", f"  {count} × {zh}"))
        if self.last_lost:
            action, kind, when = self.last_lost
            stamp = when.strftime("%Y-%m-%d %H:%M") if when else "?"
            en, zh = what_was_done(action, kind)
            out.append((f"The last one: {en} at {stamp}.", f"最后一条：{stamp} {zh}。"))
        return out


def what_was_done(action: str, kind: str) -> tuple[str, str]:
    """An audit entry in words, as the audit page says it ("Created · Suppliers", "新建 · 供货者")."""
    return tuple(" · ".join(filter(None, (action_label(action, language), kind and kind_label(kind, language))))
                 for language in ("en", "zh"))


def plan_restore(source: Path, target: Path) -> RestorePlan:
    """Read both files (read-only) and work out what restoring would lose."""
    source, target = Path(source), Path(target)
    if not db.is_canteen_file(source):
        raise StorageError(f"{source} is not a valid canteen database; nothing was changed.",
                           f"{source} 不是有效的食堂台账数据库，未做任何更改。")
    with _read_only(source) as backup:
        plan = RestorePlan(source, target, _head(backup))
    if not (target.exists() and target.stat().st_size > 0):
        return plan
    try:
        with _read_only(target) as current:
            plan.current_head = _head(current)
            with _read_only(source) as backup:
                plan.common_seq = _common_seq(backup, current, plan.backup_head, plan.current_head)
            _count_lost(current, plan)
    except sqlite3.Error as exc:
        plan.current_head = plan.current_head or ChainHead(0, GENESIS)
        plan.unreadable = " ".join(str(exc).split())[:120]
    return plan


class _read_only:
    """A read-only sqlite3 connection for the length of a block."""

    def __init__(self, path: Path):
        self.con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=db.BUSY_TIMEOUT_MS / 1000)

    def __enter__(self) -> sqlite3.Connection:
        return self.con

    def __exit__(self, *exc) -> None:
        self.con.close()


def _head(con: sqlite3.Connection) -> ChainHead:
    row = con.execute("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1").fetchone()
    return ChainHead(int(row[0]), row[1]) if row else ChainHead(0, GENESIS)


def _hash_at(con: sqlite3.Connection, seq: int) -> str | None:
    row = con.execute("SELECT hash FROM audit_entry WHERE seq = ?", (seq,)).fetchone()
    return row[0] if row else None


def _common_seq(backup, current, backup_head: ChainHead, current_head: ChainHead) -> int:
    """The last entry both trails share. Each hash covers the one before it, so equal hashes at
    a position mean equal trails up to there: a binary search finds where they part."""
    low, high = 0, min(backup_head.seq, current_head.seq)
    while low < high:
        mid = (low + high + 1) // 2
        if _hash_at(backup, mid) is not None and _hash_at(backup, mid) == _hash_at(current, mid):
            low = mid
        else:
            high = mid - 1
    return low


def _count_lost(current: sqlite3.Connection, plan: RestorePlan) -> None:
    after = plan.common_seq
    rows = current.execute("SELECT action, record_kind, COUNT(*) FROM audit_entry WHERE seq > ? "
                           "GROUP BY action, record_kind ORDER BY COUNT(*) DESC, action, record_kind", (after,)).fetchall()
    plan.lost_by_kind = [((action, kind or ""), count) for action, kind, count in rows]
    plan.lost_entries = sum(count for _, count in plan.lost_by_kind)
    plan.lost_records = sum(count for (action, kind), count in plan.lost_by_kind if action in RECORD_ACTIONS)
    last = current.execute("SELECT action, record_kind, at FROM audit_entry WHERE seq > ? ORDER BY seq DESC LIMIT 1",
                           (after,)).fetchone()
    if last:
        plan.last_lost = (last[0], last[1] or "", _local(last[2]))


def _local(stored) -> dt.datetime | None:
    from .timeutil import to_local
    try:
        return to_local(dt.datetime.fromisoformat(str(stored)).replace(tzinfo=None))
    except ValueError:
        return None


def clean_reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise ValidationError("reason", "is required: a restore must say why", "必须填写：恢复备份须说明原因", "Reason", "原因")
    if len(text) > 500:
        raise ValidationError("reason", "is longer than 500 characters", "超过 500 个字符", "Reason", "原因")
    return text


def carry_out(plan: RestorePlan, reason: str, username: str, password: str) -> Path | None:
    """Restore as planned; returns the kept copy of the replaced database (None if there was none).

    The backup is copied beside the target, the user signs in against that copy, the restore
    entry is written into it, the old file is kept aside, and the copy is renamed into place.
    Any failure before the rename leaves the target exactly as it was."""
    reason = clean_reason(reason)
    working = db.claim_new_file(plan.target, "restoring")
    try:
        db.online_copy(plan.source, working)
        _record_restore(working, plan, reason, username, password)
        kept = db.keep_aside(plan.target, "before-restore") if plan.current_head is not None else None
        db.put_in_place(working, plan.target)
    finally:
        db.remove_with_journal(working)
    return kept


def _record_restore(working: Path, plan: RestorePlan, reason: str, username: str, password: str) -> None:
    from .integrity import chain
    from .services import permissions, users
    handle = db.open_database(str(working))
    try:
        session = users.login(username, password)
        permissions.require_role(session, RESTORERS, "restore the database")
        replaced = plan.current_head or ChainHead(0, GENESIS)
        with db.service_transaction():
            chain.append(RESTORE_ACTION, user=session.user, site_id=session.site.id, kind="database",
                         before={"seq": replaced.seq, "hash": replaced.hash, "file": str(plan.target),
                                 "lost_entries": plan.lost_entries, "unreadable": plan.unreadable},
                         after={"seq": plan.backup_head.seq, "hash": plan.backup_head.hash,
                                "source": str(plan.source)},
                         reason=reason, at=session.now())
    finally:
        handle.close()
        db.database.initialize(None)
