"""The `canteen` command: the GUI by default, and commands for auditors' scripts, scheduled
backups and tests. Exit codes: 0 done and clean; 1 done and something was found; 2 could not
be done — always with one line naming the problem, never a traceback."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import decimal
import getpass
import json
import os
import sqlite3
import sys
import time
from pathlib import Path

from . import cli_push
from .cli_push import enrol_from, push_parsers
from .errors import CanteenError, ValidationError

DONE, FOUND, FAILED = 0, 1, 2
CASE_FILTERS = ("open", "acted", "verified", "overdue")


def read_faults() -> tuple[type[BaseException], ...]:
    """What reading a damaged row raises (see canteen/integrity/readable.py), without loading it here."""
    import peewee
    return (ValueError, TypeError, OverflowError, decimal.InvalidOperation, sqlite3.DatabaseError,
            peewee.DatabaseError)


class Failure(CanteenError):
    """A command-line problem (bad arguments), reported like any other error."""


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments get the same one-line message and exit code 2 as any other failure."""

    def error(self, message: str):
        self.exit(FAILED, f"canteen: {message} (see 'canteen --help')\n")


def parser() -> argparse.ArgumentParser:
    p = OneLineParser(prog="canteen", description="School canteen food-safety records (学校食堂食品安全台账).")
    p.add_argument("--db", help="database file or URL (default: $CANTEEN_DB or your data folder)")
    p.add_argument("--user", help="act as this user (password from a prompt, or $CANTEEN_PASSWORD)")
    p.add_argument("--site", help="the canteen to act in, where the database holds several")
    sub = p.add_subparsers(dest="command", parser_class=OneLineParser)
    s = sub.add_parser("init", help="create a new canteen database, or a district database")
    which = s.add_mutually_exclusive_group(required=True)
    which.add_argument("--site", dest="new_site", help="canteen name")
    which.add_argument("--district", help="district name (a database for many canteens, none yet)")
    s.add_argument("--admin", required=True, help="first administrator's user name")
    district_parsers(sub)
    push_parsers(sub)
    s = sub.add_parser("demo", help="create a demo database with a school term of records")
    s.add_argument("--days", type=int, default=100, help="school days (default 100, a term)")
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--sites", type=int, help="a demo district: this many canteens, each with its own term and habits")
    findings_parsers(sub)
    s = sub.add_parser("backup", help="copy the database with the online backup API")
    s.add_argument("-o", "--output", required=True, type=Path)
    s = sub.add_parser("restore", help="replace the database with a backup (says what is lost; the current one is kept)")
    s.add_argument("file", type=Path)
    s.add_argument("--yes", action="store_true", help="confirm: replace it, losing what the listing shows")
    s.add_argument("--reason", default="", help="why the database is rolled back (kept in the audit trail)")
    s = sub.add_parser("verify", help="check the audit chain, records and signatures")
    s.add_argument("--anchor", help="SEQ:HASH printed earlier (e.g. on an archive cover)")
    s.add_argument("--archive", type=Path, help="also check an exported archive PDF")
    s.add_argument("--all-sites", action="store_true", help="every canteen's chain (the district inspector)")
    s = sub.add_parser("export-archive", help="export the inspection archive of a period as PDF")
    s.add_argument("--from", dest="start", type=iso_date, required=True)
    s.add_argument("--to", dest="end", type=iso_date, required=True)
    s.add_argument("-o", "--output", required=True, type=Path)
    add_export_district(sub)
    s = sub.add_parser("export", help="export the standing records of a kind to .csv or .xlsx")
    s.add_argument("kind", help="record kind, e.g. deliveries")
    s.add_argument("--from", dest="start", type=iso_date, required=True)
    s.add_argument("--to", dest="end", type=iso_date, required=True)
    s.add_argument("-o", "--output", required=True, type=Path, help="FILE.csv or FILE.xlsx")
    s = sub.add_parser("import", help="import records of a kind from .csv/.tsv/.txt/.xlsx/.xls/.ods (all rows or none)")
    s.add_argument("kind", help="record kind, e.g. deliveries")
    s.add_argument("file", type=Path, help="FILE.csv, .tsv, .txt (Excel's Unicode text), .xlsx, .xls or .ods")
    s.add_argument("--late-reason", default="", help="reason for late entry, for rows that need one and have none")
    s.add_argument("--again", default="", metavar="REASON",
                   help="import a file that was imported before (same SHA-256), for this reason")
    s = sub.add_parser("export-template", help="write a blank .xlsx to fill in and import")
    s.add_argument("kind", help="record kind, e.g. deliveries")
    s.add_argument("-o", "--output", required=True, type=Path, help="FILE.xlsx")
    s = sub.add_parser("migrate-to", help="copy the whole database into an empty PostgreSQL database")
    s.add_argument("target", help="postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME (must be empty)")
    return p


