"""Screenshots of File → Push to district (issue 12 item 7) on a copy of a demo canteen: the dialog
before, in progress (held at its entries step), after a push to a file, with an unreachable
district, and — given a PostgreSQL server — after an online push and the push at the daily close
(by a signer who holds no key, then by this computer's device copy of the site key). The device copy
goes into a temporary data folder, never the user's own.

    python3 -m canteen --db /tmp/demo.db demo --days 20
    QT_QPA_PLATFORM=offscreen python3 bench/push_screenshots.py --db /tmp/demo.db --lang zh_CN \
        [--district postgresql://postgres@127.0.0.1:54329/SOME_EMPTY_DATABASE]
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from screenshots import desk_on_a_copy, save, settle, shots_arguments  # noqa: E402

UNREACHABLE = "postgresql://canteen@127.0.0.1:1/district"


def wait_until(condition, rounds: int = 600) -> None:
    for _ in range(rounds):
        if condition():
            return
        settle(50)
    raise RuntimeError("the push did not end")


def dialog_for(win):
    win.push_to_district()
    dialog = win.push_dialog
    dialog.password.setText("demo")
    settle()
    return dialog


def progress_shot(win, out: Path, lang: str, tmp: Path) -> None:
    """The dialog held at its entries step (the worker waits until the shot is taken)."""
    from canteen import pushing
    real, release = pushing._blobs, threading.Event()

    def held(entries):
        release.wait(60)
        return real(entries)
    pushing._blobs = held
    dialog = dialog_for(win)
    dialog.path.setText(str(tmp / "held.canteen"))
    dialog.start()
    wait_until(lambda: dialog.progress.maximum() > 0 and dialog.progress.value() >= 3)
    save(dialog, out, "push-dialog-progress", lang)
    release.set()
    pushing._blobs = real
    wait_until(lambda: not dialog.running)
    dialog.close()


def file_shots(win, out: Path, lang: str, tmp: Path) -> Path:
    dialog = dialog_for(win)
    save(dialog, out, "push-dialog", lang)
    target = tmp / "城关中学食堂.canteen"
    dialog.path.setText(str(target))
    dialog.start()
    wait_until(lambda: not dialog.running)
    save(dialog, out, "push-dialog-file-done", lang)
    dialog.close()
    return target


def unreachable_shot(win, out: Path, lang: str) -> None:
    from canteen.services import site_admin
    site_admin.update_setting(win.session, "district_address", UNREACHABLE)
    dialog = dialog_for(win)
    dialog.start()
    wait_until(lambda: not dialog.running)
    save(dialog, out, "push-dialog-unreachable", lang)
    dialog.close()


def online_shots(win, out: Path, lang: str, district: str, first_file: Path) -> None:
    """Enrol the canteen at a fresh district from the file, then push online and at a close."""
    from canteen import db
    from canteen.cli import main as cli
    from canteen.services import site_admin
    home = db.database.obj
    os.environ.update(CANTEEN_PASSWORD="district", CANTEEN_NEW_PASSWORD="district")
    try:
        cli(["--db", district, "init", "--district", "城关区", "--admin", "dadmin"])
        cli(["--db", district, "--user", "dadmin", "site", "add", "城关中学", "--admin", "cgadmin",
             "--from", str(first_file)])
        cli(["--db", district, "--user", "dadmin", "receive", str(first_file)])
    finally:
        db.database.initialize(home)
    site_admin.update_setting(win.session, "district_address", district)
    dialog = dialog_for(win)
    dialog.start()
    wait_until(lambda: not dialog.running)
    save(dialog, out, "push-dialog-online-done", lang)
    dialog.close()


def main() -> int:
    parser_args = shots_arguments_with_district()
    app, tmp, out = desk_on_a_copy(parser_args, "canteen-push-shots-")  # noqa: F841  (app held while shooting)
    os.environ["XDG_DATA_HOME"] = str(tmp / "user-data")  # where this computer keeps its device copy
    from canteen.services import users
    from ui.main_window import MainWindow
    win = MainWindow(users.login("admin", "demo"))
    win.resize(1280, 800)
    win.show()
    settle()
    progress_shot(win, out, parser_args.lang, tmp)
    file_shots(win, out, parser_args.lang, tmp)
    unreachable_shot(win, out, parser_args.lang)
    page = win.show_page("admin")
    from PySide6.QtWidgets import QScrollArea
    edit = page.setting_edits["district_address"]
    page.findChild(QScrollArea).ensureWidgetVisible(edit)
    edit.setFocus()
    save(win, out, "push-setting", parser_args.lang)
    if parser_args.district:
        online_shots(win, out, parser_args.lang, parser_args.district, tmp / "held.canteen")  # the file with it all
    close_shots(out, parser_args.lang)
    if parser_args.district:
        device_shots(out, parser_args.lang)
    return 0


def doctor_after_close():
    """The doctor's desk once the day's close has tried to push (and finished trying)."""
    from canteen.services import users
    from ui.main_window import MainWindow
    win = MainWindow(users.login("doctor", "demo"))
    win.resize(1280, 800)
    win.show()
    settle()
    win.push_at_close(win.session.today(), "demo")
    wait_until(lambda: win.close_push is None)
    return win


def device_shots(out: Path, lang: str) -> None:
    """The administrator lets this computer push at each close; the doctor's next close pushes by itself."""
    from canteen.services import users
    from ui.main_window import MainWindow
    admin = MainWindow(users.login("admin", "demo"))
    admin.show()
    dialog = dialog_for(admin)
    dialog.device.click()
    save(dialog, out, "push-dialog-device", lang)
    dialog.close()
    admin.close()
    win = doctor_after_close()
    save(win, out, "push-at-close-device", lang)


def close_shots(out: Path, lang: str) -> None:
    """The doctor's desk after the close could not push (the doctor holds no site key): the status
    bar's warning, and the push dialog it opens for the key's holder."""
    win = doctor_after_close()
    save(win, out, "push-at-close-not-holder", lang)
    win.push_warning.click()
    settle()
    win.push_dialog.password.setText("demo")
    save(win.push_dialog, out, "push-dialog-holder", lang)
    win.push_dialog.start()
    wait_until(lambda: not win.push_dialog.running)
    save(win.push_dialog, out, "push-dialog-holder-done", lang)


def shots_arguments_with_district():
    sys_argv = list(sys.argv[1:])
    district = ""
    if "--district" in sys_argv:
        at = sys_argv.index("--district")
        district = sys_argv[at + 1]
        del sys_argv[at:at + 2]
    sys.argv[1:] = sys_argv
    args = shots_arguments()
    args.district = district
    return args


if __name__ == "__main__":
    sys.exit(main())
