"""Create, amend and void any record: validate → block rules → write → audit, in one transaction."""

from __future__ import annotations

import functools
from typing import Any

from .. import fields as f
from ..db import service_transaction
from ..errors import BlockedError, NotFound, ValidationError
from ..integrity import chain
from ..integrity.canonical import snapshot
from ..models import Record, model_for
from ..timeutil import end_of_day_utc, to_local, utcnow
from . import permissions
from .prepare import DERIVED, prepare
from .previews import entered_late, sealed_day

LATE_REASON = f.text("late_reason", "Reason for late entry", "补录原因", max_len=500)
CHANGE_REASON = f.text("reason", "Reason", "原因", max_len=500)


def clean_event(model, data: dict, session, tz: str | None = None) -> dict:
    """The event's local time as `day` and its UTC moment as `occurred_at`."""
    now, tz = session.now(), tz or session.tz
    if model.EVENT == "datetime":
        spec = _event_spec(model)
        occurred = spec.clean(data.get("occurred_at"), tz, now)
        return {"occurred_at": occurred, "day": to_local(occurred, tz).date()}
    if model.EVENT == "date":
        day = _event_spec(model).clean(data.get("day"), tz, now)
        return {"day": day, "occurred_at": end_of_day_utc(day, tz)}
    return {"day": to_local(now, tz).date(), "occurred_at": now}


@functools.lru_cache(maxsize=None)
def _event_spec(model) -> f.Spec:
    if model.EVENT == "datetime":
        return f.datetime("occurred_at", model.EVENT_EN, model.EVENT_ZH, required=True, not_future=True)
    return f.date("day", model.EVENT_EN, model.EVENT_ZH, required=True, not_future=not model.PLANNED)


@functools.lru_cache(maxsize=None)
def _input_names(model) -> frozenset[str]:
    """The keys an input of this model may have."""
    event_keys = {"datetime": {"occurred_at", "late_reason"}, "date": {"day", "late_reason"}, "none": set()}[model.EVENT]
    return frozenset({s.name for s in model.FIELDS} | event_keys)


def clean(model, data: dict, session) -> dict:
    """Raw input → column values, or ValidationError naming the first impossible field."""
    if not isinstance(data, dict):
        raise ValidationError("data", "must be a mapping of field names to values", "必须是字段名到取值的映射", "Input", "输入")
    unknown = set(data) - _input_names(model)
    if unknown:
        name = sorted(str(key) for key in unknown)[0]  # a script may mix text and number keys
        raise ValidationError(name, "is not a field of this record", "不是此记录的字段")
    tz = session.tz
    values = clean_event(model, data, session, tz)
    now = session.now()
    left_out, typed = _cleaning(model, frozenset(data))
    values.update(left_out)
    for name, clean_field, ref in typed:
        value = values[name] = clean_field(data.get(name), tz, now)
        if ref is not None and value is not None:  # in a bulk write, each referenced record is checked once
            session.remember(("ref", ref.ref, value), lambda: check_reference(ref, value, session) or True)
    return prepare(model.KIND, values, session)


@functools.lru_cache(maxsize=1024)
def _cleaning(model, given: frozenset) -> tuple[dict[str, Any], tuple[tuple[str, Any, f.Spec | None], ...]]:
    """How to clean an input that gives these keys, worked out once for every input like it (an
    import's rows give the same columns): the value each field it leaves out takes (its default,
    or none), and the fields to clean one by one, in order — those it gives, and those that
    refuse to be left out (required, with no default), so the first impossible field is still
    the one named."""
    left_out, typed = {}, []
    for spec in model.FIELDS:
        if spec.hidden:
            continue
        if spec.name in given or (spec.required and spec.default is None) or (spec.type.reference and spec.default):
            typed.append((spec.name, spec.clean, spec if spec.type.reference else None))
        else:
            left_out[spec.name] = spec.clean(None, "UTC", None)  # its default, or None
    return left_out, tuple(typed)


def check_reference(spec, target_id: int, session) -> None:
    from ..models import MODELS
    target = MODELS[spec.ref].get_or_none(MODELS[spec.ref].id == target_id)
    if target is None or target.site_id != session.site.id:
        raise spec.fail(f"no such record (id {target_id})", f"记录不存在（编号 {target_id}）")
    if target.voided:
        raise spec.fail(f"record {target_id} has been voided", f"记录 {target_id} 已作废")


