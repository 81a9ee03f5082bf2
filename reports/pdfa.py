"""Completing a ReportLab PDF towards PDF/A-3b: the embedded records file, XMP identification
and an sRGB output intent, appended as one incremental update (pypdf) so the laid-out pages
are not rewritten.

ReportLab (open source) writes embedded TrueType subsets, a document ID and an Info
dictionary, but no XMP and no output intent. This module adds:
- the attachment as an embedded file with MIME subtype, size, dates and AFRelationship /Data,
  listed in the catalog's /AF array (what PDF/A-3 asks of an associated file);
- an XMP packet carrying pdfaid:part 3 / conformance B and the same title, author, producer
  and dates as the Info dictionary;
- an output intent (GTS_PDFA1) whose profile is a small sRGB (IEC 61966-2.1 primaries, D50
  adapted) ICC v2 display profile built here, so no profile file has to ship with the program.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
    create_string_object,
)

from canteen.timeutil import utcnow

JSON_MIME = "/application#2Fjson"


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _tag_xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ " + b"\0" * 4 + _s15(x) + _s15(y) + _s15(z)


def _tag_desc(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\0"
    return (b"desc" + b"\0" * 4 + struct.pack(">I", len(ascii_text)) + ascii_text
            + struct.pack(">II", 0, 0) + struct.pack(">HB", 0, 0) + b"\0" * 67)


def srgb_profile() -> bytes:
    """An ICC v2 RGB display profile with sRGB primaries and a 2.2 gamma curve."""
    curve = b"curv" + b"\0" * 4 + struct.pack(">IH", 1, 0x0233) + b"\0\0"  # gamma 563/256 ≈ 2.2
    tags = [
        (b"desc", _tag_desc("sRGB IEC61966-2.1 (canteen-log)")),
        (b"cprt", b"text" + b"\0" * 4 + b"No copyright, use freely\0"),
        (b"wtpt", _tag_xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _tag_xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", _tag_xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", _tag_xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        while (offset + len(body)) % 4:
            body += b"\0"
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    while len(body) % 4:
        body += b"\0"
    size = offset + len(body)
    header = (struct.pack(">I", size) + b"\0" * 4 + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
              + struct.pack(">6H", 2024, 1, 1, 0, 0, 0) + b"acsp" + b"\0" * 4 + b"\0" * 4 + b"\0" * 8
              + b"\0" * 8 + struct.pack(">I", 0) + _s15(0.9642) + _s15(1.0) + _s15(0.8249) + b"\0" * 4
              + b"\0" * 16 + b"\0" * 28)
    return header + struct.pack(">I", len(tags)) + table + body


def _pdf_date(when: dt.datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


def _xmp_date(info_date: str) -> str:
    """A PDF date (D:YYYYMMDDHHmmSS+HH'mm') as an XMP date."""
    raw = info_date[2:] if info_date.startswith("D:") else info_date
    base = f"{raw[0:4]}-{raw[4:6]}-{raw[6:8]}T{raw[8:10]}:{raw[10:12]}:{raw[12:14]}"
    zone = raw[14:]
    if not zone or zone.startswith("Z"):
        return base + "Z"
    return f"{base}{zone[0]}{zone[1:3]}:{zone[4:6]}"


def xmp_packet(info: dict) -> bytes:
    """XMP metadata that repeats the Info dictionary, as PDF/A requires, and names the PDF/A part."""
    def text(key: str) -> str:
        return escape(str(info.get(key, "") or ""))
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text('/Title')}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{text('/Author')}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text('/Subject')}</rdf:li></rdf:Alt></dc:description>
   <xmp:CreatorTool>{text('/Creator')}</xmp:CreatorTool>
   <xmp:CreateDate>{_xmp_date(str(info.get('/CreationDate')))}</xmp:CreateDate>
   <xmp:ModifyDate>{_xmp_date(str(info.get('/ModDate')))}</xmp:ModifyDate>
   <pdf:Producer>{text('/Producer')}</pdf:Producer>
   <pdf:Keywords>{text('/Keywords')}</pdf:Keywords>
   <pdf:Trapped>{"True" if str(info.get('/Trapped')) == "/True" else "False"}</pdf:Trapped>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")


def _stream(writer: PdfWriter, data: bytes, entries: dict) -> object:
    stream = DecodedStreamObject()
    stream.set_data(data)
    stream.update({NameObject(k): v for k, v in entries.items()})
    return writer._add_object(stream)


def complete(path: Path, attachment: tuple[str, bytes, str] | None = None,
             when: dt.datetime | None = None) -> None:
    """Append the attachment, XMP and output intent to the PDF at `path` (in place)."""
    writer = PdfWriter(str(path), incremental=True)
    root = writer._root_object
    info = dict(writer._reader.metadata or {})
    if attachment:
        _attach(writer, root, *attachment, when=when or utcnow().replace(tzinfo=dt.timezone.utc))
    metadata = _stream(writer, xmp_packet(info), {"/Type": NameObject("/Metadata"), "/Subtype": NameObject("/XML")})
    root[NameObject("/Metadata")] = metadata
    profile = _stream(writer, srgb_profile(), {"/N": NumberObject(3)})
    intent = DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"), NameObject("/S"): NameObject("/GTS_PDFA1"),
        NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB IEC61966-2.1"),
        NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
        NameObject("/DestOutputProfile"): profile})
    root[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    root[NameObject("/Version")] = NameObject("/1.7")  # the update uses a cross-reference stream
    with open(path, "wb") as out:
        writer.write(out)


def _attach(writer: PdfWriter, root, name: str, data: bytes, description: str, when: dt.datetime) -> None:
    stamp = create_string_object(_pdf_date(when))
    params = DictionaryObject({NameObject("/Size"): NumberObject(len(data)), NameObject("/ModDate"): stamp,
                               NameObject("/CheckSum"): create_string_object(hashlib.md5(data).digest())})
    embedded = _stream(writer, data, {"/Type": NameObject("/EmbeddedFile"), "/Subtype": NameObject(JSON_MIME),
                                      "/Params": params})
    spec = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject(name),
        NameObject("/UF"): TextStringObject(name), NameObject("/Desc"): TextStringObject(description),
        NameObject("/AFRelationship"): NameObject("/Data"),
        NameObject("/EF"): DictionaryObject({NameObject("/F"): embedded, NameObject("/UF"): embedded})}))
    names = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject(name), spec])})
    tree = writer._add_object(names)
    existing = root.get("/Names")
    if existing is not None:  # ReportLab keeps the bookmarks' destinations there
        existing.get_object()[NameObject("/EmbeddedFiles")] = tree
    else:
        root[NameObject("/Names")] = writer._add_object(DictionaryObject({NameObject("/EmbeddedFiles"): tree}))
    root[NameObject("/AF")] = ArrayObject([spec])