def findings_parsers(sub) -> None:
    """check and cases: what the rules find over a period, and what was done about it."""
    s = sub.add_parser("check", help="list compliance findings")
    s.add_argument("--from", dest="start", type=iso_date)
    s.add_argument("--to", dest="end", type=iso_date)
    s.add_argument("--json", action="store_true")
    s.add_argument("--all-sites", action="store_true", help="every canteen the user reads; each finding names its site")
    s = sub.add_parser("cases", help="list cases (a rule's repeated findings about one subject) with their "
                       "corrective actions and verifications, then the time to close per rule")
    s.add_argument("--from", dest="start", type=iso_date)
    s.add_argument("--to", dest="end", type=iso_date)
    s.add_argument("--status", choices=CASE_FILTERS,
                   help="only open (no action yet, overdue included), acted (awaiting verification), "
                        "verified, or overdue (open past its deadline) cases")
    s.add_argument("--json", action="store_true")


def district_parsers(sub) -> None:
    """site add, user add, setting set, password: the administrators' commands."""
    s = sub.add_parser("site", help="canteens of a district database: add one, or give one its own PostgreSQL login")
    s.add_argument("action", choices=["add", "login"])
    s.add_argument("name", help="canteen name")
    s.add_argument("--admin", help="add: the canteen administrator's user name")
    s.add_argument("--login", help="login: the PostgreSQL login that reaches only this canteen's rows "
                                   "(a new one's password from a prompt or $CANTEEN_LOGIN_PASSWORD)")
    s.add_argument("--school", default="", help="the school's name (default: the canteen's)")
    s.add_argument("--from", dest="from_file", type=Path, help="the canteen's push file: enrol it, pinning its site key")
    s = sub.add_parser("user", help="add a user (first password from a prompt or $CANTEEN_NEW_PASSWORD)")
    s.add_argument("action", choices=["add"])
    s.add_argument("name", help="user name")
    s.add_argument("--role", required=True, help="admin, manager, doctor, director, leader, auditor, "
                                                 "district-admin or district-inspector")
    s.add_argument("--display-name", default="", help="the person's name (default: the user name)")
    s.add_argument("--post", default="", help="the person's post")
    s.add_argument("--site", dest="sub_site", help="the canteen the user belongs to")
    s = sub.add_parser("setting", help="set a canteen's setting, or a district default")
    s.add_argument("action", choices=["set"])
    s.add_argument("key")
    s.add_argument("value")
    s.add_argument("--site", dest="sub_site", help="the canteen (without it, on a district database: the default)")
    sub.add_parser("password", help="choose a new password (old from $CANTEEN_PASSWORD, new from $CANTEEN_NEW_PASSWORD)")
    s = sub.add_parser("notice", help="a district inspector's notice to correct (整改通知) at the canteen --site names")
    s.add_argument("--problem", required=True, help="what was found")
    s.add_argument("--deadline", required=True, type=iso_date, help="correct by (YYYY-MM-DD)")
    s.add_argument("--requirement", default="", help="what must be done")
    s.add_argument("--day", type=iso_date, help="the day of the inspection (default: today)")


