"""Schema steps that write audited amendments, so they need the models and the hash chain.

`migrations.py` sits on the storage rung and may not import either; each step here registers
itself with `migrations.register_step` when this module is imported, which
`canteen/integrity/__init__.py` does, so any program that uses the integrity rung (every service,
the command line, the desk) can upgrade an old database. The version numbers and LATEST stay in
`migrations.py`, and an upgrade whose step is not loaded is refused there before anything changes.
"""

from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator, migrate

from .. import migrations
from ..meat import MEAT_CATEGORIES, default_meat_kind
from ..models import CorrectiveAction, Delivery
from ..models.search import install as install_search_indexes
from . import chain
from .canonical import snapshot

MEAT_KIND_REASON = ("Schema 3: meat kind set from the item name (list of common cuts) / "
                    "架构升级：按品名（常见部位名单）补填肉类品种")


def step_3_meat_kind(db: peewee.Database) -> None:
    """Deliveries say which kind of meat they are (PUR-QUARANTINE asks pork for a second
    certificate): add the column, then set it on each standing meat delivery whose item name the
    maintained lists recognise. Each fill is an audited amendment (a new version, no user), so
    `verify` stays clean and a signed delivery honestly shows that it changed after signing."""
    migrate(SchemaMigrator.from_database(db).add_column("delivery", "meat_kind", Delivery.field_spec("meat_kind").column({})))
    fill_meat_kinds(db)


def fill_meat_kinds(db: peewee.Database) -> int:
    """Set the default meat kind on standing meat deliveries that have none; returns how many.
    Reads only the columns the table has now, so a later step adding another column keeps this one working."""
    present = {c.name for c in db.get_columns("delivery")}
    columns = [f for f in Delivery._meta.sorted_fields if f.column_name in present]
    query = (Delivery.select(*columns).where(Delivery.category.in_(MEAT_CATEGORIES) & Delivery.meat_kind.is_null()
                                             & (Delivery.voided == False)).order_by(Delivery.id))  # noqa: E712
    filled = 0
    for delivery in query:
        kind = default_meat_kind(delivery.item, delivery.category)
        if kind is None:
            continue  # the name does not tell: the kind is asked for when the delivery is next changed
        before = snapshot(delivery)
        delivery.meat_kind, delivery.version = kind, delivery.version + 1
        Delivery.update(meat_kind=kind, version=delivery.version).where(Delivery.id == delivery.id).execute()
        chain.append("amend", site_id=delivery.site_id, kind=Delivery.KIND, record_id=delivery.id,
                     version=delivery.version, before=before, after=snapshot(delivery), reason=MEAT_KIND_REASON)
        filled += 1
    return filled


migrations.register_step(3, step_3_meat_kind)


def step_5_corrective_actions(db: peewee.Database) -> None:
    """Corrective actions (整改措施) become a record type: their table and its search index."""
    db.create_tables([CorrectiveAction])
    install_search_indexes(db, [CorrectiveAction])


migrations.register_step(5, step_5_corrective_actions)
