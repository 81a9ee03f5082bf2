"""Check the whole database for changes made outside the program, and say exactly where.

Three passes, each streaming rows in order so a 2000-day database needs little memory:

1. the audit trail: every entry's hash is recomputed, every link to the previous entry checked,
   gaps in the sequence reported, and an optional anchor "SEQ:HASH" (a head printed earlier,
   e.g. on a signed daily sheet) must still be there unchanged — this catches a truncated trail
   and a trail recomputed from scratch after its triggers were dropped;
2. the records: every record's canonical content must equal the last snapshot the audit trail
   holds for it; records missing from the trail or from the tables are reported;
3. the signatures: each verifies with its signer's public key, belongs to the record and entry
   it claims, covers content that matches the record (the audit snapshot for an older version),
   and agrees with the chain head it recorded.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..db import current
from ..errors import ValidationError
from ..models import REGISTRY, AuditEntry, Signature, User, UserKey
from ..timeutil import to_local
from . import chain
from .canonical import plain, sha256_hex, text_digests
from .chain import GENESIS, ChainHead
from .record_text import record_batches
from .signatures import payload_for, payload_of, signature_valid

PROGRESS_EVERY = 2000
ENTRY_COLUMNS = ("seq", "chain_id", "chain_seq", "at", "site_id", "user_id", "username", "action", "record_kind", "record_id",
                 "record_version", "before", "after", "reason", "format", "prev_hash", "hash")
SNAPSHOT_ACTIONS = {"create", "amend", "void"}  # entries whose "after" is the record's whole canonical content


@dataclass(frozen=True)
class Problem:
    """One finding of tampering, in both languages, with the place it was found."""

    code: str
    en: str
    zh: str
    where: str
    seq: int | None = None
    kind: str = ""
    record_id: int | None = None
    signature_id: int | None = None

    def text(self, language: str = "en") -> str:
        return self.zh if language.startswith("zh") else self.en


@dataclass
class VerifyReport:
    problems: list[Problem] = field(default_factory=list)
    head: ChainHead = field(default_factory=lambda: ChainHead(0, GENESIS))
    heads: dict[int, ChainHead] = field(default_factory=dict)  # each canteen's chain head (0: the district's)
    entries_checked: int = 0
    records_checked: int = 0
    signatures_checked: int = 0
    seconds: float = 0.0
    anchor: str | None = None
    # Restores found in the trail, as (English, Chinese) lines: a rollback the program made and
    # recorded is reported for what it is, not as tampering, and does not count as a problem.
    rollbacks: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, code: str, where: str, en: str, zh: str, **place) -> None:
        self.problems.append(Problem(code, en, zh, where, **place))

    def summary(self, language: str = "en") -> str:
        if self.ok:
            if language.startswith("zh"):
                return (f"未发现篡改：已核对 {self.entries_checked} 条审计记录、{self.records_checked} 条记录、"
                        f"{self.signatures_checked} 个签名；链头 {self.head}。")
            return (f"No tampering found: {self.entries_checked} audit entries, {self.records_checked} records, "
                    f"{self.signatures_checked} signatures checked; head {self.head}.")
        if language.startswith("zh"):
            return f"发现 {len(self.problems)} 处篡改或损坏。"
        return f"{len(self.problems)} problem(s) found: the database was changed outside the program."


class AnchorError(ValidationError, ValueError):
    """A malformed --anchor: the command cannot be done (not a finding of tampering)."""


def parse_anchor(anchor: str) -> ChainHead:
    """"SEQ:HASH" as printed on a daily sheet or by `canteen verify`; AnchorError if malformed."""
    seq, _, digest = (anchor or "").strip().partition(":")
    if not seq.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest.lower()):
        raise AnchorError("anchor", f"looks like SEQ:HASH (a number, a colon, 64 hex digits), not {anchor!r}",
                          f"格式应为 序号:哈希（数字、冒号、64 位十六进制），而不是“{anchor}”", "Anchor", "锚点")
    return ChainHead(int(seq), digest.lower())


class _Progress:
    def __init__(self, callback: Callable[[int, int], None] | None, total: int):
        self.callback, self.total, self.done = callback, total, 0

    def step(self) -> None:
        self.advance(1)

    def advance(self, count: int) -> None:
        """`count` more done: the callback hears of it each time another PROGRESS_EVERY are."""
        before, self.done = self.done, self.done + count
        if self.callback and self.done // PROGRESS_EVERY > before // PROGRESS_EVERY:
            self.callback(self.done, self.total)

    def finish(self) -> None:
        if self.callback:
            self.callback(self.total, self.total)


def verify_database(anchor: str | None = None, progress: Callable[[int, int], None] | None = None,
                    site_id: int | None = None) -> VerifyReport:
    """Verify the open database — with `site_id`, that canteen alone: its chain (after the era-1
    entries every chain starts from), its records, signatures, keys and attachments. An anchor
    is a position in one canteen's chain: with several canteens, name the canteen.
    `progress(done, total)` is called now and then for long runs."""
    started = time.perf_counter()
    report = VerifyReport(anchor=anchor)
    wanted = parse_anchor(anchor) if anchor else None
    with current().atomic():  # one read snapshot: writes made meanwhile by others are not half-seen
        scope = _Scope(site_id, chain.era1_head(), wanted)
        sigs = list(_of_site(Signature.select(), Signature, site_id).order_by(Signature.id))
        total = AuditEntry.select().count() + sum(m.select().count() for m in REGISTRY.values()) + len(sigs)
        tick = _Progress(progress, total)
        trail = _Trail(sigs, scope)
        _check_chain(report, trail, wanted, tick)
        _check_receipts(report, site_id)
        current_hashes = _check_records(report, trail, tick)
        _check_signatures(report, sigs, trail, current_hashes, tick)
        _check_attachments(report, trail)
    tick.finish()
    report.seconds = time.perf_counter() - started
    return report


def _of_site(query, model, site_id: int | None):
    return query if site_id is None else query.where(model.site == site_id)


class _Scope:
    """Which chains are verified and where each starts: every chain begins right after the era-1
    head (see canteen/integrity/chain.py); an entry is placed by (chain, position), chain None
    for era 1, where the position is the global seq."""

    def __init__(self, site_id: int | None, era1: ChainHead, wanted: ChainHead | None):
        from ..models import Site
        self.site_id, self.era1 = site_id, era1
        only = list(Site.select(Site.id).limit(2))
        self.home = site_id if site_id is not None else (only[0].id if len(only) == 1 else None)
        if wanted and wanted.seq > era1.seq and self.home is None:
            raise AnchorError("anchor", "belongs to one canteen's chain: name the canteen (--site NAME)",
                              "属于某个食堂的审计链：请指定食堂（--site 名称）", "Anchor", "锚点")

    def place(self, row: dict) -> tuple[int | None, int]:
        if row["chain_id"] is None:
            return None, row["seq"]
        return row["chain_id"], row["chain_seq"]

    def chain_at(self, site_id: int | None, position: int) -> int | None:
        """The chain holding `position` of a canteen's numbering: era 1 up to its head, then its own."""
        return None if position <= self.era1.seq else chain.chain_of(site_id)

    def verified(self, row: dict) -> bool:
        """Whether the row is in the chains verified (era 1 always: every chain stands on it)."""
        return self.site_id is None or row["chain_id"] is None or row["chain_id"] == self.site_id

    def kept(self, row: dict) -> bool:
        """Whether the later passes need the row (with a site: that canteen's entries only)."""
        return self.site_id is None or row["site_id"] == self.site_id


