"""Push benchmark (issue 12): the time to make a push file and its size for the last school day
and for the whole of a demo canteen (20 school days ≈ a month; `--days 190` ≈ a school year),
and the time the district takes to receive the whole file into a fresh district database.

    python3 bench/bench_push.py [--days 20]

Prints figures; asserts nothing (timings never belong in tests)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from canteen import db, pushing, receiving
from canteen.demo import DEMO_PASSWORD, build_demo
from canteen.integrity import chain
from canteen.models import AuditEntry, Delivery
from canteen.services import users

DISTRICT_PASSWORD = "district-pass-1"


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def last_day_start(site_id: int) -> int:
    """The chain position just before the last school day's entries (what a daily push follows)."""
    last = Delivery.select(Delivery.day).order_by(Delivery.day.desc()).scalar()
    before = (AuditEntry.select(AuditEntry.chain_seq).where((AuditEntry.chain_id == site_id)
                                                              & (AuditEntry.at < dt.datetime.combine(last, dt.time(0))))
              .order_by(AuditEntry.chain_seq.desc()).scalar())
    return before or 0


def push_figures(folder: Path, days: int) -> bytes:
    path = folder / "school.db"
    build_demo(str(path), days=days, seed=1)
    admin = users.session_for("admin")
    whole_seconds, whole = timed(pushing.build, admin, DEMO_PASSWORD, 0)  # the first includes making the site key
    whole_seconds, whole = timed(pushing.build, admin, DEMO_PASSWORD, 0)
    since = last_day_start(admin.site_id)
    day_seconds, day = timed(pushing.build, admin, DEMO_PASSWORD, since)
    head = chain.head(admin.site_id).seq
    db.close()
    print(f"push file of the last school day (the demo's today): {head - since} entries, {len(day) / 1024:.1f} KiB, made in {day_seconds:.2f} s")
    print(f"push file of all {days} school days: {head} entries, {len(whole) / 2**20:.2f} MiB, made in {whole_seconds:.2f} s")
    return whole


def receive_figures(folder: Path, data: bytes, days: int) -> None:
    db.open_database(str(folder / "district.db"), create=True)
    users.create_district("城关区", "dadmin", DISTRICT_PASSWORD)
    dadmin = users.login("dadmin", DISTRICT_PASSWORD)
    receiving.enrol(dadmin, "城关中学", data, "cgadmin", "canteen-pass-1")
    seconds, outcome = timed(receiving.receive, dadmin, data)
    db.close()
    print(f"receive at the district of all {days} school days: {outcome.new} entries in {seconds:.2f} s "
          f"({outcome.new / seconds:,.0f} entries/s, records, signatures and replayed chain included)")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        data = push_figures(Path(folder), args.days)
        receive_figures(Path(folder), data, args.days)


if __name__ == "__main__":
    main(sys.argv[1:])
