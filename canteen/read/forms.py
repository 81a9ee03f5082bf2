"""What makes a record form quick to fill: defaults, earlier entries, record choices, the next item.

Moved here from the desk (ui/forms/lookups.py), which used to query the models itself. Every
function takes the signed-in session first and reads only the reader's canteen; what comes back
is plain values (text, ids, dicts of input values), never a model row.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

import peewee

from ..fields import Spec
from ..models import MODELS, Delivery, Menu, MorningCheck, PesticideTest, RetainedSample, Staff
from ..services import records
from ..timeutil import to_local
from .scope import scope_of

# Fields naming the person doing the duty, filled from the signed-in user (not the last record's person).
OWN_FIELDS = {"accompanied-meals": (("leader", "display_name"), ("leader_post", "post")),
              "inspections": (("inspector", "display_name"),)}
SELF_ROLES = ("leader", "doctor", "director")
RECENT_ROWS = 3000   # completion looks at the latest entries only, so a huge table opens a form fast
REF_CHOICES = 300
# Fields whose last entry is the likely next one (the same receiver, tester, fridge...).
REPEATED = {"supplier", "receiver", "second_inspector", "tester", "reviewer", "instrument", "sampler", "fridge",
            "checker", "operator", "recorder", "cleaner", "inspector", "collector_unit", "collector_name",
            "collector_phone", "leader", "leader_post", "boiler", "user_name", "producer", "method", "unit"}
# What a delivery of a known item takes from its last delivery (the kind of meat included).
ITEM_PROFILE = ("category", "spec", "unit", "supplier", "shelf_life_days", "storage", "unit_price_fen", "meat_kind")
PRODUCE = ("vegetable", "fruit")


def _model(kind: str):
    return records.model_for(kind)  # NotFound for an unknown kind, as the services say it


def current_meal(now: dt.datetime) -> str:
    """The meal being served or prepared at a local time of day."""
    if now.time() < dt.time(9, 30):
        return "breakfast"
    if now.time() < dt.time(15, 0):
        return "lunch"
    return "dinner"


@functools.cache
def suggestable(kind: str) -> frozenset[str]:
    """Text fields of a record type that offer completion from earlier entries (static: no session).

    Only fields stored as their own column qualify: completion reads that column's recent values."""
    model = _model(kind)
    return frozenset(s.name for s in model.FIELDS if s.suggest and s.name in model._meta.fields)


def earlier_entries(session, kind: str, name: str, limit: int = 300) -> list[str]:
    """Distinct values of a text field among the latest entries, most recent first."""
    model = _model(kind)
    column = getattr(model, name)
    recent = (model.select(column.alias("v"), model.id.alias("i"))
              .where((model.site == scope_of(session).site_id) & column.is_null(False))
              .order_by(model.id.desc()).limit(RECENT_ROWS))
    sub = recent.alias("recent")
    query = (peewee.Select([sub], [sub.c.v, peewee.fn.MAX(sub.c.i).alias("last")])
             .group_by(sub.c.v).order_by(peewee.SQL("last").desc()).limit(limit))
    return [row[0] for row in query.bind(model._meta.database).tuples() if row[0]]


def last_values(session, kind: str) -> dict:
    """The repeatable fields of the latest standing record of this type."""
    model = _model(kind)
    last = model.live().where(model.site == scope_of(session).site_id).order_by(model.id.desc()).first()
    if last is None:
        return {}
    return {spec.name: last.__data__.get(spec.name) for spec in model.FIELDS
            if spec.name in REPEATED and not spec.hidden}


def _choice_title(rec, event: str, tz: str) -> str:
    """A record as a reference choice: its title, when it happened and its number."""
    title = rec.title()
    if event == "datetime":
        title = f"{title} ({to_local(rec.occurred_at, tz):%m-%d %H:%M})"
    elif event == "date":
        title = f"{title} ({rec.day:%m-%d})"
    return f"{title} · #{rec.id}" if event != "none" else title


def ref_choices(session, spec: Spec) -> list[tuple[int, str]]:
    """Records a reference field may point at: the latest standing ones, newest first (for a
    delivery, vegetables and fruit first: those are the batches screened for pesticides)."""
    scope = scope_of(session)
    target = MODELS[spec.ref]
    query = target.live().where(target.site == scope.site_id)
    if target is Staff:
        query = query.where(Staff.active == True)  # noqa: E712
    rows = list(query.order_by(target.id.desc()).limit(REF_CHOICES))
    out = [(rec.id, _choice_title(rec, target.EVENT, scope.tz)) for rec in rows]
    if target is Delivery:
        produce = [o for o, r in zip(out, rows) if r.category in PRODUCE]
        others = [o for o, r in zip(out, rows) if r.category not in PRODUCE]
        out = produce + others
    return out


