"""Push benchmark (issue 12, the closing note's figures):

1. one canteen: the push file's making time and size, and the online push's time into a district
   on PostgreSQL, for a day (the demo's last school day), a month (its last 20 school days) and
   a school year (all of a `--days 190` demo) — each online push into a district that already
   holds everything before it, as a daily, monthly or first push would find it;
2. a district of `--canteens 100` enrolled canteens receiving each one's daily push file
   (`canteen receive`, on PostgreSQL): the total, per canteen and per entry.

    python3 bench/bench_push.py [--days 190] [--canteens 100] [--postgres URL] [--prefix bench_push]

Each figure is printed beside its floor: the same bytes or rows handled with nothing of the
program (the entries read by one SELECT and zipped; the entries' rows inserted by one executemany
into a scratch table of the same server). Databases on the server are named PREFIX_… and dropped
at the end. The 100 canteens are copies of one small demo canteen, each given a site key of its
own (a shortcut of the benchmark's: building 100 demos would take a quarter of an hour; the
district's work is the same). Asserts nothing: timings never belong in tests.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout this file is in comes first

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from canteen import bundle as bundles  # noqa: E402
from canteen import db, pushing, receiving  # noqa: E402
from canteen.demo import DEMO_PASSWORD, build_demo  # noqa: E402
from canteen.integrity import chain, sitekey  # noqa: E402
from canteen.integrity.signatures import encrypt_private_key, public_bytes  # noqa: E402
from canteen.integrity.verify import ENTRY_COLUMNS  # noqa: E402
from canteen.models import AuditEntry, Delivery, SiteKey  # noqa: E402
from canteen.services import users  # noqa: E402
from canteen.timeutil import day_bounds_utc, local_today, utcnow  # noqa: E402

DISTRICT_PASSWORD = "district-pass-1"
MONTH = 20  # school days


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def school_days_start(site_id: int, count: int) -> int:
    """The chain position just before the last `count` whole school days (days with deliveries
    before the demo's today, which is under way): what a push of them follows. The push also
    carries what today holds so far (the demo's today: a few early entries at most)."""
    days = [d for (d,) in Delivery.select(Delivery.day).where(Delivery.day < local_today()).distinct()
            .order_by(Delivery.day.desc()).limit(count).tuples()]
    start, _end = day_bounds_utc(days[-1])
    before = (AuditEntry.select(AuditEntry.chain_seq).where((AuditEntry.chain_id == site_id) & (AuditEntry.at < start))
              .order_by(AuditEntry.chain_seq.desc()).scalar())
    return before or 0


def file_upto(session, since: int) -> bytes:
    """A push file of the canteen's chain from its start to position `since` (what the district
    holds before the push measured). Uses pushing's own reading of the chain."""
    site = session.site
    key = sitekey.unlock_site_key(site.id, session.user, DEMO_PASSWORD)
    entries = pushing._entries_after(site.id, 0)[:since]
    return bundles.make(site.name, key, bundles.GENESIS_BASE, entries, pushing._blobs(entries), utcnow())


def zip_floor(since: int) -> float:
    """The floor of a push file: the same entries read by one SELECT and zipped as JSON lines."""
    start = time.perf_counter()
    rows = db.current().execute_sql(f"SELECT {', '.join(ENTRY_COLUMNS)} FROM audit_entry WHERE chain_seq > ? "
                                    "ORDER BY chain_seq", (since,)).fetchall()
    with zipfile.ZipFile(io.BytesIO(), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("entries.jsonl", "".join(repr(row) + "\n" for row in rows))
    return time.perf_counter() - start


class Server:
    """Databases of the benchmark on the PostgreSQL server, dropped at the end."""

    def __init__(self, url: str, prefix: str):
        self.base, self.prefix, self.made = url.rsplit("/", 1)[0], prefix, []

    def _admin(self):
        import psycopg2
        con = psycopg2.connect(self.base + "/postgres")
        con.autocommit = True
        return con

    def fresh(self) -> str:
        name = f"{self.prefix}_{uuid.uuid4().hex[:12]}"
        con = self._admin()
        con.cursor().execute(f'CREATE DATABASE "{name}"')
        con.close()
        self.made.append(name)
        return f"{self.base}/{name}"

    def drop_all(self) -> None:
        con = self._admin()
        for name in self.made:
            con.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.close()


def a_district(url: str, enrolment: bytes, holds: bytes | None, name: str = "城关中学"):
    """A district on `url` that enrolled the canteen and received `holds`; left open, its admin returned."""
    db.open_database(url, create=True)
    users.create_district("城关区", "dadmin", DISTRICT_PASSWORD)
    dadmin = users.login("dadmin", DISTRICT_PASSWORD)
    receiving.enrol(dadmin, name, enrolment, "cgadmin", "canteen-pass-1")
    if holds is not None:
        receiving.receive(dadmin, holds)
    return dadmin


def insert_floor(entries: int, per_entry: int) -> float:
    """The floor of a receive on the open server database: as many rows of the entries' size
    inserted by one executemany into a scratch table, in one transaction."""
    database = db.current()
    text = "x" * per_entry
    start = time.perf_counter()
    with database.atomic():
        database.execute_sql("CREATE TEMP TABLE floor_rows (position INTEGER, hash TEXT, entry TEXT) ON COMMIT DROP")
        database.cursor().executemany("INSERT INTO floor_rows VALUES (%s, %s, %s)",
                                      [(n, "0" * 64, text) for n in range(entries)])
    return time.perf_counter() - start


def one_canteen(folder: Path, days: int, server: Server | None) -> None:
    school = str(folder / "school.db")
    build_demo(school, days=days, seed=1)
    admin = users.session_for("admin")
    head = chain.head(admin.site_id).seq
    spans = [("a day", school_days_start(admin.site_id, 1)), (f"a month ({MONTH} school days)",
             school_days_start(admin.site_id, MONTH)), (f"a school year ({days} school days)", 0)]
    print(f"One canteen: a {days}-school-day demo, {head} audit entries")
    for label, since in spans:
        seconds, _ = timed(pushing.push_file, admin, DEMO_PASSWORD, folder / "out.canteen", since + 1)
        size, floor = (folder / "out.canteen").stat().st_size, zip_floor(since)
        print(f"  push -o, {label}: {head - since} entries, {size / 1024:,.1f} KiB, {seconds:.2f} s "
              f"(floor {floor:.3f} s, ×{seconds / floor:.0f})")
    if server is None:
        print("  (online pushes need --postgres URL)")
        return
    for label, since in spans:
        url = server.fresh()
        history = file_upto(admin, since) if since else pushing.build(admin, DEMO_PASSWORD, 0)
        db.close()
        a_district(url, history, history if since else None)
        db.close()
        db.open_database(school)
        admin = users.session_for("admin")
        seconds, outcome = timed(pushing.push_online, admin, DEMO_PASSWORD, url)
        print(f"  push URL, {label}: {outcome.new} entries into a district on PostgreSQL, {seconds:.2f} s "
              f"({outcome.new / seconds:,.0f} entries/s; the push file made, received, the receipt kept)")
    db.close()


def canteen_copies(folder: Path, count: int) -> list[tuple[bytes, bytes]]:
    """`count` canteens, each a copy of one small demo with a site key of its own: for each, a push
    file of all before its last school day (received before the measure) and the day's file."""
    original = folder / "small.db"
    build_demo(str(original), days=3, seed=2)
    db.close()
    files = []
    for n in range(count):
        copy = folder / f"canteen-{n:03}.db"
        shutil.copy(original, copy)
        db.open_database(str(copy))
        private = Ed25519PrivateKey.generate()
        SiteKey.update(public_key=public_bytes(private),
                       private_key_enc=encrypt_private_key(private, DEMO_PASSWORD)).execute()
        admin = users.session_for("admin")
        since = school_days_start(admin.site_id, 1)
        files.append((file_upto(admin, since), pushing.build(admin, DEMO_PASSWORD, since)))
        db.close()
    return files


def district_of_many(folder: Path, count: int, server: Server) -> None:
    files = canteen_copies(folder, count)
    url = server.fresh()
    dadmin = a_district(url, files[0][0], files[0][0], "城关中学-000")
    for n, (history, _day) in enumerate(files[1:], start=1):
        receiving.enrol(dadmin, f"城关中学-{n:03}", history, f"cgadmin{n:03}", "canteen-pass-1")
        receiving.receive(dadmin, history)
    seconds, entries, sizes = [], 0, []
    for _history, day in files:
        took, outcome = timed(receiving.receive, dadmin, day)
        seconds.append(took)
        entries += outcome.new
        sizes.append(len(day))
    total = sum(seconds)
    floor = insert_floor(entries, round(statistics.mean(len(e) for e in _entry_lines(files[0][1]) or [b""])))
    db.close()
    print(f"A district of {count} canteens on PostgreSQL, each receiving its daily push file "
          f"({entries / count:,.0f} entries, {statistics.mean(sizes) / 1024:,.1f} KiB on average):")
    print(f"  receive, all {count}: {total:.1f} s, {entries:,} entries ({entries / total:,.0f} entries/s; "
          f"floor {floor:.2f} s, ×{total / floor:.0f})")
    print(f"  receive, per canteen: median {statistics.median(seconds):.2f} s, min {min(seconds):.2f} s, "
          f"max {max(seconds):.2f} s")


def _entry_lines(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("entries.jsonl").splitlines()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=190, help="school days of the one canteen (a school year: 190)")
    parser.add_argument("--canteens", type=int, default=100, help="canteens of the district receiving a day")
    parser.add_argument("--postgres", default=os.environ.get("CANTEEN_TEST_POSTGRES", ""),
                        help="the PostgreSQL server of the districts (default $CANTEEN_TEST_POSTGRES)")
    parser.add_argument("--prefix", default="bench_push", help="name prefix of the server databases made")
    parser.add_argument("--only", choices=("canteen", "district"), help="one of the two parts")
    args = parser.parse_args(argv)
    server = Server(args.postgres, args.prefix) if args.postgres else None
    try:
        with tempfile.TemporaryDirectory() as folder:
            if args.only != "district":
                one_canteen(Path(folder), args.days, server)
            if args.only != "canteen":
                if server is None:
                    print("The district of many canteens needs --postgres URL.")
                else:
                    district_of_many(Path(folder), args.canteens, server)
    finally:
        db.close()
        if server is not None:
            server.drop_all()


if __name__ == "__main__":
    main(sys.argv[1:])
