"""The district summary (区县食堂汇总): one page of totals, then one line per canteen for a period —
its records, findings by severity, open and overdue cases, its last push (stale after the
district's allowed time without one; flagged when a push of a differing history was refused) and
its audit chain's head.

An education bureau files this after an inspection round: the totals answer "how is the district
doing", the lines "which canteen needs a visit", and each chain head lets anyone prove later
that the canteen's records of the period were not changed afterwards (`canteen verify --site`).
"""

from __future__ import annotations

import datetime as dt
import os
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak

from canteen.read.district import DistrictSummary, district_info, district_summary
from canteen.read.findings import SEVERITIES
from canteen.read.pushes import Freshness

from .base import Cancel, Progress, Renderer, RenderResult, export_document, exported_result

STALE_COLOUR, FLAG_COLOUR = "#a15c00", "#c62828"
FLAGGED_ROW = colors.HexColor("#fbe3e3")
SEVERITY_WORDS = {"block": ("禁止", "Block"), "violation": ("违规", "Violation"), "warning": ("警告", "Warning"),
                  "reminder": ("提醒", "Reminder")}


def both(zh: str, en: str) -> str:
    return f"{zh} {en}"


class DistrictSummaryRenderer(Renderer):
    pagesize = landscape(A4)
    base_size = 9.0

    def __init__(self, session, start: dt.date, end: dt.date, progress: Progress | None = None,
                 cancel: Cancel | None = None):
        super().__init__(district_info(session), progress, cancel)
        self.session, self.start, self.end = session, start, end
        self.title = f"区县食堂汇总 District summary {start:%Y-%m-%d} – {end:%Y-%m-%d}"
        self.summary: DistrictSummary | None = None

    def header_text(self) -> str:
        return self.site.name

    def data(self) -> DistrictSummary:
        if self.summary is None:
            report = None if self.progress is None else (lambda done, total, _name: self.progress(done, total))
            self.summary = district_summary(self.session, self.start, self.end, progress=report)
        return self.summary

    def story(self) -> list:
        summary = self.data()
        return [*self.totals_page(summary), PageBreak(), *self.lines(summary)]

    def totals_page(self, summary: DistrictSummary) -> list:
        findings = summary.findings
        rows = [[both("食堂", "Canteens"), str(len(summary.lines))],
                [both("记录", "Records"), str(summary.records)],
                *[[both(*SEVERITY_WORDS[s]), str(findings[s])] for s in SEVERITIES],
                [both("有违规的食堂", "Canteens with violations"), str(summary.canteens_with_violations)],
                [both("待整改问题", "Open cases"), str(summary.open_cases)],
                [both("逾期未整改", "Overdue cases"), str(summary.overdue_cases)],
                [both("上报超时的食堂", "Canteens stale (no push in the allowed time)"), str(summary.stale_canteens)],
                [both("历史不一致被标记的食堂", "Canteens flagged (history differs)"), str(summary.flagged_canteens)]]
        made = self.local(summary.made_at)
        return [self.p(f"{summary.district} 食堂食品安全汇总", "title"),
                self.p(f"District food-safety summary · {summary.start:%Y-%m-%d} – {summary.end:%Y-%m-%d}", "h2"),
                self.p(f"统计期间 Period: {summary.start:%Y-%m-%d} – {summary.end:%Y-%m-%d}　"
                       f"生成时间 Made: {made}"),
                *self.section(both("合计", "Totals")),
                *self.table([both("项目", "Item"), both("数量", "Number")], rows, [110 * mm, 40 * mm], size=10)]

    def lines(self, summary: DistrictSummary) -> list:
        words = [("食堂", "Canteen"), ("记录", "Records"), *[SEVERITY_WORDS[s] for s in SEVERITIES], ("待整改", "Open"),
                 ("逾期", "Overdue"), ("最近上报", "Last push"), ("审计链头", "Chain head")]
        header = [self.p(f"{escape(zh)}<br/>{escape(en)}", "small", markup=True) for zh, en in words]
        rows = [[line.canteen.name, str(line.records), *[str(line.findings[s]) for s in SEVERITIES],
                 str(line.open_cases), str(line.overdue_cases), self.push_cell(line.push),
                 self.p(f"{line.chain_head.seq}:{line.chain_head.hash}", "small")] for line in summary.lines]
        flagged = [(n, "BACKGROUND", FLAGGED_ROW) for n, line in enumerate(summary.lines)
                   if line.push is not None and line.push.flagged]
        widths = [38 * mm, 15 * mm, 14 * mm, 16 * mm, 15 * mm, 16 * mm, 15 * mm, 14 * mm, 55 * mm, 71 * mm]
        return [*self.section(both("各食堂", "Each canteen")),
                self.p("审计链头可用 canteen verify --site 食堂 --anchor 序号:哈希 核对。"
                       "A chain head is checked with 'canteen verify --site CANTEEN --anchor SEQ:HASH'.", "small"),
                self.p(f"最近上报：区县收到该食堂上报的最近时间（{self.local(summary.made_at)} 时的状态）；"
                       "超时：超过规定时限（push_stale_hours）未上报；历史不一致：一次上报因与区县已收到的历史不符被拒收，"
                       "已收到的数据未被改动。Last push: when the district last received the canteen's push; "
                       "stale: none within the allowed time; history differs: a push was refused because it "
                       "rewrote what the district had received (nothing received was changed).", "small"),
                *self.table(header, rows, widths, row_styles=flagged)]

    def push_cell(self, push: Freshness | None):
        """The last push, marked stale and flagged in words and colour (the PDF may be printed in grey)."""
        if push is None or not push.enrolled:
            return self.p("区县直接录入 Written here (no push)", "small")
        hours = int(push.stale_after.total_seconds() // 3600)
        when = self.local(push.last_at) if push.last_at else "从未上报 never pushed"
        parts = [escape(f"{when} · 序号 seq {push.last_seq}" if push.last_at else when)]
        if push.stale:
            parts.insert(0, f'<font color="{STALE_COLOUR}">【超时 Stale: &gt; {hours} h】</font>')
        if push.flagged:
            parts.append(f'<font color="{FLAG_COLOUR}">【历史不一致 History differs】 '
                         f'序号 seq {push.flag_seq} · 拒收于 refused {escape(self.local(push.flagged_at))}</font>')
        return self.p("<br/>".join(parts), "small", markup=True)

    def facts(self) -> dict:
        summary = self.data()
        return {"canteens": len(summary.lines),
                "chain_heads": {line.canteen.name: str(line.chain_head) for line in summary.lines},
                "stale": [line.canteen.name for line in summary.lines if line.push is not None and line.push.stale],
                "flagged": [line.canteen.name for line in summary.lines if line.push is not None and line.push.flagged]}


def export_district_summary(session, start: dt.date, end: dt.date, path: str | os.PathLike,
                            progress: Progress | None = None, cancel: Cancel | None = None) -> RenderResult:
    """Write the district summary of start..end to `path` through the core's one export pipeline."""
    _renderer, exported = export_document(
        session, "district-summary", lambda: DistrictSummaryRenderer(session, start, end, progress, cancel), path,
        start, end, cancel)
    return exported_result(exported)