def new_password_for(username: str) -> str:
    """A new user's first password (or one's own new password): asked twice at a terminal."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(f"New password for {username}: ")
        if getpass.getpass("Repeat it: ") != first:
            raise Failure("The two passwords differ; nothing was changed.", "两次输入的密码不一致，未做任何更改。")
        return first
    if "CANTEEN_NEW_PASSWORD" not in os.environ:
        raise Failure("No terminal to ask for the new password: set CANTEEN_NEW_PASSWORD.",
                      "没有终端可输入新密码：请设置 CANTEEN_NEW_PASSWORD。")
    return os.environ["CANTEEN_NEW_PASSWORD"]


def password_for(username: str) -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(f"Password for {username}: ")
    if "CANTEEN_PASSWORD" not in os.environ:
        raise Failure("No terminal to ask for the password: set CANTEEN_PASSWORD.", "没有终端可输入密码：请设置 CANTEEN_PASSWORD。")
    return os.environ["CANTEEN_PASSWORD"]


def sign_in(args, enter: bool = True, password: str | None = None):
    """The user's session; with `enter`, in the canteen `--site` names (or their own, or the only
    one). A user who must choose a new password does that first ('password'). Given the
    `password` already asked (a push), it is confirmed without a sign-in entry (users.confirm)."""
    from .services import site_admin, users
    if not args.user:
        raise Failure(f"'{args.command}' acts as a user: give --user NAME.", f"“{args.command}”需要以用户身份执行：请指定 --user。")
    session = (users.login(args.user, password_for(args.user)) if password is None
               else users.confirm(args.user, password))
    if session.must_change_password and args.command != "password":
        raise Failure(f"{args.user} must choose a new password first: canteen --user {args.user} password",
                      f"{args.user} 须先设置新密码：canteen --user {args.user} password")
    if enter:
        site_admin.enter_site(session, args.site)
    return session


def reading_site(args):
    """The canteen a read-only command (check, verify) looks at, and the session if it has one.
    Without --user only a one-canteen database may be read, as before districts."""
    from .services import permissions, site_admin, users
    if args.user:
        session = sign_in(args)
        permissions.require_read_records(session)
        return session.site, session
    if users.district_name() or site_admin.several_sites():
        raise Failure(f"This database holds several canteens: '{args.command}' needs --user NAME (and --site NAME).",
                      f"此数据库有多个食堂：“{args.command}”需要 --user 用户名（及 --site 食堂名）。")
    return site_admin.find_site(args.site) if args.site else site_admin.only_site(), None


def cmd_init(args) -> int:
    from . import db
    from .services import storage, users
    url = args.db or db.default_url()
    refuse_existing(url, "nothing was changed.", "未做任何更改。")
    password = password_for(args.admin)
    with undone_on_failure(url):
        storage.open_canteen(url, create=True)
        if args.district:
            users.create_district(args.district, args.admin, password)
        else:
            users.create_site(args.new_site, args.admin, password)
    made = f"the district {args.district}" if args.district else args.new_site
    print(f"Created {db.display_url(url)} for {made}; administrator: {args.admin}")
    return DONE


def cmd_site(args) -> int:
    from .services import site_admin, storage
    if (args.action == "add") != bool(args.admin) or (args.action == "login") != bool(args.login):
        raise Failure("site add NAME --admin USER, or site login NAME --login LOGIN.",
                      "用法：site add 名称 --admin 用户名，或 site login 名称 --login 登录名。")
    storage.open_canteen(args.db)
    session = sign_in(args, enter=False)
    if args.action == "login":
        return site_login(session, args)
    password = new_password_for(args.admin)
    site = (enrol_from(args, session, password) if args.from_file else
            site_admin.add_site(session, args.name, args.admin, password, school=args.school))
    print(f"Added the canteen {site.name}; its administrator {args.admin} chooses a new password at first sign-in.")
    return DONE


def site_login(session, args) -> int:
    from .services import site_logins
    done = site_logins.grant_site_login(session, args.name, args.login, lambda: login_password_for(args.login))
    made = "Created the PostgreSQL login" if done.created else "The PostgreSQL login"
    print(f"{made} {done.login}; it reaches only the rows of {done.site_name} (row-level security).")
    return DONE


def login_password_for(login: str) -> str:
    """A new PostgreSQL login's password: asked twice at a terminal, else $CANTEEN_LOGIN_PASSWORD."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(f"Password for the PostgreSQL login {login}: ")
        if getpass.getpass("Repeat it: ") != first:
            raise Failure("The two passwords differ; nothing was changed.", "两次输入的密码不一致，未做任何更改。")
        return first
    if not os.environ.get("CANTEEN_LOGIN_PASSWORD"):
        raise Failure("No terminal to ask for the login's password: set CANTEEN_LOGIN_PASSWORD.",
                      "没有终端可输入登录名的密码：请设置 CANTEEN_LOGIN_PASSWORD。")
    return os.environ["CANTEEN_LOGIN_PASSWORD"]


def cmd_user(args) -> int:
    from .services import site_admin, storage, users
    storage.open_canteen(args.db)
    session = sign_in(args, enter=False)
    name = args.sub_site or args.site
    site = site_admin.find_site(name) if name else None
    users.check_role(args.role)
    password = new_password_for(args.name)
    user = users.create_user(session, args.name, args.display_name or args.name, args.role, password,
                             post=args.post, site=site)
    where = f"canteen {user.site.name}" if user.site_id else "the district"
    print(f"Added {user.username} ({args.role}) to {where}; the first password must be changed at first sign-in.")
    return DONE


def cmd_setting(args) -> int:
    from .services import site_admin, storage
    storage.open_canteen(args.db)
    session = sign_in(args, enter=False)
    name = args.sub_site or args.site
    if name is None and session.site is None:
        value = site_admin.update_default(session, args.key, args.value)
        print(f"District default {args.key} = {value}")
        return DONE
    site_admin.enter_site(session, name)
    value = site_admin.update_setting(session, args.key, args.value)
    print(f"{session.site.name}: {args.key} = {value}")
    return DONE


def cmd_notice(args) -> int:
    """The inspector's notice becomes a case at the canteen (rule DIST-NOTICE), due by its deadline."""
    from .services import records, storage
    storage.open_canteen(args.db)
    session = sign_in(args)
    notice = records.create(session, "inspection-notices", {
        "day": args.day or session.today(), "problem": args.problem, "requirement": args.requirement,
        "deadline": args.deadline, "inspector": session.user.display_name})
    print(f"Notice No. {notice.id} to {session.site.name}: correct by {notice.deadline} "
          f"(case DIST-NOTICE|notice#{notice.id}|{notice.day}).")
    return DONE


def cmd_password(args) -> int:
    from .services import storage, users
    storage.open_canteen(args.db)
    session = sign_in(args, enter=False)
    users.change_password(session, password_for(args.user), new_password_for(args.user))
    print(f"Changed the password of {args.user}.")
    return DONE


@contextlib.contextmanager
def undone_on_failure(url: str):
    """An init refused half-way (a too short password, a full disk) leaves the file as it found
    it — absent, or empty — so that init can simply be run again."""
    from . import db
    from .services import storage
    path = None if db.is_postgres(url) else db.sqlite_path(url)
    existed = path is not None and path.exists()
    try:
        yield
    except BaseException:
        if path is not None and not existed:
            storage.remove_partial(url)
        elif path is not None:
            db.close()
            _empty_again(path)
        raise


