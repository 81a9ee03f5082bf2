"""PDF documents: built from a small known database, then read back with pypdf.

What goes in is checked by what comes out: every record of the period with its key fields,
Chinese that extracts as Chinese, page totals that agree, embedded fonts, the embedded JSON
whose hash is on the cover, and archives that fail verification once tampered with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader, PdfWriter

from canteen import settings
from canteen.errors import Cancelled, CanteenError
from canteen.integrity.canonical import dumps
from canteen.services import records
from canteen.services.attachments import add_attachment
from canteen.services.signing import sign_record
from canteen.timeutil import to_utc
from reports import fonts
from reports.archive import ATTACHMENT_NAME, export_archive
from reports.daily_sheet import export_daily_sheet
from reports.disclosure import export_disclosure
from reports.labels import export_sample_labels
from reports.verify_archive import check_archive

DAY1, DAY2 = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
NOW = dt.datetime(2026, 3, 3, 20, 0)  # local wall clock of every session in these tests


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


@pytest.fixture
def canteen(sessions):
    """A small canteen's two days: deliveries (one late), a menu, samples, staff, inspections
    (one signed, one changed after signing), a voided record, a ledger day and a signed month close."""
    for session in sessions.values():
        session.clock = lambda: to_utc(NOW)
    m, doctor, director = sessions["manager"], sessions["doctor"], sessions["director"]
    shop = records.create(m, "suppliers", {"name": "城关粮油店", "kind": "distributor", "address": "城关镇"})
    cert = records.create(m, "certificates", {"supplier": shop.id, "cert_type": "operation_licence",
                                              "number": "JY3430121", "issued_on": "2025-01-01",
                                              "expires_on": "2030-01-01"})
    scan = io.BytesIO()
    PILImage.new("RGB", (120, 80), (200, 220, 255)).save(scan, "PNG")
    add_attachment(m, "certificates", cert.id, "licence.png", scan.getvalue(), "image/png")
    rice = records.create(m, "deliveries", {
        "occurred_at": at(DAY1, 7), "item": "东北大米", "category": "grain", "quantity": "50", "unit": "kg",
        "supplier": shop.id, "batch_no": "RICE-0302", "result": "accepted", "receiver": "王芳",
        "unit_price_fen": 420, "amount_fen": 21000, "late_reason": "纸质记录补录"})
    oil = records.create(m, "deliveries", {
        "occurred_at": at(DAY2, 7), "item": "菜籽油", "category": "oil", "quantity": "10", "unit": "L",
        "supplier": shop.id, "batch_no": "OIL-0303", "result": "accepted", "receiver": "王芳", "amount_fen": 15000})
    records.create(m, "menus", {"day": DAY2, "meal": "lunch", "dishes": ["红烧肉", "炒青菜"], "diners_planned": 250})
    for dish, grams in (("红烧肉", "150"), ("炒青菜", "130")):
        records.create(m, "samples", {"occurred_at": at(DAY2, 11, 30), "dish": dish, "served_on": DAY2,
                                      "meal": "lunch", "weight_g": grams, "fridge": "留样冰箱1号",
                                      "storage_temp_c": "4", "sampler": "刘建国"})
    cook = records.create(m, "staff", {"name": "赵师傅", "post": "cook"})
    records.create(m, "health-certificates", {"staff": cook.id, "number": "JK-2026-01",
                                              "issued_on": "2026-01-05", "expires_on": "2027-01-04"})
    records.create(m, "morning-checks", {"day": DAY2, "staff": cook.id, "temperature_c": "36.5", "checker": "王芳"})
    waste = records.create(m, "waste", {"occurred_at": at(DAY2, 18), "kind": "food", "weight_kg": "12.5",
                                        "collector_unit": "城关环卫公司", "recorder": "王芳"})
    records.void(m, "waste", waste.id, "重复录入")
    records.create(m, "ledger", {"day": DAY2, "diners_students": 240, "diners_teachers": 12,
                                 "income_student_fen": 120000, "income_teacher_fen": 9600})
    checklist = {"environment": True, "samples": True}
    first = records.create(doctor, "inspections", {"day": DAY1, "inspector": "李医生", "checklist": checklist})
    sign_record(doctor, "inspections", first.id, "inspected", "demo")
    records.amend(doctor, "inspections", first.id, {"findings": "地面有积水"}, "补充发现问题")
    close = records.create(director, "ledger-months", {"day": DAY2, "month": "2026-03", "published": True})
    sign_record(director, "ledger-months", close.id, "approved", "demo")
    second = records.create(doctor, "inspections", {"day": DAY2, "inspector": "李医生", "checklist": checklist})
    sign_record(doctor, "inspections", second.id, "inspected", "demo",  # seals the day (日结)
                open_cases_reason="陪餐与消毒记录明日补录")
    return {"site": m.site, "manager": m, "rice": rice, "oil": oil, "waste": waste, "first": first}


@pytest.fixture
def auditor(canteen, sessions):
    """赵审核, who takes the documents out (every export is hers in the audit trail)."""
    return sessions["auditor"]


@pytest.fixture
def archive(auditor, tmp_path):
    path = tmp_path / "archive.pdf"
    result = export_archive(auditor, DAY1, DAY2, path)
    return result


def text_of(path) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(str(path))
    return reader, [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_archive_holds_every_record_of_the_period_with_its_marks(canteen, archive):
    _reader, pages = text_of(archive.path)
    body = flat("".join(pages))
    for key in ("东北大米", "RICE-0302", "菜籽油", "OIL-0303", "红烧肉", "炒青菜", "刘建国", "赵师傅", "JK-2026-01",
                "城关粮油店", "JY3430121", "城关环卫公司", "地面有积水"):
        assert key in body, key
    assert "【作废】重复录入" in body
    assert "【补录】纸质记录补录" in body
    assert "【签名后已修改，需重新签名】" in body
    assert "李医生检查2026-03-0320:00" in body  # printed name, meaning, local date-time
    for section in ("进货查验Deliveries", "留样Retainedsamples", "发现问题Findings", "附录：审计记录"):
        assert section in body


def test_chinese_extracts_as_chinese_and_pages_agree_with_the_footer(archive):
    reader, pages = text_of(archive.path)
    total = len(reader.pages)
    assert archive.pages == total
    assert "食品安全检查档案" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert f"第{number}页" in flat(text)
        assert f"共{total}页" in flat(text)


def _fonts(resources, seen: list) -> None:
    resources = resources.get_object() if resources is not None else {}
    for font in (resources.get("/Font") or {}).values():
        seen.append(font.get_object())
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            _fonts(xobject.get("/Resources"), seen)


@pytest.fixture(params=["archive", "daily sheet", "labels", "disclosure"])
def any_document(request, auditor, tmp_path):
    """Each document type, built from the same canteen."""
    out = tmp_path / "doc.pdf"
    build = {"archive": lambda: export_archive(auditor, DAY1, DAY2, out),
             "daily sheet": lambda: export_daily_sheet(auditor, DAY2, out),
             "labels": lambda: export_sample_labels(auditor, DAY2, out),
             "disclosure": lambda: export_disclosure(auditor, 2026, 3, out)}[request.param]
    return build()


def test_every_font_is_an_embedded_truetype_subset(any_document):
    reader = PdfReader(str(any_document.path))
    seen: list = []
    for page in reader.pages:
        _fonts(page.get("/Resources"), seen)
    assert seen
    for font in seen:
        assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]


def test_embedded_records_hash_is_on_the_cover_and_the_archive_verifies(canteen, archive):
    reader, pages = text_of(archive.path)
    data = reader.attachments[ATTACHMENT_NAME][0]
    assert hashlib.sha256(data).hexdigest() == archive.records_sha256
    assert archive.records_sha256 in flat(pages[0])
    assert f"{archive.chain_head.seq}" in pages[0] and archive.chain_head.hash in flat(pages[0])
    document = json.loads(data)
    kept = {r["id"] for r in document["records"]["deliveries"]}
    assert kept == {canteen["rice"].id, canteen["oil"].id}
    assert check_archive(archive.path) == []


def test_archive_is_tagged_towards_pdfa3(archive):
    reader = PdfReader(str(archive.path))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>3</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object().get_data()
    assert profile[36:40] == b"acsp" and int.from_bytes(profile[:4], "big") == len(profile)
    spec = root["/AF"][0].get_object()
    assert spec["/AFRelationship"] == "/Data" and spec["/UF"] == ATTACHMENT_NAME


def test_changed_embedded_json_fails_verification(canteen, archive, tmp_path):
    writer = PdfWriter(clone_from=str(archive.path))
    stream = writer._root_object["/AF"][0].get_object()["/EF"]["/F"].get_object()
    document = json.loads(stream.get_data())
    document["records"]["deliveries"][0]["item"] = "小米"
    stream.set_data(dumps(document).encode("utf-8"))  # canonical again: only the hash can tell
    tampered = tmp_path / "tampered.pdf"
    writer.write(str(tampered))
    problems = check_archive(tampered)
    assert any("cover shows" in p for p in problems)
    assert any(f"deliveries #{canteen['rice'].id}: differs from the database in item" in p for p in problems)


def test_changed_cover_hash_fails_verification(canteen, auditor, archive, tmp_path):
    m = canteen["manager"]
    records.create(m, "waste", {"occurred_at": at(DAY2, 19), "kind": "oil", "weight_kg": "3",
                                "collector_unit": "城关环卫公司", "recorder": "王芳", "late_reason": "漏记"})
    other = export_archive(auditor, DAY1, DAY2, tmp_path / "other.pdf")
    writer = PdfWriter(clone_from=str(archive.path))
    writer.insert_page(PdfReader(str(other.path)).pages[0], 0)  # the other archive's cover, hash and all
    writer.remove_page(1)
    tampered = tmp_path / "cover.pdf"
    writer.write(str(tampered))
    problems = check_archive(tampered)
    assert any(f"cover shows {other.records_sha256}" in p for p in problems)


def test_database_changed_after_export_is_reported(canteen, archive):
    records.amend(canteen["manager"], "deliveries", canteen["oil"].id, {"quantity": "12"}, "称重更正")
    problems = check_archive(archive.path)
    assert any(f"deliveries #{canteen['oil'].id}: differs from the database in quantity, version" in p
               for p in problems)


def test_cancelled_export_leaves_no_file(auditor, tmp_path):
    target = tmp_path / "out" / "archive.pdf"
    target.parent.mkdir()
    with pytest.raises(Cancelled):
        export_archive(auditor, DAY1, DAY2, target, cancel=lambda: True)
    assert not target.exists() and list(target.parent.iterdir()) == []


def test_progress_counts_up_to_every_row(auditor, tmp_path):
    seen = []
    export_archive(auditor, DAY1, DAY2, tmp_path / "a.pdf", progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1] and all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))


def test_daily_sheet_shows_the_day_signatures_and_chain_head(auditor, tmp_path):
    result = export_daily_sheet(auditor, DAY2, tmp_path / "day.pdf")
    reader, pages = text_of(result.path)
    body = flat("".join(pages))
    assert result.pages == len(reader.pages) <= 2
    for key in ("菜籽油", "OIL-0303", "红烧肉", "赵师傅", "检查：李医生", "审计链头", "【作废】重复录入"):
        assert key in body, key
    assert "东北大米" not in body  # the other day's delivery


def test_sample_labels_carry_dish_meal_times_and_sampler(auditor, tmp_path):
    result = export_sample_labels(auditor, DAY2, tmp_path / "labels.pdf")
    body = flat("".join(text_of(result.path)[1]))
    for key in ("红烧肉", "炒青菜", "2026-03-03午餐", "留样时间：03月03日11:30", "留存至：03月05日11:30", "留样人：刘建国"):
        assert key in body, key


def test_disclosure_shows_totals_and_the_directors_approval(auditor, tmp_path):
    result = export_disclosure(auditor, 2026, 3, tmp_path / "month.pdf")
    body = flat("".join(text_of(result.path)[1]))
    assert "伙食费收支公示" in body
    assert "1,296.00" in body  # income: 1,200.00 + 96.00 yuan
    assert "360.00" in body  # food cost: rice 210.00 + oil 150.00
    assert "总务主任批准：张主任" in body


def test_disclosure_without_approval_leaves_a_line_to_sign(auditor, tmp_path):
    result = export_disclosure(auditor, 2026, 2, tmp_path / "feb.pdf")
    assert "总务主任（签字）：" in flat("".join(text_of(result.path)[1]))


def test_missing_font_says_how_to_fix_it(site, monkeypatch):
    monkeypatch.setattr(fonts, "_registered", None)
    monkeypatch.setattr(fonts, "candidates", lambda configured="": [])
    with pytest.raises(CanteenError) as caught:
        fonts.cjk_font(site.id)
    assert "fonts-wqy-microhei" in caught.value.text("en") and "字体" in caught.value.text("zh")


def test_configured_font_that_cannot_be_embedded_is_named(site, tmp_path):
    fake = tmp_path / "NotoSansCJK.otf"
    fake.write_bytes(b"OTTO" + b"\0" * 64)  # an OpenType/CFF header, which ReportLab cannot embed
    settings.store(site.id, "pdf_font", str(fake))
    with pytest.raises(CanteenError) as caught:
        fonts.cjk_font(site.id)
    assert str(fake) in caught.value.text("en")


def test_record_text_is_printed_literally_not_as_markup(canteen, auditor, tmp_path):
    records.create(canteen["manager"], "samples", {
        "occurred_at": at(DAY2, 17, 30), "dish": "鱼<香>&肉丝", "served_on": DAY2, "meal": "dinner",
        "weight_g": "140", "sampler": "刘<建国>", "late_reason": "日结后补录"})
    body = flat("".join(text_of(export_sample_labels(auditor, DAY2, tmp_path / "l.pdf").path)[1]))
    assert "鱼<香>&肉丝" in body and "刘<建国>" in body


def test_a_file_that_is_not_an_archive_is_reported(site, tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    [problem] = check_archive(junk)
    assert "not a readable PDF" in problem


def test_only_roles_that_may_export_get_an_archive(canteen, sessions, tmp_path):
    from canteen.errors import PermissionDenied
    target = tmp_path / "a.pdf"
    with pytest.raises(PermissionDenied):
        export_archive(sessions["leader"], DAY1, DAY2, target)
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("canteen.db")] == []
    assert export_archive(sessions["auditor"], DAY1, DAY2, target).pages > 2


def test_every_document_numbers_its_pages_of_the_total(any_document):
    reader, pages = text_of(any_document.path)
    assert any_document.pages == len(reader.pages)
    for number, text in enumerate(pages, start=1):
        assert f"第{number}页" in flat(text) and f"共{len(pages)}页" in flat(text)


# ---- cases (整改闭环) in the documents ---------------------------------------------------------

def between(text: str, heading: str, next_heading: str) -> str:
    """A section's text (the last time its heading appears: the contents page names it first)."""
    return text[text.rindex(heading):text.rindex(next_heading)]


