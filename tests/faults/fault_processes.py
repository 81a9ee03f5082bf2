"""The processes the fault suite kills: a writer that enters records one by one through the core
services, and the `canteen import` command.

    python fault_processes.py serve         a fork server: one JSON command a line on stdin
    python fault_processes.py write URL     a writer that keeps going after a refused write

Every record the writer saves is printed as `confirmed ID` once its transaction has committed,
so a line the test has read is a promise the database must keep, whatever happens next. The
fork server imports the program once and starts each writer or import as a forked child: the
test can then kill a hundred writers in seconds instead of spending them starting interpreters.
It prints `started PID` when a child runs and `ended PID STATUS` when it is gone, after the
child's own lines (the child is dead by then), so the test knows it has read all of them.
"""

from __future__ import annotations

import json
import os
import selectors
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout under test comes first

HANG = 120.0  # seconds without a line after which a test gives up instead of hanging the suite


class Lines:
    """A fault process's output (or the fork server's), read line by line, never blocking past HANG seconds."""

    def __init__(self, stream):
        self.fd = stream.fileno()
        self.buffer = b""
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.fd, selectors.EVENT_READ)

    def _fill(self, timeout: float) -> bool:
        if not self.selector.select(timeout):
            return False
        chunk = os.read(self.fd, 65536)
        if not chunk:
            raise AssertionError("a fault process ended unexpectedly")
        self.buffer += chunk
        return True

    def next(self, timeout: float = HANG) -> str | None:
        """The next line, or None when none came within `timeout` seconds."""
        while b"\n" not in self.buffer:
            if not self._fill(timeout):
                if timeout == HANG:
                    raise AssertionError(f"no line from a fault process within {HANG} s")
                return None
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode("utf-8")


def say(line: str) -> None:
    """One line, written in one system call, so that a kill never leaves half of it."""
    os.write(1, (line + "\n").encode("utf-8"))


def write_records(url: str, keep_going: bool) -> None:
    """Enter suppliers one after another for ever; a refused write is reported and, with
    `keep_going`, followed by the next one in the same process (a desk that stays open)."""
    from canteen import db
    from canteen.errors import CanteenError
    from canteen.services import records, users
    db.open_database(url)
    session = users.session_for("manager")
    number = 0
    while True:
        number += 1
        try:
            record = records.create(session, "suppliers", {"name": f"供货者 {os.getpid()}-{number}",
                                                           "kind": "distributor", "address": "城关镇"})
        except CanteenError as exc:
            if not keep_going:
                raise
            say(f"refused {exc.en}")
            continue
        except Exception as exc:  # noqa: BLE001 (the test fails on any of these: they are what users must never see)
            if not keep_going:
                raise
            say(f"error {type(exc).__name__}: {' '.join(str(exc).split())}")
            continue
        say(f"confirmed {record.id}")


def run_child(command: dict) -> int:
    if command["do"] == "write":
        write_records(command["db"], keep_going=False)
        return 0
    if command["do"] == "import":
        from canteen import cli
        os.environ["CANTEEN_PASSWORD"] = command["password"]
        return cli.main(["--db", command["db"], "--user", "manager", "import", command["kind"], command["file"]])
    raise ValueError(command)


def serve() -> None:
    """Fork one child per command line; wait for it (the test kills it) and say when it is gone."""
    from canteen import cli, db  # noqa: F401  (imported once, here, for every child)
    from canteen.services import records, users  # noqa: F401
    for line in sys.stdin:
        command = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = run_child(command)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        say(f"started {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"ended {pid} {status}")


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve()
    elif sys.argv[1] == "write":
        write_records(sys.argv[2], keep_going=True)