class _Trail:
    """What the chain pass keeps for the later passes, limited to what they need."""

    def __init__(self, sigs: list, scope: _Scope):
        self.scope = scope
        self.signed = {(s.record_kind, s.record_id) for s in sigs}
        self.head_seqs = {(scope.chain_at(s.site_id, s.chain_seq), s.chain_seq) for s in sigs if s.chain_seq is not None}
        self.latest: dict[tuple[str, int], tuple[int, str, int]] = {}  # (kind, id) -> (seq, after sha, version)
        self.versions: dict[tuple[str, int, int], str] = {}  # signed records: (kind, id, version) -> after sha
        self.hash_at: dict[tuple, str] = {}  # stored hash of entries that signatures point at, by (chain, position)
        self.sign_entries: dict[tuple, tuple[str, int, str, int]] = {}  # (chain, position) -> (kind, id, sig hex, seq)
        self.received: dict[tuple, dict] = {}  # (chain, position) -> the canteen's signed fields (a pushed signature)
        self.key_issued: dict[int, int] = {}  # key id -> seq of its key-issue entry
        self.key_public: dict[int, str] = {}  # key id -> public key (hex) as the trail recorded it
        self.attached: dict[int, tuple[int, str]] = {}  # attachment id -> (seq, sha256 the trail recorded)

    def keep(self, row: dict, place: tuple) -> None:
        """What the later passes need of an entry; `place` is where the entry is (_Scope.place)."""
        seq, kind, action = row["seq"], row["record_kind"], row["action"]
        if place in self.head_seqs:
            self.hash_at[place] = row["hash"]
        if action in SNAPSHOT_ACTIONS:  # most entries: a record written
            self._keep_snapshot(row)
        elif action == "sign":
            after = _json(row["after"]) or {}
            self.sign_entries[place] = (kind, row["record_id"], str(after.get("signature", "")), seq)
            if isinstance(after.get("received"), dict):
                self.received[place] = after["received"]
        elif action == "key-issue" and row["record_id"] is not None:
            self.key_issued[row["record_id"]] = seq
            self.key_public[row["record_id"]] = str((_json(row["after"]) or {}).get("public_key", ""))
        elif action == "attach":
            self.attached[int((_json(row["after"]) or {}).get("attachment") or 0)] = (
                seq, str((_json(row["after"]) or {}).get("sha256", "")))

    def _keep_snapshot(self, row: dict) -> None:
        kind, after = row["record_kind"], row["after"]
        if kind in REGISTRY and after is not None:
            digest = sha256_hex(after)
            self.latest[(kind, row["record_id"])] = (row["seq"], digest, row["record_version"])
            if (kind, row["record_id"]) in self.signed:
                self.versions[(kind, row["record_id"], row["record_version"])] = digest


