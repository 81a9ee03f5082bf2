"""The renderer every document builds on: fonts, styles, page decorations and story are hooks.

A document subclasses Renderer and supplies `story()`; it may override `register_fonts()`,
`styles()`, `header_text()`, `decorate()`, `draw_deferred()`, `finish()` or `facts()`. A document
leaves the program through `export_document`, which hands the renderer to the core's one export
pipeline (permission, a temporary file beside the target, the audit entry, the rename), so a
cancelled, failed or killed export never leaves an unrecorded PDF under the user's chosen name. Pages are numbered
"第 x 页 / 共 y 页" in one layout pass: the total is a form XObject drawn on every page and
defined once, at the end, when the count is known.
"""

from __future__ import annotations

import abc
import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import TimeStamp
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.tables import CellStyle

from canteen.errors import Cancelled
from canteen.fieldtypes import yuan
from canteen.read.admin import SiteInfo
from canteen.services.export_pipeline import Exported, export_file
from canteen.timeutil import to_local, utcnow

from . import fonts

Progress = Callable[[int, int], None]  # (done, total)
Cancel = Callable[[], bool]
CHUNK_ROWS = 600  # ReportLab's table cost grows faster than its rows: lay long tables out in chunks
GRID = colors.Color(0.55, 0.55, 0.55)
HEAD_BG = colors.Color(0.88, 0.91, 0.95)
VOID_BG = colors.Color(0.93, 0.93, 0.93)
CHANGED_BG = colors.Color(1.0, 0.93, 0.75)
LATE_BG = colors.Color(0.9, 0.95, 1.0)


@dataclass
class RenderResult:
    pages: int
    path: Path
    sha256: str = ""  # of the file as recorded in the audit trail


class _Canvas(Canvas):
    """A canvas that lets the renderer draw the deferred forms (page total, contents) before saving."""

    before_save: Callable[["_Canvas"], None] | None = None

    def save(self):
        if self.before_save:
            self.before_save(self)
        super().save()


class Marker(Flowable):
    """A zero-size flowable whose passage reports progress and lets a cancel take effect."""

    def __init__(self, rows: int = 0, bookmark: tuple[str, str, int] | None = None):
        super().__init__()
        self.rows, self.bookmark = rows, bookmark
        self.width = self.height = 0

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        pass


class ContentsPage(Flowable):
    """Holds a page for the table of contents; the renderer draws it there as a deferred form."""

    def wrap(self, avail_width, avail_height):
        return avail_width, avail_height - 1

    def draw(self):
        pass


class _Doc(BaseDocTemplate):
    def __init__(self, renderer: "Renderer", filename: str, **kw):
        self.renderer = renderer
        super().__init__(filename, **kw)

    def afterFlowable(self, flowable):
        self.renderer.after_flowable(self.canv, flowable)

    def beforeDocument(self):
        """The PDF's own creation date is the program's clock, like the date printed on the pages
        (ReportLab would read the computer's clock, and the two would disagree under CANTEEN_CLOCK)."""
        self.canv._doc._timeStamp = clock_stamp(self.renderer.generated_at)


