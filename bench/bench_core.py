"""Core benchmark: demo generation, database size, `check` over a year, and the cost of the
bulk write path (validation + block rules + audit chain) against raw sqlite3 executemany.

    python3 bench/bench_core.py [--big-days 2000]

Prints figures and ratios; asserts nothing (timings never belong in tests)."""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from canteen import bulk, db
from canteen.demo import build_demo
from canteen.models import Delivery, Site
from canteen.rules import evaluate
from canteen.services import users


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def demo_figures(folder: Path, days: int) -> Path:
    path = folder / f"demo-{days}.db"
    seconds, info = timed(build_demo, str(path), days=days, seed=1)
    db.close()
    size = path.stat().st_size + sum(p.stat().st_size for p in folder.glob(f"demo-{days}.db-*"))
    print(f"demo --days {days:>5}: {seconds:7.1f} s  ({seconds / days * 1000:5.1f} ms per school day), "
          f"database {size / 2**20:6.1f} MiB, {info['first']} – {info['last']}")
    return path


def check_figures(path: Path) -> None:
    db.open_database(str(path))
    site = Site.get()
    end = Delivery.select(Delivery.day).order_by(Delivery.day.desc()).scalar()
    start = end - dt.timedelta(days=365)
    seconds, findings = timed(evaluate, site.id, start, end)
    print(f"check over one year ({start} – {end}): {seconds:.2f} s, {len(findings)} findings")
    db.close()


def delivery_inputs(supplier_id: int, count: int, day: dt.date) -> list[tuple[dict, dt.datetime]]:
    base = dt.datetime.combine(day, dt.time(6))
    return [({"occurred_at": base + dt.timedelta(seconds=n), "item": f"大白菜{n % 50}", "category": "vegetable",
              "quantity": 10 + n % 40, "unit": "kg", "supplier": supplier_id, "batch_no": f"B{n}",
              "unit_price_fen": 180, "result": "accepted", "receiver": "王芳"},
             dt.datetime.combine(day, dt.time(0)) + dt.timedelta(seconds=n)) for n in range(count)]


def bulk_figures(folder: Path, count: int = 5000) -> None:
    path = folder / "bulk.db"
    db.open_database(str(path), create=True)
    site, _ = users.create_site("bench", "admin", "demo-password")
    users.add_user(site, "manager", "王芳", "manager", "demo-password")
    manager = users.session_for("manager")
    [sup] = bulk.bulk_create(manager, "suppliers", [({"name": "market", "kind": "market", "address": "x"}, dt.datetime(2026, 1, 1))])
    bulk.bulk_create(manager, "certificates", [({"supplier": sup, "cert_type": "purchase_voucher", "number": "1"}, dt.datetime(2026, 1, 1))])
    inputs = delivery_inputs(sup, count, dt.date(2026, 3, 2))
    seconds, ids = timed(bulk.bulk_create, manager, "deliveries", inputs)
    rows = db.current().execute_sql("SELECT * FROM delivery ORDER BY id").fetchall()
    columns = [c[0] for c in db.current().execute_sql("SELECT * FROM delivery LIMIT 0").description]
    db.close()
    raw = sqlite3.connect(folder / "raw.db")
    raw.execute("PRAGMA journal_mode=wal")
    raw.execute("PRAGMA synchronous=FULL")
    raw.execute(f"CREATE TABLE delivery ({', '.join(columns)})")
    raw_seconds, _ = timed(_raw_insert, raw, rows, len(columns))
    print(f"bulk write of {count} deliveries: services (validate + block rules + audit chain) {seconds:.2f} s "
          f"= {count / seconds:,.0f} rows/s; raw sqlite3 executemany {raw_seconds:.3f} s = {count / raw_seconds:,.0f} rows/s; "
          f"ratio {seconds / raw_seconds:.0f}×")


def _raw_insert(con, rows, width):
    with con:
        con.executemany(f"INSERT INTO delivery VALUES ({', '.join('?' * width)})", rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--big-days", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo_figures(folder, args.days)
        big = demo_figures(folder, args.big_days) if args.big_days else None
        if big:
            check_figures(big)
        bulk_figures(folder)


if __name__ == "__main__":
    sys.exit(main())
