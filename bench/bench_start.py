"""How long the desk takes to start, measured on the real `canteen` command. Prints; asserts nothing.

    python3 bench/bench_start.py [--demo demo.db] [--repeat 5] [--typing 2.0]

Each run is a fresh process that calls `canteen.cli.main(["--db", DEMO])`, the same code as typing
`canteen`; a probe installed on the application object (no change to the program) notes:

- start → sign-in window: from just before the process is launched to the first paint of the
  sign-in dialog (interpreter start and every import included), for a desk that opened this
  database before (the settings are kept between the runs; one first start primes them);
- Enter → Today painted: the probe types "manager" / "demo" and presses Enter, once at once
  ("no typing", the worst case) and once after `--typing` seconds (a user typing a password),
  until the Today page has its data and is painted;
- the Argon2id hash on its own: one `verify` of the stored password hash, timed in the same
  process after the desk is up.

Python's compiled modules are written and reused (as in an installed program), whatever
PYTHONDONTWRITEBYTECODE says: without them every start compiles the program's sources again.
The floor is a bare PySide6 dialog with two line edits, timed the same way (start to first paint).
Median, min and max of `--repeat` fresh processes of each.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "BENCH "


def report(**values) -> None:
    print(MARK + json.dumps(values), flush=True)


# ---- child processes ------------------------------------------------------------------------

def child_floor() -> None:
    """A bare dialog like the sign-in window: the least any Qt program pays to show one."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QDialog, QFormLayout, QLineEdit
    app = QApplication(sys.argv[:1])
    dialog = QDialog()
    form = QFormLayout(dialog)
    form.addRow("User name", QLineEdit(dialog))
    form.addRow("Password", QLineEdit(dialog))

    class Painted(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt name)
            if event.type() == QEvent.Type.Paint and obj is dialog:
                report(shown=time.time())
                app.quit()
            return False
    probe = Painted()
    dialog.installEventFilter(probe)
    dialog.show()
    app.exec()


def child_desk(db_path: str, typing: str, settings: str) -> None:
    """The real start (`canteen --db DB`), watched by a probe on the application object."""
    from PySide6 import QtWidgets
    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings)
    times: dict[str, float] = {}

    class Probe(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt name)
            kind = event.type()
            if kind == QEvent.Type.Paint and obj.objectName() == "login_dialog" and "shown" not in times:
                times["shown"] = time.time()
                QTimer.singleShot(int(float(typing) * 1000), lambda: press_enter(obj))
            elif kind == QEvent.Type.Show and obj.objectName() == "main_window" and "window" not in times:
                times["window"] = time.time()
                obj.pages["today"].loaded.connect(lambda: today_painted(obj))
            return False

    def press_enter(dialog) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        dialog.username.setText("manager")
        dialog.password.setText("demo")
        times["enter"] = time.time()
        times["desk_loaded"] = getattr(dialog, "ready", True)
        QTest.keyClick(dialog.password, Qt.Key.Key_Return)

    def today_painted(window) -> None:
        window.grab()
        times["today"] = time.time()
        times["hash"] = hash_seconds()
        report(**times)
        window.close()
        QtWidgets.QApplication.instance().quit()

    class ProbedApplication(QtWidgets.QApplication):
        def __init__(self, *args):
            super().__init__(*args)
            self.probe = Probe(self)
            self.installEventFilter(self.probe)
    QtWidgets.QApplication = ProbedApplication
    from canteen.cli import main
    main(["--db", db_path])


def hash_seconds() -> float:
    """One Argon2id verify of the manager's stored hash, with the program's own hasher."""
    from canteen.integrity.signatures import HASHER
    from canteen.models import User
    stored = User.read_secret(User.get(User.username == "manager").id)
    t0 = time.perf_counter()
    HASHER.verify(stored, "demo")
    return time.perf_counter() - t0


# ---- the parent -----------------------------------------------------------------------------

# Compiled modules are kept as an installed program keeps them (pip writes them at install), in a
# folder of their own so the checkout stays clean; the first, uncounted start compiles them.
PYCACHE = Path(tempfile.gettempdir()) / "canteen-bench-pycache"


def run_child(*args: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(PYCACHE))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.time()
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, env=env,
                         cwd=str(ROOT), timeout=120)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith(MARK)), None)
    if line is None:
        raise SystemExit(f"child {args} failed:\n{out.stderr[-2000:]}")
    values = json.loads(line[len(MARK):])
    values["start"] = start
    return values


def spread(values: list[float]) -> str:
    values = sorted(v * 1000 for v in values)
    return f"median {values[len(values) // 2]:6.0f} ms  (min {values[0]:5.0f}, max {values[-1]:5.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo", help="a demo database (built with 100 school days if missing)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--typing", type=float, default=2.0, help="seconds the user types before Enter")
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child:
        mode, *rest = args.child
        {"floor": child_floor, "desk": child_desk}[mode](*rest)
        return 0
    demo = Path(args.demo) if args.demo else Path(tempfile.mkdtemp(prefix="canteen-bench-")) / "demo.db"
    if not demo.exists():
        print(f"building a 100-day demo database at {demo} …", flush=True)
        subprocess.run([sys.executable, "-m", "canteen", "--db", str(demo), "demo", "--days", "100"], check=True,
                       cwd=str(ROOT), env=dict(os.environ, PYTHONPATH=str(ROOT)))
    settings = tempfile.mkdtemp(prefix="canteen-bench-settings-")  # one desk's settings, kept between starts
    first = run_child("desk", str(demo), "0", settings)
    print(f"first start on this database (not counted): sign-in painted after {(first['shown'] - first['start']) * 1000:.0f} ms")
    floor, at_once, typed = [], [], []
    for _ in range(args.repeat):  # interleaved, so a busy moment of the machine hits all three alike
        floor.append(run_child("floor"))
        at_once.append(run_child("desk", str(demo), "0", settings))
        typed.append(run_child("desk", str(demo), str(args.typing), settings))
    print(f"floor: bare dialog, start → painted     {spread([r['shown'] - r['start'] for r in floor])}")
    print(f"start → sign-in window painted          {spread([r['shown'] - r['start'] for r in at_once + typed])}")
    print(f"Enter at once → Today painted           {spread([r['today'] - r['enter'] for r in at_once])}")
    print(f"Enter after {args.typing:.1f} s typing → Today    {spread([r['today'] - r['enter'] for r in typed])}")
    print(f"  of which the Argon2id hash alone      {spread([r['hash'] for r in at_once + typed])}")
    print(f"  Enter after typing → Today, less hash {spread([r['today'] - r['enter'] - r['hash'] for r in typed])}")
    print(f"  (desk loaded at Enter after typing: {sum(r['desk_loaded'] for r in typed)} of {len(typed)})")
    print(f"start → Today, Enter at once            {spread([r['today'] - r['start'] for r in at_once])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