def clock_stamp(when: dt.datetime) -> TimeStamp:
    """A ReportLab time stamp (what the Info dictionary's dates are written from) for a naive UTC time."""
    stamp = TimeStamp(invariant=True)
    stamp.t = when.replace(tzinfo=dt.timezone.utc).timestamp()
    stamp.lt = time.gmtime(stamp.t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"
    return stamp


class Renderer(abc.ABC):
    """One kind of document. Subclasses give the story; the base gives everything around it."""

    pagesize = A4
    margins = (14 * mm, 14 * mm, 16 * mm, 14 * mm)  # left, right, top, bottom
    base_size = 9.0
    title = ""
    subject = ""

    def __init__(self, site: SiteInfo, progress: Progress | None = None, cancel: Cancel | None = None):
        self.site = site
        self.site_id = site.id
        self.progress, self.cancel = progress, cancel
        self.font = self.register_fonts()
        self.style = self.styles()
        self.rows_done, self.rows_total = 0, 0
        self.contents: list[tuple[int, str, int]] = []  # (level, title, page)
        self.generated_at = utcnow()
        self._char_widths: dict[str, float] = {}  # width of each character at 1 pt
        self._keys: list[str] = []  # bookmark names given out so far

    # ---- hooks -----------------------------------------------------------------------------

    @abc.abstractmethod
    def story(self) -> list[Flowable]:
        """The flowables of the document."""

    def register_fonts(self) -> str:
        """Register the document's font and return its name: the site's Chinese TrueType font."""
        return fonts.cjk_font(self.site_id).name

    def styles(self) -> dict[str, ParagraphStyle]:
        """Paragraph styles, all in the embedded Chinese font (no fallback to Helvetica)."""
        size, font = self.base_size, self.font
        body = ParagraphStyle("body", fontName=font, fontSize=size, leading=size * 1.35, wordWrap="CJK")
        return {
            "body": body,
            "small": ParagraphStyle("small", parent=body, fontSize=size - 1.5, leading=(size - 1.5) * 1.3),
            "title": ParagraphStyle("title", parent=body, fontSize=size * 2, leading=size * 2.6,
                                    alignment=TA_CENTER, spaceAfter=size),
            "h1": ParagraphStyle("h1", parent=body, fontSize=size + 5, leading=(size + 5) * 1.4,
                                 spaceBefore=size * 0.6, spaceAfter=size * 0.5, textColor=colors.Color(0.1, 0.2, 0.4)),
            "h2": ParagraphStyle("h2", parent=body, fontSize=size + 2, leading=(size + 2) * 1.4,
                                 spaceBefore=size * 0.5, spaceAfter=size * 0.3),
        }

    def header_text(self) -> str:
        return f"{self.site.school} · {self.site.name}"

    def decorate(self, canvas: Canvas, page: int) -> None:
        """Header with the canteen, footer with the page number and the (deferred) page total."""
        width, height = self.pagesize
        left, right, top, bottom = self.margins
        canvas.saveState()
        canvas.setFont(self.font, 8)
        canvas.setFillColor(colors.Color(0.3, 0.3, 0.3))
        canvas.drawString(left, height - top + 5 * mm, self.header_text())
        canvas.drawRightString(width - right, height - top + 5 * mm, self.title)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.line(left, height - top + 3.5 * mm, width - right, height - top + 3.5 * mm)
        canvas.drawRightString(width / 2 - 2, bottom - 7 * mm, f"第 {page} 页")
        canvas.doForm("page_total")
        canvas.restoreState()

    def finish(self, path: Path) -> None:
        """Work on the complete temporary file before it is recorded and renamed into place (embedding, metadata)."""

    def facts(self) -> dict:
        """What the export's audit entry records about this document besides its pages (hashes, chain head)."""
        return {}

    # ---- helpers for stories ---------------------------------------------------------------

    def p(self, text: str, style: str = "body", markup: bool = False) -> Paragraph:
        """A paragraph of plain text (record data may hold "<" or "&"), or of ReportLab markup."""
        return Paragraph(text if markup else escape(text), self.style[style])

    def section(self, title: str, level: int = 0, style: str | None = None) -> list[Flowable]:
        """A heading that is also a PDF bookmark and a line of the contents."""
        key = f"s{len(self._keys)}"
        self._keys.append(key)
        room = CondPageBreak(30 * mm)  # a heading never sits alone at the foot of a page
        return [room, Marker(bookmark=(key, title, level)), self.p(title, style or ("h1" if level == 0 else "h2"))]

    def table(self, header: list[str], rows: list[list[str]], widths: list[float],
              row_styles: Iterable[tuple] = (), size: float | None = None) -> list[Flowable]:
        """A data table with its header repeated on each page, cut into chunks for speed.

        Font, alignment and padding are the same in every cell, so the cells share one
        ReportLab `CellStyle` that already holds them (`cellStyles=`) instead of each getting
        its own and six commands setting it — the same page, without ~6 style calls per cell.
        A row with commands of its own (`row_styles`: a colour, a background) gets a copy of
        that style shared by its cells only, which ReportLab's commands then change."""
        size = size or self.base_size - 1.5
        cell = shared_cell_style(self.font, size)
        base = [("GRID", (0, 0), (-1, -1), 0.3, GRID), ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG)]
        by_row: dict[int, list[tuple]] = {}
        for command in row_styles:  # (row index in `rows`, command name, value)
            by_row.setdefault(command[0], []).append(command[1:])
        out: list[Flowable] = []
        for start in range(0, max(len(rows), 1), CHUNK_ROWS):
            chunk = rows[start:start + CHUNK_ROWS]
            extra = [(name, (0, i + 1), (-1, i + 1), value)
                     for i in range(len(chunk)) for name, value in by_row.get(start + i, ())]
            styles = [[cell] * len(widths)] + [
                [CellStyle(f"row {start + i}", cell)] * len(widths) if start + i in by_row else [cell] * len(widths)
                for i in range(len(chunk))]
            out.append(Table([header] + chunk, colWidths=widths, repeatRows=1, style=TableStyle(base + extra),
                             cellStyles=styles))
            out.append(Marker(rows=len(chunk)))
        return out

    def wrap_text(self, text: str, width: float, size: float | None = None) -> str:
        """Break text (Chinese has no spaces) so that each line fits `width` points."""
        size = size or self.base_size - 1.5
        width -= 4  # cell padding
        if "\n" not in text and len(text) * size <= width:  # no glyph is wider than 1 em: fits unmeasured
            return text
        widths = self._char_widths
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for char in paragraph:
                w = widths.get(char)
                if w is None:
                    w = widths[char] = stringWidth(char, self.font, 1000) / 1000
                if (used + w) * size > width and line:
                    keep = line_break(line, char)
                    lines.append(line[:keep])
                    line = line[keep:]
                    used = sum(widths[c] for c in line)
                    if char == " " and not line:  # the space a line was broken at starts no line
                        continue
                line += char
                used += w
            lines.append(line)
        return "\n".join(lines)

    def local(self, moment: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        return to_local(moment, self.site.timezone).strftime(fmt) if moment else ""

    def last_day(self, deadline: dt.datetime) -> str:
        """A deadline at local midnight as the day it ends ("2026-03-02" for 2026-03-03 00:00): a
        canteen reads "by the end of Monday", not "by Tuesday 00:00"."""
        return (to_local(deadline, self.site.timezone) - dt.timedelta(seconds=1)).strftime("%Y-%m-%d")

    # ---- the machinery ---------------------------------------------------------------------

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - self.margins[0] - self.margins[1]

    def after_flowable(self, canvas: Canvas, flowable: Flowable) -> None:
        if not isinstance(flowable, Marker):
            return
        if flowable.bookmark:
            key, title, level = flowable.bookmark
            canvas.bookmarkPage(key)
            canvas.addOutlineEntry(title, key, level=level)
            self.contents.append((level, title, canvas.getPageNumber()))
        if flowable.rows:
            self.rows_done += flowable.rows
            if self.progress:
                self.progress(self.rows_done, max(self.rows_total, self.rows_done))
        self.check_cancel()

    def check_cancel(self) -> None:
        if self.cancel and self.cancel():
            raise Cancelled("Export cancelled; nothing was written.", "导出已取消，未写入任何内容。")

    def _on_page(self, canvas: Canvas, doc) -> None:
        self.check_cancel()
        self.decorate(canvas, canvas.getPageNumber())

    def _before_save(self, canvas: Canvas) -> None:
        self.pages = canvas.getPageNumber() - 1
        width, _height = self.pagesize
        canvas.beginForm("page_total")
        canvas.setFont(self.font, 8)
        canvas.setFillColor(colors.Color(0.3, 0.3, 0.3))
        canvas.drawString(width / 2 + 2, self.margins[3] - 7 * mm, f"/ 共 {self.pages} 页")
        canvas.endForm()
        self.draw_deferred(canvas)

    def draw_deferred(self, canvas: Canvas) -> None:
        """Define any other forms the pages referred to (the archive's contents)."""

    def render(self, path: str | os.PathLike) -> RenderResult:
        """Lay out the story into `path` (the pipeline's temporary file) and let `finish` complete it."""
        path = Path(path)
        self._build(path)
        self.finish(path)
        return RenderResult(self.pages, path)

    def _build(self, temp: Path) -> None:
        left, right, top, bottom = self.margins
        doc = _Doc(self, str(temp), pagesize=self.pagesize, leftMargin=left, rightMargin=right,
                   topMargin=top, bottomMargin=bottom, title=self.title, subject=self.subject,
                   author=self.site.school, creator="canteen-log", initialFontName=self.font,
                   lang="zh-CN")
        frame = Frame(left, bottom, self.frame_width, self.pagesize[1] - top - bottom, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate("page", [frame], onPage=self._on_page, pagesize=self.pagesize)])
        story = self.story()

        def make_canvas(*args, **kw):
            canvas = _Canvas(*args, **kw)
            canvas.before_save = self._before_save
            return canvas
        doc.build(story, canvasmaker=make_canvas)


