"""A small district for the district page, and its screenshots (docs/screenshots/), and the time
its reads take.

The demo builder makes one canteen per database, so this script builds the district through the
services, as `site add` and the desk would: N canteens, each with a menu and samples on the last
school days, with different habits (diligent, sloppy with weights, one that stopped sampling).

    QT_QPA_PLATFORM=offscreen python3 bench/district_screenshots.py --sites 8 --days 12 --lang zh_CN
    QT_QPA_PLATFORM=offscreen python3 bench/district_screenshots.py --sites 8 --days 12 --lang en
    python3 bench/district_screenshots.py --sites 20 --days 100 --time-only   (the reads' time, no screen)

Or of an existing district, e.g. the demo district (`canteen --db URL demo --sites 20`), signed in
as its inspector (password 'demo' unless --password says otherwise):

    QT_QPA_PLATFORM=offscreen python3 bench/district_screenshots.py --db URL --lang zh_CN
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PASSWORD = "district-demo"
SCHOOLS = ["城关一中", "城关二中", "实验小学", "东城中学", "西城小学", "南关中学", "北山小学", "河西中学",
           "新区中学", "滨江小学"]
DISHES = ["红烧肉", "炒白菜", "番茄炒蛋", "米饭"]


def school_days(end: dt.date, count: int) -> list[dt.date]:
    days, day = [], end
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= dt.timedelta(days=1)
    return sorted(days)


def at(session, day: dt.date, hour: int, minute: int = 0):
    """The session's clock stands at a local time of `day` (records are entered as they happen)."""
    from canteen.timeutil import to_utc
    session.clock = lambda: to_utc(dt.datetime.combine(day, dt.time(hour, minute)), session.tz)
    return dt.datetime.combine(day, dt.time(hour, minute))


def canteen_day(session, day: dt.date, habit: str, n: int) -> None:
    """A lunch menu and its samples, as this canteen's habit keeps them."""
    from canteen.services import records
    at(session, day, 9)
    records.create(session, "menus", {"day": day, "meal": "lunch", "dishes": DISHES, "diners_planned": 250})
    if habit == "stopped" or (habit == "sloppy" and n % 4 == 0):
        return
    for dish in DISHES:
        light = habit == "sloppy" and dish == "红烧肉" and n % 3 == 1
        moment = at(session, day, 11, 40)
        at(session, day, 11, 45)
        records.create(session, "samples", {"occurred_at": moment, "dish": dish, "served_on": day, "meal": "lunch",
                                            "weight_g": "100" if light else "150", "fridge": "留样冰箱1",
                                            "storage_temp_c": "4", "sampler": "王芳"})


def build(path: str, sites: int, days: int) -> None:
    from canteen import db
    from canteen.services import site_admin, users
    from canteen.timeutil import local_today
    db.open_database(path, create=True)
    users.create_district("城关区教育局", "bureau", PASSWORD)
    bureau = users.session_for("bureau")
    users.add_user(None, "inspector", "区县检查员", "district-inspector", PASSWORD)
    habits = ["diligent", "sloppy", "diligent", "stopped"]
    for i in range(sites):
        site = site_admin.add_site(bureau, f"{SCHOOLS[i % len(SCHOOLS)]}食堂{'' if i < len(SCHOOLS) else i}",
                                   f"admin{i}", PASSWORD)
        users.add_user(site, f"manager{i}", "食堂管理员", "manager", PASSWORD)
        session = users.session_for(f"manager{i}")
        for n, day in enumerate(school_days(local_today(session.tz) - dt.timedelta(days=1), days)):
            canteen_day(session, day, habits[i % len(habits)], n)


def timed(label: str, fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    print(f"{label}: {time.perf_counter() - started:.2f} s")
    return result


def measure(session) -> None:
    from canteen.read import district
    today = session.today()
    timed("district day (every canteen's duties)", district.district_day, session, today - dt.timedelta(days=1))
    first = today.replace(day=1) if today.day > 1 else (today - dt.timedelta(days=1)).replace(day=1)
    periods = timed("district month (findings, heat map, cases)", district.district_period, session, first, today)
    timed("heat map from the month", district.heat_map, periods)
    timed("district summary, 100 days", district.district_summary, session, today - dt.timedelta(days=100), today)


def shots(session, out: Path, lang: str) -> None:
    from PySide6.QtCore import QSettings
    from screenshots import save, wait_for

    from ui import i18n
    from ui.app import make_application
    from ui.main_window import MainWindow
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    make_application()
    i18n.install(lang)
    win = MainWindow(session)
    win.resize(1400, 760)
    win.show()
    page = win.pages["district"]
    if not (page.days and page.periods):
        wait_for(page.loaded, 120000)
    page.day_edit.setDate(page.day_edit.date().addDays(-1))
    wait_for(page.loaded, 60000)
    save(win, out, "district-day", lang)
    page.tabs.setCurrentIndex(1)
    page.month_edit.setDate(page.month_edit.date().addMonths(-1))  # a whole month of the canteens' habits
    wait_for(page.loaded, 60000)
    save(win, out, "district-heat-map", lang)
    page.tabs.setCurrentIndex(2)
    page.severity_filter.setCurrentIndex(page.severity_filter.findData("violation"))
    save(win, out, "district-findings", lang)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=8)
    parser.add_argument("--days", type=int, default=12)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--time-only", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--db", help="an existing district database (URL or path) instead of building one")
    parser.add_argument("--password", default="demo", help="the inspector's password in --db")
    args = parser.parse_args()
    from canteen import db
    from canteen.services import users
    if args.db:
        db.open_database(args.db)
        password = args.password
    else:
        path = str(Path(tempfile.mkdtemp(prefix="canteen-district-")) / "district.db")
        timed(f"built {args.sites} canteens x {args.days} school days", build, path, args.sites, args.days)
        password = PASSWORD
    session = users.login("inspector", password)
    measure(session)
    if not args.time_only:
        shots(session, Path(args.out), args.lang)
    return 0


if __name__ == "__main__":
    sys.exit(main())