def _empty_again(path: Path) -> None:
    from . import db
    db.remove_with_journal(Path(str(path) + "-journal"))
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        os.truncate(path, 0)


def refuse_existing(url: str, then_en: str, then_zh: str) -> None:
    """init and demo never write into a database that holds anything — on a server, tables in any
    schema count (named, so the administrator sees whose they are). The URL is shown masked."""
    from . import db
    shown = db.display_url(url)
    if not db.is_postgres(url):
        if db.holds_database(url):
            raise Failure(f"{shown} already exists; {then_en}", f"{shown} 已存在，{then_zh}")
        return
    schemas = db.server_schemas(url)
    if schemas == ["public"]:
        raise Failure(f"{shown} already exists; {then_en}", f"{shown} 已存在，{then_zh}")
    if schemas:
        names = ", ".join(schemas)
        raise Failure(f"{shown} is not empty: it holds tables in the schema(s) {names}; {then_en}",
                      f"{shown} 不是空数据库：架构 {names} 中已有数据表；{then_zh}")


def cmd_demo(args) -> int:
    from . import db
    from .demo import build_demo
    url = args.db or db.default_url()
    if args.days < 1 or args.days > 5000:
        raise Failure("--days must be between 1 and 5000.", "--days 必须在 1 到 5000 之间。")
    refuse_existing(url, "it is kept: open it with 'canteen', or give another --db.",
                    "已保留：用 'canteen' 打开，或指定其他 --db。")
    if args.sites is not None:
        return demo_district(url, args)
    started = time.perf_counter()
    info = build_demo(url, days=args.days, seed=args.seed)
    took = time.perf_counter() - started
    print(f"Demo canteen in {db.display_url(url)}: {info['school_days']} school days {info['first']} – {info['last']}, "
          f"built in {took:.1f} s. Users: admin, manager, doctor, director, leader, auditor; password 'demo'.")
    return DONE


def demo_district(url: str, args) -> int:
    """`demo --sites N`: the bureau's database with N canteens; says who signs in as what."""
    from . import db
    from .demo_district import DISTRICT, build_district
    if args.sites < 1 or args.sites > 500:
        raise Failure("--sites must be between 1 and 500.", "--sites 必须在 1 到 500 之间。")
    started = time.perf_counter()
    built = build_district(url, args.sites, days=args.days, seed=args.seed,
                           progress=lambda n, name: print(f"  {n}/{args.sites} {name}", flush=True))
    took = time.perf_counter() - started
    print(f"Demo district {DISTRICT} in {db.display_url(url)}: {len(built)} canteens × {args.days} school days, "
          f"built in {took:.1f} s. Password 'demo' for everyone. / 演示区县：{len(built)} 个食堂，所有用户密码 'demo'。")
    print("  bureau (district-admin / 区县管理员), inspector (district-inspector / 区县检查员)")
    for canteen in built:
        print(f"  {canteen['name']} [{canteen['habit']}]: {', '.join(canteen['users'])}")
    return DONE


def json_lines(rows: list[dict]) -> str:
    """A JSON array with one element a line: as easy to read and to diff as an indented one, and
    written by the C encoder (an indented dump goes through Python's, ~10 µs a value: most of
    `check --json`'s time over a long history)."""
    if not rows:
        return "[]"
    return "[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n]"


def cmd_check(args) -> int:
    from .services import site_admin, storage
    storage.open_canteen(args.db)
    if args.start and args.end and args.start > args.end:
        raise Failure("--from is after --to.", "--from 晚于 --to。")
    if args.all_sites:
        if not args.user:
            raise Failure("'check --all-sites' acts as a user: give --user NAME.",
                          "“check --all-sites”需要以用户身份执行：请指定 --user。")
        sites = site_admin.readable_sites(sign_in(args, enter=False))
    else:
        sites = [reading_site(args)[0]]
    periods = {site.id: site_findings(args, site) for site in sites}
    found = [(site, f) for site in sites for f in periods[site.id][0]]
    if args.json:
        rows = [{**row, **({"site": site.name} if args.all_sites else {})} for site in sites
                for row in findings_with_cases(site, *periods[site.id])]
        print(json_lines(rows))
    else:
        for site, f in found:
            where = f"{site.name}  " if args.all_sites else ""
            print(f"{where}{f.day}  {f.severity:<9} {f.rule:<14} {f.record_kind}#{f.record_id or '-'}  "
                  f"{f.message_en}  [{f.source_en}]")
        _, start, end = periods[sites[0].id] if sites else ((), args.start, args.end)
        print(f"{len(found)} findings in {len(sites)} canteens." if args.all_sites
              else f"{len(found)} findings from {start} to {end}.")
    return FOUND if found else DONE


