"""The desk for cases (整改闭环): the findings page's cases, the case form, the follow-up check,
Today's open cases and the daily close that asks why a violation is left open.

The story of tests/test_cases.py: 孙丽华 works Mon 2 – Thu 5 March 2026 with a health
certificate that expired on 1 March; it is Thursday now, and her case is overdue. 赵强's
certificate expired too; his case has an action recorded (acted, waiting for its check).
"""

from __future__ import annotations

import pytest
from gui_support import desk  # noqa: F401  (fixture)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from test_cases import DAYS, clock, expired  # noqa: F401  (fixtures)

from canteen.models import AuditEntry
from canteen.read import cases as read_cases
from canteen.services import cases, records

WAIT = 15_000


@pytest.fixture
def acted(sessions, expired, clock):
    """赵强, also working on an expired certificate; the manager took him off duty on Thursday."""
    m = sessions["manager"]
    zhao = records.create(m, "staff", {"name": "赵强", "post": "cook", "hired_on": "2021-09-01"})
    records.create(m, "health-certificates", {"staff": zhao.id, "number": "JK2", "issued_on": "2025-02-20",
                                              "expires_on": "2026-02-20"})
    for day in DAYS:
        clock.at(day, 6, 40)
        records.create(m, "morning-checks", {"day": day, "staff": zhao.id, "temperature_c": "36.6", "checker": "王芳"})
    [case] = [c for c in read_cases.cases(m, DAYS[0], DAYS[-1]) if c.subject == f"staff#{zhao.id}"]
    clock.at(DAYS[-1], 7)
    cases.record_action(m, case.id, "off_duty", "王芳", "调离岗位")
    return case


def findings_page(qtbot, session):
    from ui.pages.findings import FindingsPage
    page = FindingsPage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: bool(page.case_model.all) and page.task is None, timeout=WAIT)
    return page


def staff_cases(page) -> list:
    return [page.case_model.rows[r] for r in range(page.case_model.rowCount()) if page.case_model.rows[r].rule == "STF-HEALTH"]


def status_cell(page, case) -> str:
    return page.case_model.index(page.case_model.row_of(case.id), 0).data()


def select(qtbot, page, case) -> None:
    assert page.select_case(case.id)
    qtbot.waitUntil(lambda: page.current_case_id() == case.id, timeout=WAIT)


def test_the_status_filter_shows_only_overdue_cases(qtbot, desk, sessions, expired, acted):
    page = findings_page(qtbot, sessions["manager"])
    assert {c.subject_label("en") for c in staff_cases(page)} == {"孙丽华", "赵强"}
    page.status_box.setCurrentIndex(page.status_box.findData("overdue"))   # the user picks "Overdue"
    shown = [page.case_model.rows[r] for r in range(page.case_model.rowCount())]
    assert shown and all(c.overdue for c in shown)
    assert [c.subject_label("en") for c in staff_cases(page)] == ["孙丽华"]
    assert status_cell(page, shown[0]) == "● Overdue"   # symbol and word, not colour alone
    assert page.count_label.text().startswith(f"{len(shown)} of {len(page.case_model.all)} cases")
    page.status_box.setCurrentIndex(page.status_box.findData("acted"))
    assert [c.subject_label("en") for c in staff_cases(page)] == ["赵强"]
    assert status_cell(page, staff_cases(page)[0]) == "◑ Acted, to verify"


def test_recording_an_action_from_the_form_moves_the_case_to_acted(qtbot, desk, sessions, expired, tmp_path):
    page = findings_page(qtbot, sessions["manager"])
    [case] = staff_cases(page)
    select(qtbot, page, case)
    assert "孙丽华" in page.detail.summary.text() and page.detail.occurrences.rowCount() == 4
    qtbot.mouseClick(page.action_button, Qt.MouseButton.LeftButton)   # Record action…
    form = page.case_form
    assert form.isVisible() and "STF-HEALTH" in form.about.text()
    assert form.action.currentData() == "off_duty"   # the rule's usual action comes first
    assert form.responsible.text() == sessions["manager"].user.display_name
    form.action.setCurrentIndex(form.action.findData("other"))   # "Other" without saying what
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    message = form.messages["details"]
    qtbot.waitUntil(lambda: message.isVisible(), timeout=WAIT)
    assert "say what was done" in message.text() and form.isVisible()
    form.action.setCurrentIndex(form.action.findData("off_duty"))
    form.details.setPlainText("调离岗位，安排补办健康证")
    (tmp_path / "empty.png").write_bytes(b"")
    photo = tmp_path / "renewed.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#f4efe2"))
    image.save(str(photo))
    assert form.add_files([tmp_path / "empty.png", photo]) == 1   # the empty file is refused at once
    assert "empty.png is empty" in form.messages["attachment"].text()
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    [case] = staff_cases(page)
    assert case.status == "acted" and status_cell(page, case) == "◑ Acted, to verify"
    assert page.current_case_id() == case.id and page.detail.actions.rowCount() == 1
    assert page.detail.actions.item(0, 1).text() == "Taken off duty"
    assert page.detail.actions.item(0, 4).text() == "1"   # the photo is kept with the action


