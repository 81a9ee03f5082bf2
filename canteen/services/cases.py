"""Closing the loop on a case (整改闭环): record what was done, then have it verified.

A corrective action is a record like any other (validated, audited, chained, amendable with a
reason), written through `services.records`; verifying it is a signature meaning "verified"
(复查) through `services.signing`, which refuses the person who recorded the action and every
role but the doctor and the director. This module only turns a case into those two calls.
"""

from __future__ import annotations

import datetime as dt

from ..errors import ValidationError
from ..integrity.signatures import CORRECTIVE_KIND, VERIFIED
from . import records, signing


def parse_case_id(case_id: str) -> tuple[str, str, dt.date]:
    """"STF-HEALTH|staff#12|2026-03-03" → (rule, subject, first day); anything else is refused."""
    rule, subject, first = (str(case_id or "").split("|") + ["", "", ""])[:3]
    try:
        day = dt.date.fromisoformat(first)
    except ValueError:
        day = None
    if not rule or not subject or day is None:
        raise ValidationError("case", f"'{case_id}' is not a case id (RULE|subject|YYYY-MM-DD)",
                              f"“{case_id}”不是整改事项编号（规则|对象|年-月-日）", "Case", "整改事项")
    return rule, subject, day


def record_action(session, case_id: str, action: str, responsible: str, details: str = "",
                  acted_at=None, late_reason: str | None = None):
    """Record what was done about a case; returns the saved CorrectiveAction."""
    rule, subject, first = parse_case_id(case_id)
    data = {"rule": rule, "subject": subject, "case_start": first, "action": action, "details": details,
            "responsible": responsible, "occurred_at": acted_at if acted_at is not None else session.now()}
    if late_reason:
        data["late_reason"] = late_reason
    return records.create(session, CORRECTIVE_KIND, data)


def verify_action(session, action_id: int, password: str | None = None, *, key=None):
    """The follow-up check (复查) of an action, which closes its case: a signature meaning "verified"."""
    return signing.sign_record(session, CORRECTIVE_KIND, action_id, VERIFIED, password, key=key)
