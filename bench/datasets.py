"""The data the benchmark measures, built once into a work folder (or server) and reused.

A dataset is named by what it holds ("term-100", "demo-2000", "table-1000000") and lives on a
backend: SQLite files in the work folder, or one database per dataset on a PostgreSQL server.
A dataset counts as built when its marker file exists in the work folder; the marker is written
last, so an interrupted build is built again on the next run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["土豆", "鸡蛋", "大白菜", "菠菜", "鲜猪肉", "豆腐", "鸡腿", "苹果", "大米", "菜籽油"]
SUPPLIER = "城关蔬菜批发部"
TABLE_SPAN = (dt.date(2021, 1, 1), 1826)  # every table spreads its rows over the same five years


PYCACHE = Path(tempfile.gettempdir()) / "canteen-bench-pycache"


def canteen_env() -> dict[str, str]:
    """The children's environment: compiled modules kept (in a folder of the benchmark's own), as an
    installed program has them, even where PYTHONDONTWRITEBYTECODE is set; otherwise every start
    would compile the program's sources again and the start-up waits would measure the compiler."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), CANTEEN_PASSWORD="demo", PYTHONPYCACHEPREFIX=str(PYCACHE))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def canteen(*args: str, quiet: bool = True) -> subprocess.CompletedProcess:
    """The `canteen` command line, as a user runs it."""
    out = subprocess.DEVNULL if quiet else None
    return subprocess.run([sys.executable, "-m", "canteen", *args], cwd=str(ROOT), env=canteen_env(),
                          stdout=out, stderr=subprocess.PIPE, text=True, check=False)


@dataclass(frozen=True)
class Backend:
    """Where datasets live: `sqlite` files in the work folder, or a PostgreSQL server URL."""

    name: str
    work: Path
    server: str = ""
    prefix: str = "bench_"  # the server's databases are named this and the dataset's name

    def url(self, dataset: str) -> str:
        if not self.server:
            return str(self.work / f"{dataset}.db")
        parts = urlsplit(self.server)
        return urlunsplit(parts._replace(path="/" + self.prefix + dataset.replace("-", "_")))

    def marker(self, dataset: str) -> Path:
        return self.work / f"{self.name}-{dataset}.built"

    def ready(self, dataset: str) -> bool:
        return self.marker(dataset).exists()

    def fresh(self, dataset: str) -> str:
        """An empty place for `dataset` (an old one removed first)."""
        self.marker(dataset).unlink(missing_ok=True)
        if self.server:
            admin(self.server, f'DROP DATABASE IF EXISTS "{db_name(self.url(dataset))}" WITH (FORCE)')
            admin(self.server, f'CREATE DATABASE "{db_name(self.url(dataset))}"')
        else:
            for path in self.work.glob(f"{dataset}.db*"):
                path.unlink()
        return self.url(dataset)

    def copy(self, dataset: str, target: str) -> str:
        """A copy of a built dataset under another name, to be changed and thrown away."""
        if self.server:
            url = self.url(target)
            self.drop(target)
            admin(self.server, f'CREATE DATABASE "{db_name(url)}" TEMPLATE "{db_name(self.url(dataset))}"')
            return url
        self.drop(target)
        shutil.copyfile(self.url(dataset), self.url(target))
        return self.url(target)

    def drop(self, dataset: str) -> None:
        self.marker(dataset).unlink(missing_ok=True)
        if self.server:
            admin(self.server, f'DROP DATABASE IF EXISTS "{db_name(self.url(dataset))}" WITH (FORCE)')
        else:
            for path in self.work.glob(f"{dataset}.db*"):
                path.unlink()

    def drop_all(self) -> None:
        for marker in self.work.glob(f"{self.name}-*.built"):
            self.drop(marker.name[len(self.name) + 1:-len(".built")])


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def admin(server: str, sql: str) -> None:
    """A statement outside any transaction on the server's own database (CREATE/DROP DATABASE)."""
    import psycopg2
    con = psycopg2.connect(server)
    con.autocommit = True
    try:
        con.cursor().execute(sql)
    finally:
        con.close()


