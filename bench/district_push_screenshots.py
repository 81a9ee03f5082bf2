"""Screenshots of the district page's push columns (docs/screenshots/district-pushes-*.png), from a
district whose pushes really happened: a demo district of canteens written in its database, and
three canteens of their own (SQLite) pushing through files, each step run on the command line at
its own moment (CANTEEN_CLOCK), as the canteens and the bureau would:

- 北街小学食堂 pushes at 18:10 on the day shown: fresh;
- 河西中学食堂 last pushed four days before: stale;
- 城南小学食堂 pushed the evening before, then pushed an old backup restored: refused, flagged
  (and stale by 19:00, a little over 24 hours after its last accepted push).

    QT_QPA_PLATFORM=offscreen python3 bench/district_push_screenshots.py [--lang zh_CN|en] [--work DIR]

The district is built once into --work (default: a temporary folder) and reused.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOWN_AT = "2026-06-30T19:00+08:00"  # the inspector opens the page then


def canteen(clock: str, *argv: str) -> subprocess.CompletedProcess:
    """`canteen ARGV` in a process whose clock reads `clock` (password 'demo', or the bureau's)."""
    env = {**os.environ, "CANTEEN_CLOCK": clock, "CANTEEN_PASSWORD": "demo", "CANTEEN_NEW_PASSWORD": "enrol-pass-1"}
    env.pop("CANTEEN_CLOCK_ANCHOR", None)
    return subprocess.run([sys.executable, "-m", "canteen", *argv], cwd=ROOT, env=env, capture_output=True, text=True)


def must(done: subprocess.CompletedProcess) -> None:
    if done.returncode != 0:
        raise SystemExit(done.stderr)


def pushed(work: Path, district: str, n: int, name: str, push_at: str, receive_at: str) -> Path:
    """A 20-day demo canteen (seed n) enrolled at the district and its first push received."""
    school, file = work / f"school{n}.db", work / f"{n}.canteen"
    must(canteen(push_at, "--db", str(school), "demo", "--days", "20", "--seed", str(n)))
    must(canteen(push_at, "--db", str(school), "--user", "admin", "verify"))  # a sign-in: the chain moves on
    must(canteen(push_at, "--db", str(school), "--user", "admin", "push", "-o", str(file)))
    must(canteen(receive_at, "--db", district, "--user", "bureau", "site", "add", name, "--admin", f"admin{n}x",
                 "--from", str(file)))
    must(canteen(receive_at, "--db", district, "--user", "bureau", "receive", str(file)))
    return school


def build(work: Path) -> str:
    district = str(work / "district.db")
    if Path(district).exists():
        return district
    must(canteen(SHOWN_AT, "--db", district + ".part", "demo", "--sites", "4", "--days", "20"))
    Path(district + ".part").rename(district)
    pushed(work, district, 1, "北街小学食堂", "2026-06-30T18:05+08:00", "2026-06-30T18:10+08:00")
    pushed(work, district, 2, "河西中学食堂", "2026-06-26T17:40+08:00", "2026-06-26T17:46+08:00")
    school = work / "school3.db"
    must(canteen("2026-06-29T17:00+08:00", "--db", str(school), "demo", "--days", "20", "--seed", "3"))
    shutil.copy(school, work / "school3-old.db")  # the backup restored later
    for step in (("--db", str(school), "--user", "admin", "verify"),
                 ("--db", str(school), "--user", "admin", "push", "-o", str(work / "3.canteen"))):
        must(canteen("2026-06-29T18:00+08:00", *step))
    must(canteen("2026-06-29T18:05+08:00", "--db", district, "--user", "bureau", "site", "add", "城南小学食堂",
                 "--admin", "admin3x", "--from", str(work / "3.canteen")))
    must(canteen("2026-06-29T18:06+08:00", "--db", district, "--user", "bureau", "receive", str(work / "3.canteen")))
    must(canteen("2026-06-30T07:50+08:00", "--db", str(work / "school3-old.db"), "--user", "admin", "push", "-o",
                 str(work / "3-old.canteen")))
    refused = canteen("2026-06-30T07:55+08:00", "--db", district, "--user", "bureau", "receive",
                      str(work / "3-old.canteen"))
    assert refused.returncode == 2 and "history differs" in refused.stderr, refused.stderr
    return district


def shoot(district: str, out: Path, lang: str) -> None:
    """The page at SHOWN_AT (this process's clock must read it: see main)."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from PySide6.QtCore import QSettings
    from screenshots import save, wait_for

    from canteen import db
    from canteen.services import users
    from ui import i18n
    from ui.app import make_application
    from ui.main_window import MainWindow
    db.open_database(district)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    make_application()
    i18n.install(lang)
    win = MainWindow(users.login("inspector", "demo"))
    win.resize(1400, 520)
    win.show()
    page = win.pages["district"]
    if not (page.days and page.periods):
        wait_for(page.loaded, 120000)
    save(win, out, "district-pushes", lang)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="zh_CN")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "canteen-district-pushes")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--shoot", help=argparse.SUPPRESS)  # the district to photograph, in a process at SHOWN_AT
    args = parser.parse_args()
    if args.shoot:
        shoot(args.shoot, args.out, args.lang)
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    district = build(args.work)
    env = {**os.environ, "CANTEEN_CLOCK": SHOWN_AT}
    env.pop("CANTEEN_CLOCK_ANCHOR", None)
    return subprocess.run([sys.executable, __file__, "--shoot", district, "--lang", args.lang, "--out", str(args.out)],
                          env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
