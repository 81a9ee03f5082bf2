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
from ..models import PUSH_TABLES, AuditEntry, CorrectiveAction, Delivery, InspectionNotice
from ..models.base import DatabaseFact
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
        chain.append_era1("amend", site_id=delivery.site_id, kind=Delivery.KIND, record_id=delivery.id,
                          version=delivery.version, before=before, after=snapshot(delivery), reason=MEAT_KIND_REASON)
        filled += 1
    return filled


migrations.register_step(3, step_3_meat_kind)


def step_5_corrective_actions(db: peewee.Database) -> None:
    """Corrective actions (整改措施) become a record type: their table and its search index."""
    db.create_tables([CorrectiveAction])
    install_search_indexes(db, [CorrectiveAction])


migrations.register_step(5, step_5_corrective_actions)


def step_6_chain_per_site(db: peewee.Database) -> None:
    """A chain per canteen (issue 11): the audit trail gets each entry's chain and position in
    it. The entries written so far stay as they are — one chain, "era 1", each hash covering the
    global seq — and its head is recorded as the anchor every canteen's chain starts from, so
    every existing entry and every anchor printed before stays verifiable."""
    migrator = SchemaMigrator.from_database(db)
    present = {c.name for c in db.get_columns("audit_entry")}
    migrate(*(migrator.add_column("audit_entry", name, getattr(AuditEntry, name))
              for name in ("chain_id", "chain_seq") if name not in present))
    db.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "audit_entry_chain_id_chain_seq" '
                   'ON "audit_entry" ("chain_id", "chain_seq")')
    last = db.execute_sql('SELECT "seq", "hash" FROM "audit_entry" ORDER BY "seq" DESC LIMIT 1').fetchone()
    era1 = db.execute_sql('SELECT COUNT(*) FROM "audit_entry" WHERE "chain_id" IS NOT NULL').fetchone()[0] == 0
    if last and era1:  # (a trail already kept per canteen has no era 1 to record)
        DatabaseFact.insert(key=chain.ERA1_KEY, value=f"{last[0]}:{last[1]}").execute()
    migrations.install_audit_sequence(db)


migrations.register_step(6, step_6_chain_per_site)


def step_7_inspection_notices(db: peewee.Database) -> None:
    """District inspectors' notices (整改通知) become a record type: their table and search index."""
    db.create_tables([InspectionNotice])
    install_search_indexes(db, [InspectionNotice])


migrations.register_step(7, step_7_inspection_notices)


def step_8_push(db: peewee.Database) -> None:
    """Pushing to the district (issue 12): the site key, receipts, and the district's tables of
    enrolled canteens and the chains they sent. New tables only; no row changes."""
    db.create_tables(list(PUSH_TABLES), safe=True)


migrations.register_step(8, step_8_push)
