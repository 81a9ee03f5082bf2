"""Finding a Chinese TrueType font that ReportLab can embed, so every PDF reads on any machine.

ReportLab embeds only TrueType outlines. Noto CJK (OpenType/CFF) fails with "postscript outlines
are not supported", and the built-in CID font STSong-Light embeds nothing (the viewer guesses a
font), so neither is used. A font named in the site setting `pdf_font` wins; otherwise the
common Windows, macOS and Linux Chinese fonts are tried in order. If none loads, the export
stops with a message that says how to fix it, rather than printing boxes.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from canteen.errors import CanteenError

FONT_NAME = "CanteenCJK"


def _windows_fonts() -> list[Path]:
    root = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    return [root / name for name in ("msyh.ttc", "msyh.ttf", "simsun.ttc", "simhei.ttf", "simkai.ttf")]


MAC_FONTS = [Path(p) for p in (
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
    "/Library/Fonts/Songti.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
)]
LINUX_FONTS = [Path(p) for p in (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
)]

HOW_TO_FIX_EN = (
    "No Chinese TrueType font was found, so the PDF cannot show Chinese text. "
    "Install one (Linux: `apt install fonts-wqy-microhei`; Windows has Microsoft YaHei msyh.ttc; "
    "macOS has STHeiti), or name a .ttf/.ttc file in Settings → \"CJK TrueType font file for PDFs\". "
    "OpenType/CFF fonts such as Noto Sans CJK cannot be embedded.")
HOW_TO_FIX_ZH = (
    "未找到中文 TrueType 字体，PDF 无法显示中文。请安装字体（Linux：`apt install fonts-wqy-microhei`；"
    "Windows 自带微软雅黑 msyh.ttc；macOS 自带华文黑体 STHeiti），或在“设置 → PDF 中文字体文件（TrueType）”"
    "中指定 .ttf/.ttc 文件。Noto Sans CJK 等 OpenType/CFF 字体无法嵌入。")


@dataclass(frozen=True)
class FontChoice:
    name: str
    path: str


def candidates(configured: str = "") -> list[Path]:
    """Font files to try, the configured one first, then the usual ones for this system."""
    found: list[Path] = [Path(configured)] if configured else []
    if sys.platform.startswith("win"):
        found += _windows_fonts() + LINUX_FONTS + MAC_FONTS
    elif sys.platform == "darwin":
        found += MAC_FONTS + LINUX_FONTS
    else:
        found += LINUX_FONTS + MAC_FONTS + _windows_fonts()
    return found


def _load(path: Path) -> TTFont | None:
    """The font if ReportLab can embed it (TrueType outlines), else None."""
    if not path.is_file():
        return None
    try:
        return TTFont(FONT_NAME, str(path), subfontIndex=0)
    except (TTFError, OSError, ValueError, KeyError):
        return None


def configured_font(site_id: int | None) -> str:
    """The site's `pdf_font` setting, or the empty string."""
    if site_id is None:
        return ""
    from canteen import settings
    return str(settings.get(site_id, "pdf_font") or "").strip()


_registered: FontChoice | None = None


def cjk_font(site_id: int | None = None) -> FontChoice:
    """Register (once) and return the Chinese font; raises CanteenError saying how to fix it."""
    global _registered
    configured = configured_font(site_id)
    if _registered and (not configured or configured == _registered.path):
        return _registered
    if configured and _load(Path(configured)) is None:
        raise CanteenError(
            f"The PDF font in Settings ({configured}) is missing or is not a TrueType font ReportLab can embed. "
            + HOW_TO_FIX_EN,
            f"设置中的 PDF 字体（{configured}）不存在或不是可嵌入的 TrueType 字体。" + HOW_TO_FIX_ZH)
    for path in candidates(configured):
        font = _load(path)
        if font is not None:
            pdfmetrics.registerFont(font)
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(FONT_NAME, bold, italic, FONT_NAME)  # no <b> falls back to Helvetica
            _registered = FontChoice(FONT_NAME, str(path))
            return _registered
    raise CanteenError(HOW_TO_FIX_EN, HOW_TO_FIX_ZH)
