"""The command line of issue 12: push, receive, receipt, and `site add --from FILE`."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import ValidationError

DONE = 0


def push_parsers(sub) -> None:
    s = sub.add_parser("push", help="send the district what it has not yet got: online to URL, or as a file (-o)")
    s.add_argument("url", nargs="?", help="the district's database (postgresql://…)")
    s.add_argument("-o", "--output", type=Path, help="FILE.canteen to carry to the district")
    s.add_argument("--from", dest="start", type=int, metavar="SEQ",
                   help="with -o: start the file at SEQ again (a file was lost: the district says which seq it waits for)")
    s = sub.add_parser("receive", help="at the district: take in a canteen's push file (writes FILE.receipt)")
    s.add_argument("file", type=Path)
    s.add_argument("-o", "--output", type=Path, help="where to write the receipt (default: beside the file)")
    s = sub.add_parser("receipt", help="keep the receipt the district wrote for a push file")
    s.add_argument("file", type=Path)


def check_push_args(args) -> None:
    if bool(args.url) == bool(args.output):
        raise ValidationError("push", "give the district's URL or -o FILE.canteen (one of them)",
                              "请指定区县数据库地址或 -o 文件（二选一）", "Push", "上报")
    if args.start is not None and (args.url or args.start < 1):
        raise ValidationError("--from", "takes a seq of 1 or more and goes with -o FILE (online, the district "
                              "says itself what it lacks)", "须为不小于 1 的序号，且与 -o 文件一起使用（在线上报时区县自行告知所缺内容）",
                              "push --from", "上报 --from")


def push(args, session, password: str) -> int:
    """The canteen pushes (the caller signed it in: cli.cmd_push)."""
    from . import pushing
    if args.output:
        first, last = pushing.push_file(session, password, args.output, args.start)
        print(f"Wrote {args.output}: entries {first}..{last} of {session.site.name} ({max(0, last - first + 1)} entries).")
        return DONE
    outcome = pushing.push_online(session, password, args.url)
    print(outcome.line())
    return DONE


def receive(args, session) -> int:
    """The district receives a file (the caller signed in its administrator: cli.cmd_receive)."""
    from . import receiving
    outcome = receiving.receive(session, _read(args.file))
    print(outcome.line())
    if outcome.receipt is not None:
        target = args.output or args.file.with_suffix(".receipt")
        target.write_text(json.dumps(outcome.receipt, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"Receipt: {target} (import it at the canteen: canteen receipt {target.name})")
    return DONE


def receipt(args, session) -> int:
    """The canteen keeps a receipt file (the caller signed it in: cli.cmd_receipt)."""
    from . import pushing
    try:
        receipt = json.loads(_read(args.file))
    except ValueError:
        raise ValidationError("receipt", "is not a receipt file", "不是回执文件", "Receipt", "回执") from None
    kept = pushing.keep_receipt(session, receipt)
    print(f"Kept the receipt of {kept.district or 'the district'}: seq {kept.seq}, head {kept.head_hash[:16]}…")
    return DONE


def enrol_from(args, session, password: str):
    from . import receiving
    return receiving.enrol(session, args.name, _read(args.from_file), args.admin, password)


def _read(path: Path) -> bytes:
    from . import db
    try:
        return path.read_bytes()
    except OSError as exc:
        raise db.file_error(exc, path, "read") from exc