def site_findings(args, site) -> tuple[list, dt.date, dt.date]:
    """One canteen's findings over the period asked (default: its first day to its today)."""
    start, end = period_of(args, site)
    return findings_of(site, start, end), start, end


def open_period(args):
    """The canteen read (see reading_site: --site, or the only one) and the period of --from/--to
    (from its first record to today by default)."""
    from .services import storage
    storage.open_canteen(args.db)
    site = reading_site(args)[0]
    return (site, *period_of(args, site))


def period_of(args, site) -> tuple[dt.date, dt.date]:
    from .timeutil import local_today
    end = args.end or local_today(site.timezone)
    start = args.start or first_day(site.id) or end
    if start > end:
        raise Failure("--from is after --to.", "--from 晚于 --to。")
    return start, end


def findings_of(site, start, end) -> list:
    """The rules' findings of start..end, as `check` judges them; unreadable rows are listed and
    make the command fail rather than be skipped."""
    from .rules import evaluate
    from .timeutil import local_today
    try:
        return evaluate(site.id, start, end, today=min(end, local_today(site.timezone)))
    except ValidationError:
        raise
    except read_faults():
        if report_damage():
            raise damaged_failure() from None
        raise


def findings_with_cases(site, findings: list, start, end) -> list[dict]:
    """Each finding with the case it belongs to and the case's status (open, acted, verified,
    overdue), the cases built from the findings of LOOKBACK days before `start` as well."""
    from .read.cases import annotate
    return annotate(findings, cases_of(site, findings, start, end))


def cases_of(site, findings: list, start, end) -> list:
    """The cases touching start..end, without a signed-in user: the read-only commands make the
    canteen's case context from the site itself (its zone, its deadlines, the clock)."""
    from .read.cases import LOOKBACK, canteen_at, cases_from
    from .rules import evaluate
    from .timeutil import local_today, utcnow
    before = evaluate(site.id, start - dt.timedelta(days=LOOKBACK), start - dt.timedelta(days=1),
                      today=min(end, local_today(site.timezone)))
    return cases_from(canteen_at(site.id, site.timezone, utcnow()), before + findings, start, end)


def cmd_cases(args) -> int:
    """Each case with its actions and their follow-up checks, then the time to close per rule (over
    every case of the period, whatever --status shows). Exit 1 while a listed case is not verified."""
    from .read.cases import time_to_close
    from .timeutil import utcnow
    site, start, end = open_period(args)
    findings = findings_of(site, start, end)
    built, now = cases_of(site, findings, start, end), utcnow()
    shown = [c for c in built if case_matches(c, args.status)]
    timings = time_to_close(built, site.timezone, now)
    if args.json:
        print(json.dumps({"from": start.isoformat(), "to": end.isoformat(), "as_of": moment(now.replace(microsecond=0), site.timezone),
                          "findings": len(findings), "cases": [case_json(c, site.timezone) for c in shown],
                          "time_to_close": [timing_json(t) for t in timings]}, ensure_ascii=False, indent=1))
    else:
        for case in shown:
            print(case_line(case, site.timezone))
        which = f" {args.status}" if args.status else ""
        print(f"{len(shown)}{which} of {len(built)} cases from {start} to {end} ({len(findings)} findings).")
        if timings:
            print()
            print("\n".join(timing_lines(timings)))
    return FOUND if any(not c.closed for c in shown) else DONE


def case_matches(case, wanted: str | None) -> bool:
    """--status: "open" is every case without an action yet, the overdue ones among them too."""
    if wanted is None:
        return True
    return case.overdue if wanted == "overdue" else case.status == wanted


def case_status(case) -> str:
    """The status as `check --json` gives it: overdue wins over open."""
    return "overdue" if case.overdue else case.status


def moment(utc, tz: str) -> str | None:
    """A stored UTC time as local ISO 8601 with its offset ("2026-03-02T19:20:00+08:00")."""
    from zoneinfo import ZoneInfo

    from .timeutil import to_local
    return to_local(utc, tz).replace(tzinfo=ZoneInfo(tz)).isoformat() if utc else None


def shown_moment(utc, tz: str) -> str:
    from .timeutil import to_local
    return f"{to_local(utc, tz):%Y-%m-%d %H:%M}"


def case_line(case, tz: str) -> str:
    """One line: status, id, subject, days, what was done, who verified it."""
    span = str(case.first_day) if case.first_day == case.last_day else f"{case.first_day}..{case.last_day}"
    days = f"{span} ({case.days} day{'' if case.days == 1 else 's'})"
    head = f"{case_status(case):<9} {case.id}  {case.subject_label('en')}  {days}  "
    if case.rejected_delivery is not None:
        return head + f"closed by rejecting the goods (delivery #{case.rejected_delivery})"
    action = "; ".join(f"{a.label('en')} {shown_moment(a.acted_at, tz)} ({a.responsible})"
                       for a in case.actions) or "none"
    verified = "; ".join(f"{a.verified_by} {shown_moment(a.verified_at, tz)}"
                         for a in case.actions if a.verified_at) or "-"
    reopened = f"  reopened after the check of {shown_moment(case.reopened_after, tz)}" if case.reopened_after else ""
    return head + f"action: {action}  verified by: {verified}{reopened}"


