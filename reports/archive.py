"""The inspection archive: everything of a period as one PDF an auditor can read and check.

The records of the period are embedded in the PDF as `records.json` (canonical JSON, the same
spelling the audit chain hashes), and the SHA-256 of that file is printed on the cover, so
`verify_archive.check_archive` can prove that the printed pages, the embedded file and the
database still agree.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, KeepTogether, PageBreak, Spacer, Table, TableStyle

from canteen.db import current
from canteen.integrity import chain
from canteen.integrity.canonical import dumps, sha256_hex, snapshot
from canteen.integrity.signatures import meaning_label
from canteen.models import REGISTRY, Attachment, AuditEntry, Record
from canteen.models.records import GROUPS
from canteen.rules import evaluate
from canteen.rules.catalogue import SEVERITIES, SEVERITY_LABELS
from canteen.timeutil import day_bounds_utc, to_local
from canteen.vocabulary import action_label

from . import pdfa
from .base import GRID, HEAD_BG, Cancel, ContentsPage, Progress, Renderer, export_document
from .recordview import RecordFormatter, layout_for, row_marks, signature_states_for

ATTACHMENT_NAME = "records.json"
FORMAT = 1
HASH_LABEL = "嵌入记录文件 SHA-256 / Embedded records SHA-256"
CERT_KINDS = ("certificates", "health-certificates")


@dataclass
class ArchiveResult:
    pages: int
    path: Path
    records_sha256: str
    chain_head: chain.ChainHead
    sha256: str = ""  # of the PDF as recorded in the audit trail


def kinds_in_order() -> list[str]:
    """Record types grouped as the program's navigation groups them."""
    order = [g[0] for g in GROUPS]
    return sorted(REGISTRY, key=lambda k: (order.index(REGISTRY[k].GROUP) if REGISTRY[k].GROUP in order else 99,
                                           list(REGISTRY).index(k)))


def period_query(model: type[Record], site_id: int, start: dt.date, end: dt.date):
    """The records an archive of the period holds: events of the period (voided ones too), the
    closes of the months it touches, and all master data (suppliers, certificates, staff)."""
    query = model.select().where(model.site == site_id)
    if model.KIND == "ledger-months":  # dated on the month's first day: take every month the period touches
        query = query.where((model.day >= start.replace(day=1)) & (model.day <= end))
    elif model.EVENT != "none":
        query = query.where((model.day >= start) & (model.day <= end))
    return query.order_by(model.occurred_at, model.id)


@dataclass
class ArchiveData:
    """Everything read from the database for one archive, read once."""

    records: dict[str, list[Record]] = field(default_factory=dict)
    states: dict[str, dict] = field(default_factory=dict)
    findings: list = field(default_factory=list)
    audit: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    head: chain.ChainHead | None = None
    json_bytes: bytes = b""
    sha256: str = ""


def collect(site, start: dt.date, end: dt.date, generated_by: str, generated_at: dt.datetime) -> ArchiveData:
    """Read the period in one transaction, so the records, the findings and the chain head printed on the
    cover are one consistent state even while others keep writing (SQLite WAL gives the reader a snapshot)."""
    with current().atomic():
        return _collect(site, start, end, generated_by, generated_at)


def _collect(site, start: dt.date, end: dt.date, generated_by: str, generated_at: dt.datetime) -> ArchiveData:
    data = ArchiveData(head=chain.head())
    for kind in kinds_in_order():
        rows = list(period_query(REGISTRY[kind], site.id, start, end))
        data.records[kind] = rows
        data.states[kind] = signature_states_for(kind, [r.id for r in rows])
    data.findings = evaluate(site.id, start, end)
    lo, _ = day_bounds_utc(start, site.timezone)
    _, hi = day_bounds_utc(end, site.timezone)
    columns = (AuditEntry.seq, AuditEntry.at, AuditEntry.username, AuditEntry.action, AuditEntry.record_kind,
               AuditEntry.record_id, AuditEntry.record_version, AuditEntry.reason, AuditEntry.hash)
    data.audit = list(AuditEntry.select(*columns).where((AuditEntry.site_id == site.id) & (AuditEntry.at >= lo)
                                                & (AuditEntry.at < hi) & (AuditEntry.seq <= data.head.seq))
                      .order_by(AuditEntry.seq))
    cert_ids = {(k, r.id) for k in CERT_KINDS for r in data.records[k]}
    data.attachments = [a for a in Attachment.select().where((Attachment.site == site.id)
                                                             & (Attachment.record_kind.in_(CERT_KINDS))
                                                             & (Attachment.voided == False))  # noqa: E712
                        .order_by(Attachment.record_kind, Attachment.record_id, Attachment.id)
                        if (a.record_kind, a.record_id) in cert_ids]
    document = records_document(site, start, end, generated_by, generated_at, data)
    data.json_bytes = dumps(document).encode("utf-8")
    data.sha256 = sha256_hex(data.json_bytes)
    return data


