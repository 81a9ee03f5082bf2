"""The desk's push (issue 12 item 7) while the kitchen keeps working: how long a save waits when it
is made while a push builds its file on a worker thread, against the floor (the same save with no
push running), and the time of each step the push dialog shows.

    python3 -m canteen --db /tmp/demo.db demo --days 100
    python3 bench/bench_desk_push.py --db /tmp/demo.db [--repeat 3]

Works on a copy of the database. Prints figures; asserts nothing (timings never belong in tests).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from canteen import db, pushing  # noqa: E402
from canteen.services import district_push, records, users  # noqa: E402

PASSWORD = "demo"


def a_save(manager, kind: str) -> float:
    """One food-waste record (a late entry: the demo's last day is closed), timed."""
    start = time.perf_counter()
    records.create(manager, "waste", {"occurred_at": manager.now(), "kind": kind, "weight_kg": "1",
                                      "collector_unit": "城关环卫", "recorder": "王芳", "late_reason": "补录"})
    return time.perf_counter() - start


def save_during_push(admin, manager) -> tuple[float, float]:
    """(the push's build, a save started once the build has begun reading) in seconds."""
    begun, took = threading.Event(), {}
    real = pushing._entries_after

    def marked(*args):
        begun.set()
        return real(*args)
    pushing._entries_after = marked

    def build():
        start = time.perf_counter()
        pushing.build(admin, PASSWORD, 0)
        took["build"] = time.perf_counter() - start
    worker = threading.Thread(target=build)
    worker.start()
    begun.wait()
    saved = a_save(manager, "food")
    worker.join()
    pushing._entries_after = real
    return took["build"], saved


def steps(admin, out: Path) -> list[tuple[float, str]]:
    start, seen = time.perf_counter(), []
    district_push.push_to_file(admin, PASSWORD, out,
                               progress=lambda _done, _total, what: seen.append((time.perf_counter() - start, what)))
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="canteen-desk-push-"))
    copy = work / "canteen.db"
    shutil.copy(args.db, copy)
    db.open_database(str(copy))
    admin, manager = users.login("admin", PASSWORD), users.login("manager", PASSWORD)
    floor = statistics.median(a_save(manager, "oil") for _ in range(args.repeat))
    runs = [save_during_push(admin, manager) for _ in range(args.repeat)]
    build, during = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    print(f"{args.db}: the whole chain built into a push file in {build:.2f} s (median of {args.repeat})")
    print(f"a save with no push running: {floor * 1000:.0f} ms (the floor)")
    print(f"the same save made while the push builds: {during * 1000:.0f} ms ({during / floor:.0f}× the floor, "
          f"{during / build:.0%} of the build)")
    print("the push dialog's steps (seconds from the click, a push to a file of the whole chain):")
    for at, what in steps(admin, work / "push.canteen"):
        print(f"  {at:6.2f}  {what}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
