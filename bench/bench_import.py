"""Import benchmark: rows per second for a 10,000-row delivery sheet as CSV, XLSX, XLS and ODS,
and the time spent only reading each file (the rest is validation, block rules and the audit).

    python3 bench/bench_import.py [--rows 10000] [--formats csv,xlsx,xls,ods] [--postgres URL [--canteen-login NAME]]

With `--postgres URL` each import goes into the database that URL names, made afresh for each
format and dropped at the end (name it as your own: the server is shared). With `--canteen-login
NAME` too, that database is a district with one canteen, and the canteen imports connected with
its own login NAME, under row-level security (the login is dropped at the end).

XLS and ODS are converted from the CSV by LibreOffice (`soffice --headless`) when it is installed.
Prints figures; asserts nothing (timings never belong in tests)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from datasets import admin, db_name

from canteen import db, sheet_columns, sheet_import
from canteen.services import records, site_admin, site_logins, users
from canteen.timeutil import to_local, utcnow

LIBREOFFICE_CSV = "CSV:44,34,76,1,,1033,false,true,true"  # comma, quote, UTF-8, from line 1, detect dates
HEADS = ["到货时间 Delivered at", "品名 Item", "类别 Category", "数量 Quantity", "供货者 Supplier", "批号 Batch number",
         "单价（元） Unit price (yuan)", "验收结果 Result", "验收人 Receiver"]


def sheet_rows(count: int) -> list[list]:
    at = to_local(utcnow()).replace(microsecond=0, second=0) - dt.timedelta(hours=4)
    return [[at + dt.timedelta(seconds=n), f"大白菜{n % 50}", "蔬菜", 10 + n % 40, "城关超市", f"B{n}",
             "1.80", "验收合格", "王芳"] for n in range(count)]


def write_files(folder: Path, count: int, formats: list[str]) -> dict[str, Path]:
    rows = sheet_rows(count)
    files = {"csv": folder / "in.csv", "xlsx": folder / "in.xlsx"}
    with open(files["csv"], "w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([HEADS] + [[sheet_columns.as_text(v) for v in r] for r in rows])
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet("进货")
    sheet.append(HEADS)
    for row in rows:
        sheet.append(row)
    book.save(files["xlsx"])
    for suffix in ("xls", "ods"):
        if suffix in formats and shutil.which("soffice"):
            subprocess.run(["soffice", "--headless", f"--infilter={LIBREOFFICE_CSV}", "--convert-to", suffix,
                            "--outdir", str(folder), str(files["csv"])], check=True, capture_output=True, timeout=600)
            files[suffix] = folder / f"in.{suffix}"
    return {k: v for k, v in files.items() if k in formats}


LOGIN_PASSWORD = "bench-canteen-login"


def fresh_session(target: str, canteen_login: str = ""):
    """The canteen administrator of a new canteen, with a licensed supplier; on the canteen's own
    login when one is named."""
    db.open_database(target, create=True)
    if canteen_login:
        users.create_district("城关区教育局", "bureau", "demo")
        bureau = users.session_for("bureau")
        site = site_admin.add_site(bureau, "城关中学食堂", "admin", "demo", school="城关中学")
        users.add_user(site, "manager", "王芳", "manager", "demo")
        site_logins.grant_site_login(bureau, site.name, canteen_login, lambda: LOGIN_PASSWORD)
        db.close()
        parts = urlsplit(target)
        db.open_database(urlunsplit(parts._replace(netloc=f"{canteen_login}:{LOGIN_PASSWORD}@{parts.hostname}:"
                                                          f"{parts.port or 5432}")))
    else:
        site, _admin = users.create_site("城关中学食堂", "admin", "demo", school="城关中学")
        users.add_user(site, "manager", "王芳", "manager", "demo")
    session = users.session_for("manager")
    supplier = records.create(session, "suppliers", {"name": "城关超市", "kind": "distributor", "address": "城关镇"})
    records.create(session, "certificates", {"supplier": supplier.id, "cert_type": "operation_licence", "number": "JY1",
                                             "issued_on": "2025-01-01", "expires_on": "2030-01-01"})
    return session


def measure(target: str, name: str, path: Path, canteen_login: str = "") -> None:
    start = time.perf_counter()
    heads, body = sheet_import.read_sheet(path)
    read = sum(1 for _ in body)
    reading = time.perf_counter() - start
    session = fresh_session(target, canteen_login)
    start = time.perf_counter()
    result = sheet_import.import_file(session, "deliveries", path)
    seconds = time.perf_counter() - start
    db.close()
    print(f"{name:>4}: read {read:>6} rows in {reading:6.2f} s ({read / reading:8.0f} rows/s); "
          f"import {result.rows:>6} rows in {seconds:6.2f} s ({result.rows / seconds:6.0f} rows/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--formats", default="csv,xlsx,xls,ods")
    parser.add_argument("--postgres", default="", help="import into this PostgreSQL database (made afresh, dropped after)")
    parser.add_argument("--canteen-login", default="", help="with --postgres: import as the canteen's own login NAME")
    args = parser.parse_args()
    formats = args.formats.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = write_files(folder, args.rows, formats)
        for name, path in files.items():
            try:
                measure(fresh_target(args.postgres, folder / f"{name}.db"), name, path, args.canteen_login)
            except sheet_import.ExchangeError as exc:
                print(f"{name:>4}: refused: {exc}", file=sys.stderr)
    if args.postgres:
        admin(server_of(args.postgres), f'DROP DATABASE IF EXISTS "{db_name(args.postgres)}" WITH (FORCE)')
    if args.postgres and args.canteen_login:
        admin(server_of(args.postgres), f'DROP ROLE IF EXISTS "{args.canteen_login}"')


def server_of(url: str) -> str:
    """The server's own database, from which a database is made or dropped."""
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def fresh_target(postgres: str, file: Path) -> str:
    """Where one format is imported: the PostgreSQL database made empty, or a new SQLite file."""
    if not postgres:
        return str(file)
    admin(server_of(postgres), f'DROP DATABASE IF EXISTS "{db_name(postgres)}" WITH (FORCE)')
    admin(server_of(postgres), f'CREATE DATABASE "{db_name(postgres)}"')
    return postgres


if __name__ == "__main__":
    main()