def made_up_and_verified(sessions):
    """Lunch on DAY2 had no accompanied-meal record (ACM-MISSING): at 14:00 the canteen administrator
    records that 王芳 made it up; at 18:30 the doctor signs the action as verified (复查)."""
    from canteen.services import cases
    manager, doctor = sessions["manager"], sessions["doctor"]
    manager.clock = lambda: to_utc(at(DAY2, 14))
    action = cases.record_action(manager, f"ACM-MISSING|meal:lunch|{DAY2}", "record_made_up", "王芳",
                                 "补记陪餐情况，重申陪餐排班")
    doctor.clock = lambda: to_utc(at(DAY2, 18, 30))
    cases.verify_action(doctor, action.id, "demo")
    manager.clock = doctor.clock = lambda: to_utc(NOW)
    return action


def test_a_closed_case_appears_in_the_archive_with_its_signed_verification(canteen, sessions, auditor, tmp_path):
    made_up_and_verified(sessions)
    _, pages = text_of(export_archive(auditor, DAY1, DAY2, tmp_path / "archive.pdf").path)
    text = flat("".join(pages))
    cases = between(text, "整改案件Corrective-actioncases", "发现明细Findinglist")
    closed = cases[cases.index("ACM-MISSING"):]
    assert closed.index("已复查Verified") < closed.index("2026-03-0314:00补录记录Missingrecordmadeup")
    assert "负责人王芳·录入" in closed and "附件0份" in closed and "补记陪餐情况，重申陪餐排班" in closed
    assert "复查签名：李医生2026-03-0318:30Signedasverifiedby李医生at2026-03-0318:30" in closed
    open_one = cases[cases.index("DIS-MISSING"):]
    assert "待整改Open" in open_one and "未记录整改措施Nocorrectiveactionrecorded" in open_one