def to_input(record: Record, session) -> dict:
    """A stored record as the input that would make it again (local times, plain values)."""
    data: dict[str, Any] = {}
    if record.EVENT == "datetime":
        data["occurred_at"] = to_local(record.occurred_at, session.tz)
    elif record.EVENT == "date":  # a ledger month's closing day, not the month it keeps in `day`
        data["day"] = record.day if record.DAY_IS_EVENT else to_local(record.occurred_at, session.tz).date()
    for spec in record.FIELDS:
        if spec.hidden:
            continue
        kind = spec.type
        stored = record.__data__.get(spec.name) if kind.reference else getattr(record, spec.name)
        data[spec.name] = kind.form_value(stored, session.tz)
    return data


def check_lateness(values: dict, data: dict, session) -> None:
    """An entry made long after its event, or for a day already closed by a signed inspection
    (日结), needs a reason (rule LATE-ENTRY); the reason stays on the record as its late flag.
    The form asks `previews.needs_late_reason`, which judges by the same two helpers."""
    hours = session.setting("late_entry_hours")
    late = data.get("late_reason")
    reason = (LATE_REASON.clean(late, session.tz, session.now()) or "") if late is not None else ""
    if entered_late(session, values["occurred_at"]) and not reason:
        raise ValidationError("late_reason", f"is required: this is entered more than {hours} h after the event",
                              f"必须填写：此记录在事件发生 {hours} 小时后补录", "Reason for late entry", "补录原因")
    event_day = None if reason else sealed_day(session, values["occurred_at"])
    if event_day is not None:
        raise ValidationError("late_reason", f"is required: {event_day} was already closed by a signed inspection",
                              f"必须填写：{event_day} 已由签名的每日检查日结", "Reason for late entry", "补录原因")
    values["late_reason"] = reason or None


def check_blocks(kind: str, values: dict, session, record_id: int | None = None, stored: dict | None = None) -> None:
    from ..rules import blocking_findings
    found = blocking_findings(kind, values, session, record_id, stored)
    if found:
        raise BlockedError(found)


def create(session, kind: str, data: dict) -> Record:
    """Validate and write a new record with its audit entry; returns the saved record."""
    model = model_for(kind)
    permissions.require_write(session, kind)
    values = clean(model, data, session)
    if model.EVENT != "none":
        check_lateness(values, data, session)
    check_blocks(kind, values, session)
    values.update(site=session.site.id, entered_at=session.now(), entered_by=session.user.id, version=1, voided=False)
    return _write(session, "create", model(**values), reason=values.get("late_reason") or "")


def amend(session, kind: str, record_id: int, changes: dict, reason: str,
          expected_version: int | None = None) -> Record:
    """A new version of a record: the old one stays in the audit trail; a reason is required.

    A form that was opened on a version passes it as `expected_version`, so that an amendment
    a colleague saved since is not silently overwritten by the form's older values."""
    record = get(session, kind, record_id)
    permissions.require_write(session, kind, record)
    reason = require_reason(reason, "amend")
    if expected_version is not None:
        require_unchanged_since(record, {"version": expected_version})
    before = apply_changes(session, record, changes)
    return _write(session, "amend", record, before=before, reason=reason)


def apply_changes(session, record: Record, changes: dict) -> dict:
    """Validate `changes` against the record as it stands and make them its next version, in
    memory; returns the snapshot from before. One path for a single and a bulk amendment, so
    both refuse a voided record and recompute what the service derives (amount, expiry)."""
    if record.voided:
        raise ValidationError("id", "is voided and cannot be amended", "已作废，不能修改", "Record", "记录")
    if not isinstance(changes, dict):
        raise ValidationError("data", "must be a mapping of field names to values", "必须是字段名到取值的映射", "Input", "输入")
    model = type(record)
    before = snapshot(record)
    values = clean(model, {**rederive(model, to_input(record, session), changes), **changes}, session)
    if model.EVENT == "none":
        values.update(day=record.day, occurred_at=record.occurred_at)
    values["late_reason"] = LATE_REASON.clean(changes.get("late_reason"), session.tz, session.now()) or record.late_reason
    if model.EVENT != "none" and values["occurred_at"] != record.occurred_at:
        check_lateness(values, {"late_reason": values["late_reason"]}, session)  # moved far back, or into a closed day
    check_blocks(model.KIND, values, session, record.id, stored=dict(record.__data__))  # blocks this change brings about
    for name, value in values.items():
        setattr(record, name, value)
    if snapshot(record) == before:  # a new version that changes nothing would still unseal a signature
        raise ValidationError("data", "changes nothing: the record already holds these values",
                              "没有任何改动：记录已是这些内容", "Amendment", "修改")
    record.version += 1
    return before


