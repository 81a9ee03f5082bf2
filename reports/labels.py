"""Labels for the day's retained samples (留样标签): several per A4 page, to cut and stick on the
sealed boxes, each with dish, meal, sampled at, keep until and sampler."""

from __future__ import annotations

import datetime as dt
import os
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from canteen.read.admin import site_info
from canteen.read.documents import day_records
from canteen.read.kinds import MEALS
from canteen.read.rows import RecordRow

from .base import GRID, Cancel, Progress, Renderer, RenderResult, export_document, exported_result

COLUMNS, LABEL_HEIGHT = 2, 42 * mm
MEAL_ZH = {value: zh for value, _en, zh in MEALS}


class SampleLabelsRenderer(Renderer):
    base_size = 9.0
    margins = (12 * mm, 12 * mm, 14 * mm, 12 * mm)

    def __init__(self, session, day: dt.date, progress: Progress | None = None, cancel: Cancel | None = None):
        super().__init__(site_info(session), progress, cancel)
        self.session, self.day = session, day
        self.title = f"留样标签 {day:%Y-%m-%d}"

    def styles(self) -> dict:
        styles = super().styles()
        styles["dish"] = ParagraphStyle("dish", parent=styles["body"], fontSize=15, leading=20)
        return styles

    def samples(self) -> list[RecordRow]:
        return day_records(self.session, "samples", self.day, standing_only=True)

    def label(self, sample: RecordRow) -> list:
        meal = MEAL_ZH.get(sample.get("meal"), sample.get("meal"))
        keep = self.local(sample.get("keep_until"), "%m月%d日 %H:%M") if sample.get("keep_until") else ""
        lines = [
            f"<font size=8>留样标签 · {escape(self.site.name)}</font>",
            None,
            f"餐次：{sample.get('served_on'):%Y-%m-%d} {meal}　重量：{sample.get('weight_g')} 克",
            f"留样时间：{self.local(sample.occurred_at, '%m月%d日 %H:%M')}",
            f"留存至：<b>{keep}</b>",
            f"留样人：{escape(sample.get('sampler'))}　冰箱：{escape(sample.get('fridge') or '')}　编号：{sample.id}",
        ]
        return [self.p(sample.get("dish"), "dish") if line is None else self.p(line, markup=True) for line in lines]

    def story(self) -> list:
        samples = self.samples()
        if not samples:
            return [self.p(f"{self.day:%Y-%m-%d} 没有留样记录。No retained samples on this day.", "h1")]
        cells = [self.label(s) for s in samples]
        cells += [""] * (-len(cells) % COLUMNS)
        rows = [cells[i:i + COLUMNS] for i in range(0, len(cells), COLUMNS)]
        width = self.frame_width / COLUMNS
        style = TableStyle([("FONT", (0, 0), (-1, -1), self.font, 9), ("BOX", (0, 0), (-1, -1), 0.6, GRID),
                            ("INNERGRID", (0, 0), (-1, -1), 0.6, GRID),
                            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm)])
        return [Table(rows, colWidths=[width] * COLUMNS, rowHeights=[LABEL_HEIGHT] * len(rows), style=style)]


def export_sample_labels(session, day: dt.date, path: str | os.PathLike, progress: Progress | None = None,
                         cancel: Cancel | None = None) -> RenderResult:
    """Write the labels of the day's retained samples to `path` through the core's one export pipeline."""
    _renderer, exported = export_document(
        session, "sample-labels", lambda: SampleLabelsRenderer(session, day, progress, cancel), path, day, day,
        cancel)
    return exported_result(exported)