def _json(text):
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _entry_batches():
    """The trail in order, a few thousand entries at a time, each entry a tuple of ENTRY_COLUMNS."""
    cursor = current().execute_sql(f"SELECT {', '.join(ENTRY_COLUMNS)} FROM audit_entry ORDER BY seq")
    while True:
        rows = cursor.fetchmany(5000)
        if not rows:
            return
        yield rows


_ENTRY_HASHES = chain.batch_hasher(ENTRY_COLUMNS)


def _check_chain(report: VerifyReport, trail: _Trail, wanted: ChainHead | None, tick: _Progress) -> None:
    scope = trail.scope
    ends: dict[int | None, tuple[int, str]] = {None: (0, GENESIS)}  # chain -> (position, hash) of its last entry
    anchor_at = (scope.chain_at(scope.home, wanted.seq), wanted.seq) if wanted else None
    anchor_seen = False
    whole, start = scope.site_id is None, (scope.era1.seq, scope.era1.hash)  # whole: every entry verified and kept
    for batch in _entry_batches():
        tick.advance(len(batch))
        for values, recomputed in zip(batch, _ENTRY_HASHES(batch)):
            row = dict(zip(ENTRY_COLUMNS, values))
            if not (whole or scope.verified(row)):
                continue
            report.entries_checked += 1
            key, pos = place = scope.place(row)
            prev_pos, prev_hash = ends.get(key, start)
            if pos != prev_pos + 1 or row["prev_hash"] != prev_hash or recomputed != row["hash"]:
                _check_link(report, row, recomputed, key, pos, prev_pos, prev_hash)
            if anchor_at == place:
                anchor_seen = True
                _check_anchor_entry(report, wanted, row)
            if row["action"] == "restore":
                report.rollbacks.append(rollback_line(row))
            if whole or scope.kept(row):
                trail.keep(row, place)
            ends[key] = (pos, row["hash"])
    _check_era1_end(report, scope, ends[None])
    report.heads = {key: ChainHead(*end) for key, end in ends.items() if key is not None}
    home = report.heads.get(scope.home) if scope.home is not None else None
    report.head = home or ChainHead(*ends.get(scope.home, ends[None]))
    if wanted and not anchor_seen:
        report.add("anchor-missing", f"audit entry {wanted.seq}",
                   f"The audit trail no longer contains entry {wanted.seq} of the anchor {wanted}: "
                   f"it ends at {report.head.seq} or lost that entry (truncated).",
                   f"审计记录中已没有锚点 {wanted} 的第 {wanted.seq} 条：记录止于 {report.head.seq} 或该条已被删除（被截断）。",
                   seq=wanted.seq)


