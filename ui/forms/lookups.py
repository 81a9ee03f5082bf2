"""Read-only look-ups that make a form quick to fill: defaults, earlier entries, record choices."""

from __future__ import annotations

import datetime as dt

import peewee

from canteen.models import MODELS, Delivery, Record, Staff
from canteen.timeutil import to_local

RECENT_ROWS = 3000   # completion looks at the latest entries only, so a huge table opens a form fast
REF_CHOICES = 300
# Fields whose last entry is the likely next one (the same receiver, tester, fridge...).
REPEATED = {"supplier", "receiver", "second_inspector", "tester", "reviewer", "instrument", "sampler", "fridge",
            "checker", "operator", "recorder", "cleaner", "inspector", "collector_unit", "collector_name",
            "collector_phone", "leader", "leader_post", "boiler", "user_name", "producer", "method", "unit"}


def current_meal(now: dt.datetime) -> str:
    """The meal being served or prepared at a local time of day."""
    if now.time() < dt.time(9, 30):
        return "breakfast"
    if now.time() < dt.time(15, 0):
        return "lunch"
    return "dinner"


def earlier_entries(model: type[Record], site_id: int, name: str, limit: int = 300) -> list[str]:
    """Distinct values of a text field among the latest entries, most recent first."""
    column = getattr(model, name)
    recent = (model.select(column.alias("v"), model.id.alias("i"))
              .where((model.site == site_id) & column.is_null(False))
              .order_by(model.id.desc()).limit(RECENT_ROWS))
    sub = recent.alias("recent")
    query = (peewee.Select([sub], [sub.c.v, peewee.fn.MAX(sub.c.i).alias("last")])
             .group_by(sub.c.v).order_by(peewee.SQL("last").desc()).limit(limit))
    return [row[0] for row in query.bind(model._meta.database).tuples() if row[0]]


def last_values(model: type[Record], site_id: int) -> dict:
    """The repeatable fields of the latest standing record of this type."""
    last = model.live().where(model.site == site_id).order_by(model.id.desc()).first()
    if last is None:
        return {}
    out = {}
    for spec in model.FIELDS:
        if spec.name in REPEATED and not spec.hidden:
            out[spec.name] = last.__data__.get(spec.name)
    return out


def ref_choices(spec, site_id: int, tz: str) -> list[tuple[int, str]]:
    """Records a reference field may point at: the latest standing ones, newest first."""
    target = MODELS[spec.ref]
    query = target.live().where(target.site == site_id)
    if target is Staff:
        query = query.where(Staff.active == True)  # noqa: E712
    rows = query.order_by(target.id.desc()).limit(REF_CHOICES)
    out = []
    for rec in rows:
        title = rec.title()
        if target.EVENT == "datetime":
            title = f"{title} ({to_local(rec.occurred_at, tz):%m-%d %H:%M})"
        elif target.EVENT == "date":
            title = f"{title} ({rec.day:%m-%d})"
        out.append((rec.id, f"{title} · #{rec.id}" if target.EVENT != "none" else title))
    if target is Delivery:
        produce = [o for o, r in zip(out, rows) if r.category in ("vegetable", "fruit")]
        others = [o for o, r in zip(out, rows) if r.category not in ("vegetable", "fruit")]
        out = produce + others
    return out


def defaults(model: type[Record], session) -> dict:
    """What a new record of this type most likely holds: now, the current meal, the last supplier."""
    now = to_local(session.now(), session.tz).replace(second=0, microsecond=0)
    values: dict = {spec.name: spec.default for spec in model.FIELDS if spec.default is not None}
    values.update({k: v for k, v in last_values(model, session.site.id).items() if v not in (None, "")})
    if model.EVENT == "datetime":
        values["occurred_at"] = now
    elif model.EVENT == "date":
        values["day"] = now.date()
    names = {s.name for s in model.FIELDS}
    if "meal" in names:
        values["meal"] = current_meal(now)
    if "served_on" in names:
        values["served_on"] = now.date()
    if model.KIND == "ledger-months":
        values["month"] = f"{now:%Y-%m}"
    return values