def ensure(backend: Backend, dataset: str, build) -> str:
    """The dataset's URL, built first (and timed) when the work folder has no marker for it."""
    if not backend.ready(dataset):
        print(f"  building {dataset} on {backend.name} …", flush=True)
        started = time.perf_counter()
        build(backend.fresh(dataset))
        backend.marker(dataset).write_text(dt.datetime.now().isoformat())
        print(f"  built {dataset} on {backend.name} in {time.perf_counter() - started:.0f} s", flush=True)
    return backend.url(dataset)


def build_demo(days: int):
    def build(url: str) -> None:
        if not url.startswith("postgresql"):
            Path(url).unlink(missing_ok=True)
        done = canteen("--db", url, "demo", "--days", str(days))
        if done.returncode:
            raise SystemExit(f"demo --days {days} failed:\n{done.stderr[-2000:]}")
    return build


def build_district(sites: int, days: int):
    """`canteen demo --sites N --days D`: the bureau's database of N canteens, each its own term."""
    def build(url: str) -> None:
        done = canteen("--db", url, "demo", "--sites", str(sites), "--days", str(days))
        if done.returncode:
            raise SystemExit(f"demo --sites {sites} --days {days} failed:\n{done.stderr[-2000:]}")
    return build


def build_table(rows: int):
    """A canteen with `rows` deliveries over five years, inserted raw (set-up, not a program path)."""
    def build(url: str) -> None:
        done = subprocess.run([sys.executable, __file__, url, str(rows)], cwd=str(ROOT), env=canteen_env(),
                              capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"table of {rows} rows failed:\n{done.stderr[-2000:]}")
    return build


def table_row(site_id: int, supplier_id: int, i: int, rows: int) -> tuple:
    first, span = TABLE_SPAN
    day = first + dt.timedelta(days=i * span // rows)
    return (site_id, day.isoformat(), f"{day} 07:{i % 60:02d}:00", f"{day} 08:00:00", 1, False, NAMES[i % 10],
            "vegetable", "10.000", "kg", supplier_id, "accepted", "王芳", True)


def _fill_table(url: str, rows: int) -> None:
    from canteen import db
    from canteen.services import records, users
    db.open_database(url, create=True)
    site, _ = users.create_site("基准测试食堂", "admin", "demo")
    users.add_user(site, "manager", "王芳", "manager", "demo")
    manager = users.session_for("manager")
    supplier = records.create(manager, "suppliers", {"name": SUPPLIER, "kind": "distributor", "address": "城关镇"})
    records.create(manager, "certificates", {"supplier": supplier.id, "cert_type": "operation_licence",
                                             "number": "JY1", "issued_on": "2020-01-01", "expires_on": "2035-01-01"})
    columns = ("site_id, day, occurred_at, entered_at, version, voided, item, category, quantity, unit, "
               "supplier_id, result, receiver, sensory_ok")
    postgres = db.is_postgres(url)
    with db.write_transaction():
        cursor = db.current().cursor()
        for start in range(0, rows, 50_000):
            batch = [table_row(site.id, supplier.id, i, rows) for i in range(start, min(rows, start + 50_000))]
            if postgres:
                from psycopg2.extras import execute_values
                execute_values(cursor, f'INSERT INTO "delivery" ({columns}) VALUES %s', batch, page_size=5000)
            else:
                cursor.executemany(f'INSERT INTO "delivery" ({columns}) VALUES ({",".join("?" * 14)})', batch)
    if postgres:
        db.current().execute_sql('ANALYZE "delivery"')
    db.close()


if __name__ == "__main__":  # the table builder runs in its own process
    sys.path.insert(0, str(ROOT))
    _fill_table(sys.argv[1], int(sys.argv[2]))