def test_the_recorder_cannot_verify_but_the_director_can(qtbot, desk, sessions, expired, clock, monkeypatch):
    from ui.forms import dialogs
    [case] = [c for c in read_cases.cases(sessions["doctor"], DAYS[0], DAYS[-1]) if c.rule == "STF-HEALTH"]
    clock.at(DAYS[-1], 9)
    cases.record_action(sessions["doctor"], case.id, "off_duty", "李医生", "调离岗位")   # the doctor acted herself
    monkeypatch.setattr(dialogs.SignDialog, "ask", classmethod(lambda cls, parent, summary, meanings:
                                                               (meanings[0][0], "demo", True)))
    monkeypatch.setattr("ui.pages.findings.show_error", lambda parent, exc: None)
    page = findings_page(qtbot, sessions["doctor"])
    select(qtbot, page, staff_cases(page)[0])
    assert page.verify_button.isVisible() and page.verify_button.isEnabled()
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)   # Verify…, password typed
    qtbot.waitUntil(lambda: "someone other than" in page.case_message.text(), timeout=WAIT)
    assert staff_cases(page)[0].status == "acted"
    clock.at(DAYS[-1], 17)
    page = findings_page(qtbot, sessions["director"])
    select(qtbot, page, staff_cases(page)[0])
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    [case] = staff_cases(page)
    assert case.status == "verified" and status_cell(page, case) == "✔ Verified"
    assert page.case_model.index(page.case_model.row_of(case.id), 8).data().startswith(
        sessions["director"].user.display_name)
    assert not page.verify_button.isEnabled() and not page.action_button.isEnabled()  # closed


def test_the_day_close_asks_why_cases_are_open_and_signs_with_the_reason(qtbot, desk, sessions, expired,
                                                                         monkeypatch):
    from ui.forms import dialogs
    from ui.main_window import MainWindow
    doctor = sessions["doctor"]
    inspection = records.create(doctor, "inspections", {"day": DAYS[-1], "inspector": "李医生",
                                                        "checklist": {"environment": True}})
    asked = []
    monkeypatch.setattr(dialogs.SignDialog, "ask", classmethod(lambda cls, parent, summary, meanings:
                                                               ("inspected", "demo", True)))
    monkeypatch.setattr(dialogs.ReasonDialog, "ask", classmethod(lambda cls, parent, title, prompt:
                                                                 (asked.append(prompt) or "孙丽华已调离，明日补证", True)))
    win = MainWindow(doctor)
    qtbot.addWidget(win)
    win.show()
    today = win.page("today")
    qtbot.waitUntil(lambda: today.check("inspection") is not None, timeout=WAIT)
    today.activate("inspection")   # Today's card: inspected, not yet signed → straight to the signature
    page = win.pages["records:inspections"]
    qtbot.waitUntil(lambda: page.signature_state.text() == "Signed — locked", timeout=WAIT)
    assert len(asked) == 1 and "have no verified corrective action" in asked[0] and "孙丽华" in asked[0]
    entry = AuditEntry.get(AuditEntry.action == "close-with-open-cases")
    assert entry.reason == "孙丽华已调离，明日补证" and entry.record_id == inspection.id


def test_today_lists_an_overdue_case_first_and_opens_it_on_the_findings_page(qtbot, desk, sessions, expired,
                                                                             acted):
    from ui.main_window import MainWindow
    win = MainWindow(sessions["manager"])
    qtbot.addWidget(win)
    win.show()
    today = win.page("today")
    qtbot.waitUntil(lambda: bool(today.open_cases), timeout=WAIT)
    first, *rest = [today.case_list.item(n).text() for n in range(today.case_list.count())]
    assert first.startswith("● Overdue") and "孙丽华" in first and "3 d old" in first
    assert any(t.startswith("◑ Acted, to verify") and "赵强" in t for t in rest)
    with qtbot.waitSignal(today.open_case, timeout=WAIT) as opened:
        today.case_list.itemDoubleClicked.emit(today.case_list.item(0))   # the user double-clicks it
    findings = win.pages["findings"]
    assert win.stack.currentWidget() is findings
    qtbot.waitUntil(lambda: findings.current_case_id() == opened.args[0], timeout=WAIT)
    assert "孙丽华" in findings.detail.summary.text()