def _check_link(report: VerifyReport, row: dict, recomputed: str | None, key, pos: int, prev_pos: int,
                prev_hash: str) -> None:
    """The entry follows the last one of its chain, and its content still matches its hash. It
    is placed by its key in the table (`seq`, as the audit page lists it); the text names its chain."""
    where = f"audit entry {row['seq']}"
    if pos != prev_pos + 1:
        _report_gap(report, prev_pos, pos, key)
    elif row["prev_hash"] != prev_hash:
        report.add("link-broken", where,
                   f"Audit entry {pos}{_of_chain(key)} does not follow entry {prev_pos}: one of them was changed or replaced.",
                   f"审计记录 {pos}{_of_chain(key, 'zh')}与前一条（{prev_pos}）衔接不上：其中一条被修改或替换。", seq=row["seq"])
    if recomputed != row["hash"]:
        report.add("entry-altered", where,
                   f"Audit entry {pos}{_of_chain(key)} ({row['action']} {row['record_kind']} {row['record_id'] or ''}) "
                   "was changed: its content no longer matches its hash.",
                   f"审计记录 {pos}{_of_chain(key, 'zh')}（{row['action']} {row['record_kind']} {row['record_id'] or ''}）"
                   "已被修改：内容与其哈希不符。", seq=row["seq"])


def _check_era1_end(report: VerifyReport, scope: _Scope, end: tuple[int, str]) -> None:
    """The single chain kept before the chain per canteen must still end where step 6 found it."""
    if scope.era1.seq and end != (scope.era1.seq, scope.era1.hash):
        report.add("era1-end", f"audit entry {scope.era1.seq}",
                   f"The audit trail kept before the chain per canteen no longer ends at entry {scope.era1.seq} "
                   f"({scope.era1.hash[:12]}…), where every canteen's chain starts: it was cut or rewritten.",
                   f"分食堂审计链之前的审计记录已不再止于第 {scope.era1.seq} 条（{scope.era1.hash[:12]}…），"
                   "而各食堂的审计链均由此开始：已被截断或重写。", seq=scope.era1.seq)


def _where(key, pos: int) -> str:
    return f"audit entry {pos}" if not key else f"audit entry {pos} of chain {key}"


def _of_chain(key, language: str = "en") -> str:
    """Names the chain in a message where there are several (a canteen's, or the district's 0)."""
    if key is None:
        return ""
    if language == "zh":
        return f"（审计链 {key}）"
    return f" (chain {key})"


def rollback_line(row: dict) -> tuple[str, str]:
    """A restore entry (see canteen/restore.py) as verify reports it: to which chain head the
    database was rolled back, when, by whom, why, and the head of the trail it replaced."""
    before, after = _json(row["before"]) or {}, _json(row["after"]) or {}
    at = row["at"] if isinstance(row["at"], dt.datetime) else _moment(row["at"])
    stamp = to_local(at.replace(tzinfo=None)).strftime("%Y-%m-%d %H:%M") if at else "?"
    who, reason = row["username"] or "?", row["reason"] or ""
    replaced = f"seq {before.get('seq', '?')}, hash {str(before.get('hash', ''))[:16]}…"
    return (f"audit entry {row['seq']}: rolled back to seq {after.get('seq', '?')} on {stamp} by {who}: {reason} "
            f"(the replaced trail ended at {replaced})",
            f"审计记录 {row['seq']}：{stamp} 由 {who} 回滚到第 {after.get('seq', '?')} 条：{reason}"
            f"（被替换的审计记录止于 {replaced}）")


def _moment(text) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(text))
    except ValueError:
        return None


