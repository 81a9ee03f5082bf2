"""The one benchmark command: every wait of issue 13, with its floor, its target and its growth.

    python3 bench/run.py [--quick] [--only NAME,…] [--repeat N] [--work DIR] [--postgres URL]

It builds the data it needs once into a work folder it reuses (a full-term demo, a 2000-day
demo, deliveries tables of three sizes up to 1,000,000 rows, and on PostgreSQL a district of 100
canteens; `--quick` uses smaller ones and says which), runs each measurement several times, each
in a fresh process, and prints median, min and max beside the floor, the ratio and the target,
then how search, first paint, import and `check` grow with the table. With `--postgres URL` (or $CANTEEN_TEST_POSTGRES) the same runs on that
server too, in databases named bench_* that `--clean` drops. Asserts nothing: timings never
belong in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measures  # noqa: E402  (bench/ is on the path only from here)
from datasets import Backend  # noqa: E402
from tables import print_growth, print_table  # noqa: E402

FULL = {"term": 100, "demo": 2000, "tables": (10_000, 100_000, 1_000_000), "import": 10_000, "repeat": 5,
        "district": (100, 40)}
QUICK = {"term": 20, "demo": 200, "tables": (1_000, 10_000, 100_000), "import": 2_000, "repeat": 3,
         "district": (10, 10)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller data and fewer runs: a few minutes")
    parser.add_argument("--only", default="", help="comma-separated measurements: " + ", ".join(measures.NAMES))
    parser.add_argument("--repeat", type=int, help="runs of each measurement (default 5, --quick 3)")
    parser.add_argument("--work", type=Path, help="folder for the data, kept and reused "
                        "(default: canteen-bench[-quick] in the temporary folder)")
    parser.add_argument("--postgres", default=os.environ.get("CANTEEN_TEST_POSTGRES", ""),
                        help="also measure on this PostgreSQL server (default $CANTEEN_TEST_POSTGRES)")
    parser.add_argument("--prefix", default="bench_",
                        help="the server's benchmark databases are named PREFIX + dataset (default bench_)")
    parser.add_argument("--sqlite-only", action="store_true", help="ignore $CANTEEN_TEST_POSTGRES")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument("--clean", action="store_true", help="drop the data (files and bench_* databases) and stop")
    args = parser.parse_args(argv)
    unknown = [n for n in args.only.split(",") if n and n not in measures.NAMES]
    if unknown:
        parser.error(f"unknown measurement {', '.join(unknown)}; choose from {', '.join(measures.NAMES)}")
    return args


def backends(args: argparse.Namespace, work: Path) -> list[Backend]:
    found = [Backend("SQLite", work)]
    if args.postgres and not args.sqlite_only:
        found.append(Backend("PostgreSQL", work, args.postgres, args.prefix))
    return found


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    sizes["repeat"] = args.repeat or sizes["repeat"]
    work = args.work or Path(tempfile.gettempdir()) / ("canteen-bench-quick" if args.quick else "canteen-bench")
    work.mkdir(parents=True, exist_ok=True)
    if args.clean:
        for backend in backends(args, work):
            backend.drop_all()
        print(f"dropped the data in {work}" + (f" and the {args.prefix}* databases" if args.postgres else ""))
        return 0
    wanted = [n for n in args.only.split(",") if n] or list(measures.NAMES)
    print(f"canteen benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}, {'quick' if args.quick else 'full'} sizes: "
          f"full-term demo {sizes['term']} school days, big demo {sizes['demo']} school days, deliveries tables "
          f"{', '.join(f'{n:,}' for n in sizes['tables'])} rows, import {sizes['import']:,} rows, "
          f"on PostgreSQL a district of {sizes['district'][0]} canteens × {sizes['district'][1]} school days; "
          f"{sizes['repeat']} runs each, fresh processes; work folder {work}")
    rows, growth, missing = [], [], []
    for backend in backends(args, work):
        print(f"{backend.name}:", flush=True)
        run = measures.Run(backend, sizes, wanted)
        run.all()
        rows += run.rows
        growth += run.growth
        missing += run.missing
    print()
    print_table(rows, args.markdown)
    if growth:
        print()
        print_growth(growth, sizes["tables"], args.markdown)
    for wait, backend, why in missing:
        print(f"{wait} ({backend}): {why}")
    print()
    print("floor: the same work with nothing of the program (a bare window, raw SQL, raw executemany, a bare "
          "ReportLab document); ratio: median / floor (for rows/s: floor / median).")
    if args.quick:
        print("--quick: the demo and verify targets are scaled to the smaller demo in proportion to its days.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
