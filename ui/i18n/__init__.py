"""Language of the desk: which translation is loaded and how field labels are chosen.

UI strings are English in `tr()`; Simplified Chinese comes from `*_zh_CN.qm` files built from
the `.ts` files beside this module by the install (setup.py) — or, in a source checkout where
no `.qm` exists yet, compiled once into the user's cache folder with `pyside6-lrelease`.
Field labels come from the core's field specs, which carry both languages; `language()` says
which one to show.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from platformdirs import user_cache_path
from PySide6.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

HERE = Path(__file__).resolve().parent
CHOICES = (("auto", "Automatic (system language)", "自动（跟随系统）"),
           ("en", "English", "English"),
           ("zh_CN", "简体中文", "简体中文"))
_state = {"language": "en", "translators": []}


def chosen() -> str:
    """The stored choice: "auto", "en" or "zh_CN"."""
    value = QSettings().value("language", "auto")
    return value if value in {c[0] for c in CHOICES} else "auto"


def resolve(choice: str) -> str:
    """A concrete language for a choice: auto follows the system locale (Chinese for any zh_*)."""
    if choice == "auto":
        return "zh_CN" if QLocale.system().name().startswith("zh") else "en"
    return choice


def language() -> str:
    """The language in force: "en" or "zh_CN" (the core's `.text()`/`label()` accept both)."""
    return _state["language"]


def is_chinese() -> bool:
    return _state["language"].startswith("zh")


def locale() -> QLocale:
    """The locale dates and numbers are shown in."""
    if is_chinese():
        return QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


def pick(en: str, zh: str) -> str:
    """One of two texts the core gives in both languages."""
    return zh if is_chinese() else en


def lrelease() -> str | None:
    """The Qt release tool: the one inside the PySide6 package, else one on PATH."""
    import PySide6
    for name in ("lrelease", "lrelease.exe"):
        bundled = Path(PySide6.__file__).parent / name
        if bundled.exists():
            return str(bundled)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def compile_ts(ts: Path, qm: Path) -> bool:
    """Compile one `.ts` into `.qm`; False when the tool is missing or fails."""
    tool = lrelease()
    if tool is None:
        return False
    qm.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], capture_output=True)
    return result.returncode == 0 and qm.exists()


def qm_files(lang: str) -> list[Path]:
    """Every compiled catalogue for `lang`: installed ones, else compiled into the cache from `.ts`."""
    found: dict[str, Path] = {p.stem: p for p in HERE.glob(f"*_{lang}.qm")}
    cache = user_cache_path("canteen-log", appauthor=False) / "i18n"
    for ts in HERE.glob(f"*_{lang}.ts"):
        if ts.stem in found and found[ts.stem].stat().st_mtime >= ts.stat().st_mtime:
            continue
        cached = cache / f"{ts.stem}.qm"
        if not cached.exists() or cached.stat().st_mtime < ts.stat().st_mtime:
            if not compile_ts(ts, cached):
                continue
        found[ts.stem] = cached
    return sorted(found.values())


def install(choice: str | None = None) -> str:
    """Load the translators for `choice` (default: the stored one) into the running application."""
    app = QCoreApplication.instance()
    for old in _state["translators"]:
        app.removeTranslator(old)
    _state["translators"] = []
    lang = resolve(choice or chosen())
    _state["language"] = lang
    QLocale.setDefault(locale())
    if lang == "en":
        return lang
    for qm in qm_files(lang):
        translator = QTranslator(app)
        if translator.load(str(qm)):
            app.installTranslator(translator)
            _state["translators"].append(translator)
    qt_base = QTranslator(app)
    from PySide6.QtCore import QLibraryInfo
    if qt_base.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_base)
        _state["translators"].append(qt_base)
    return lang


def store(choice: str) -> None:
    QSettings().setValue("language", choice)
