"""Move a whole canteen database to another one — typically a school's SQLite file onto the
PostgreSQL server its district shares (`canteen migrate-to postgresql://…`).

The copy keeps every id, so the audit trail, whose entries name records by id and whose hashes
cover their contents, stays valid as it is: nothing is re-entered and no entry is added. It is
written in one transaction on the target, table by table in dependency order with executemany,
and is kept only if it proves itself: the same number of rows in every table, the same chain
head, and `verify_database` on the copy finding nothing the source did not already hold. A
refused copy leaves the target as empty as it was.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import peewee

from . import db, migrations
from .errors import StorageError
from .integrity.chain import GENESIS, ChainHead
from .integrity.verify import VerifyReport, verify_database
from .models import all_tables
from .services import storage

BATCH_ROWS = 500  # rows per executemany: attachments hold scans, so memory stays bounded


class TransferRefused(StorageError):
    """The copy did not prove equal to its source; the target was left empty."""


@dataclass
class TransferReport:
    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows copied
    head: ChainHead = field(default_factory=lambda: ChainHead(0, GENESIS))
    verify: VerifyReport = field(default_factory=VerifyReport)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def carried_problems(self) -> list:
        """Tampering found in the source and faithfully carried into the copy."""
        return self.verify.problems


def table_order() -> list[type[peewee.Model]]:
    """Every table, each after the tables its foreign keys point to."""
    return peewee.sort_models(all_tables())


def copy_database(source_url: str, target_url: str,
                  progress: Callable[[int, int], None] | None = None) -> TransferReport:
    """Copy the canteen database at `source_url` into the empty database at `target_url`.

    Raises StorageError when either cannot be opened or the target is not empty, and
    TransferRefused when the copy does not match its source (nothing is kept then).
    """
    started = time.perf_counter()
    report = TransferReport(db.display_url(source_url), db.display_url(target_url))
    new_file = not db.is_postgres(target_url) and not db.sqlite_path(target_url).exists()
    with _models_bound_to(db.database.obj):  # the process's database is the same before and after
        source = storage.open_canteen(source_url)  # proves it is a canteen database, at the current schema
        try:
            target = _empty_target(target_url)
            try:
                _copy_into(source, target, report, progress)
            except BaseException:
                target.close()
                if new_file:
                    storage.remove_partial(target_url)
                raise
            target.close()
        finally:
            source.close()
    report.seconds = time.perf_counter() - started
    return report


def _copy_into(source, target, report: TransferReport, progress) -> None:
    with source.atomic():  # one read snapshot of the source for the whole copy
        counts = _row_counts(source)
        report.head = _head_of(source)
        with _models_bound_to(target), db.write_transaction(target):
            migrations.create_current_schema(target)
            target.execute_sql('DELETE FROM "meta"')  # the source's facts (same schema version) come instead
            _copy_tables(source, target, report, counts, progress)
            db.sync_id_sequences(all_tables(), target)
            _prove_copy(source, target, report, counts)


def _empty_target(url: str) -> peewee.Database:
    target = db.connect(url, create=True)
    if target.get_tables():
        target.close()
        where = db.display_url(url)
        raise StorageError(f"{where} already holds tables; migrate into an empty database. Nothing was changed.",
                           f"{where} 中已有数据表，请迁移到空数据库。未做任何更改。")
    return target


def _row_counts(source: peewee.Database) -> dict[str, int]:
    return {m._meta.table_name: source.execute_sql(f'SELECT COUNT(*) FROM "{m._meta.table_name}"').fetchone()[0]
            for m in table_order()}


def _head_of(database: peewee.Database) -> ChainHead:
    row = database.execute_sql("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1").fetchone()
    return ChainHead(int(row[0]), row[1]) if row else ChainHead(0, GENESIS)


def _copy_tables(source, target, report: TransferReport, counts: dict[str, int], progress) -> None:
    done, total = 0, sum(counts.values())
    for model in table_order():
        for batch in _source_batches(source, model):
            _insert(target, model, batch)
            report.rows[model._meta.table_name] = report.rows.get(model._meta.table_name, 0) + len(batch)
            done += len(batch)
            if progress:
                progress(done, total)
        report.rows.setdefault(model._meta.table_name, 0)


def _source_batches(source: peewee.Database, model):
    """The source rows in key order, converted to what the target's driver takes.

    Values go through the field's own python_value/db_value, so SQLite's 0/1 booleans, text
    dates and REAL decimals reach PostgreSQL typed.
    """
    fields = model._meta.sorted_fields
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    order = model._meta.primary_key.column_name
    cursor = source.execute_sql(f'SELECT {columns} FROM "{model._meta.table_name}" ORDER BY "{order}"')
    while rows := cursor.fetchmany(BATCH_ROWS):
        yield [tuple(f.db_value(f.python_value(v)) for f, v in zip(fields, row)) for row in rows]


def _insert(target: peewee.Database, model, rows: list[tuple]) -> None:
    if not rows:
        return
    fields = model._meta.sorted_fields
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([target.param] * len(fields))
    target.cursor().executemany(f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})', rows)


def _prove_copy(source, target, report: TransferReport, counts: dict[str, int]) -> None:
    """Refuse (and so roll back) a copy that differs from its source in any way we can see."""
    copied = _row_counts(target)
    wrong = [f"{name}: {counts[name]} → {copied[name]}" for name in counts if copied[name] != counts[name]]
    if wrong:
        raise TransferRefused("The copy does not hold the same rows as the source (" + "; ".join(wrong) +
                              "); nothing was kept.", "副本与源数据库的行数不一致（" + "；".join(wrong) + "），未保留任何内容。")
    if _head_of(target) != report.head:
        raise TransferRefused("The copy's audit chain head differs from the source's; nothing was kept.",
                              "副本的审计链头与源数据库不一致，未保留任何内容。")
    report.verify = verify_database()
    if report.verify.problems:
        _accept_only_carried_problems(source, target, report.verify)


def _accept_only_carried_problems(source, target, found: VerifyReport) -> None:
    """A source that was tampered with is copied as it is (its problems stay visible); only
    problems the copy brought in itself make the copy fail."""
    with _models_bound_to(source):
        before = verify_database()
    carried = {(p.code, p.where) for p in before.problems}
    new = [p for p in found.problems if (p.code, p.where) not in carried]
    if new:
        raise TransferRefused(f"The copy failed verification ({new[0].where}: {new[0].en}); nothing was kept.",
                              f"副本未通过校验（{new[0].where}：{new[0].zh}），未保留任何内容。")


@contextlib.contextmanager
def _models_bound_to(other: peewee.Database | None):
    """Bind the models to `other` for the length of a block, then back to whatever they were bound
    to: a copy made from the desk or a test leaves the process on the database it was using."""
    before = db.database.obj
    db.database.initialize(other)
    try:
        yield
    finally:
        db.database.initialize(before)
