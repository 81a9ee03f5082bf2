"""How fast the desk is where a user feels it. Prints figures and ratios; asserts nothing.

    python3 bench/bench_gui.py [--demo demo.db] [--rows 1000000]

1. start to a usable window: a bare PySide6 window (the floor) against the desk signing in on
   a full-term demo database and showing its Today page (each in a fresh process);
2. a deliveries page over 10 rows and over 1,000,000 rows: first paint, search, jump to the
   end, sort — the paged model should make both about equally quick;
3. peak memory (max RSS) of each of those processes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "BENCH "


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(**values) -> None:
    values["peak_mb"] = round(peak_mb(), 1)
    print(MARK + json.dumps(values), flush=True)


# ---- child processes ------------------------------------------------------------------------

def child_bare() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
    app = QApplication(sys.argv[:1])
    win = QMainWindow()
    win.setCentralWidget(QLabel("hello"))
    win.resize(1400, 860)
    win.show()
    QTimer.singleShot(0, lambda: (win.grab(), report(ready=time.time()), app.quit()))
    app.exec()


def child_desk(db_path: str) -> None:
    """What `canteen` does after the user presses Enter on the login dialog, up to a painted Today."""
    from PySide6.QtCore import QSettings
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    from canteen import db
    from canteen.services import users
    from ui.app import make_application
    from ui.main_window import MainWindow
    app = make_application()
    db.open_database(db_path)
    session = users.login("manager", "demo")
    win = MainWindow(session)
    today = win.page("today")

    def ready():
        win.grab()
        report(ready=time.time())
        app.quit()
    today.loaded.connect(ready)
    win.show()
    app.exec()


def child_table(db_path: str) -> None:
    from PySide6.QtCore import QEventLoop, QSettings, Qt
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    from canteen import db
    from canteen.services import users
    from ui.app import make_application
    from ui.pages.records import RecordsPage
    app = make_application()
    db.open_database(db_path)
    session = users.session_for("manager")
    t0 = time.perf_counter()
    page = RecordsPage(session, "deliveries")
    page.resize(1400, 800)
    page.show()
    page.grab()
    first_paint = time.perf_counter() - t0
    while page.table_model.counting:  # a large table's count follows its first rows
        app.processEvents()
        time.sleep(0.001)
    rows = page.table_model.rowCount()
    t0 = time.perf_counter()
    page.table.scrollToBottom()
    page.grab()
    to_end = time.perf_counter() - t0

    def timed(action) -> tuple[float, float]:
        """(seconds until the result is painted, seconds the GUI thread was held)."""
        loop = QEventLoop()
        page.table_model.filtered.connect(loop.quit)
        t0 = time.perf_counter()
        action()
        held = time.perf_counter() - t0
        if page.table_model._task is not None:
            loop.exec()
        page.grab()
        page.table_model.filtered.disconnect(loop.quit)
        return time.perf_counter() - t0, held

    def search_for(text):
        page.search.setText(text)
        page.apply_filter()
    search, search_held = timed(lambda: search_for("土豆"))
    found = page.table_model.rowCount()
    timed(lambda: search_for(""))
    item = next(i for i, c in enumerate(page.table_model.columns) if c.name == "item")
    sort, sort_held = timed(lambda: page.table.sortByColumn(item, Qt.SortOrder.AscendingOrder))
    t0 = time.perf_counter()
    page.table.scrollToBottom()
    page.grab()
    sorted_end = time.perf_counter() - t0
    report(rows=rows, first_paint=first_paint, to_end=to_end, search=search, search_held=search_held, found=found,
           sort=sort, sort_held=sort_held, sorted_end=sorted_end)
    app.quit()


# ---- set-up and the parent ------------------------------------------------------------------

def make_table_db(path: Path, rows: int) -> None:
    """A canteen with `rows` deliveries, inserted raw (benchmark set-up, not a program path)."""
    from canteen import db
    from canteen.services import records, users
    db.open_database(str(path), create=True)
    site, _ = users.create_site("基准测试食堂", "admin", "demo")
    users.add_user(site, "manager", "王芳", "manager", "demo")
    manager = users.session_for("manager")
    supplier = records.create(manager, "suppliers", {"name": "城关蔬菜批发部", "kind": "distributor", "address": "城关镇"})
    first, batch = dt.date(2020, 1, 1), []
    sql = ('INSERT INTO "delivery" (site_id, day, occurred_at, entered_at, version, voided, item, category, '
           'quantity, unit, supplier_id, result, receiver, sensory_ok) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)')
    names = ["土豆", "鸡蛋", "大白菜", "菠菜", "鲜猪肉", "豆腐", "鸡腿", "苹果", "大米", "菜籽油"]
    with db.write_transaction():
        cursor = db.current().cursor()
        for i in range(rows):
            day = first + dt.timedelta(days=i // 200)
            batch.append((site.id, day.isoformat(), f"{day} 00:{i % 60:02d}:00", f"{day} 01:00:00", 1, 0,
                          names[i % 10], "vegetable", "10.000", "kg", supplier.id, "accepted", "王芳", 1))
            if len(batch) == 50_000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
    db.close()


def run_child(*args: str) -> tuple[dict, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.time()
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, env=env,
                         cwd=str(ROOT))
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith(MARK)), None)
    if line is None:
        raise SystemExit(f"child {args} failed:\n{out.stderr[-2000:]}")
    values = json.loads(line[len(MARK):])
    return values, values.get("ready", start) - start


def median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo", help="a demo database (built with 100 school days if missing)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", help="folder for the benchmark databases (kept and reused)")
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child:
        mode, *rest = args.child
        {"bare": child_bare, "desk": child_desk, "table": child_table}[mode](*rest)
        return 0

    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="canteen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    demo = Path(args.demo) if args.demo else work / "demo.db"
    if not demo.exists():
        print(f"building a 100-day demo database at {demo} …", flush=True)
        subprocess.run([sys.executable, "-m", "canteen", "--db", str(demo), "demo", "--days", "100"], check=True,
                       cwd=str(ROOT), env=dict(os.environ, PYTHONPATH=str(ROOT)))
    bare = [run_child("bare") for _ in range(args.repeat)]
    desk = [run_child("desk", str(demo)) for _ in range(args.repeat)]
    bare_s, desk_s = median([t for _, t in bare]), median([t for _, t in desk])
    print(f"start to usable window   bare PySide6 {bare_s * 1000:7.0f} ms   desk Today on demo {desk_s * 1000:7.0f} ms"
          f"   ratio {desk_s / bare_s:5.1f}×")

    results = {}
    for rows in (10, args.rows):
        path = work / f"table-{rows}.db"
        if not path.exists():
            t0 = time.perf_counter()
            make_table_db(path, rows)
            print(f"(set-up: {rows:,} rows inserted in {time.perf_counter() - t0:.1f} s)", flush=True)
        runs = [run_child("table", str(path))[0] for _ in range(args.repeat)]
        keys = ("first_paint", "to_end", "search", "search_held", "sort", "sort_held", "sorted_end", "peak_mb")
        results[rows] = {k: median([r[k] for r in runs]) for k in keys}
        results[rows]["found"] = runs[0]["found"]
    small, big = results[10], results[args.rows]
    for key, label in (("first_paint", "first paint"), ("to_end", "jump to end"), ("search", "search 'potato'"),
                       ("search_held", " GUI held"), ("sort", "sort by item"), ("sort_held", " GUI held"),
                       ("sorted_end", "sorted: to end")):
        print(f"{label:16s}  10 rows {small[key] * 1000:8.1f} ms   {args.rows:,} rows {big[key] * 1000:8.1f} ms"
              f"   ratio {big[key] / max(small[key], 1e-6):6.1f}×")
    print(f"search found {big['found']:,} of {args.rows:,} rows")
    print(f"peak memory (max RSS)  bare window {median([v['peak_mb'] for v, _ in bare]):.0f} MB   "
          f"desk on demo {median([v['peak_mb'] for v, _ in desk]):.0f} MB   "
          f"table 10 rows {small['peak_mb']:.0f} MB   table {args.rows:,} rows {big['peak_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