def rederive(model, stored: dict, changes: dict) -> dict:
    """The stored input with each derived value cleared when what it was derived from changes
    (and the change does not set it too), so the service computes it afresh: a delivery's
    amount after its quantity is corrected, its expiry after its shelf life is."""
    merged = {**stored, **changes}
    for derived, sources in DERIVED.get(model.KIND, ()):
        touched = any(name in changes for name in sources)
        complete = all(merged.get(name) not in (None, "") for name in sources)
        if touched and complete and derived not in changes:
            stored = {**stored, derived: None}
    return stored


def void(session, kind: str, record_id: int, reason: str) -> Record:
    """Mark a record void with a reason; it stays readable, is never deleted."""
    record = get(session, kind, record_id)
    permissions.require_write(session, kind, record)
    reason = require_reason(reason, "void")
    if record.voided:
        raise ValidationError("id", "is already voided", "已作废", "Record", "记录")
    before = snapshot(record)
    record.voided, record.void_reason, record.version = True, reason, record.version + 1
    return _write(session, "void", record, before=before, reason=reason)


def require_reason(reason, action: str) -> str:
    """The cleaned reason for an amendment or a void: text, at most 500 characters, not blank."""
    cleaned = CHANGE_REASON.clean(reason, "UTC", utcnow())
    if not cleaned:
        en = {"amend": "An amendment", "void": "Voiding"}[action]
        zh = {"amend": "修改", "void": "作废"}[action]
        raise ValidationError("reason", f"is required: {en} must say why", f"必须填写：{zh}需说明原因", "Reason", "原因")
    return cleaned


def _write(session, action: str, record: Record, before: dict | None = None, reason: str = "") -> Record:
    with service_transaction(session.site_id):
        if before is not None:
            require_unchanged_since(record, before)
        record.save(force_insert=action == "create")
        chain.append(action, user=session.user, site_id=session.site.id, kind=record.KIND,
                     record_id=record.id, version=record.version, before=before,
                     after=snapshot(record), reason=reason, at=session.now())
    return record


def require_unchanged_since(record: Record, before: dict) -> None:
    """Under the write lock: the stored version is still the one the change was made from, so a
    colleague's amendment saved in between is never silently overwritten (a lost update)."""
    model = type(record)
    stored = model.select(model.version).where(model.id == record.id).scalar()
    if stored != before["version"]:
        who, when = last_change_of(record)
        raise ValidationError("version", f"was changed by {who} at {when} (now version {stored}); open it again",
                              f"已被 {who} 于 {when} 修改（现为第 {stored} 版），请重新打开", "Version", "版本")


def last_change_of(record: Record) -> tuple[str, str]:
    """Who last wrote this record and when (site-local time): what the colleague whose save was
    refused needs in order to go and ask, rather than a bare "someone else"."""
    from ..models import AuditEntry, Site, User
    entry = (AuditEntry.select().where((AuditEntry.record_kind == record.KIND) & (AuditEntry.record_id == record.id))
             .order_by(AuditEntry.seq.desc()).first())
    if entry is None:
        return "?", "?"
    user = User.get_or_none(User.id == entry.user_id) if entry.user_id else None
    who = f"{user.display_name} ({entry.username})" if user else entry.username
    site = Site.get_or_none(Site.id == entry.site_id)
    when = to_local(entry.at, site.timezone) if site else entry.at
    return who, when.strftime("%Y-%m-%d %H:%M")


def get(session, kind: str, record_id: int) -> Record:
    model = model_for(kind)
    record = None
    if isinstance(record_id, str) and record_id.strip().isascii() and record_id.strip().isdigit():
        record_id = int(record_id)
    if isinstance(record_id, int) and not isinstance(record_id, bool) and 1 <= record_id <= f.MAX_REF:
        record = model.get_or_none((model.id == record_id) & (model.site == session.site.id))  # 1.5 is not 1
    if record is None:
        raise NotFound(f"No {model.EN.lower()} record {record_id}.", f"没有编号为 {record_id} 的{model.ZH}记录。")
    return record
