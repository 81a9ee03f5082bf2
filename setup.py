"""Build step that setup.cfg cannot express: compile the Qt translations (.ts → .qm).

The `.ts` files are the sources kept in the repository; the `.qm` catalogues Qt loads are
made here, by `pip install .` (into the built package) and by `pip install -e .` (beside the
`.ts` files), so no compiled file is ever copied by hand.
"""

import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

I18N = Path("ui") / "i18n"


def lrelease() -> str:
    try:
        import PySide6
        for name in ("lrelease", "lrelease.exe"):
            bundled = Path(PySide6.__file__).parent / name
            if bundled.exists():
                return str(bundled)
    except ImportError:
        pass
    tool = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if tool is None:
        raise SystemExit("pyside6-lrelease is needed to build the translations (install PySide6).")
    return tool


class BuildWithTranslations(build_py):
    """build_py, then every ui/i18n/*.ts compiled into a .qm beside the installed .ts."""

    def run(self):
        super().run()
        here = Path(__file__).resolve().parent
        editable = getattr(self, "editable_mode", False)
        target = here / I18N if editable else Path(self.build_lib) / I18N
        target.mkdir(parents=True, exist_ok=True)
        tool = lrelease()
        for ts in sorted((here / I18N).glob("*.ts")):
            qm = target / (ts.stem + ".qm")
            subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True)


setup(cmdclass={"build_py": BuildWithTranslations})