def records_document(site, start, end, generated_by, generated_at, data: ArchiveData) -> dict:
    """The embedded file: each record in the canonical form its audit entry hashes."""
    signatures = []
    for kind, states in data.states.items():
        for record_id, state in states.items():
            signatures += [{"kind": kind, "id": record_id, "version": s.record_version, "meaning": s.meaning,
                            "signer_name": s.signer_name, "signed_at": s.signed_at,
                            "content_sha256": s.content_sha256} for s in state.signatures]
    return {
        "format": FORMAT, "document": "canteen-inspection-archive",
        "site": {"id": site.id, "name": site.name, "school": site.school, "licence_no": site.licence_no},
        "period": {"start": start, "end": end},
        "generated_at": generated_at, "generated_by": generated_by,
        "chain_head": {"seq": data.head.seq, "hash": data.head.hash},
        "records": {kind: [snapshot(r) for r in rows] for kind, rows in data.records.items()},
        "signatures": signatures,
        "attachments": [{"kind": a.record_kind, "id": a.record_id, "filename": a.filename, "sha256": a.sha256}
                        for a in data.attachments],
        "findings": [f.as_json() for f in data.findings],
    }


class ArchiveRenderer(Renderer):
    pagesize = landscape(A4)
    base_size = 9.0

    def __init__(self, site_id: int, start: dt.date, end: dt.date, generated_by: str,
                 progress: Progress | None = None, cancel: Cancel | None = None):
        super().__init__(site_id, progress, cancel)
        self.start, self.end, self.generated_by = start, end, generated_by
        self.title = f"食品安全检查档案 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}"
        self.subject = f"Inspection archive {start} – {end}"
        self.data = collect(self.site, start, end, generated_by, self.generated_at)
        self.formatter = RecordFormatter(site_id, self.site.timezone, self.font)
        for rows in self.data.records.values():
            self.formatter.remember(rows)
        self.rows_total = (sum(len(v) for v in self.data.records.values()) + len(self.data.findings)
                           + len(self.data.audit))

    def header_text(self) -> str:
        return f"{self.site.school} · {self.site.name} · {self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    # ---- story -----------------------------------------------------------------------------

    def story(self) -> list:
        story = self.cover() + [PageBreak(), ContentsPage(), PageBreak()]
        for kind in kinds_in_order():
            self.check_cancel()
            story += self.record_section(kind)
        story += self.findings_section()
        story += self.certificates_section()
        story += self.audit_section()
        return story

    def cover(self) -> list:
        site, data = self.site, self.data
        facts = [
            ("学校 School", site.school), ("食堂 Canteen", site.name),
            ("食品经营许可证号 Licence no.", site.licence_no or "—"),
            ("期间 Period", f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"),
            ("生成人 Generated by", self.generated_by),
            ("生成时间 Generated at", self.local(self.generated_at, "%Y-%m-%d %H:%M:%S")),
            ("审计链头 Audit chain head", f"第 {data.head.seq} 条 / seq {data.head.seq}\n{data.head.hash}"),
            (HASH_LABEL, f"{data.sha256}"),
        ]
        severities = {s: 0 for s in SEVERITIES}
        for finding in data.findings:
            severities[finding.severity] += 1
        findings = [(f"{SEVERITY_LABELS[s][1]} {SEVERITY_LABELS[s][0]}", str(n)) for s, n in severities.items()]
        left = self._pairs(facts + [("发现问题 Findings", "")] + findings, [125, 315])
        counts = [["记录类型 Record type", "记录数", "作废", "补录"]]
        for kind in kinds_in_order():
            rows = data.records[kind]
            model = REGISTRY[kind]
            counts.append([f"{model.ZH} {model.EN}", str(len(rows)), str(sum(r.voided for r in rows)),
                           str(sum(bool(r.late_reason) for r in rows))])
        right = Table(counts, colWidths=[190, 40, 30, 30], style=self._grid_style(7.5, header=True))
        body = Table([[left, right]], colWidths=[450, self.frame_width - 450],
                     style=TableStyle([("FONT", (0, 0), (-1, -1), self.font, 9),  # flowable cells: no Helvetica
                                       ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        intro = ("本档案由系统按数据库记录生成。期间内全部记录以 records.json 附件形式嵌入本文件，其 SHA-256 印于本页，"
                 "可用 <font face='%s'>canteen verify --archive</font> 核对档案与数据库是否一致。" % self.font)
        name = site.name if site.school in site.name else f"{site.school}{site.name}"
        return [self.p(name, "title"), self.p("食品安全检查档案 Inspection archive", "title"),
                body, Spacer(1, 4 * mm), self.p(intro, "small", markup=True)]

    def _pairs(self, pairs, widths) -> Table:
        rows = [[self.wrap_text(label, widths[0], 8), self.wrap_text(value, widths[1], 8)] for label, value in pairs]
        style = self._grid_style(8)
        for i, (label, value) in enumerate(pairs):
            if not value and label.startswith("发现"):
                style.add("BACKGROUND", (0, i), (-1, i), HEAD_BG)
        return Table(rows, colWidths=widths, style=style)

    def _grid_style(self, size: float, header: bool = False) -> TableStyle:
        commands = [("FONT", (0, 0), (-1, -1), self.font, size, size * 1.25), ("GRID", (0, 0), (-1, -1), 0.3, GRID),
                    ("VALIGN", (0, 0), (-1, -1), "TOP")]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_BG))
        return TableStyle(commands)

    def record_section(self, kind: str) -> list:
        model = REGISTRY[kind]
        rows = self.data.records[kind]
        out = self.section(f"{model.ZH} {model.EN}（{len(rows)} 条）")
        if not rows:
            return out + [self.p("本期无记录。No records in this period.")]
        layout = layout_for(model, self.formatter, self.frame_width, self.base_size - 1.5, records=rows)
        states = self.data.states[kind]
        body, styles = [], []
        wrap, widths, cells = self.wrap_text, layout.widths, [c.cell for c in layout.columns[:-1]]
        for i, record in enumerate(rows):
            marks = row_marks(record, states.get(record.id), self.site.timezone)
            line = [wrap(cell(record), w) for cell, w in zip(cells, widths)]
            line.append(wrap("\n".join(marks.text), widths[-1]))
            body.append(line)
            if marks.background is not None:
                styles.append((i, "BACKGROUND", marks.background))
            if record.voided:
                styles.append((i, "TEXTCOLOR", colors.Color(0.45, 0.45, 0.45)))
        header = [wrap(h, w) for h, w in zip(layout.header, widths)]
        return out + self.table(header, body, widths, styles)

    def findings_section(self) -> list:
        out = self.section(f"发现问题 Findings（{len(self.data.findings)} 条）")
        if not self.data.findings:
            return out + [self.p("本期规则检查未发现问题。No findings in this period.")]
        weights = [0.9, 0.6, 1.1, 1.3, 4.0, 2.6]
        widths = [self.frame_width * w / sum(weights) for w in weights]
        rows = []
        for f in self.data.findings:
            where = f"{REGISTRY[f.record_kind].ZH} #{f.record_id}" if f.record_kind in REGISTRY and f.record_id else (
                REGISTRY[f.record_kind].ZH if f.record_kind in REGISTRY else f.record_kind)
            cells = [f.day.isoformat(), SEVERITY_LABELS[f.severity][1], f.rule, where, f.message_zh, f.source_zh]
            rows.append([self.wrap_text(c, w) for c, w in zip(cells, widths)])
        return out + self.table(["日期", "级别", "规则", "记录", "说明", "依据"], rows, widths)

    def certificates_section(self) -> list:
        out = self.section(f"证照扫描件 Certificate scans（{len(self.data.attachments)} 份）")
        if not self.data.attachments:
            return out + [self.p("没有上传的证照扫描件。No scans were attached to certificates.")]
        scans = [self._scan(attachment) for attachment in self.data.attachments]
        return out[:-2] + [KeepTogether(out[-2:] + scans[0])] + [KeepTogether(scan) for scan in scans[1:]]

    def _scan(self, attachment: Attachment) -> list:
        model = REGISTRY[attachment.record_kind]
        record = model.get_by_id(attachment.record_id)
        owner = self.formatter.value(record, model.field_spec("supplier" if model.KIND == "certificates" else "staff"))
        expires = getattr(record, "expires_on", None)
        caption = (f"{model.ZH} #{record.id} · {owner} · 编号 {record.number} · 有效期至 {expires or '—'} · "
                   f"{attachment.filename} · SHA-256 {attachment.sha256}")
        parts = [self.p(caption, "small")]
        try:
            reader = ImageReader(io.BytesIO(bytes(attachment.data)))
            width, height = reader.getSize()
            scale = min(self.frame_width * 0.6 / width, 120 * mm / height, 1.0 if width > 600 else 3.0)
            parts.append(Image(io.BytesIO(bytes(attachment.data)), width * scale, height * scale, hAlign="LEFT"))
        except Exception:  # not an image ReportLab can read (e.g. a PDF scan): say so, keep its hash
            parts.append(self.p(f"（{attachment.mime} 文件，无法作为图像显示；内容哈希见上）", "small"))
        parts.append(Spacer(1, 3 * mm))
        return parts

    def audit_section(self) -> list:
        entries = self.data.audit
        out = [PageBreak()] + self.section(f"附录：审计记录 Appendix: audit trail（{len(entries)} 条）")
        if not entries:
            return out + [self.p("本期无审计记录。")]
        weights = [0.55, 1.05, 0.8, 0.6, 1.0, 0.5, 0.4, 1.6, 4.2]  # the hash column holds 64 hex digits
        widths = [self.frame_width * w / sum(weights) for w in weights]
        rows = []
        tz, wrap = self.site.timezone, self.wrap_text
        for e in entries:  # only the free-text columns are measured; the others fit by their widths
            kind = REGISTRY[e.record_kind].ZH if e.record_kind in REGISTRY else e.record_kind
            rows.append([str(e.seq), f"{to_local(e.at, tz):%Y-%m-%d %H:%M:%S}", wrap(e.username, widths[2]),
                         action_label(e.action, "zh"), wrap(kind, widths[4]),
                         "" if e.record_id is None else str(e.record_id),
                         "" if e.record_version is None else str(e.record_version),
                         wrap(meaning_label(e.reason, "zh") if e.action == "sign" else e.reason or "", widths[7]),
                         e.hash])
        header = ["序号", "时间", "用户", "操作", "记录类型", "编号", "版本", "原因", "哈希 SHA-256"]
        return out + self.table(header, rows, widths)

    # ---- contents, deferred until every section's page is known ------------------------------

    def decorate(self, canvas, page: int) -> None:
        super().decorate(canvas, page)
        if page == 2:
            canvas.doForm("contents")

    def draw_deferred(self, canvas) -> None:
        width, height = self.pagesize
        left, right, top, _bottom = self.margins
        canvas.beginForm("contents")
        canvas.setFont(self.font, 16)
        y = height - top - 10 * mm
        canvas.drawString(left, y, "目录 Contents")
        y -= 10 * mm
        step = min(6.2 * mm, (y - 20 * mm) / max(len(self.contents), 1))
        for level, title, page in self.contents:
            canvas.setFont(self.font, 10)
            x = left + level * 8 * mm
            canvas.drawString(x, y, title)
            canvas.drawRightString(width - right, y, str(page))
            canvas.setDash(1, 2)
            canvas.setStrokeColor(GRID)
            canvas.line(x + canvas.stringWidth(title, self.font, 10) + 3, y + 1, width - right - 25, y + 1)
            canvas.setDash()
            y -= step
        canvas.endForm()

    def facts(self) -> dict:
        return {"records_sha256": self.data.sha256, "chain_head": str(self.data.head)}

    def finish(self, path: Path) -> None:
        pdfa.complete(path, attachment=(ATTACHMENT_NAME, self.data.json_bytes,
                                        "Records of the period (canonical JSON); its SHA-256 is on the cover"),
                      when=self.generated_at)


def export_archive(session, start: dt.date, end: dt.date, path: str | os.PathLike,
                   progress: Progress | None = None, cancel: Cancel | None = None) -> ArchiveResult:
    """Write the inspection archive of start..end to `path` as the session's user, through the core's
    one export pipeline (permission, temporary file, audit entry, rename)."""
    renderer, exported = export_document(
        session, "archive",
        lambda: ArchiveRenderer(session.site.id, start, end, session.user.display_name, progress, cancel),
        path, start, end, cancel)
    return ArchiveResult(exported.facts["pages"], exported.path, renderer.data.sha256, renderer.data.head,
                         exported.sha256)
