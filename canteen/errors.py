"""The errors the core raises, each carrying a message a user can read in both languages."""

from __future__ import annotations


class CanteenError(Exception):
    """Base of every error the program expects and explains; never shown as a traceback."""

    def __init__(self, en: str, zh: str | None = None):
        super().__init__(en)
        self.en = en
        self.zh = zh or en

    def text(self, language: str = "en") -> str:
        return self.zh if language.startswith("zh") else self.en

    def __str__(self) -> str:
        return self.en if self.zh == self.en else f"{self.en} ({self.zh})"


class Said(str):
    """One line said to the user in both languages. The string itself is the English (what the
    command line prints and scripts match); `text(language)` gives the desk its own language."""

    zh: str

    def __new__(cls, en: str, zh: str) -> "Said":
        line = super().__new__(cls, en)
        line.zh = zh
        return line

    def text(self, language: str = "en") -> str:
        return self.zh if language.startswith("zh") else str(self)


class Cancelled(CanteenError):
    """The user stopped slow work (an export, a check, a demo); what it was making is not kept.

    The one cancel type: renderers, the export pipeline and the desk's workers all raise it."""

    def __init__(self, en: str = "Cancelled; nothing was kept.", zh: str = "已取消，未保留任何内容。"):
        super().__init__(en, zh)


class StorageError(CanteenError):
    """The database cannot be opened, read or written (missing, locked, corrupt, full)."""


class DamagedDatabase(StorageError):
    """A database file that fails its damage check; carries the file and the latest backup (or
    None) so that the desk can offer to restore it."""

    def __init__(self, path, backup, en: str, zh: str):
        super().__init__(en, zh)
        self.path, self.backup = path, backup


class ValidationError(CanteenError):
    """Impossible input: the named field holds a value that cannot be true."""

    def __init__(self, field: str, en: str, zh: str, label_en: str = "", label_zh: str = ""):
        self.field = field
        self.label_en = label_en or field
        self.label_zh = label_zh or self.label_en
        super().__init__(f"{self.label_en}: {en}", f"{self.label_zh}：{zh}")


class BlockedError(CanteenError):
    """A write refused by a "block" compliance rule; carries the findings that refused it."""

    def __init__(self, findings: list):
        self.findings = findings
        en = "; ".join(f"[{f.rule}] {f.message_en}" for f in findings)
        zh = "；".join(f"[{f.rule}] {f.message_zh}" for f in findings)
        super().__init__(f"Refused: {en}", f"不能保存：{zh}")


class PermissionDenied(CanteenError):
    """The signed-in user's role does not allow this action."""


class AuthError(CanteenError):
    """Wrong user name or password, or a locked account."""


class NotFound(CanteenError):
    """A record that was asked for does not exist."""
