"""Screenshots of the desk for cases (整改闭环) on a demo database, for docs/screenshots/:
Today with its open cases, the findings page's cases with the status filter, the case form.

    python3 -m canteen --db /tmp/demo.db demo --days 100
    QT_QPA_PLATFORM=offscreen python3 bench/case_screenshots.py --db /tmp/demo.db --lang zh_CN
    QT_QPA_PLATFORM=offscreen python3 bench/case_screenshots.py --db /tmp/demo.db --lang en

Works on a copy of the database (nothing is saved from the form).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from screenshots import desk_on_a_copy, sample_scan, save, settle, shots_arguments, wait_for  # noqa: E402


def findings_shot(win, out: Path, lang: str):
    """The findings page over the last 100 days, an acted-on case selected."""
    page = win.show_page("findings")
    if page.task is not None:
        wait_for(page.loaded)
    end = win.session.today()
    page.set_range(end - dt.timedelta(days=99), end)
    page.refresh()
    wait_for(page.loaded)
    chosen = next((c for c in reversed(page.case_model.rows) if c.actions), None)
    if chosen is not None:
        page.select_case(chosen.id)
    save(win, out, "findings-cases", lang)
    page.status_box.setCurrentIndex(page.status_box.findData("overdue"))
    if page.case_model.rows:
        page.case_table.selectRow(0)
    save(win, out, "findings-cases-overdue", lang)
    return page


def case_form_shot(page, out: Path, lang: str, tmp: Path) -> None:
    """The case form for an open case, filled in as the manager would, a photo chosen."""
    page.status_box.setCurrentIndex(page.status_box.findData("open"))
    case = next((c for c in page.case_model.rows if c.rule == "STF-HEALTH"), None) or page.case_model.rows[0]
    page.select_case(case.id)
    form = page.record_action()
    form.details.setPlainText("已调离岗位，安排其今日到疾控中心补办健康证" if lang.startswith("zh")
                              else "Taken off the kitchen; she renews the certificate at the CDC today")
    form.add_files([sample_scan(tmp / "health-certificate.png")])
    save(form, out, "case-form", lang)
    form.reject()


def main() -> int:
    args = shots_arguments()
    app, tmp, out = desk_on_a_copy(args, "canteen-case-shots-")  # noqa: F841  (app held while shooting)
    from canteen import db
    from canteen.services import users
    from ui.main_window import MainWindow

    win = MainWindow(users.login("manager", "demo"))
    win.resize(1400, 860)
    win.show()
    today = win.show_page("today")
    wait_for(today.cases_loaded)
    settle(500)
    save(win, out, "today-cases", args.lang)
    page = findings_shot(win, out, args.lang)
    case_form_shot(page, out, args.lang, tmp)
    win.close()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
