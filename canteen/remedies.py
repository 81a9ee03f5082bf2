"""What a canteen usually does about each rule's finding (整改措施), and how long it has to do it.

Plain data at the bottom rung: the corrective-action record type takes its list of actions from
here, the case builder its deadlines, the desk its suggestions. A site may change a rule's time
to act with the setting `case_deadlines` ("STF-HEALTH=0, CHK-MISSING=2"), read by `deadlines`.
"""

from __future__ import annotations

ACTIONS = (
    ("off_duty", "Taken off duty", "调离岗位"),
    ("returned", "Goods returned", "退货"),
    ("destroyed", "Destroyed", "销毁"),
    ("retested", "Tested again", "重新检测"),
    ("certificate", "Certificate renewed or obtained", "补办证件"),
    ("supplier_changed", "Supplier changed", "更换供应商"),
    ("training", "Staff trained", "培训"),
    ("record_made_up", "Missing record made up", "补录记录"),
    ("redone", "Done again correctly", "重新操作"),
    ("equipment", "Equipment repaired or adjusted", "设备维修调整"),
    ("other", "Other (say what)", "其他（请说明）"),
)
ACTION_VALUES = tuple(a[0] for a in ACTIONS)

# The usual actions offered first for a rule's case (the rest of ACTIONS still follow).
USUAL_ACTIONS: dict[str, tuple[str, ...]] = {
    "PUR-EXPIRED": ("returned", "destroyed", "supplier_changed"),
    "PUR-NITRITE": ("returned", "destroyed", "training"),
    "PUR-CERT": ("certificate", "returned", "supplier_changed"),
    "PUR-QUARANTINE": ("returned", "certificate", "supplier_changed"),
    "PUR-COLD": ("returned", "destroyed", "supplier_changed"),
    "PES-POSITIVE": ("retested", "returned", "destroyed"),
    "PES-MISSING": ("retested", "record_made_up", "training"),
    "SMP-MISSING": ("training", "record_made_up"),
    "SMP-WEIGHT": ("training", "redone"),
    "SMP-EARLY": ("training",),
    "SMP-TEMP": ("equipment", "redone"),
    "STF-HEALTH": ("off_duty", "certificate"),
    "STF-MORNING": ("record_made_up", "training"),
    "STF-SYMPTOM": ("off_duty", "training"),
    "CHK-MISSING": ("record_made_up", "training"),
    "ACM-MISSING": ("record_made_up", "training"),
    "DIS-MISSING": ("redone", "record_made_up", "training"),
    "DIS-PARAM": ("redone", "equipment", "training"),
    "WAT-SUPPLY": ("off_duty", "certificate", "redone"),
    "WAT-CLEAN": ("redone", "training"),
    "SHP-THREE-NO": ("returned", "destroyed", "supplier_changed"),
    "CERT-EXPIRING": ("certificate", "supplier_changed"),
    "LATE-ENTRY": ("training",),
    "COST-SURPLUS": ("other",),
    "DIST-NOTICE": ("redone", "training", "equipment", "other"),
}

# Days after a case's first day by whose end the action is due: 0 is "the same day" (for a health
# certificate: before the next shift), 1 the next day. Rules not named here have DEFAULT_DAYS.
DAYS_TO_ACT: dict[str, int] = {
    "PUR-EXPIRED": 0, "PUR-NITRITE": 0, "PUR-CERT": 0, "PUR-QUARANTINE": 0, "PUR-COLD": 0,
    "PES-POSITIVE": 0, "PES-MISSING": 0, "SMP-MISSING": 0, "SMP-WEIGHT": 0, "SMP-EARLY": 0,
    "SMP-TEMP": 0, "STF-HEALTH": 0, "STF-MORNING": 0, "STF-SYMPTOM": 0, "SHP-THREE-NO": 0,
    "CHK-MISSING": 1, "ACM-MISSING": 1, "DIS-MISSING": 1, "DIS-PARAM": 0, "WAT-SUPPLY": 1,
    "WAT-CLEAN": 1, "CERT-EXPIRING": 7, "LATE-ENTRY": 3, "COST-SURPLUS": 15,
    "DIST-NOTICE": 7,  # a notice names its own deadline; this is only the fallback
}
DEFAULT_DAYS = 1
MAX_DAYS = 90


def usual_actions(rule: str) -> tuple[tuple[str, str, str], ...]:
    """Every action, the rule's usual ones first (the form's list)."""
    first = USUAL_ACTIONS.get(rule, ())
    ordered = [a for value in first for a in ACTIONS if a[0] == value]
    return tuple(ordered + [a for a in ACTIONS if a[0] not in first])


class BadDeadlines(ValueError):
    """A `case_deadlines` text that cannot be read; carries the message in both languages."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh


def parse_deadlines(text: str, known_rules) -> dict[str, int]:
    """"STF-HEALTH=0, CHK-MISSING=2" → {rule: days}; an unknown rule or a number that is not a
    whole count of days from 0 to MAX_DAYS is refused, never skipped."""
    found: dict[str, int] = {}
    for part in text.replace("，", ",").replace("＝", "=").split(","):
        if not part.strip():
            continue
        rule, sep, days = (s.strip() for s in part.partition("="))
        if not sep or rule.upper() not in known_rules:
            raise BadDeadlines(f"'{part.strip()}' is not RULE=DAYS with a known rule id",
                               f"“{part.strip()}”不是“规则=天数”的形式，或规则编号不存在")
        if not days.isdigit() or int(days) > MAX_DAYS:
            raise BadDeadlines(f"'{part.strip()}': the days must be a whole number from 0 to {MAX_DAYS}",
                               f"“{part.strip()}”：天数必须是 0 到 {MAX_DAYS} 的整数")
        found[rule.upper()] = int(days)
    return found


def days_to_act(rule: str, overrides: dict[str, int]) -> int:
    return overrides.get(rule, DAYS_TO_ACT.get(rule, DEFAULT_DAYS))
