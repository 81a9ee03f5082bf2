"""The measurements that run inside a fresh process: `python3 bench/probes.py NAME ARG…`.

Each prints one line `BENCH {json}` with its figures (seconds, and `peak_mb`, the process's
maximum resident memory) and asserts nothing. They use the program's public ways in: the
`canteen` command line (`canteen.cli.main`), `ui.app`, the records page, `canteen.read.lists`
and `reports.archive`, so they measure whatever the code of the checkout does.
"""

from __future__ import annotations

import functools
import json
import os
import re
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MARK = "BENCH "
WORD = "土豆"
TIMEOUT = 20.0


def report(**values) -> None:
    values["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(MARK + json.dumps(values), flush=True)


def own_settings() -> None:
    """The desk's QSettings go to a temporary folder, never the user's."""
    from PySide6.QtCore import QSettings
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())


# ---- start-up -----------------------------------------------------------------------------------

def bare(started: str) -> None:
    """The floor: a bare PySide6 window painted, from the moment the parent started the process."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
    app = QApplication(sys.argv[:1])
    win = QMainWindow()
    win.setCentralWidget(QLabel("hello"))
    win.resize(1400, 860)
    win.show()
    QTimer.singleShot(0, lambda: (win.grab(), report(ready=time.time() - float(started)), app.quit()))
    app.exec()


def desk(started: str, url: str) -> None:
    """`canteen --db URL` from the process start to the sign-in window, and to the database open
    behind it (`ready`); then, as a person who types the password in no less time than that,
    Enter to a painted Today; the time spent inside `users.login` is the password hash."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QMainWindow
    own_settings()
    app = QApplication(sys.argv[:1])  # made here only to watch for windows; ui.app reuses it
    marks: dict[str, float] = {}

    class Watcher(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Show and isinstance(obj, (QDialog, QMainWindow)) and obj.isWindow():
                if isinstance(obj, QDialog) and "shown" not in marks:
                    marks["shown"] = time.perf_counter()
                    if hasattr(obj, "painted"):  # the sign-in window says when it is first painted
                        obj.painted.connect(lambda: marks.setdefault("signin", time.perf_counter()))
                    QTimer.singleShot(0, lambda: _signed_in_window(obj, marks))
                elif isinstance(obj, QMainWindow) and "window" not in marks:
                    marks["window"] = time.perf_counter()
                    obj.page("today").loaded.connect(lambda: _today_painted(obj, marks, started))
            return False

    watcher = Watcher()
    app.installEventFilter(watcher)
    marks["t0"] = time.perf_counter() - (time.time() - float(started))
    QTimer.singleShot(int(TIMEOUT * 1000), lambda: (report(error=f"timed out after {sorted(marks)}"), os._exit(3)))
    from canteen.cli import main
    main(["--db", url])


def _signed_in_window(dialog, marks: dict) -> None:
    from PySide6.QtCore import QTimer
    if "signin" not in marks:
        dialog.grab()
        marks["signin"] = time.perf_counter()
    if not getattr(dialog, "ready", True):  # the database is still being opened behind the window
        QTimer.singleShot(1, lambda: _signed_in_window(dialog, marks))
        return
    marks["ready"] = time.perf_counter()
    _press_enter(dialog, marks)


def _press_enter(dialog, marks: dict) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    from canteen.services import users
    login = users.login

    @functools.wraps(login)  # the same signature: the worker hands it no progress callback
    def timed_login(*args, **kwargs):
        began = time.perf_counter()
        try:
            return login(*args, **kwargs)
        finally:
            marks["hash"] = time.perf_counter() - began
    users.login = timed_login
    boxes = {box.objectName(): box for box in dialog.findChildren(QLineEdit)}
    boxes["login_user"].setText("manager")
    boxes["login_password"].setText("demo")
    marks["enter"] = time.perf_counter()
    QTest.keyClick(boxes["login_password"], Qt.Key.Key_Return)


def _today_painted(window, marks: dict, started: str) -> None:
    from PySide6.QtWidgets import QApplication
    if "today" in marks:
        return
    window.grab()
    marks["today"] = time.perf_counter()
    hash_s = marks.get("hash", 0.0)
    report(signin=marks["signin"] - marks["t0"], ready=marks["ready"] - marks["t0"],
           enter_today=marks["today"] - marks["enter"] - hash_s, hash=hash_s)
    QApplication.instance().quit()


# ---- the records page over a big table ----------------------------------------------------------

def _wait_for(app, done) -> float:
    """Seconds until `done()` holds, the events processed meanwhile (a worker's result included)."""
    began = time.perf_counter()
    while not done():
        app.processEvents()
        if time.perf_counter() - began > TIMEOUT:
            raise SystemExit("timed out")
        time.sleep(0.001)
    return time.perf_counter() - began


def table(url: str) -> None:
    """First paint, the count of the whole table (it may follow the first rows), jump to the end
    (once the count is known), search a word (first matching rows painted), sort by the item, and
    the first paint of the same page made again in the same process."""
    from PySide6.QtCore import Qt
    own_settings()
    from canteen.services import storage, users
    from ui.app import make_application
    from ui.pages.records import RecordsPage
    app = make_application()
    storage.open_canteen(url)
    session = users.session_for("manager")
    began = time.perf_counter()
    page = RecordsPage(session, "deliveries")
    page.resize(1400, 800)
    page.show()
    page.grab()
    first_paint = time.perf_counter() - began
    model = page.table_model
    counted = first_paint + _wait_for(app, lambda: not model.counting)
    item = next(i for i, c in enumerate(model.columns) if c.name == "item")

    def first_items(*wanted) -> bool:
        return model.rowCount() >= 3 and all(str(model.index(r, item).data()) in wanted for r in range(3))
    began = time.perf_counter()
    page.table.scrollToBottom()
    page.grab()
    to_end = time.perf_counter() - began
    page.table.scrollToTop()
    began = time.perf_counter()
    page.search.setText(WORD)
    page.apply_filter()
    _wait_for(app, lambda: first_items(WORD))
    page.grab()
    search = time.perf_counter() - began
    page.search.setText("")
    page.apply_filter()
    _wait_for(app, lambda: not first_items(WORD))
    began = time.perf_counter()
    page.table.sortByColumn(item, Qt.SortOrder.AscendingOrder)
    _wait_for(app, lambda: first_items(min(NAMES)))
    page.grab()
    sort = time.perf_counter() - began
    began = time.perf_counter()  # the same page made again: what the process's first widgets cost is paid
    again = RecordsPage(session, "deliveries")
    again.resize(1400, 800)
    again.show()
    again.grab()
    second = time.perf_counter() - began
    report(first_paint=first_paint, second_paint=second, counted=counted, to_end=to_end, search=search, sort=sort,
           rows=model.rowCount())


NAMES = ["土豆", "鸡蛋", "大白菜", "菠菜", "鲜猪肉", "豆腐", "鸡腿", "苹果", "大米", "菜籽油"]


def read_search(url: str) -> None:
    """The read interface alone: the first block of a search, then its count."""
    from canteen.read import lists
    from canteen.services import storage, users
    storage.open_canteen(url)
    session = users.session_for("manager")
    query = lists.ListQuery("deliveries", text=WORD)
    began = time.perf_counter()
    block = lists.fetch_block(session, query, 0)
    first = time.perf_counter() - began
    began = time.perf_counter()
    found = lists.count(session, query)
    report(first_rows=first, count=time.perf_counter() - began, found=found, block=len(block.rows))


def floors(url: str) -> None:
    """Raw SQL, no program code: the newest page, the oldest page, a LIKE scan for the word, the COUNT."""
    con, mark = _raw(url)
    columns = "id, occurred_at, item, category, quantity, unit, supplier_id, batch_no, result, receiver"
    page = f'SELECT {columns} FROM "delivery" ORDER BY id DESC LIMIT 500'
    end = f'SELECT {columns} FROM "delivery" ORDER BY id ASC LIMIT 500'
    scan = f'SELECT COUNT(*) FROM "delivery" WHERE item LIKE {mark}'
    count = 'SELECT COUNT(*) FROM "delivery"'
    figures = {}
    for name, sql, args in (("page", page, ()), ("end", end, ()), ("scan", scan, (f"%{WORD}%",)), ("count", count, ())):
        cursor = con.cursor()
        began = time.perf_counter()
        cursor.execute(sql, args)
        cursor.fetchall()
        figures[name] = time.perf_counter() - began
    report(**figures)


def bare_table(url: str) -> None:
    """The floor of the first paint, no program code: the newest 500 deliveries read by raw SQL into
    a bare PySide6 table (a plain model of their texts) shown at the page's size and painted."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QTableView
    app = QApplication(sys.argv[:1])  # noqa: F841 (kept alive while the table paints)
    display = Qt.ItemDataRole.DisplayRole

    class Texts(QAbstractTableModel):
        def __init__(self, rows, names):
            super().__init__()
            self.rows, self.names = rows, names

        def rowCount(self, parent=QModelIndex()):  # noqa: N802 (Qt's name)
            return 0 if parent.isValid() else len(self.rows)

        def columnCount(self, parent=QModelIndex()):  # noqa: N802
            return 0 if parent.isValid() else len(self.names)

        def data(self, index, role=display):
            return str(self.rows[index.row()][index.column()]) if role == display else None

        def headerData(self, section, orientation, role=display):  # noqa: N802
            return self.names[section] if role == display and orientation == Qt.Orientation.Horizontal else None
    con, _ = _raw(url)  # connected before the clock starts, as the page's database is
    cursor = con.cursor()
    began = time.perf_counter()
    cursor.execute('SELECT * FROM "delivery" ORDER BY id DESC LIMIT 500')
    rows, names = cursor.fetchall(), [d[0] for d in cursor.description]
    view = QTableView()
    view.setModel(Texts(rows, names))
    view.setWordWrap(False)
    view.resize(1400, 800)
    view.show()
    view.grab()
    report(paint=time.perf_counter() - began)


def _raw(url: str):
    if url.startswith("postgres"):
        import psycopg2
        return psycopg2.connect(url), "%s"
    return sqlite3.connect(url), "?"


# ---- the district ------------------------------------------------------------------------------------

def district(url: str) -> None:
    """The district inspector's page over every canteen: made and shown until today's table is
    painted, then until the heat map of the month so far behind it is; then, warm, the day read
    again on its own (`canteen.read.district`), and the last whole month."""
    own_settings()
    import datetime as dt

    from canteen.read import district as district_read
    from canteen.services import storage, users
    from ui.app import make_application
    from ui.pages.district import DistrictPage
    app = make_application()
    storage.open_canteen(url)
    session = users.session_for("inspector")
    began = time.perf_counter()
    page = DistrictPage(session)
    page.resize(1400, 860)
    page.show()
    _wait_for(app, lambda: bool(page.days))
    page.grab()
    day = time.perf_counter() - began
    _wait_for(app, lambda: bool(page.periods))
    page.tabs.setCurrentIndex(1)
    page.grab()
    month = time.perf_counter() - began
    began = time.perf_counter()
    district_read.district_day(session, session.today())
    day_read = time.perf_counter() - began
    last = session.today().replace(day=1) - dt.timedelta(days=1)  # the last whole month
    began = time.perf_counter()
    district_read.district_period(session, last.replace(day=1), last)
    report(day_painted=day, month_painted=month, day_read=day_read, month_read=time.perf_counter() - began,
           canteens=len(page.days), month=f"{last:%Y-%m}")


def district_floor(url: str) -> None:
    """Raw SQL, no program code: the day's records of each of the ten kinds of the day table, for
    every canteen at once (what the table is made of, read in one query per kind)."""
    import datetime as dt
    con, mark = _raw(url)
    cursor = con.cursor()
    began = time.perf_counter()
    cursor.execute('SELECT timezone FROM "site" LIMIT 1')
    day = dt.date.today()
    for table in ("menu", "delivery", "pesticide_test", "accompanied_meal", "disinfection", "morning_check",
                  "water_supply", "container_cleaning", "daily_inspection"):
        cursor.execute(f'SELECT * FROM "{table}" WHERE voided = {mark} AND day = {mark} ORDER BY site_id, id',
                       (False, day))
        cursor.fetchall()
    cursor.execute(f'SELECT * FROM "retained_sample" WHERE voided = {mark} AND served_on = {mark}', (False, day))
    cursor.fetchall()
    report(read=time.perf_counter() - began)


# ---- import ---------------------------------------------------------------------------------------

def import_csv(url: str, path: str, rows: str) -> None:
    """`canteen import deliveries FILE.csv`; rows/s from the command's own figure (else wall time),
    then the floor: the same rows written by a raw `executemany` into a bare table."""
    import contextlib
    import io

    from canteen.cli import main
    out = io.StringIO()
    began = time.perf_counter()
    with contextlib.redirect_stdout(out):
        code = main(["--db", url, "--user", "manager", "import", "deliveries", path])
    wall = time.perf_counter() - began
    if code:
        raise SystemExit(f"import failed ({code}): {out.getvalue()[-500:]}")
    said = re.search(r"\((\d+) rows/s\)", out.getvalue())
    rate = float(said.group(1)) if said else int(rows) / wall
    report(rate=rate, floor=_raw_rate(url, int(rows)))


def _raw_rate(url: str, rows: int) -> float:
    """Rows/s of a raw executemany of the last `rows` deliveries into a new bare table."""
    con, mark = _raw(url)
    cursor = con.cursor()
    cursor.execute(f'SELECT * FROM "delivery" ORDER BY id DESC LIMIT {rows}')
    data = cursor.fetchall()
    width = len(cursor.description)
    names = ", ".join(f"c{i}" for i in range(width))
    cursor.execute("DROP TABLE IF EXISTS bench_raw")
    cursor.execute(f"CREATE TABLE bench_raw ({names})" if mark == "?" else
                   "CREATE TABLE bench_raw AS SELECT * FROM \"delivery\" WITH NO DATA")
    con.commit()
    began = time.perf_counter()
    cursor.executemany(f"INSERT INTO bench_raw VALUES ({', '.join([mark] * width)})", data)
    con.commit()
    seconds = time.perf_counter() - began
    cursor.execute("DROP TABLE bench_raw")
    con.commit()
    return len(data) / seconds


# ---- the year archive -----------------------------------------------------------------------------

def archive(url: str, out: str) -> None:
    """The archive of the database's last year (reports.archive) against the same tables laid
    out by a bare ReportLab document (bench_reports.run_floor), each timed on its own."""
    from bench_reports import run_archive, run_floor
    made = run_archive(url, out + ".archive.pdf", 365)
    floor = run_floor(url, out + ".floor.pdf", 365)
    report(archive=made["seconds"], floor=floor["seconds"], pages=made["pages"], period=made["period"])


# ---- verify -----------------------------------------------------------------------------------------

def verify_floor(url: str) -> None:
    """The floor of `canteen verify`, raw SQL and no program code: every table of the database read
    whole, a batch at a time, and each audit entry's stored texts hashed once (SHA-256)."""
    import hashlib
    con, _ = _raw(url)
    cursor = con.cursor()
    if url.startswith("postgres"):
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")
    tables = [name for (name,) in cursor.fetchall()]
    began = time.perf_counter()
    rows = 0
    for name in tables:
        cursor.execute(f'SELECT * FROM "{name}"')
        while batch := cursor.fetchmany(5000):
            rows += len(batch)
    cursor.execute('SELECT "before", "after", "hash" FROM "audit_entry" ORDER BY "seq"')
    while batch := cursor.fetchmany(5000):
        for before, after, digest in batch:
            hashlib.sha256(f"{before}{after}{digest}".encode()).hexdigest()
    report(read=time.perf_counter() - began, rows=rows)


PROBES = {"bare": bare, "desk": desk, "table": table, "read-search": read_search, "floors": floors,
          "import": import_csv, "archive": archive, "verify-floor": verify_floor, "district": district,
          "bare-table": bare_table,
          "district-floor": district_floor}

if __name__ == "__main__":
    PROBES[sys.argv[1]](*sys.argv[2:])