NO_LINE_START = frozenset("，。、；：？！）》」』】,.;:?!)%")


def line_break(line: str, char: str) -> int:
    """Where a full line is cut before `char`: a Chinese comma or full stop never starts a line
    (the character before it goes down with it), and a run of Latin text (a word, "7 °C",
    "2026-03-02") is not split when the line holds a space to break at."""
    cut = len(line)
    if char in NO_LINE_START and cut > 1:
        cut -= 1
    after = line[cut] if cut < len(line) else char
    if _latin(line[cut - 1]) and _latin(after):
        space = line.rfind(" ", 0, cut)
        while space > 0 and line[space + 1:space + 2] == "°":  # "7 °C" stays together
            space = line.rfind(" ", 0, space)
        if space >= len(line) // 3:
            cut = space + 1
    return cut


def _latin(char: str) -> bool:
    """Part of a word that is not Chinese: letters, digits, units and signs before the CJK blocks."""
    return not char.isspace() and ord(char) < 0x2E80


def shared_cell_style(font: str, size: float) -> CellStyle:
    """What the commands FONT (font, size, 1.2 × size), VALIGN TOP and the paddings 2, 2, 1.5, 2
    make of a cell's style: the look of every cell of a data table."""
    cell = CellStyle("cell")
    cell.fontname, cell.fontsize, cell.leading = font, size, size * 1.2
    cell.valign = "TOP"
    cell.leftPadding, cell.rightPadding, cell.topPadding, cell.bottomPadding = 2, 2, 1.5, 2
    return cell


def export_document(session, document: str, make: Callable[[], Renderer], path: str | os.PathLike,
                    start: dt.date, end: dt.date, cancel: Cancel | None = None) -> tuple[Renderer, Exported]:
    """Hand a document to the core's export pipeline. `make` builds the renderer only once the
    user's right to export is checked (a renderer reads the database as it is built)."""
    made: list[Renderer] = []

    def render(part: Path) -> dict:
        made.append(make())
        return {"pages": made[0].render(part).pages, **made[0].facts()}
    exported = export_file(session, document, path, render, start=start, end=end, cancel=cancel)
    return made[0], exported


def exported_result(exported: Exported) -> RenderResult:
    return RenderResult(exported.facts["pages"], exported.path, exported.sha256)


def fen(amount: int | None) -> str:
    """Integer fen as yuan with two places, e.g. 123456 → 1,234.56."""
    return "" if amount is None else yuan(amount)