def defaults(session, kind: str) -> dict:
    """What a new record of this type most likely holds: now, the current meal, the last supplier."""
    model = _model(kind)
    now = to_local(session.now(), scope_of(session).tz).replace(second=0, microsecond=0)
    values: dict = {spec.name: spec.default for spec in model.FIELDS if spec.default is not None}
    values.update({k: v for k, v in last_values(session, kind).items() if v not in (None, "")})
    if model.EVENT == "datetime":
        values["occurred_at"] = now
    elif model.EVENT == "date":
        values["day"] = now.date()
    names = {s.name for s in model.FIELDS}
    user = session.user
    for field, attribute in OWN_FIELDS.get(kind, ()):
        if field in names and session.role in SELF_ROLES and getattr(user, attribute, ""):
            values[field] = getattr(user, attribute)  # the one signed in is the one doing it
    if "meal" in names:
        values["meal"] = current_meal(now)
    if "served_on" in names:
        values["served_on"] = now.date()
    if kind == "ledger-months":
        values["month"] = f"{now:%Y-%m}"
    return values


@dataclass(frozen=True)
class FormValues:
    """A kept record as the form opens it: the input that would make it again, the version the
    form was opened on (so a colleague's amendment meanwhile is not overwritten) and its late reason."""

    version: int
    late_reason: str | None
    values: Mapping[str, Any]


def form_values(session, kind: str, record_id: int) -> FormValues:
    """The record `record_id` of `kind` as form input (NotFound for another canteen's or no record)."""
    record = records.get(session, kind, record_id)
    return FormValues(record.version, record.late_reason, MappingProxyType(records.to_input(record, session)))


def item_profile(session, item: str) -> dict:
    """How this item came last time (category, unit, supplier, shelf life, kind of meat...), to
    fill a delivery in one go."""
    item = (item or "").strip()
    if not item:
        return {}
    last = (Delivery.live().where((Delivery.site == scope_of(session).site_id) & (Delivery.item == item))
            .order_by(Delivery.id.desc()).first())
    if last is None:
        return {}
    values = records.to_input(last, session)
    return {name: values[name] for name in ITEM_PROFILE if values.get(name) not in (None, "")}


def menu_dishes(session, day: dt.date, meal: str) -> list[str]:
    """The dishes on the menu of one meal (the ones that must be sampled)."""
    dishes: list[str] = []
    for menu in Menu.live().where((Menu.site == scope_of(session).site_id) & (Menu.day == day) & (Menu.meal == meal)):
        dishes += [d for d in menu.dish_list() if d not in dishes]
    return dishes


def next_unsampled_dish(session, day: dt.date, meal: str) -> str | None:
    """The first dish of the meal's menu that has no standing sample yet."""
    site_id = scope_of(session).site_id
    sampled = {row.dish for row in RetainedSample.live().select(RetainedSample.dish).where(
        (RetainedSample.site == site_id) & (RetainedSample.served_on == day) & (RetainedSample.meal == meal))}
    return next((d for d in menu_dishes(session, day, meal) if d not in sampled), None)


def next_unchecked_staff(session, day: dt.date) -> int | None:
    """The first person on duty that day without a standing morning check yet."""
    from ..today import staff_on_duty
    site_id = scope_of(session).site_id
    checked = {row.staff_id for row in MorningCheck.live().select(MorningCheck.staff).where(
        (MorningCheck.site == site_id) & (MorningCheck.day == day))}
    return next((p.id for p in staff_on_duty(site_id, day) if p.id not in checked), None)


def next_untested_produce(session, day: dt.date) -> tuple[int, str] | None:
    """The first vegetable or fruit batch accepted that day without a pesticide screen yet."""
    site_id = scope_of(session).site_id
    tested = {row.delivery_id for row in PesticideTest.live().select(PesticideTest.delivery).where(
        (PesticideTest.site == site_id) & PesticideTest.delivery.is_null(False))}
    batches = (Delivery.live().where((Delivery.site == site_id) & (Delivery.day == day)
                                     & Delivery.category.in_(PRODUCE) & (Delivery.result == "accepted"))
               .order_by(Delivery.id))
    return next(((b.id, b.item) for b in batches if b.id not in tested), None)