def test_the_archive_prints_the_time_to_close_of_each_rule(canteen, sessions, auditor, tmp_path):
    made_up_and_verified(sessions)  # acted 14 h and verified 18.5 h after lunch day began
    _, pages = text_of(export_archive(auditor, DAY1, DAY2, tmp_path / "archive.pdf").path)
    text = flat("".join(pages))
    table = between(text, "整改时效Timetoclose", "整改案件Corrective-actioncases")
    # rule, cases, acted, verified, late, open, median hours to action and to verification, by rejection
    assert "ACM-MISSING餐次无陪餐记录" + "1" + "1" + "1" + "0" + "0" + "14.0" + "18.5" + "0" in table
    assert "DIS-MISSING餐次无餐用具消毒记录" + "1" + "0" + "0" + "0" + "1" + "—" + "—" + "0" in table


def test_the_daily_sheet_lists_the_days_open_cases_with_their_age(canteen, sessions, auditor, tmp_path):
    made_up_and_verified(sessions)
    _, pages = text_of(export_daily_sheet(auditor, DAY2, tmp_path / "day.pdf").path)
    text = flat("".join(pages))
    listed = text[text.index("未结整改案件Opencases"):text.index("签名Signatures")]
    assert "DIS-MISSING" in listed and "待整改Open" in listed and "当天" in listed
    assert "ACM-MISSING" not in listed  # verified this evening: closed


def test_a_line_is_not_cut_before_a_chinese_full_stop_nor_inside_a_word_or_a_temperature():
    from reports.base import line_break

    def cut(line, char):
        keep = line_break(line, char)
        return line[:keep], line[keep:] + char
    assert cut("到货温度过高", "。") == ("到货温度过", "高。")  # 。 never starts a line
    assert cut("Goods return", "e") == ("Goods ", "returne")  # the word goes down whole
    assert cut("鲜猪肉 9.5 °C，高于 7 °C", "。") == ("鲜猪肉 9.5 °C，高于 ", "7 °C。")
    assert cut("0123456789abcdef", "0") == ("0123456789abcdef", "0")  # a hash has no space: cut anywhere
