"""Each wait of the issue's table: which data it needs, which probe measures it, what its floor
and target are. A `Run` measures the selected waits on one backend and collects rows."""

from __future__ import annotations

import csv
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import datasets
from tables import Growth, Row

NAMES = ("sign-in", "enter-today", "first-paint", "jump-end", "search", "sort", "memory", "import", "demo",
         "verify", "archive", "check", "district")
PROBES = Path(__file__).resolve().parent / "probes.py"
HEADS = ["到货时间 Delivered at", "品名 Item", "类别 Category", "数量 Quantity", "供货者 Supplier",
         "批号 Batch number", "单价（元） Unit price (yuan)", "验收结果 Result", "验收人 Receiver"]


def probe(name: str, *args: str) -> dict:
    """One measurement in a fresh process; its figures."""
    try:
        done = subprocess.run([sys.executable, str(PROBES), name, *args], capture_output=True, text=True,
                              env=datasets.canteen_env(), cwd=str(datasets.ROOT), check=False, timeout=900)
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"probe {name} took over 15 minutes") from exc
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")), None)
    figures = json.loads(line[len("BENCH "):]) if line else {"error": done.stderr.strip()[-1500:]}
    if "error" in figures:
        raise RuntimeError(f"probe {name} failed: {figures['error']}")
    return figures


def wall(*args: str) -> float:
    """Seconds of one `canteen` command, process start included (as a user or a script waits)."""
    began = time.perf_counter()
    done = datasets.canteen(*args)
    seconds = time.perf_counter() - began
    if done.returncode not in (0, 1):  # 1: findings or problems found, still a finished run
        raise RuntimeError(f"canteen {' '.join(args)} failed: {done.stderr[-1500:]}")
    return seconds


def timed(step) -> float:
    """Seconds of `step()`, a fresh process's start included."""
    began = time.perf_counter()
    step()
    return time.perf_counter() - began


