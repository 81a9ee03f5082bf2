"""The monthly ledger disclosure (伙食费收支公示): the page a school posts for parents.

Income by source, cost by category, surplus and its rate, cost per diner-day, a chart of each
day's cost and diners, and the director's sign-off (the approving signature of the month's
ledger close, or an empty line to sign by hand). Figures come from canteen.ledger, in fen.
"""

from __future__ import annotations

import datetime as dt
import os

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from canteen.integrity.signatures import meaning_label
from canteen.ledger import INCOME_SOURCES, OTHER_COSTS, MonthSummary, month_summary
from canteen.read.admin import site_info
from canteen.read.documents import month_close
from canteen.read.kinds import CATEGORIES

from .base import GRID, HEAD_BG, Cancel, Progress, Renderer, RenderResult, export_document, exported_result, fen

CATEGORY_ZH = {value: zh for value, _en, zh in CATEGORIES}
INCOME_ZH = {name: zh for name, _c, _en, zh in INCOME_SOURCES}
OTHER_ZH = {name: zh for name, _c, _en, zh in OTHER_COSTS}
BAR = colors.Color(0.35, 0.55, 0.8)
LINE = colors.Color(0.85, 0.4, 0.1)


class DisclosureRenderer(Renderer):
    base_size = 10.0

    def __init__(self, session, year: int, month: int, progress: Progress | None = None,
                 cancel: Cancel | None = None):
        super().__init__(site_info(session), progress, cancel)
        self.session, self.year, self.month = session, year, month
        self.summary: MonthSummary = month_summary(self.site_id, year, month)
        self.title = f"伙食费收支公示 {year}年{month}月"

    def story(self) -> list:
        s = self.summary
        return [
            self.p(f"{self.site.name} {self.year}年{self.month}月伙食费收支公示", "title"),
            self.p(f"公示期间：{s.first_day:%Y-%m-%d} 至 {s.last_day:%Y-%m-%d}　金额单位：元", "body"),
            Spacer(1, 3 * mm),
            self.money_tables(),
            Spacer(1, 3 * mm),
            self.totals(),
            Spacer(1, 4 * mm),
            self.p("每日伙食成本与就餐人数 Daily cost and diners", "h2"),
            self.chart(),
            Spacer(1, 4 * mm),
        ] + self.sign_off()

    def _money(self, title: str, items: list[tuple[str, int]], total_label: str, total: int) -> Table:
        rows = [[title, "金额（元）"]] + [[label, fen(value)] for label, value in items] + [[total_label, fen(total)]]
        width = self.frame_width / 2 - 4 * mm
        return Table(rows, colWidths=[width * 0.6, width * 0.4], style=TableStyle([
            ("FONT", (0, 0), (-1, -1), self.font, 10, 14), ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG), ("BACKGROUND", (0, -1), (-1, -1), HEAD_BG),
            ("ALIGN", (1, 0), (1, -1), "RIGHT")]))

    def money_tables(self) -> Table:
        s = self.summary
        income = [(INCOME_ZH.get(k, k), v) for k, v in s.income_by_source.items()]
        costs = [(CATEGORY_ZH.get(k, k), v) for k, v in sorted(s.food_cost_by_category.items(),
                                                               key=lambda kv: -kv[1])]
        costs += [(f"{OTHER_ZH.get(k, k)}（计入成本）", v) for k, v in s.other_cost_by_kind.items()]
        left = self._money("收入来源", income or [("（无）", 0)], "收入合计", s.income_total)
        right = self._money("支出类别", costs or [("（无）", 0)], "支出合计", s.cost_total)
        return Table([[left, right]], colWidths=[self.frame_width / 2] * 2,
                     style=TableStyle([("FONT", (0, 0), (-1, -1), self.font, 9),  # flowable cells: no Helvetica
                                       ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))

    def totals(self) -> Table:
        s = self.summary
        rate = "—" if s.surplus_rate is None else f"{s.surplus_rate}%"
        per = "—" if s.cost_per_diner_day is None else fen(s.cost_per_diner_day)
        rows = [["结余（元）", fen(s.surplus), "结余率", rate],
                ["就餐人日数", f"{s.diner_days:,}", "人日均成本（元）", per]]
        if s.other_cost_not_counted:
            note = "、".join(f"{OTHER_ZH.get(k, k)} {fen(v)}" for k, v in s.other_cost_not_counted.items() if v)
            if note:
                rows.append(["未计入成本的支出", note, "", ""])
        quarter = self.frame_width / 4
        style = TableStyle([("FONT", (0, 0), (-1, -1), self.font, 10, 14), ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                            ("BACKGROUND", (0, 0), (0, -1), HEAD_BG), ("BACKGROUND", (2, 0), (2, 1), HEAD_BG),
                            ("ALIGN", (1, 0), (1, 1), "RIGHT"), ("ALIGN", (3, 0), (3, 1), "RIGHT")])
        if len(rows) == 3:
            style.add("SPAN", (1, 2), (3, 2))
        return Table(rows, colWidths=[quarter] * 4, style=style)

    def chart(self) -> Drawing:
        """Bars of each day's cost (yuan), a line of diners on its own scale at the right."""
        days = self.summary.days
        width, height = self.frame_width, 70 * mm
        drawing = Drawing(width, height)
        drawing.initialFontName = self.font  # the renderer's starting font, else Times-Roman is referenced
        if not days:
            drawing.add(String(width / 2, height / 2, "本月无账目", fontName=self.font, fontSize=10, textAnchor="middle"))
            return drawing
        bars = VerticalBarChart()
        bars.x, bars.y, bars.width, bars.height = 40, 25, width - 80, height - 45
        bars.data = [[d.cost / 100 for d in days]]
        bars.categoryAxis.categoryNames = [f"{d.day.day}" for d in days]
        bars.bars[0].fillColor = BAR
        bars.valueAxis.valueMin = 0
        for axis in (bars.categoryAxis, bars.valueAxis):
            axis.labels.fontName, axis.labels.fontSize = self.font, 7
        drawing.add(bars)
        line = LinePlot()
        line.x, line.y, line.width, line.height = bars.x, bars.y, bars.width, bars.height
        line.data = [[(i + 0.5, d.diners) for i, d in enumerate(days)]]
        line.xValueAxis.valueMin, line.xValueAxis.valueMax = 0, len(days)
        line.xValueAxis.visible = False
        line.yValueAxis.valueMin = 0
        line.yValueAxis.joinAxisMode = "right"
        line.yValueAxis.labels.boxAnchor, line.yValueAxis.labels.dx = "w", 4  # outside the plot, not over bars
        line.yValueAxis.tickLeft, line.yValueAxis.tickRight = 0, 3
        line.yValueAxis.labels.fontName, line.yValueAxis.labels.fontSize = self.font, 7
        line.xValueAxis.labels.fontName = line.lineLabels.fontName = bars.barLabels.fontName = self.font
        line.lines[0].strokeColor, line.lines[0].strokeWidth = LINE, 1.5
        drawing.add(line)
        drawing.add(String(bars.x, height - 12, "■ 当日成本（元，左轴）", fontName=self.font, fontSize=8, fillColor=BAR))
        drawing.add(String(width - 40, height - 12, "— 就餐人数（右轴）", fontName=self.font, fontSize=8,
                           fillColor=LINE, textAnchor="end"))
        return drawing

    def sign_off(self) -> list:
        close, state = month_close(self.session, self.year, self.month)
        approved = []
        if close is not None:
            approved = [s for s in state.signatures if s.meaning == "approved" and s.record_version == close.version]
        if approved:
            sig = approved[-1]
            line = [f"总务主任{meaning_label(sig.meaning, 'zh')}：{sig.signer_name}", f"日期：{self.local(sig.signed_at)}"]
        else:
            line = ["总务主任（签字）：", "日期："]
        rows = [["食堂管理员（制表）：", "日期："], line]
        table = Table(rows, colWidths=[self.frame_width * 0.55, self.frame_width * 0.45], rowHeights=[10 * mm] * 2,
                      style=TableStyle([("FONT", (0, 0), (-1, -1), self.font, 10),
                                        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                        ("LINEBELOW", (0, 0), (-1, -1), 0.5, GRID)]))
        return [table, Spacer(1, 4 * mm),
                self.p("食堂实行非营利性经营，伙食费专款专用。如有疑问，请向学校总务处反映。", "small")]


def export_disclosure(session, year: int, month: int, path: str | os.PathLike, progress: Progress | None = None,
                      cancel: Cancel | None = None) -> RenderResult:
    """Write the month's disclosure page to `path` through the core's one export pipeline."""
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    _renderer, exported = export_document(
        session, "disclosure", lambda: DisclosureRenderer(session, year, month, progress, cancel), path,
        first, last, cancel)
    return exported_result(exported)
