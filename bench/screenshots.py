"""Screenshots of the desk on a demo database, in English and Chinese, for docs/screenshots/.

    xvfb-run -a -s "-screen 0 1440x900x24" python3 bench/screenshots.py --db demo.db --lang zh_CN
    xvfb-run -a -s "-screen 0 1440x900x24" python3 bench/screenshots.py --db demo.db --lang en

Works on a copy of the database (an attachment is added to show the thumbnails).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def settle(ms: int = 150) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(signal, ms: int = 15000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def save(widget, out: Path, name: str, lang: str) -> None:
    settle()
    path = out / f"{name}-{'zh' if lang.startswith('zh') else 'en'}.png"
    widget.grab().save(str(path))
    print(path)


def last_service_day(session):
    """The latest day with a menu: the demo's last school day, shown with its real states."""
    from canteen.read.day import last_service_day as before
    return before(session, dt.date.max)


def sample_scan(path: Path) -> Path:
    image = QImage(640, 440, QImage.Format.Format_RGB32)
    image.fill(QColor("#f4efe2"))
    p = QPainter(image)
    p.setPen(QColor("#8a1c1c"))
    font = p.font()
    font.setPointSize(26)
    p.setFont(font)
    p.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, "食品经营许可证\nJY34301210012345")
    p.drawRect(20, 20, 600, 400)
    p.end()
    image.save(str(path))
    return path


def shots_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    return parser.parse_args()


def desk_on_a_copy(args: argparse.Namespace, prefix: str):
    """The application in the asked language over a copy of the demo database (the screenshots
    change nothing in it), with settings in a temporary folder; returns (app, tmp, out)."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    from canteen import db
    from canteen.services import users  # noqa: F401  (loads the tables and the schema steps before opening)
    from ui import i18n
    from ui.app import make_application
    app = make_application()
    i18n.install(args.lang)
    db.open_database(args.db)
    copy = tmp / "copy.db"
    db.backup_to(copy)
    db.close()
    db.open_database(str(copy))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    return app, tmp, out


def main() -> int:
    args = shots_arguments()
    app, tmp, out = desk_on_a_copy(args, "canteen-shots-")  # noqa: F841  (app held while shooting)
    from canteen import db
    from canteen.models import Certificate, DailyInspection, Delivery
    from canteen.services import users
    from canteen.timeutil import local_today
    from ui import i18n
    from ui.app import FirstStartDialog
    from ui.forms.dialogs import SignDialog
    from ui.login import LoginDialog
    from ui.main_window import MainWindow

    login = LoginDialog("城关中学学生食堂", username="manager")
    login.show()
    save(login, out, "login", args.lang)
    first = FirstStartDialog(str(Path.home() / ".local/share/canteen-log/canteen.db"))
    first.show()
    save(first, out, "first-start", args.lang)
    login.close()
    first.close()

    manager = users.login("manager", "demo")
    win = MainWindow(manager)
    win.resize(1400, 860)
    win.show()
    today = win.page("today")
    wait_for(today.loaded)
    if not today.is_service_day():
        save(win, out, "today-weekend", args.lang)  # a weekend: no meals, a way to the last school day
    school_day = last_service_day(manager)
    if school_day is not None and school_day != today.day:
        today.set_day(school_day)
        wait_for(today.loaded)
    save(win, out, "today", args.lang)
    for key, name in (("findings", "findings"), ("ledger-month", "ledger"), ("audit-trail", "audit")):
        win.show_page(key)
        settle(3000)  # the page may have finished loading before a signal could be awaited
        save(win, out, name, args.lang)
    dialog = win.export_archive()
    save(dialog, out, "export-archive", args.lang)
    dialog.close()

    page = win.show_page("records:deliveries")
    latest = Delivery.select().order_by(Delivery.id.desc()).first()
    page.select_record(latest.id)
    save(win, out, "deliveries", args.lang)
    form = page.add_record()
    form.editors["item"].set_value("小白菜")
    form.editors["quantity"].set_value("-3")
    save(form, out, "delivery-form-error", args.lang)
    form.editors["quantity"].set_value("12")
    form.editors["category"].set_value("dairy")
    form.editors["batch_no"].set_value("Y7")
    form.editors["expiry_date"].set_value(local_today() - dt.timedelta(days=3))
    form.editors["result"].set_value("accepted")
    form.editors["receiver"].set_value("王芳")
    form.accept()
    save(form, out, "delivery-form-blocked", args.lang)
    form.reject()

    page = win.show_page("records:pesticide-tests")
    form = page.add_record()
    form.editors["sample_name"].set_value("菠菜")
    form.editors["method"].set_value("spectro")
    form.editors["control_delta"].set_value("0.600")
    form.editors["sample_delta"].set_value("0.280")
    save(form, out, "pesticide-form", args.lang)
    form.reject()

    page = win.show_page("records:samples")
    form = page.add_record()
    form.editors["dish"].set_value("番茄炒蛋")
    form.editors["weight_g"].set_value("100")
    save(form, out, "sample-form", args.lang)
    form.reject()

    page = win.show_page("records:certificates")
    cert = Certificate.select().order_by(Certificate.id).first()
    page.select_record(cert.id)
    page.details.setCurrentWidget(page.attachments)
    if page.attachments.list.count() == 0:
        page.attachments.add_files([sample_scan(tmp / "licence.png")])
    save(win, out, "certificates-attachments", args.lang)
    win.close()

    admin = users.login("admin", "demo")
    win = MainWindow(admin)
    win.resize(1400, 860)
    win.show()
    win.show_page("admin")
    settle(1000)
    save(win, out, "admin", args.lang)
    win.close()

    doctor = users.login("doctor", "demo")
    win = MainWindow(doctor)
    win.resize(1400, 860)
    win.show()
    page = win.show_page("records:inspections")
    latest = DailyInspection.select().order_by(DailyInspection.id.desc()).first()
    page.select_record(latest.id)
    page.details.setCurrentIndex(1)
    save(win, out, "inspections-signed", args.lang)
    from canteen.integrity.signatures import MEANINGS
    summary = page.tr("Sign {0} No. {1}, version {2}, as {3}.").format(
        latest.label(i18n.language()), latest.id, latest.version, doctor.user.display_name)
    sign = SignDialog(summary, MEANINGS, win)
    sign.show()
    save(sign, out, "sign-dialog", args.lang)
    sign.close()
    win.close()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