def _report_gap(report: VerifyReport, prev_seq: int, seq: int, key=None) -> None:
    first, last = prev_seq + 1, seq - 1
    span = f"{first}" if first == last else f"{first}–{last}"
    if seq <= prev_seq:
        report.add("entry-order", _where(key, seq), f"Audit entry {seq}{_of_chain(key)} is out of order after {prev_seq}.",
                   f"审计记录 {seq}{_of_chain(key, 'zh')}排在 {prev_seq} 之后，顺序错乱。", seq=seq)
        return
    report.add("entry-missing", f"audit entries {span}" + (f" of chain {key}" if key else ""),
               f"Audit entries {span}{_of_chain(key)} are missing (deleted): the trail jumps from {prev_seq} to {seq}.",
               f"审计记录 {span}{_of_chain(key, 'zh')}缺失（被删除）：记录从 {prev_seq} 跳到 {seq}。", seq=first)


def _check_anchor_entry(report: VerifyReport, wanted: ChainHead, row: dict) -> None:
    if row["hash"] != wanted.hash:
        report.add("anchor-mismatch", f"audit entry {wanted.seq}",
                   f"Audit entry {wanted.seq} is no longer the one the anchor {wanted.seq}:{wanted.hash[:12]}… "
                   "recorded: the trail was rewritten.",
                   f"审计记录 {wanted.seq} 已不是锚点 {wanted.seq}:{wanted.hash[:12]}… 所记录的那条：审计记录被重写。",
                   seq=wanted.seq)


def _check_receipts(report: VerifyReport, site_id: int | None) -> None:
    """Each receipt the district gave (issue 12) is an anchor checked without `--anchor`: the
    entry it names must still be there with the hash the district holds."""
    from ..models import PushReceipt
    for receipt in _of_site(PushReceipt.select(), PushReceipt, site_id).order_by(PushReceipt.seq):
        entry = chain.entry_at(receipt.site_id, receipt.seq)
        if entry is None or entry.hash != receipt.head_hash:
            day = to_local(receipt.received_at).date().isoformat()
            report.add("receipt-mismatch", f"audit entry {receipt.seq}",
                       f"Audit entry {receipt.seq} is not the one {receipt.district or 'the district'} received on "
                       f"{day} (receipt {receipt.seq}:{receipt.head_hash[:12]}…): the trail was cut or rewritten.",
                       f"审计记录 {receipt.seq} 已不是 {receipt.district or '区县'} 于 {day} 收到的那条"
                       f"（回执 {receipt.seq}:{receipt.head_hash[:12]}…）：审计记录被截断或重写。", seq=receipt.seq)


# --------------------------------------------------------------------------------------- records

def _check_records(report: VerifyReport, trail: _Trail, tick: _Progress) -> dict[tuple[str, int], tuple[int, str]]:
    current_hashes: dict[tuple[str, int], tuple[int, str]] = {}  # signed records: (version, content sha)
    seen: set[tuple[str, int]] = set()
    for kind, model in REGISTRY.items():
        for batch in record_batches(model, trail.scope.site_id):
            tick.advance(len(batch))
            report.records_checked += len(batch)
            for (record_id, version, text), digest in zip(batch, text_digests([text for *_, text in batch])):
                key = (kind, record_id)
                seen.add(key)
                if key in trail.signed:
                    current_hashes[key] = (version, digest)
                last = trail.latest.get(key)
                if last is None or last[1] != digest:
                    _compare_with_trail(report, trail, model, key, text, digest)
    for (kind, record_id), (seq, _, _) in trail.latest.items():
        if (kind, record_id) not in seen:
            report.add("record-deleted", f"{kind} {record_id}",
                       f"{REGISTRY[kind].EN} record {record_id} is in the audit trail (entry {seq}) but no longer in the "
                       "database: it was deleted outside the program.",
                       f"{REGISTRY[kind].ZH}记录 {record_id} 在审计记录中（第 {seq} 条），但已不在数据库中：在程序外被删除。",
                       seq=seq, kind=kind, record_id=record_id)
    return current_hashes


