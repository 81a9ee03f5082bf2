"""Benchmark of the inspection archive against the floor: a plain ReportLab script laying out
the same tables (same cell text, column widths, chunks and font) with nothing else.

For a full-term demo (100 school days) and a full-year demo (250 school days) it prints pages,
seconds (wall and CPU, the fastest of --repeat runs), pages per second, peak memory (resident,
each run in its own process) and the ratio of the archive's time to the floor's. The archive's time includes reading the database,
the rule findings, the embedded JSON and its hash, and the PDF/A completion.

    python3 bench/bench_reports.py [--term-db PATH] [--year-db PATH]

Missing databases are built with the demo builder first (this takes a minute or two).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, installed or not


def _open(db_path: str, days: int | None = None):
    """The site and the period of the database's ledger days (its last `days` days when given)."""
    from peewee import fn

    from canteen import db
    from canteen.models import LedgerDay, Site
    db.open_database(db_path)
    site = Site.select().first()
    start, end = LedgerDay.select(fn.MIN(LedgerDay.day), fn.MAX(LedgerDay.day)).scalar(as_tuple=True)
    start, end = _as_date(start), _as_date(end)
    if days is not None:
        start = max(start, end - dt.timedelta(days=days - 1))
    return site, start, end


def _as_date(value):
    """SQLite hands a MIN/MAX of dates back as text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _school_days(db_path: str) -> int:
    from peewee import fn

    from canteen.models import LedgerDay
    _open(db_path)
    return LedgerDay.select(fn.COUNT(LedgerDay.day.distinct())).scalar()


def run_archive(db_path: str, out: str, days: int | None = None) -> dict:
    from canteen.services.users import session_for
    from reports.archive import export_archive
    site, start, end = _open(db_path, days)
    auditor = session_for("auditor")  # the demo's auditor; the export is recorded as hers
    began, cpu = time.perf_counter(), time.process_time()
    result = export_archive(auditor, start, end, out)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    return {"pages": result.pages, "seconds": seconds, "cpu": cpu, "rss_mb": _peak_mb(), "period": f"{start} – {end}"}


def run_floor(db_path: str, out: str, days: int | None = None) -> dict:
    """The same tables as the archive, laid out by a bare SimpleDocTemplate."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from canteen.services.users import session_for
    from reports.archive import ArchiveRenderer
    from reports.base import CHUNK_ROWS
    site, start, end = _open(db_path, days)
    renderer = ArchiveRenderer(session_for("auditor"), start, end, "bench")
    tables = []
    renderer.table = lambda header, rows, widths, styles=(), size=None: tables.append((header, rows, widths)) or []
    renderer.story()
    font = renderer.font
    style = TableStyle([("FONT", (0, 0), (-1, -1), font, 7.5, 9), ("GRID", (0, 0), (-1, -1), 0.3, (0.5, 0.5, 0.5)),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BACKGROUND", (0, 0), (-1, 0), (0.88, 0.91, 0.95)),
                        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)])
    began, cpu = time.perf_counter(), time.process_time()
    story = []
    for header, rows, widths in tables:
        for i in range(0, len(rows), CHUNK_ROWS):
            story.append(Table([header] + rows[i:i + CHUNK_ROWS], colWidths=widths, repeatRows=1, style=style))
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=14 * mm, rightMargin=14 * mm,
                            topMargin=16 * mm, bottomMargin=14 * mm, initialFontName=font)
    doc.build(story)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    return {"pages": doc.page, "seconds": seconds, "cpu": cpu, "rss_mb": _peak_mb()}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_child(fn, *args) -> dict:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, args)


def ensure_demo(path: str, days: int) -> None:
    if Path(path).exists():
        return
    from canteen.demo import build_demo
    print(f"building a {days}-school-day demo in {path} …", flush=True)
    build_demo(path, days=days)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--term-db", default=os.path.join(tempfile.gettempdir(), "bench-term.db"))
    parser.add_argument("--year-db", default=os.path.join(tempfile.gettempdir(), "bench-year.db"))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the fastest counts (shared machines are noisy)")
    args = parser.parse_args()
    cases = (("full term", args.term_db, 100), ("full year", args.year_db, 250))
    out_dir = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    print(f"{'case (school days)':30} {'what':8} {'pages':>6} {'seconds':>8} {'cpu s':>7} {'pages/s':>8} {'peak MB':>8}")
    for label, path, days in cases:
        ensure_demo(path, days)
        label = f"{label} ({_in_child(_school_days, path)} days)"
        runs = [(_in_child(run_archive, path, str(out_dir / "archive.pdf")),
                 _in_child(run_floor, path, str(out_dir / "floor.pdf"))) for _ in range(args.repeat)]
        archive = min((a for a, _f in runs), key=lambda r: r["seconds"])
        floor = min((f for _a, f in runs), key=lambda r: r["seconds"])
        for what, r in (("archive", archive), ("floor", floor)):
            print(f"{label:30} {what:8} {r['pages']:>6} {r['seconds']:>8.2f} {r['cpu']:>7.2f} "
                  f"{r['pages'] / r['seconds']:>8.1f} {r['rss_mb']:>8.0f}")
        print(f"{label:30} ratio archive/floor = {archive['seconds'] / floor['seconds']:.2f} wall, "
              f"{archive['cpu'] / floor['cpu']:.2f} cpu  (period {archive['period']})", flush=True)


if __name__ == "__main__":
    main()
