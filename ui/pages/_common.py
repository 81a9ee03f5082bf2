"""Small pieces the Today, findings, ledger, admin and audit pages share.

States and severities are shown by colour, symbol and word together, so nothing depends on
colour alone; money, dates and numbers follow the locale of the language in force.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import QLabel, QWidget

from canteen.errors import CanteenError
from canteen.read import kinds
from canteen.timeutil import to_local
from ui import i18n

# colour, symbol; the word comes from state_word()
STATE_LOOK = {
    "done": ("#2e7d32", "✔"),
    "missing": ("#a15c00", "…"),
    "violation": ("#c62828", "✖"),
    "not_applicable": ("#6b6b6b", "–"),
}
# Symbols the desk's fonts all have (DejaVu, WenQuanYi): "⛔" drew as an empty box.
SEVERITY_LOOK = {
    "block": ("#8e0000", "⊘"),
    "violation": ("#c62828", "✖"),
    "warning": ("#a15c00", "⚠"),
    "reminder": ("#1565c0", "ℹ"),
}


class Page(QWidget):
    """What the shell expects of a page: built from a session, `refresh()`-ed when shown again, and
    these signals, each connected by the main window for every page — a record to open (kind,
    id), a record type to show on a day (kind, day) or to add to on that day, a record to open
    and sign (kind, id), a case to show on the findings page (its id), a refresh done, one line
    for the status bar."""

    open_record = Signal(str, int)
    open_kind = Signal(str, object)
    add_kind = Signal(str, object)
    sign_record = Signal(str, int)
    open_case = Signal(str)
    loaded = Signal()
    status_message = Signal(str)
    day_closed = Signal(object, str)  # a signature closed this day; the signer's password (for the push, never kept)

    def refresh(self) -> None:
        """Read again what the page shows (on returning to it, or from File ▸ Refresh)."""


def state_word(state: str) -> str:
    return {
        "done": QCoreApplication.translate("PageCommon", "Done"),
        "missing": QCoreApplication.translate("PageCommon", "Missing"),
        "violation": QCoreApplication.translate("PageCommon", "Violation"),
        "not_applicable": QCoreApplication.translate("PageCommon", "Not needed"),
    }.get(state, state)


def severity_word(severity: str) -> str:
    return {
        "block": QCoreApplication.translate("PageCommon", "Block"),
        "violation": QCoreApplication.translate("PageCommon", "Violation"),
        "warning": QCoreApplication.translate("PageCommon", "Warning"),
        "reminder": QCoreApplication.translate("PageCommon", "Reminder"),
    }.get(severity, severity)


# ---- dates, numbers, money -----------------------------------------------------------------------

def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def fmt_date(day: dt.date | None, long: bool = False) -> str:
    if day is None:
        return ""
    loc = i18n.locale()
    fmt = loc.FormatType.LongFormat if long else loc.FormatType.ShortFormat
    return loc.toString(to_qdate(day), fmt)


def fmt_datetime(moment: dt.datetime | None, tz: str | None = None, seconds: bool = False) -> str:
    """A stored UTC moment as local wall-clock time (or a local one as it is, when tz is None)."""
    if moment is None:
        return ""
    local = to_local(moment, tz) if tz else moment
    qdt = QDateTime(to_qdate(local.date()), QTime(local.hour, local.minute, local.second))
    loc = i18n.locale()
    date_part = loc.toString(qdt.date(), loc.FormatType.ShortFormat)
    time_part = qdt.time().toString("HH:mm:ss" if seconds else "HH:mm")
    return f"{date_part} {time_part}"


def fmt_int(value: int | None) -> str:
    return "" if value is None else i18n.locale().toString(int(value))


def fmt_money(fen: int | None, symbol: bool = True) -> str:
    """Integer fen as yuan with two places, grouped by the locale; exact (no floats)."""
    if fen is None:
        return "—"
    loc = i18n.locale()
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    text = f"{loc.toString(yuan)}{loc.decimalPoint()}{cents:02d}"
    return f"{sign}¥{text}" if symbol else f"{sign}{text}"


# ---- records and errors ----------------------------------------------------------------------

def kind_label(kind: str) -> str:
    """A record type, users, settings or the canteen by name in the language in force."""
    return kinds.kind_label(kind, i18n.language())


def error_text(exc: BaseException) -> str:
    if isinstance(exc, CanteenError):
        return exc.text(i18n.language())
    return QCoreApplication.translate("PageCommon", "Something went wrong: %1").replace("%1", str(exc) or type(exc).__name__)


def name_widget(widget: QWidget, object_name: str, accessible: str) -> QWidget:
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible)
    return widget


def heading(text: str, object_name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(object_name)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