def _compare_with_trail(report: VerifyReport, trail: _Trail, model, key, text: str, digest: str) -> None:
    kind, record_id = key
    last = trail.latest.get(key)
    if last is None:
        report.add("record-untracked", f"{kind} {record_id}",
                   f"{model.EN} record {record_id} has no entry in the audit trail: it was written outside the program.",
                   f"{model.ZH}记录 {record_id} 在审计记录中没有任何记载：在程序外写入。", kind=kind, record_id=record_id)
        return
    seq, expected, _ = last
    if digest == expected:
        return
    changed = _changed_fields(seq, text)
    named_zh = [_label(model, name, "zh") for name in changed]
    report.add("record-mismatch", f"{kind} {record_id}",
               f"{model.EN} record {record_id} no longer matches its audit trail (entry {seq})"
               f"{': ' + ', '.join(changed) + ' changed' if changed else ''}.",
               f"{model.ZH}记录 {record_id} 与其审计记录（第 {seq} 条）不符"
               f"{'：' + '、'.join(named_zh) + ' 被改动' if changed else ''}。",
               seq=seq, kind=kind, record_id=record_id)


def _label(model, name: str, language: str) -> str:
    """A column as the user knows it (数量 rather than quantity); bookkeeping columns keep their name."""
    try:
        return model.field_spec(name).label(language)
    except KeyError:
        return name


def _changed_fields(seq: int, text: str) -> list[str]:
    entry = AuditEntry.get_or_none(AuditEntry.seq == seq)
    recorded, now = _json(entry.after if entry else None) or {}, _json(text) or {}
    return sorted(name for name in set(recorded) | set(now) if recorded.get(name) != now.get(name))


# ------------------------------------------------------------------------------------ signatures

def _check_signatures(report: VerifyReport, sigs: list, trail: _Trail, current_hashes: dict, tick: _Progress) -> None:
    site_id = trail.scope.site_id
    keys = {k.id: k for k in (UserKey.select() if site_id is None else
                              UserKey.select().join(User).where(User.site == site_id))}
    _check_keys(report, keys, trail)
    usernames = dict(User.select(User.id, User.username).tuples())
    keys_by_user: dict[int, list[int]] = {}
    for k in keys.values():
        keys_by_user.setdefault(k.user_id, []).append(k.id)
    seen_bytes: dict[bytes, Signature] = {}
    for sig in sigs:
        tick.step()
        report.signatures_checked += 1
        where = f"signature {sig.id}"
        place = dict(kind=sig.record_kind, record_id=sig.record_id, signature_id=sig.id)
        target = f"{sig.record_kind} {sig.record_id}"
        raw = bytes(sig.signature)
        if raw in seen_bytes:
            first = seen_bytes[raw]
            report.add("signature-copied", where,
                       f"Signature {sig.id} on {target} is a copy of signature {first.id} "
                       f"({first.record_kind} {first.record_id}).",
                       f"签名 {sig.id}（{target}）是签名 {first.id}（{first.record_kind} {first.record_id}）的复制品。", **place)
        seen_bytes.setdefault(raw, sig)
        if not _signature_authentic(report, sig, keys, usernames, trail, where, target, place):
            continue
        _check_signed_content(report, sig, trail, current_hashes, where, target, place)
        _check_signature_chain(report, sig, trail, where, target, place)
        _check_key_current(report, sig, keys_by_user, trail, where, target, place)
    _check_signatures_kept(report, sigs, trail)


def _check_signatures_kept(report: VerifyReport, sigs: list, trail: _Trail) -> None:
    """A signature row deleted to make a record look never signed still has its sign entry."""
    rows_at = {_sign_place(trail, s) for s in sigs}
    for place, (kind, record_id, _, seq) in trail.sign_entries.items():
        if place not in rows_at:
            report.add("signature-deleted", f"{kind} {record_id}",
                       f"The signature on {kind} {record_id} recorded in audit entry {seq} is missing from the "
                       "database: it was deleted outside the program.",
                       f"审计记录第 {seq} 条记载的 {kind} {record_id} 的签名已不在数据库中：在程序外被删除。",
                       seq=seq, kind=kind, record_id=record_id)