def case_json(case, tz: str) -> dict:
    data = case.as_json()
    data.update(status=case_status(case), severity=case.severity, subject_en=case.subject_label("en"),
                subject_zh=case.subject_label("zh"), message=case.message("en"), message_zh=case.message("zh"),
                due=moment(case.due, tz), closed_at=moment(case.closed_at, tz),
                reopened_after=moment(case.reopened_after, tz), rejected_delivery=case.rejected_delivery,
                actions=[{"id": a.id, "version": a.version, "action": a.action, "label": a.label("en"),
                          "label_zh": a.label("zh"), "details": a.details, "responsible": a.responsible,
                          "acted_at": moment(a.acted_at, tz), "entered_by": a.entered_by,
                          "attachments": a.attachments, "verified_by": a.verified_by or None,
                          "verified_at": moment(a.verified_at, tz)} for a in case.actions])
    return data


def timing_json(t) -> dict:
    return {"rule": t.rule, "cases": t.cases, "acted": t.acted, "verified": t.verified, "late": t.late,
            "open": t.open, "hours_to_action": t.hours_to_action, "hours_to_verified": t.hours_to_verified,
            "closed_by_rejection": t.auto_closed}


def timing_lines(timings: list) -> list[str]:
    """The time-to-close table: median hours from the start of a case's first day."""
    def hours(value):
        return "-" if value is None else f"{value:.1f}"
    lines = ["Time to close (median hours from the start of a case's first day):",
             f"{'rule':<14} {'cases':>5} {'acted':>5} {'verified':>8} {'late':>4} {'open':>4} "
             f"{'to action':>9} {'to verified':>11} {'by rejection':>12}"]
    for t in timings:
        lines.append(f"{t.rule:<14} {t.cases:>5} {t.acted:>5} {t.verified:>8} {t.late:>4} {t.open:>4} "
                     f"{hours(t.hours_to_action):>9} {hours(t.hours_to_verified):>11} {t.auto_closed:>12}")
    return lines


def first_day(site_id: int):
    from .models import REGISTRY
    days = [m.select(m.day).where(m.site == site_id).order_by(m.day).scalar() for m in REGISTRY.values() if m.EVENT != "none"]
    days = [d for d in days if d]
    return min(days) if days else None


def cmd_backup(args) -> int:
    """A backup takes every record out of the program, so it is an export like any other: made
    as a user, in the audit trail (with the copy's SHA-256) before it exists under its name."""
    from . import db
    from .services import storage
    from .services.export_pipeline import export_file, writable_target
    target = writable_target(args.output)  # a missing folder fails before the password is asked
    database = storage.open_canteen(args.db)
    session = sign_in(args)
    exported = export_file(session, "backup", target, lambda part: db.write_backup_copy(part, target, database))
    db.note_backup(Path(database.database), exported.path)
    print(f"Backed up to {exported.path}; SHA-256 {exported.sha256}")
    return DONE


def cmd_restore(args) -> int:
    """Says what restoring would lose; with --yes and --reason, signs the user in against the
    backup, records the rollback in it and puts it in place (the replaced file is kept)."""
    from . import db
    from .restore import carry_out, clean_reason, plan_restore
    from .services import storage
    url = args.db or db.default_url()
    if db.is_postgres(url):
        raise Failure("Restore a PostgreSQL database with pg_restore.", "PostgreSQL 数据库请使用 pg_restore 恢复。")
    target = db.sqlite_path(url)
    db.check_sqlite_file(target.with_name(target.name + ".restoring"), must_exist=False)  # the folder is there
    plan = plan_restore(args.file, target)
    for en, zh in plan.lines():
        print(f"{en}  {zh}")
    if not args.yes:
        raise Failure("Nothing was restored: to replace the database, losing what is listed above, "
                      "add --yes --reason TEXT (and --user NAME).",
                      "未恢复任何内容：如确认替换数据库并丢失上述内容，请加上 --yes --reason 原因（及 --user 用户名）。")
    reason = clean_reason(args.reason)
    if not args.user:
        raise Failure("'restore' acts as a user: give --user NAME (a user of the backup).",
                      "“restore”需要以用户身份执行：请指定 --user（备份中的用户）。")
    kept = carry_out(plan, reason, args.user, password_for(args.user))
    storage.open_canteen(url)  # proves the restored file opens
    print(f"Restored {args.file} into {target} (audit trail rolled back to entry {plan.backup_head.seq}); "
          + (f"the previous database is kept as {kept}" if kept else "there was no database before, so no copy was kept"))
    return DONE


