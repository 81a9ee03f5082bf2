"""How long the district's reads take on a demo district, beside one canteen alone in SQLite.

    canteen --db postgresql://…/canteen_district demo --sites 20 --days 100
    python3 bench/district_figures.py --db postgresql://…/canteen_district

Prints, for the district (signed in as `inspector`, password 'demo'): its rows and disk size,
the district page's day duties, the month heat map, `check --all-sites` for one day, and one
canteen's deliveries first page (as manager<N>); then the same reads of a 100-day demo canteen
built alone in its own SQLite file. Each read: the first (cold) run and the best of three.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label: str, fn, *args) -> None:
    """The first run and the best of three more."""
    runs = []
    for _ in range(4):
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            fn(*args)
        runs.append(time.perf_counter() - started)
    print(f"  {label:<48} first {runs[0]:6.3f} s   best {min(runs[1:]):6.3f} s")


def size(url: str) -> None:
    """Rows per table (largest first) and the database's size on disk."""
    from canteen import db
    database = db.current()
    if db.is_postgres(url):
        name = database.execute_sql("SELECT current_database()").fetchone()[0]
        disk = database.execute_sql("SELECT pg_database_size(%s)", (name,)).fetchone()[0]
        tables = [r[0] for r in database.execute_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").fetchall()]
    else:
        disk = Path(url).stat().st_size
        tables = [r[0] for r in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'").fetchall()]
    rows = {t: database.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    biggest = ", ".join(f"{t} {n:,}" for t, n in sorted(rows.items(), key=lambda r: -r[1])[:6])
    print(f"  {sum(rows.values()):,} rows in {len(tables)} tables ({biggest}); {disk / 2**20:.0f} MiB on disk")


def check_one_day(url: str, user: str, day: dt.date, all_sites: bool) -> None:
    from canteen.cli import main
    main(["--db", url, "--user", user, "check", "--from", str(day), "--to", str(day)]
         + (["--all-sites"] if all_sites else []))


def deliveries_first_page(session) -> None:
    from canteen.read import lists
    query = lists.ListQuery("deliveries")
    lists.fetch_block(session, query, 0, count=lists.total(session, "deliveries"))


def district_figures(url: str, canteen: int) -> None:
    from canteen import db
    from canteen.read import district
    from canteen.services import users
    db.open_database(url)
    print(f"District {db.display_url(url)}:")
    size(url)
    inspector = users.login("inspector", "demo")
    day = inspector.today() - dt.timedelta(days=1)
    while day.weekday() > 4:
        day -= dt.timedelta(days=1)
    month_end = inspector.today().replace(day=1) - dt.timedelta(days=1)
    timed(f"district page day duties ({day})", district.district_day, inspector, day)
    timed(f"month heat map ({month_end:%Y-%m})", lambda: district.heat_map(
        district.district_period(inspector, month_end.replace(day=1), month_end)))
    timed(f"check --all-sites for {day}", check_one_day, url, "inspector", day, True)
    manager = users.login(f"manager{canteen}", "demo")
    timed(f"canteen {canteen}'s deliveries, first page", deliveries_first_page, manager)
    timed(f"canteen {canteen}'s check for {day}", check_one_day, url, f"manager{canteen}", day, False)
    db.close()


def alone_figures() -> None:
    from canteen import db
    from canteen.demo import build_demo
    from canteen.services import users
    path = str(Path(tempfile.mkdtemp(prefix="canteen-alone-")) / "demo.db")
    started = time.perf_counter()
    build_demo(path, days=100)
    print(f"One canteen alone in SQLite {path} (100 school days, built in {time.perf_counter() - started:.1f} s):")
    size(path)
    manager = users.login("manager", "demo")
    day = manager.today() - dt.timedelta(days=1)
    while day.weekday() > 4:
        day -= dt.timedelta(days=1)
    timed("its deliveries, first page", deliveries_first_page, manager)
    timed(f"its check for {day}", check_one_day, path, "manager", day, False)
    db.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="the demo district's URL")
    parser.add_argument("--canteen", type=int, default=4, help="which canteen's pages (manager<N>); 4 is ordinary")
    args = parser.parse_args()
    os.environ["CANTEEN_PASSWORD"] = "demo"
    district_figures(args.db, args.canteen)
    alone_figures()
    return 0


if __name__ == "__main__":
    sys.exit(main())