def _check_keys(report: VerifyReport, keys: dict, trail: _Trail) -> None:
    """A public key swapped for one whose private half an insider holds would let forged
    signatures verify: every key must be the one its audited issue recorded."""
    for key in keys.values():
        recorded = trail.key_public.get(key.id)
        if recorded is None:
            report.add("key-untracked", f"key {key.id}",
                       f"Signing key {key.id} (user {key.user_id}) has no issue entry in the audit trail: "
                       "it was added outside the program.",
                       f"签名密钥 {key.id}（用户 {key.user_id}）在审计记录中没有发放记载：在程序外添加。")
        elif recorded != bytes(key.public_key).hex():
            report.add("key-replaced", f"key {key.id}",
                       f"The public half of signing key {key.id} (user {key.user_id}) differs from the one issued "
                       f"(audit entry {trail.key_issued[key.id]}): it was replaced.",
                       f"签名密钥 {key.id}（用户 {key.user_id}）的公钥与发放时（审计记录第 {trail.key_issued[key.id]} 条）不同：已被替换。",
                       seq=trail.key_issued[key.id])


def _sign_place(trail: _Trail, sig) -> tuple:
    """Where a signature's sign entry is: right after the head it recorded, in its canteen's chain."""
    position = (sig.chain_seq or 0) + 1
    return trail.scope.chain_at(sig.site_id, position), position


def _signature_authentic(report, sig, keys, usernames, trail: _Trail, where, target, place) -> bool:
    key = keys.get(sig.key_id)
    entry = trail.sign_entries.get(_sign_place(trail, sig))
    if entry and (entry[0], entry[1]) != (sig.record_kind, sig.record_id):
        report.add("signature-moved", where,
                   f"Signature {sig.id} now sits on {target} but was made for {entry[0]} {entry[1]} "
                   f"(audit entry {sig.chain_seq + 1}): it was moved to another record.",
                   f"签名 {sig.id} 现在位于 {target}，但它是为 {entry[0]} {entry[1]} 所签（审计记录第 {sig.chain_seq + 1} 条）："
                   "被移到了另一条记录上。", **place)
        return False
    if key is None or key.user_id != sig.signer_id:
        report.add("signature-key", where,
                   f"Signature {sig.id} on {target} names a key that is not {sig.signer_name}'s.",
                   f"{target} 上的签名 {sig.id} 所用密钥不属于 {sig.signer_name}。", **place)
        return False
    payload = _signed_bytes(sig, usernames, trail.received.get(_sign_place(trail, sig)))
    if not signature_valid(key.public_key, sig.signature, payload):
        report.add("signature-invalid", where,
                   f"Signature {sig.id} on {target} does not verify with {sig.signer_name}'s public key: "
                   "its record, version, time, meaning or content hash was altered.",
                   f"{target} 上的签名 {sig.id} 无法用 {sig.signer_name} 的公钥验证：其记录、版本、时间、含义或内容哈希被改动。",
                   **place)
        return False
    return True


def _signed_bytes(sig, usernames: dict, received: dict | None) -> bytes:
    """What the signer signed: this row's fields, or for a signature a canteen pushed to the district
    (canteen/receiving_signers.py) the canteen's own fields its sign entry here carries — which must
    agree with the row on everything but the canteen's ids and content hash."""
    if received is None:
        return payload_of(sig, usernames.get(sig.signer_id, ""))
    same = (received.get("kind"), received.get("version"), received.get("meaning"), received.get("signer_name"),
            received.get("signed_at")) == (sig.record_kind, sig.record_version, sig.meaning, sig.signer_name,
                                           plain(sig.signed_at))
    try:
        return payload_for(**received) if same else b""
    except TypeError:  # not the fields a signature covers
        return b""


def _check_signed_content(report, sig, trail: _Trail, current_hashes, where, target, place) -> None:
    model = REGISTRY.get(sig.record_kind)
    label_en, label_zh = (model.EN, model.ZH) if model else (sig.record_kind, sig.record_kind)
    version, digest = current_hashes.get((sig.record_kind, sig.record_id), (None, None))
    if version == sig.record_version:
        actual = digest
    else:
        actual = trail.versions.get((sig.record_kind, sig.record_id, sig.record_version))
    if actual is None:
        report.add("signature-orphan", where,
                   f"Signature {sig.id} is on {target} version {sig.record_version}, which neither the database nor "
                   "the audit trail holds.",
                   f"签名 {sig.id} 位于 {target} 第 {sig.record_version} 版，但数据库和审计记录中都找不到该版本。", **place)
    elif actual != sig.content_sha256:
        report.add("signature-content", f"{sig.record_kind} {sig.record_id}",
                   f"{label_en} record {sig.record_id} (version {sig.record_version}) no longer matches what "
                   f"{sig.signer_name} signed ({where}).",
                   f"{label_zh}记录 {sig.record_id}（第 {sig.record_version} 版）与 {sig.signer_name} 签名时的内容不符（签名 {sig.id}）。",
                   **place)


