"""Labels for the day's retained samples (留样标签): several per A4 page, to cut and stick on the
sealed boxes, each with dish, meal, sampled at, keep until and sampler."""

from __future__ import annotations

import datetime as dt
import os
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from canteen.fields import MEALS
from canteen.models import RetainedSample

from .base import GRID, Cancel, Progress, RenderResult, Renderer, export_document, exported_result

COLUMNS, LABEL_HEIGHT = 2, 42 * mm
MEAL_ZH = {value: zh for value, _en, zh in MEALS}


class SampleLabelsRenderer(Renderer):
    base_size = 9.0
    margins = (12 * mm, 12 * mm, 14 * mm, 12 * mm)

    def __init__(self, site_id: int, day: dt.date, progress: Progress | None = None, cancel: Cancel | None = None):
        super().__init__(site_id, progress, cancel)
        self.day = day
        self.title = f"留样标签 {day:%Y-%m-%d}"

    def styles(self) -> dict:
        styles = super().styles()
        styles["dish"] = ParagraphStyle("dish", parent=styles["body"], fontSize=15, leading=20)
        return styles

    def samples(self) -> list[RetainedSample]:
        model = RetainedSample
        return list(model.live().where((model.site == self.site_id) & (model.day == self.day))
                    .order_by(model.occurred_at, model.id))

    def label(self, sample: RetainedSample) -> list:
        meal = MEAL_ZH.get(sample.meal, sample.meal)
        keep = self.local(sample.keep_until, "%m月%d日 %H:%M") if sample.keep_until else ""
        lines = [
            f"<font size=8>留样标签 · {escape(self.site.name)}</font>",
            None,
            f"餐次：{sample.served_on:%Y-%m-%d} {meal}　重量：{sample.weight_g} 克",
            f"留样时间：{self.local(sample.occurred_at, '%m月%d日 %H:%M')}",
            f"留存至：<b>{keep}</b>",
            f"留样人：{escape(sample.sampler)}　冰箱：{escape(sample.fridge or '')}　编号：{sample.id}",
        ]
        return [self.p(sample.dish, "dish") if line is None else self.p(line, markup=True) for line in lines]

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
        session, "sample-labels", lambda: SampleLabelsRenderer(session.site.id, day, progress, cancel), path, day, day,
        cancel)
    return exported_result(exported)