def cmd_verify(args) -> int:
    """Exit 1 for tampering or damage (unreadable rows are listed as DAMAGED table #id); restores
    recorded by the program are listed as ROLLBACK lines, informational, and keep exit 0."""
    from .integrity.verify import verify_database
    from .services import storage
    storage.open_canteen(args.db)
    site_id = verified_site(args)
    try:
        report = verify_database(anchor=args.anchor, site_id=site_id)
    except ValidationError:
        raise
    except read_faults():
        if report_damage():
            return FOUND
        raise
    for en, _zh in report.rollbacks:
        print(f"ROLLBACK  {en}")
    for problem in report.problems:
        print(f"TAMPERED  {problem.where}: {problem.en}")
    problems = len(report.problems)
    if args.archive:
        from reports.verify_archive import check_archive
        for line in check_archive(args.archive):
            print(f"ARCHIVE   {line}")
            problems += 1
    if site_id is None and len(report.heads) > 1:
        for chain_id, head in sorted(report.heads.items()):
            print(f"HEAD      {site_names().get(chain_id, 'district')}: {head}")
    print(f"Checked {report.entries_checked} audit entries, {report.records_checked} records and "
          f"{report.signatures_checked} signatures in {report.seconds:.1f} s; chain head {report.head}; "
          f"{problems} problem(s)" + (f"; {len(report.rollbacks)} rollback(s) by restore." if report.rollbacks else "."))
    return FOUND if problems else DONE


def verified_site(args) -> int | None:
    """The canteen `verify` checks: on a database of several canteens the one chosen (or, with
    --all-sites, every one, for the district inspector); a canteen's own database whole."""
    from .services import permissions, site_admin, users
    if args.all_sites:
        session = sign_in(args, enter=False)
        permissions.require_all_sites(session)
        return None
    site, _session = reading_site(args)
    return site.id if users.district_name() or site_admin.several_sites() else None


def site_names() -> dict[int, str]:
    from .models import Site
    return dict(Site.select(Site.id, Site.name).tuples())


def report_damage() -> bool:
    """After a read failed: list the rows that cannot be read, by table and row id. False when
    none can be found (then the failure was not damage, and is reported as it is)."""
    from . import db
    from .integrity.readable import unreadable_rows
    damage = unreadable_rows()
    for d in damage:
        print(f"DAMAGED   {d.where}: {d.cause}")
    if damage:
        print(f"{len(damage)} unreadable row(s) in {getattr(db.current(), 'canteen_place', '')}: the file is damaged; "
              "restore it from a backup ('canteen restore BACKUP').")
    return bool(damage)


def damaged_failure() -> Failure:
    from . import db
    place = getattr(db.current(), "canteen_place", "")
    return Failure(f"{place} is damaged: some rows cannot be read (listed above); the check was not done.",
                   f"{place} 已损坏：部分记录无法读取（见上），未完成检查。")


def cmd_export_archive(args) -> int:
    from reports.archive import export_archive

    from .services import storage
    from .services.export_pipeline import writable_target
    if args.start > args.end:
        raise Failure("--from is after --to.", "--from 晚于 --to。")
    writable_target(args.output)  # a missing folder is said before the password is asked
    storage.open_canteen(args.db)
    session = sign_in(args)
    result = export_archive(session, args.start, args.end, args.output)
    print(f"Wrote {result.path}: {result.pages} pages; records SHA-256 {result.records_sha256}; chain head {result.chain_head}")
    return DONE


def add_export_district(sub) -> None:
    s = sub.add_parser("export-district", help="the district summary of a period as PDF (the district inspector)")
    s.add_argument("--from", dest="start", type=iso_date, required=True)
    s.add_argument("--to", dest="end", type=iso_date, required=True)
    s.add_argument("-o", "--output", required=True, type=Path)


def cmd_export_district(args) -> int:
    """The district summary: totals, then a line per canteen with its chain head, for every canteen
    the district inspector reads (the session stays in no canteen)."""
    from reports.district import export_district_summary

    from .services import storage
    from .services.export_pipeline import writable_target
    if args.start > args.end:
        raise Failure("--from is after --to.", "--from 晚于 --to。")
    writable_target(args.output)
    storage.open_canteen(args.db)
    session = sign_in(args, enter=False)
    result = export_district_summary(session, args.start, args.end, args.output)
    print(f"Wrote {result.path}: {result.pages} pages; SHA-256 {result.sha256}")
    return DONE


def record_kind(kind: str) -> str:
    from .models import REGISTRY
    if kind not in REGISTRY:
        raise Failure(f"Unknown record kind {kind!r}; one of: {', '.join(sorted(REGISTRY))}.",
                      f"未知的记录类型“{kind}”；可用：{'、'.join(sorted(REGISTRY))}。")
    return kind


def cmd_export(args) -> int:
    from .services import storage
    from .services.export_pipeline import writable_target
    from .sheet_columns import check_suffix
    from .sheet_export import export_records
    record_kind(args.kind)
    check_suffix(args.output)
    if args.start > args.end:
        raise Failure("--from is after --to.", "--from 晚于 --to。")
    writable_target(args.output)  # a missing folder is said before the password is asked
    storage.open_canteen(args.db)
    session = sign_in(args)
    result = export_records(session, args.kind, args.start, args.end, args.output)
    print(f"Wrote {result.path}: {result.rows} {args.kind} from {args.start} to {args.end}; SHA-256 {result.sha256}")
    return DONE


