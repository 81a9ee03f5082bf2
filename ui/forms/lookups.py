"""Read-only look-ups that make a form quick to fill: defaults, earlier entries, record choices."""

from __future__ import annotations

import datetime as dt

import peewee

from canteen.models import MODELS, Delivery, Record, Staff
from canteen.timeutil import to_local

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
    user = session.user
    for field, attribute in OWN_FIELDS.get(model.KIND, ()):
        if field in names and session.role in SELF_ROLES and getattr(user, attribute, ""):
            values[field] = getattr(user, attribute)  # the one signed in is the one doing it
    if "meal" in names:
        values["meal"] = current_meal(now)
    if "served_on" in names:
        values["served_on"] = now.date()
    if model.KIND == "ledger-months":
        values["month"] = f"{now:%Y-%m}"
    return values


ITEM_PROFILE = ("category", "spec", "unit", "supplier", "shelf_life_days", "storage", "unit_price_fen", "meat_kind")


def item_profile(session, item: str) -> dict:
    """How this item came last time (category, unit, supplier, shelf life...), to fill a delivery in one go."""
    from canteen.services import records
    item = (item or "").strip()
    if not item:
        return {}
    last = (Delivery.live().where((Delivery.site == session.site.id) & (Delivery.item == item))
            .order_by(Delivery.id.desc()).first())
    if last is None:
        return {}
    values = records.to_input(last, session)
    return {name: values[name] for name in ITEM_PROFILE if values.get(name) not in (None, "")}


def menu_dishes(site_id: int, day: dt.date, meal: str) -> list[str]:
    """The dishes on the menu of one meal (the ones that must be sampled)."""
    from canteen.models import Menu
    dishes: list[str] = []
    for menu in Menu.live().where((Menu.site == site_id) & (Menu.day == day) & (Menu.meal == meal)):
        dishes += [d for d in menu.dish_list() if d not in dishes]
    return dishes


def next_unsampled_dish(site_id: int, day: dt.date, meal: str) -> str | None:
    """The first dish of the meal's menu that has no standing sample yet."""
    from canteen.models import RetainedSample
    sampled = {row.dish for row in RetainedSample.live().select(RetainedSample.dish).where(
        (RetainedSample.site == site_id) & (RetainedSample.served_on == day) & (RetainedSample.meal == meal))}
    return next((d for d in menu_dishes(site_id, day, meal) if d not in sampled), None)


def next_unchecked_staff(site_id: int, day: dt.date) -> int | None:
    """The first person on duty that day without a standing morning check yet."""
    from canteen.models import MorningCheck
    from canteen.today import staff_on_duty
    checked = {row.staff_id for row in MorningCheck.live().select(MorningCheck.staff).where(
        (MorningCheck.site == site_id) & (MorningCheck.day == day))}
    return next((p.id for p in staff_on_duty(site_id, day) if p.id not in checked), None)


def next_untested_produce(site_id: int, day: dt.date) -> tuple[int, str] | None:
    """The first vegetable or fruit batch accepted that day without a pesticide screen yet."""
    from canteen.models import PesticideTest
    tested = {row.delivery_id for row in PesticideTest.live().select(PesticideTest.delivery).where(
        (PesticideTest.site == site_id) & PesticideTest.delivery.is_null(False))}
    batches = (Delivery.live().where((Delivery.site == site_id) & (Delivery.day == day)
                                     & Delivery.category.in_(("vegetable", "fruit")) & (Delivery.result == "accepted"))
               .order_by(Delivery.id))
    return next(((b.id, b.item) for b in batches if b.id not in tested), None)
