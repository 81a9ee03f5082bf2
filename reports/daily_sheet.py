"""The daily sheet: one day's records on one or two pages, for the doctor's review and the wall.

It ends with the signature block (the day's inspection signatures, or empty lines to sign by
hand) and the audit-chain head, so a printed sheet can later be matched to the database.
"""

from __future__ import annotations

import datetime as dt
import os

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from canteen.integrity import chain
from canteen.integrity.signatures import meaning_label
from canteen.read import kinds
from canteen.read.admin import site_info
from canteen.read.cases import LOOKBACK
from canteen.read.documents import day_cases, day_records
from canteen.read.pushes import last_receipt
from canteen.read.rows import RecordRow, signature_summaries
from canteen.rules import evaluate
from canteen.rules.catalogue import RULES, SEVERITY_LABELS

from .base import CHANGED_BG, GRID, Cancel, Progress, Renderer, RenderResult, export_document, exported_result
from .recordview import RecordFormatter, layout_for, row_marks

WEEKDAYS = "一二三四五六日"


class DailySheetRenderer(Renderer):
    pagesize = A4
    base_size = 7.5
    margins = (12 * mm, 12 * mm, 14 * mm, 13 * mm)

    def __init__(self, session, day: dt.date, progress: Progress | None = None, cancel: Cancel | None = None):
        super().__init__(site_info(session), progress, cancel)
        self.session, self.day = session, day
        self.title = f"每日记录 {day:%Y-%m-%d}"
        self.formatter = RecordFormatter(session, self.site.timezone, self.font)
        self.head = chain.head(session.site_id)
        self.receipt = last_receipt(session)

    def facts(self) -> dict:
        return {"chain_head": str(self.head)}

    def styles(self) -> dict:
        styles = super().styles()
        styles["h2"].fontSize, styles["h2"].leading, styles["h2"].spaceBefore = 9, 12, 3
        styles["title"].spaceAfter = 2
        return styles

    def story(self) -> list:
        story = [self.p(f"{self.site.name} 食品安全每日记录", "title"),
                 self.p(f"{self.day:%Y年%m月%d日} 星期{WEEKDAYS[self.day.weekday()]}"
                        f"　·　{self.site.school}", "body")]
        inspections = []
        for kind in kinds.kinds_in_order():
            if kinds.record_type(kind).event == "none":
                continue
            rows = day_records(self.session, kind, self.day)
            if kind == "inspections":
                inspections = rows
            if rows:
                story += self.kind_table(kind, rows)
        story += self.findings()
        story += self.open_cases()
        story += self.signature_block(inspections)
        return story

    def kind_table(self, kind: str, rows: list[RecordRow]) -> list:
        rtype = kinds.record_type(kind)
        layout = layout_for(rtype, self.formatter, self.frame_width, self.base_size - 1.5, marks_weight=1.4,
                            one_day=True, records=rows)
        states = signature_summaries(self.session, kind, [r.id for r in rows])
        widths, size = layout.widths, self.base_size - 1.5
        body, styles = [], []
        for i, record in enumerate(rows):
            marks = row_marks(record, states.get(record.id), self.site.timezone)
            body.append([self.wrap_text(c.cell(record), w) for c, w in zip(layout.columns[:-1], widths)]
                        + [self.wrap_text("\n".join(marks.text), widths[-1])])
            if marks.background is not None:
                styles.append((i, "BACKGROUND", marks.background))
        header = [self.wrap_text(h, w) for h, w in zip(layout.header, widths)]
        return [self.p(f"{rtype.zh}（{len(rows)} 条）", "h2")] + self.table(header, body, widths, styles, size)

    def findings(self) -> list:
        found = evaluate(self.site_id, self.day, self.day)
        if not found:
            return [self.p("规则检查：当日未发现问题。", "h2")]
        lines = [f"[{SEVERITY_LABELS[f.severity][1]}] {f.rule}：{f.message_zh}（{f.source_zh}）" for f in found]
        return [self.p(f"规则检查发现问题（{len(found)} 条）", "h2")] + [self.p(line, "small") for line in lines]

    def open_cases(self) -> list:
        """The day's cases not yet verified, then the overdue ones from earlier days, with their
        age on the sheet's day: what the doctor's evening round still has to follow up."""
        todays, earlier = day_cases(self.session, self.day)
        if not todays and not earlier:
            return [self.p("未结整改案件：无。Open cases: none.", "h2")]
        weights = [1.7, 3.2, 1.0, 0.7, 1.2, 1.1]
        widths = [self.frame_width * w / sum(weights) for w in weights]
        header = ["规则\nRule", "对象与说明\nSubject", "首次发现\nFirst day", "已历\nAge", "状态\nStatus",
                  "整改期限\nDue by"]
        rows, styles = [], []
        for i, case in enumerate(todays + earlier):
            age = case.age_days(self.day)
            cells = [f"{case.rule}\n{RULES[case.rule].zh}", f"{case.subject_label('zh')}：{case.message('zh')}",
                     case.first_day.isoformat(), "当天" if age == 0 else f"{age} 天",
                     f"{case.status_label('zh')}\n{case.status_label('en')}", f"{self.last_day(case.due)} 止"]
            rows.append([self.wrap_text(c, w) for c, w in zip(cells, widths)])
            if case.overdue:
                styles.append((i, "BACKGROUND", CHANGED_BG))
        title = (f"未结整改案件 Open cases（当日 {len(todays)} 件，此前 {LOOKBACK} 天内逾期 {len(earlier)} 件；"
                 "状态截至打印时）")
        return [self.p(title, "h2")] + self.table([self.wrap_text(h, w) for h, w in zip(header, widths)], rows,
                                                  widths, styles)

    def signature_block(self, inspections: list[RecordRow]) -> list:
        states = signature_summaries(self.session, "inspections", [r.id for r in inspections])
        signed = []
        for record in inspections:
            state = states.get(record.id)
            for sig in (state.signatures if state else []):
                when = self.local(sig.signed_at)
                note = "" if sig.record_version == record.version else "（签名后已修改，需重新签名）"
                signed.append([f"{meaning_label(sig.meaning, 'zh')}：{sig.signer_name}", when, note])
        rows = signed or [["校医（签字）：", "日期：", ""], ["总务主任（签字）：", "日期：", ""]]
        table = Table(rows, colWidths=[self.frame_width * 0.4, self.frame_width * 0.3, self.frame_width * 0.3],
                      rowHeights=[9 * mm] * len(rows),
                      style=TableStyle([("FONT", (0, 0), (-1, -1), self.font, 9),
                                        ("LINEBELOW", (0, 0), (-1, -1), 0.5, GRID),
                                        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                        ("TEXTCOLOR", (2, 0), (2, -1), colors.Color(0.6, 0.2, 0.0))]))
        return [Spacer(1, 4 * mm), self.p("签名 Signatures", "h2"), table, Spacer(1, 3 * mm),
                self.p(f"审计链头（打印时）：第 {self.head.seq} 条 {self.head.hash}", "small"),
                *self.receipt_line(),
                self.p(f"打印时间：{self.local(self.generated_at)}", "small")]

    def receipt_line(self) -> list:
        """The district's last receipt: up to where the district holds this chain (issue 12)."""
        if self.receipt is None:
            return []
        r = self.receipt
        return [self.p(f"区县回执 District receipt：{r.district} 已收至第 {r.seq} 条 {r.head}"
                       f"（{self.local(r.received_at)}）", "small")]


def export_daily_sheet(session, day: dt.date, path: str | os.PathLike, progress: Progress | None = None,
                       cancel: Cancel | None = None) -> RenderResult:
    """Write one day's sheet to `path` through the core's one export pipeline."""
    _renderer, exported = export_document(
        session, "daily-sheet", lambda: DailySheetRenderer(session, day, progress, cancel), path, day, day, cancel)
    return exported_result(exported)