def _check_signature_chain(report, sig, trail: _Trail, where, target, place) -> None:
    sign_seq = (sig.chain_seq or 0) + 1
    entry = trail.sign_entries.get(_sign_place(trail, sig))
    head_at = (trail.scope.chain_at(sig.site_id, sig.chain_seq or 0), sig.chain_seq)
    if sig.chain_seq is not None and sig.chain_seq > 0 and trail.hash_at.get(head_at) not in (None, sig.chain_hash):
        report.add("signature-chain", f"audit entry {sig.chain_seq}",
                   f"Audit entry {sig.chain_seq} differs from the one signature {sig.id} ({target}) recorded: "
                   "the trail before it was rewritten.",
                   f"审计记录第 {sig.chain_seq} 条与签名 {sig.id}（{target}）所记录的不同：其之前的审计记录被重写。",
                   seq=sig.chain_seq, **place)
    if entry is None:
        report.add("signature-unrecorded", where,
                   f"Signature {sig.id} on {target} has no sign entry in the audit trail (expected entry {sign_seq}).",
                   f"{target} 上的签名 {sig.id} 在审计记录中没有签名条目（应为第 {sign_seq} 条）。", seq=sign_seq, **place)
    elif entry[2] != bytes(sig.signature).hex():
        report.add("signature-unrecorded", where,
                   f"Signature {sig.id} on {target} differs from the signature recorded in audit entry {sign_seq}.",
                   f"{target} 上的签名 {sig.id} 与审计记录第 {sign_seq} 条所记的签名不同。", seq=sign_seq, **place)


def _check_key_current(report, sig, keys_by_user, trail: _Trail, where, target, place) -> None:
    newer = [k for k in keys_by_user.get(sig.signer_id, []) if k > sig.key_id]
    retired_at = min((trail.key_issued[k] for k in newer if k in trail.key_issued), default=None)
    entry = trail.sign_entries.get(_sign_place(trail, sig))
    if retired_at is not None and entry is not None and retired_at < entry[3]:
        report.add("signature-retired-key", where,
                   f"Signature {sig.id} on {target} was made with a key {sig.signer_name} had already replaced "
                   f"(audit entry {retired_at}).",
                   f"{target} 上的签名 {sig.id} 使用了 {sig.signer_name} 已更换的旧密钥（审计记录第 {retired_at} 条）。", **place)


# ----------------------------------------------------------------------------------- attachments

def _check_attachments(report: VerifyReport, trail: _Trail) -> None:
    """Scans kept with records: their bytes must still hash to what the trail recorded."""
    database, site_id = current(), trail.scope.site_id
    only = "" if site_id is None else f" WHERE site_id = {database.param}"
    cursor = database.execute_sql(f"SELECT id, record_kind, record_id, sha256, data FROM attachment{only} ORDER BY id",
                                  () if site_id is None else (site_id,))
    for attachment_id, kind, record_id, stored, data in iter(cursor.fetchone, None):
        where = f"attachment {attachment_id}"
        recorded = trail.attached.get(attachment_id)
        actual = sha256_hex(bytes(data or b""))
        if recorded is None:
            report.add("attachment-untracked", where,
                       f"Attachment {attachment_id} of {kind} {record_id} has no entry in the audit trail: "
                       "it was added outside the program.",
                       f"{kind} {record_id} 的附件 {attachment_id} 在审计记录中没有记载：在程序外添加。",
                       kind=kind, record_id=record_id)
        elif actual != recorded[1] or stored != recorded[1]:
            report.add("attachment-altered", where,
                       f"Attachment {attachment_id} of {kind} {record_id} no longer matches the file recorded "
                       f"in audit entry {recorded[0]}: it was replaced or changed.",
                       f"{kind} {record_id} 的附件 {attachment_id} 与审计记录第 {recorded[0]} 条所记的文件不符：已被替换或改动。",
                       seq=recorded[0], kind=kind, record_id=record_id)
