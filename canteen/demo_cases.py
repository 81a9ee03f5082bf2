"""How the demo canteen deals with its violations each evening (整改闭环), as a real one does.

Before the evening inspection closes the day, the canteen administrator records what was done
about each of the day's open violations and the inspecting doctor or director (never the one who
recorded it) verifies it. Most cases close the same evening; some wait a day for the follow-up
check; some are acted on two school days late; a few are never acted on. Which case does what is
fixed by its id (crc32), so the term is the same on every run and the term's own random
sequence is untouched. What stays open is said as the day close's reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zlib
from dataclasses import dataclass, field

from .read.cases import CLOSE_ANSWERS, open_violations_on
from .remedies import USUAL_ACTIONS
from .rules import VIOLATION, WARNING, evaluate
from .services import signing
from .timeutil import to_utc, utcnow

DETAILS = {
    "PUR-COLD": "该批冷链食品已退回供货商，并要求其整改冷藏车温控",
    "PES-MISSING": "当日补做农残快检，结果阴性；已对验收员重新培训",
    "PES-POSITIVE": "阳性批次已停用并销毁，另行采购复检合格的替代菜品",
    "SMP-MISSING": "补留该菜品样品并对留样员重新培训",
    "SMP-WEIGHT": "按 125 克标准重新留样，已培训",
    "SMP-EARLY": "对提前销毁留样的人员进行批评教育并培训",
    "STF-HEALTH": "已调离岗位，健康证补办后再上岗",
    "STF-MORNING": "补做晨检并提醒晨检员逐人检查",
    "ACM-MISSING": "补记陪餐情况，重申陪餐排班表",
    "DIS-MISSING": "补做餐用具消毒并记录",
    "DIS-PARAM": "重新配制消毒液，按规定浓度和时间重新消毒",
    "CHK-MISSING": "补做并签署当日检查记录，重申每日检查签字制度",
    "SMP-TEMP": "调整留样冰箱温控并每日两次记录温度",
    "WAT-SUPPLY": "增加供水次数，供水人员持证上岗",
    "WAT-CLEAN": "当即清洗消毒盛水容器，落实每日清洗",
    "LATE-ENTRY": "对补录人员进行培训，要求当日记录当日录入",
    "COST-SURPLUS": "核查伙食成本，调整采购计划并在校务公开栏说明",
}
SAME_EVENING, NEXT_DAY_CHECK, LATE, NEVER = "same-evening", "next-day-check", "late", "never"


def fate(case_id: str, left_open_percent: int = 5) -> str:
    """What the canteen does about a case: 70 % closed the same evening, 15 % verified the next
    school day, 10 % acted on two school days late, 5 % left open (a sloppy canteen leaves more
    open, taken from the last of those)."""
    roll = zlib.crc32(case_id.encode()) % 100
    if roll >= 100 - left_open_percent:
        return NEVER
    return SAME_EVENING if roll < 70 else NEXT_DAY_CHECK if roll < 85 else LATE if roll < 95 else NEVER


@dataclass
class CaseBook:
    """What the demo remembers from one evening to the next: where each case began, and the
    actions and checks it still owes."""

    started: dict[tuple[str, str], tuple[dt.date, dt.date]] = field(default_factory=dict)  # → (first, last day)
    handled: set[str] = field(default_factory=set)
    actions_due: list[tuple[int, str]] = field(default_factory=list)  # (school-day index, case id)
    checks_due: list[tuple[int, int]] = field(default_factory=list)  # (school-day index, action id)

    def case_id(self, rule: str, subject: str, day: dt.date, previous_school_day: dt.date | None) -> str:
        """The case a violation of `day` belongs to: the one running up to the previous school day,
        else a new one starting today (the demo's school days are its service days)."""
        first, last = self.started.get((rule, subject), (day, day))
        if last not in (day, previous_school_day):
            first = day
        self.started[(rule, subject)] = (first, day)
        return f"{rule}|{subject}|{first.isoformat()}"


def evening(world, day: dt.date, n: int, signer: str) -> str:
    """Deal with the day's violations before the inspection at 20:10; return the reason the day
    is closed with cases still open ("" when none are)."""
    if to_utc(dt.datetime.combine(day, dt.time(20, 10)), world.site.timezone) > utcnow():
        return ""  # a demo ending today: the evening has not come yet
    book = world.cases
    session = world.sessions[signer]
    previous = world.days[n - 1] if n else None
    for at_n, case_id in [due for due in book.actions_due if due[0] == n]:
        act(world, day, n, case_id, signer, late=True)
    book.actions_due = [due for due in book.actions_due if due[0] != n]
    for at_n, action_id in [due for due in book.checks_due if due[0] == n]:
        verify(world, day, action_id, signer)
    book.checks_due = [due for due in book.checks_due if due[0] != n]
    for finding in open_violations_on(session, day):
        case_id = book.case_id(finding.rule, finding.case_subject, day, previous)
        if case_id not in book.handled:
            book.handled.add(case_id)
            plan(world, day, n, case_id, signer)
    still_open = open_violations_on(session, day)
    return f"{len(still_open)} 项问题已安排整改，待复查" if still_open else ""


def weekly_review(world, day: dt.date, n: int, signer: str) -> None:
    """On Fridays at 16:00 the week's warnings (and a day left without a signed inspection, which
    no evening close answers) are reviewed and dealt with the same way."""
    if day.weekday() != 4 or to_utc(dt.datetime.combine(day, dt.time(16, 30)), world.site.timezone) > utcnow():
        return
    week = [d for d in world.days[max(0, n - 4):n + 1] if (day - d).days < 7]
    found = evaluate(world.site.id, week[0], day, today=day, severities=frozenset({WARNING, VIOLATION}))
    runs: dict[tuple[str, str], dt.date] = {}
    for f in found:
        if f.severity == WARNING or f.rule in CLOSE_ANSWERS:
            runs.setdefault((f.rule, f.case_subject), f.day)
    for (rule, subject), first in runs.items():
        case_id = f"{rule}|{subject}|{first.isoformat()}"
        if case_id not in world.cases.handled:
            world.cases.handled.add(case_id)
            plan(world, day, n, case_id, signer, hour=16)


def plan(world, day: dt.date, n: int, case_id: str, signer: str, hour: int = 19) -> None:
    what = fate(case_id, world.habits.left_open_percent)
    if what == LATE:
        world.cases.actions_due.append((n + 2, case_id))
    elif what != NEVER:
        action_id = act(world, day, n, case_id, signer, hour=hour)
        if what == NEXT_DAY_CHECK:
            world.cases.checks_due.append((n + 1, action_id))


def act(world, day: dt.date, n: int, case_id: str, signer: str, late: bool = False, hour: int = 19) -> int:
    """The canteen administrator records the action at 19:20 (09:20 when it comes late, 16:20 at
    the weekly review); the signer verifies it 20 minutes later unless the check is planned for
    another day."""
    rule = case_id.split("|")[0]
    local = dt.datetime.combine(day, dt.time(9 if late else hour, 20))
    entered = to_utc(local + dt.timedelta(minutes=3), world.site.timezone)
    action = (USUAL_ACTIONS.get(rule) or ("other",))[0]
    data = {"occurred_at": local, "rule": rule, "subject": case_id.split("|")[1], "case_start": case_id.split("|")[2],
            "action": action, "details": DETAILS.get(rule, "已按规定整改"), "responsible": "陈晓东"}
    [action_id] = world.write("manager", "corrective-actions", [(data, entered)])
    if late or fate(case_id, world.habits.left_open_percent) == SAME_EVENING:
        verify(world, day, action_id, signer, local + dt.timedelta(minutes=20))
    return action_id


def verify(world, day: dt.date, action_id: int, signer: str, local: dt.datetime | None = None) -> None:
    session = world.sessions[signer]
    at = to_utc(local or dt.datetime.combine(day, dt.time(19, 40)), world.site.timezone)
    verifier = dataclasses.replace(session, clock=lambda: at)
    signing.sign_record(verifier, "corrective-actions", action_id, "verified", key=world.signing_keys[signer])