def cmd_import(args) -> int:
    from .services import storage
    from .sheet_import import ImportRefused, check_readable, import_file
    record_kind(args.kind)
    check_readable(args.file)  # a wrong suffix, a missing or foreign file fails before the password is asked
    storage.open_canteen(args.db)
    session = sign_in(args)
    try:
        result = import_file(session, args.kind, args.file, late_reason=args.late_reason, again=args.again)
    except ImportRefused as refused:
        for line in refused.lines:
            print(line, file=sys.stderr)
        raise
    for line in result.warnings:
        print(f"warning: {line}")
    rate = result.rows / result.seconds if result.seconds else 0
    read_as = f"{result.format}, {result.encoding}" if result.encoding else result.format
    print(f"Imported {result.rows} {args.kind} from {args.file} ({read_as}; SHA-256 {result.sha256}) "
          f"in {result.seconds:.1f} s ({rate:.0f} rows/s).")
    return DONE


def cmd_export_template(args) -> int:
    from .models import REGISTRY
    from .sheet_columns import columns
    from .sheet_export import export_template
    record_kind(args.kind)
    path = export_template(args.kind, args.output)
    print(f"Wrote {path}: a blank {args.kind} sheet with {len(columns(REGISTRY[args.kind], template=True))} columns.")
    return DONE


def cmd_migrate_to(args) -> int:
    from . import db
    from .transfer import copy_database
    if not db.is_postgres(args.target):
        raise Failure("migrate-to copies into a PostgreSQL database: give postgresql://USER@HOST/DBNAME.",
                      "migrate-to 的目标须为 PostgreSQL 数据库：请给出 postgresql://用户@主机/数据库名。")
    source = args.db or db.default_url()
    report = copy_database(source, args.target)
    for problem in report.carried_problems:
        print(f"TAMPERED  {problem.where}: {problem.en} (carried over from the source)")
    check = report.verify
    print(f"Copied {report.total_rows} rows in {len(report.rows)} tables from {report.source} to {report.target} "
          f"in {report.seconds:.1f} s; the copy verified {check.entries_checked} audit entries, {check.records_checked} "
          f"records and {check.signatures_checked} signatures; chain head {report.head}; "
          f"{len(report.carried_problems)} problem(s).")
    return FOUND if report.carried_problems else DONE


def cmd_push(args) -> int:
    from .services import storage
    cli_push.check_push_args(args)
    storage.open_canteen(args.db)
    password = password_for(args.user) if args.user else ""
    return cli_push.push(args, sign_in(args, password=password), password)


def cmd_receive(args) -> int:
    from .services import storage
    storage.open_canteen(args.db)
    return cli_push.receive(args, sign_in(args, enter=False))


def cmd_receipt(args) -> int:
    from .services import storage
    storage.open_canteen(args.db)
    return cli_push.receipt(args, sign_in(args))


PUSH_COMMANDS = {"push": cmd_push, "receive": cmd_receive, "receipt": cmd_receipt}
COMMANDS = {**PUSH_COMMANDS, "init": cmd_init, "site": cmd_site, "user": cmd_user, "setting": cmd_setting, "password": cmd_password,
            "notice": cmd_notice,
            "demo": cmd_demo, "check": cmd_check, "cases": cmd_cases, "backup": cmd_backup, "restore": cmd_restore,
            "verify": cmd_verify, "export-archive": cmd_export_archive,
            "export-district": cmd_export_district, "export": cmd_export, "import": cmd_import,
            "export-template": cmd_export_template, "migrate-to": cmd_migrate_to}


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # --help, or arguments that do not parse
        return int(exc.code or 0)
    args.db = args.db or os.environ.get("CANTEEN_DB")
    command = start_desk if args.command is None else COMMANDS[args.command]
    try:
        return command(args)
    except ValidationError as exc:
        print(f"canteen: {exc}", file=sys.stderr)
        return FAILED
    except CanteenError as exc:
        print(f"canteen: {exc}", file=sys.stderr)
        return FAILED
    except KeyboardInterrupt:
        print("canteen: interrupted; nothing half-written was kept.", file=sys.stderr)
        return FAILED
    except Exception as exc:  # the promise is one readable line, never a traceback
        import peewee

        from . import db
        if isinstance(exc, (peewee.DatabaseError, peewee.InterfaceError, sqlite3.Error, OSError)):
            where = db.display_url(args.db or db.default_url()) if database_named(exc) else ""
            print(f"canteen: {db.storage_error(exc, where)}", file=sys.stderr)
            return FAILED
        if os.environ.get("CANTEEN_DEBUG"):
            raise
        print(f"canteen: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return FAILED
    finally:
        from . import db
        db.close()


def start_desk(args) -> int:
    """The desk (no command given). Nothing of the core beyond its errors is imported before the
    sign-in window shows (see ui/app.py): this module imports storage and peewee inside commands."""
    from ui.app import run
    return run(args.db)


def database_named(exc: Exception) -> bool:
    """An OSError names its own file; a database error is about the open database."""
    return not (isinstance(exc, OSError) and exc.filename)


if __name__ == "__main__":
    sys.exit(main())