def import_sheet(path: Path, rows: int) -> None:
    """A delivery sheet of `rows` rows entered within the last hours (no late reason needed)."""
    at = dt.datetime.now().replace(microsecond=0) - dt.timedelta(hours=4)
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        sheet = csv.writer(out)
        sheet.writerow(HEADS)
        for n in range(rows):
            when = at + dt.timedelta(seconds=n * 3600 // max(rows, 1))
            sheet.writerow([f"{when:%Y-%m-%d %H:%M}", f"大白菜{n % 50}", "蔬菜", 10 + n % 40, datasets.SUPPLIER,
                            f"B{n}", "1.80", "验收合格", "王芳"])


class Run:
    """The selected measurements on one backend."""

    def __init__(self, backend: datasets.Backend, sizes: dict, wanted: list[str]):
        self.backend, self.sizes, self.wanted = backend, sizes, set(wanted)
        self.repeat = sizes["repeat"]
        self.rows: list[Row] = []
        self.growth: list[Growth] = []
        self.missing: list[tuple[str, str, str]] = []
        self.big = max(sizes["tables"])

    def add(self, wait: str, unit: str, values: list[float], **extra) -> None:
        self.rows.append(Row(wait, self.backend.name, unit, values, **extra))

    def runs(self, label: str, fn, repeat: int | None = None) -> list:
        figures = []
        for _ in range(repeat or self.repeat):
            figures.append(fn())
        print(f"    {label}: {len(figures)} runs" + " " * 10, flush=True)
        return figures

    def all(self) -> None:
        steps = ((("sign-in", "enter-today"), self.startup), (("first-paint", "jump-end", "search", "sort", "memory"),
                 self.table), (("import",), self.imports), (("check",), self.check), (("demo",), self.demo),
                 (("verify",), self.verify), (("archive",), self.archive), (("district",), self.district))
        for names, step in steps:
            if self.wanted & set(names):
                try:
                    step()
                except RuntimeError as exc:
                    print(f"    not measured: {exc}", flush=True)
                    self.missing += [(name, self.backend.name, f"not measured: {str(exc)[:200]}") for name in names
                                     if name in self.wanted]

    def table_url(self, rows: int) -> str:
        return datasets.ensure(self.backend, f"table-{rows}", datasets.build_table(rows))

    def demo_url(self, days: int) -> str:
        return datasets.ensure(self.backend, f"demo-{days}", datasets.build_demo(days))

    # ---- the waits ------------------------------------------------------------------------------

    def startup(self) -> None:
        url = self.demo_url(self.sizes["term"])
        bare = self.runs("bare window", lambda: probe("bare", str(time.time()))["ready"])
        desk = self.runs("desk", lambda: probe("desk", str(time.time()), url))
        note = f"full-term demo, {self.sizes['term']} days"
        if "sign-in" in self.wanted:
            self.add("start to sign-in window", "ms", [d["signin"] for d in desk], floor=statistics.median(bare),
                     target=0.4, note=note)
            self.add("start to the database open behind it", "ms", [d["ready"] for d in desk], note=note)
        if "enter-today" in self.wanted:
            self.add("Enter to painted Today, less the hash", "ms", [d["enter_today"] for d in desk], target=0.5,
                     note=note)
            self.add("password hash (apart)", "ms", [d["hash"] for d in desk])

    def table(self) -> None:
        growth_wanted = self.wanted & {"first-paint", "search"}
        sizes = self.sizes["tables"] if growth_wanted else (self.big,)
        found = {}
        for rows in sizes:
            url = self.table_url(rows)
            found[rows] = self.runs(f"records page, {rows:,} rows", lambda u=url: probe("table", u))
        big, url = found[self.big], self.table_url(self.big)
        floors = self.runs(f"raw SQL, {self.big:,} rows", lambda: probe("floors", url))
        note = f"{self.big:,} rows"
        floor = {k: statistics.median(f[k] for f in floors) for k in ("page", "end", "scan", "count")}
        if self.wanted & {"first-paint"}:
            bare = self.runs("bare PySide6 table", lambda: probe("bare-table", url))
            floor["bare"] = statistics.median(b["paint"] for b in bare)
        for name, wait, key, fkey, target in (("first-paint", "first paint", "first_paint", "bare", 0.05),
                                              ("jump-end", "jump to end", "to_end", "end", 0.05),
                                              ("search", "search a word, first rows painted", "search", "scan", 0.1),
                                              ("sort", "sort by a column (item)", "sort", "page", 0.1)):
            if name in self.wanted:
                self.add(wait, "ms", [b[key] for b in big], floor=floor[fkey], target=target, note=note)
        if "first-paint" in self.wanted:
            self.add("first paint, the page made again in the same process", "ms", [b["second_paint"] for b in big],
                     floor=floor["bare"], target=0.05, note=note)
            self.add("first paint: the count known (it follows the first rows)", "ms", [b["counted"] for b in big],
                     floor=floor["count"], note=note)
        if "search" in self.wanted:
            self.search_count(url, floor["scan"], note)
        if "memory" in self.wanted:
            self.add("peak memory, desk with the table open", "MB", [b["peak_mb"] for b in big], target=300, note=note)
        for name, wait, key in (("first-paint", "first paint", "first_paint"), ("search", "search a word", "search")):
            if name in self.wanted and len(found) > 1:
                self.growth.append(Growth(wait, self.backend.name, "ms",
                                          {n: statistics.median(r[key] for r in found[n]) for n in found}))

    def search_count(self, url: str, scan: float, note: str) -> None:
        read = self.runs("read interface search", lambda: probe("read-search", url))
        self.add("search: first block (canteen.read.lists)", "ms", [r["first_rows"] for r in read], floor=scan,
                 target=0.1, note=note)
        self.add(f"search: the count ({read[0]['found']:,} found)", "ms", [r["count"] for r in read], floor=scan,
                 note=note)

    def imports(self) -> None:
        count = self.sizes["import"]
        medians, last = {}, []
        with tempfile.TemporaryDirectory() as tmp:
            sheet = Path(tmp) / "deliveries.csv"
            for rows in self.sizes["tables"]:
                source = f"table-{rows}"
                self.table_url(rows)

                def once(source=source) -> dict:
                    import_sheet(sheet, count)
                    url = self.backend.copy(source, "scratch")
                    try:
                        return probe("import", url, str(sheet), str(count))
                    finally:
                        self.backend.drop("scratch")
                last = self.runs(f"import {count:,} rows into {rows:,}", once)
                medians[rows] = statistics.median(count / r["rate"] for r in last)
        self.add("import CSV (validated, rules, audit)", "rows/s", [r["rate"] for r in last],
                 floor=statistics.median(r["floor"] for r in last), target=50_000, higher_better=True,
                 note=f"{count:,} rows into {self.big:,}; floor raw executemany")
        self.growth.append(Growth(f"import {count:,} rows", self.backend.name, "s", medians))

    def check(self) -> None:
        medians = {}
        for rows in self.sizes["tables"]:
            url = self.table_url(rows)
            medians[rows] = statistics.median(self.runs(f"check, {rows:,} rows", lambda u=url: wall("--db", u, "check")))
        self.growth.append(Growth("`canteen check` (whole history)", self.backend.name, "s", medians))

    def demo(self) -> None:
        days = self.sizes["demo"]

        def once() -> float:
            url = self.backend.fresh("scratch")
            try:
                return wall("--db", url, "demo", "--days", str(days))
            finally:
                self.backend.drop("scratch")
        values = self.runs(f"demo --days {days}", once, repeat=min(self.repeat, 3))
        self.add(f"`canteen demo --days {days}`", "s", values, target=30 * days / 2000)

    def verify(self) -> None:
        days = self.sizes["demo"]
        url = self.demo_url(days)
        values = self.runs("verify", lambda: wall("--db", url, "verify"))
        floors = self.runs("verify floor", lambda: timed(lambda: probe("verify-floor", url)))
        self.add(f"`canteen verify`, {days}-day demo", "s", values, target=2 * days / 2000,
                 floor=statistics.median(floors))  # a process reading every table whole, raw SQL

    def archive(self) -> None:
        days = self.sizes["demo"]
        url = self.demo_url(days)
        with tempfile.TemporaryDirectory() as tmp:
            made = self.runs("year archive", lambda: probe("archive", url, str(Path(tmp) / "out")))
        ratios = [m["archive"] / m["floor"] for m in made]
        self.add("year archive", "s", [m["archive"] for m in made],
                 floor=statistics.median(m["floor"] for m in made),
                 note=f"{made[0]['pages']} pages, {made[0]['period']}")
        self.add("year archive / ReportLab floor", "×", ratios, target=1.2)

    def district(self) -> None:
        """The district inspector's page over a demo district (PostgreSQL: a district shares a server)."""
        if not self.backend.server:
            return
        sites, days = self.sizes["district"]
        url = datasets.ensure(self.backend, f"district-{sites}", datasets.build_district(sites, days))
        made = self.runs("district page", lambda: probe("district", url))
        floors = self.runs("district floor", lambda: probe("district-floor", url))
        floor = statistics.median(f["read"] for f in floors)
        note = f"{made[0]['canteens']} canteens, {days} school days"
        self.add("district: the day's table painted", "ms", [m["day_painted"] for m in made], floor=floor,
                 target=0.1, note=note)
        self.add("district: the month so far, heat map painted (after the day)", "ms", [m["month_painted"] for m in made],
                 note=note)
        self.add("district: the day read (canteen.read.district)", "ms", [m["day_read"] for m in made], floor=floor,
                 note=note)
        self.add(f"district: a whole month read ({made[0]['month']})", "ms", [m["month_read"] for m in made],
                 note=note)
