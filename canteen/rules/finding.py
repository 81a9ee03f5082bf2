"""A finding: a rule that a record (or a missing record) breaks on a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .catalogue import RULES, SEVERITIES


@dataclass(frozen=True)
class Finding:
    rule: str
    day: dt.date
    record_kind: str
    record_id: int | None
    message_en: str
    message_zh: str
    level: str = ""  # a severity other than the catalogue's: a block rule reporting a state it could not refuse
    subject: str = ""  # what the finding is about when not its record: "staff#12", "dish:红烧肉", "meal:lunch"

    @property
    def case_subject(self) -> str:
        """What repeats of this finding share: its stated subject, else its record, else the canteen."""
        if self.subject:
            return self.subject
        return f"{self.record_kind}#{self.record_id}" if self.record_id else f"{self.record_kind or 'site'}"

    @property
    def severity(self) -> str:
        return self.level or RULES[self.rule].severity

    @property
    def source_en(self) -> str:
        return RULES[self.rule].source_text("en")

    @property
    def source_zh(self) -> str:
        return RULES[self.rule].source_text("zh")

    def message(self, language: str = "en") -> str:
        return self.message_zh if language.startswith("zh") else self.message_en

    def as_json(self) -> dict:
        """The finding as `check --json` gives it (written out: `asdict` deep-copies every field)."""
        return {"rule": self.rule, "record_kind": self.record_kind, "record_id": self.record_id,
                "message_en": self.message_en, "message_zh": self.message_zh, "subject": self.case_subject,
                "date": self.day.isoformat(), "record_type": self.record_kind, "severity": self.severity,
                "message": self.message_en, "source": self.source_en, "source_zh": self.source_zh}

    def sort_key(self):
        return (self.day, SEVERITIES.index(self.severity), self.rule, self.record_kind, self.record_id or 0)
