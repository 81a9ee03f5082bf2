"""Cases (整改闭环): the findings that are one problem, with what was done about them.

A finding repeats: 孙丽华 works four days running with an expired health certificate and the
engine reports four STF-HEALTH findings. They are one *case*: the same rule about the same
subject (the finding's `case_subject`: a person, a supplier, a dish, a meal, a water container)
on consecutive days — days without service in between (a weekend, a holiday) do not break it.

A case is *open* until a corrective action (a `CorrectiveAction` record naming the case's rule,
subject and a day inside it) is recorded; *acted* while that action waits for its follow-up
check; *verified* when a doctor or director other than the person who recorded the action has
signed it with the meaning "verified" (复查). A new occurrence after the verification reopens the
case (`reopened_after` says when it had been closed). A delivery that a block rule would have
refused, recorded as rejected, is a case closed by that rejection.

The action is due by the end of the case's first day plus the rule's days to act
(`canteen/remedies.py`, the site's `case_deadlines`); an open case past it is *overdue*.

Everything is computed from the records on each read (no stored state that could disagree with
them): the findings of the range and LOOKBACK days before it, so a case that began earlier keeps
its first day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from ..integrity.signatures import VERIFIED
from ..models import REGISTRY, Attachment, Delivery, InspectionNotice, Menu, Signature, User
from ..models.records import CorrectiveAction
from ..remedies import ACTIONS, DAYS_TO_ACT, days_to_act, parse_deadlines
from ..rules import BLOCK, RULES, SEVERITIES, VIOLATION, Finding, evaluate
from ..rules.engine import BLOCK_RULES
from ..timeutil import to_local, to_utc
from .scope import scope_of

LOOKBACK = 45  # days before a range whose findings may have begun a case that runs into it
STATUSES = ("open", "acted", "verified")
STATUS_LABELS = {"open": ("Open", "待整改"), "acted": ("Acted, to verify", "已整改待复查"),
                 "verified": ("Verified", "已复查"), "overdue": ("Overdue", "已逾期")}
ACTION_LABELS = {value: (en, zh) for value, en, zh in ACTIONS}


@dataclass(frozen=True)
class ActionInfo:
    """One corrective action as the case shows it, with its follow-up check if made."""

    id: int
    version: int
    action: str
    details: str
    responsible: str
    acted_at: dt.datetime  # UTC
    entered_by: str
    case_start: dt.date
    verified_by: str = ""
    verified_at: dt.datetime | None = None  # UTC
    attachments: int = 0

    def label(self, language: str = "en") -> str:
        en, zh = ACTION_LABELS.get(self.action, (self.action, self.action))
        return zh if language.startswith("zh") else en


@dataclass(frozen=True)
class Case:
    """One problem: a rule's consecutive findings about one subject, and what was done."""

    rule: str
    subject: str
    subject_en: str
    subject_zh: str
    first_day: dt.date
    last_day: dt.date
    findings: tuple[Finding, ...]
    due: dt.datetime  # UTC: by when the action is due
    status: str
    overdue: bool
    actions: tuple[ActionInfo, ...] = ()
    reopened_after: dt.datetime | None = None  # UTC: the verification a later occurrence undid
    rejected_delivery: int | None = None  # closed by recording the delivery as rejected
    closed_at: dt.datetime | None = None  # UTC: verification (or the rejection)
    first_action_at: dt.datetime | None = None  # UTC

    @property
    def id(self) -> str:
        """Stable while the case's first day stands: "STF-HEALTH|staff#12|2026-03-03"."""
        return f"{self.rule}|{self.subject}|{self.first_day.isoformat()}"

    @property
    def severity(self) -> str:
        return min((f.severity for f in self.findings), key=SEVERITIES.index)

    @property
    def days(self) -> int:
        return len({f.day for f in self.findings})

    @property
    def closed(self) -> bool:
        return self.status == "verified"

    def subject_label(self, language: str = "en") -> str:
        return self.subject_zh if language.startswith("zh") else self.subject_en

    def message(self, language: str = "en") -> str:
        """What the latest occurrence says."""
        return self.findings[-1].message(language)

    def status_label(self, language: str = "en") -> str:
        en, zh = STATUS_LABELS["overdue" if self.overdue else self.status]
        return zh if language.startswith("zh") else en

    def last_day_to_act(self, tz: str) -> dt.date:
        """The day by whose end the action is due, as a person says it ("by the end of 3 March")."""
        return (to_local(self.due, tz) - dt.timedelta(microseconds=1)).date()

    def age_days(self, today: dt.date) -> int:
        return (today - self.first_day).days

    def as_json(self) -> dict:
        return {"case": self.id, "status": self.status, "overdue": self.overdue, "rule": self.rule,
                "subject": self.subject, "first_day": self.first_day.isoformat(),
                "last_day": self.last_day.isoformat(), "days": self.days,
                "actions": [a.id for a in self.actions],
                "closed_at": self.closed_at.isoformat() if self.closed_at else None}


@dataclass(frozen=True)
class Canteen:
    """Whose cases: the canteen, its time zone, its "now" and its days to act. The command line's
    `check` has no signed-in user, so this, not a session, is what the case builder needs."""

    site_id: int
    tz: str
    now: dt.datetime
    deadlines: dict

    def remember(self, key, compute):  # what block rules ask of a session
        return compute()

    def setting(self, key: str):
        from .. import settings
        return settings.get(self.site_id, key)


def canteen_of(session) -> Canteen:
    scope = scope_of(session)
    return Canteen(scope.site_id, scope.tz, session.now(),
                   parse_deadlines(session.setting("case_deadlines"), DAYS_TO_ACT))


def canteen_at(site_id: int, tz: str, now: dt.datetime, deadlines: str | None = None) -> Canteen:
    """A canteen's case context without a session (`canteen check`; `deadlines`: its setting
    `case_deadlines`, when the caller has its settings at hand)."""
    from .. import settings
    if deadlines is None:
        deadlines = settings.get(site_id, "case_deadlines")
    return Canteen(site_id, tz, now, parse_deadlines(deadlines, DAYS_TO_ACT))


def cases(session, start: dt.date, end: dt.date, today: dt.date | None = None, progress=None) -> list[Case]:
    """The cases with a finding in start..end, in the reader's canteen, oldest first."""
    from .findings import findings as findings_in
    today = session.today() if today is None else today
    found = findings_in(session, start - dt.timedelta(days=LOOKBACK), end, today=today, progress=progress)
    return cases_from(canteen_of(session), found, start, end)


def findings_and_cases(session, start: dt.date, end: dt.date, today: dt.date | None = None,
                       progress=None) -> tuple[list[Finding], list[Case]]:
    """The raw findings of start..end and their cases, from one run of the rules (the findings
    page shows both; running the engine twice would double the wait)."""
    from .findings import findings as findings_in
    today = session.today() if today is None else today
    found = findings_in(session, start - dt.timedelta(days=LOOKBACK), end, today=today, progress=progress)
    return [f for f in found if start <= f.day <= end], cases_from(canteen_of(session), found, start, end)


def cases_from(canteen: Canteen, found: list[Finding], start: dt.date, end: dt.date) -> list[Case]:
    """The cases of findings already evaluated (from start - LOOKBACK), those touching start..end."""
    first = min((f.day for f in found), default=start)
    runs = group_runs(found, service_gaps(canteen.site_id, first, end))
    actions = actions_of(canteen.site_id, first, end)
    names = SubjectNames(canteen.site_id)
    names.read_ahead(run[0].case_subject for run in runs if run[-1].day >= start)
    built = [build_case(run, actions.get((run[0].rule, run[0].case_subject), []), canteen.deadlines, canteen.tz,
                        canteen.now, names) for run in runs if run[-1].day >= start]
    built += averted_cases(canteen, start, end, names)
    built = [with_notice_deadline(c, canteen) if c.rule == NOTICE_RULE else c for c in built]
    return sorted(built, key=lambda c: (c.first_day, SEVERITIES.index(c.severity), c.rule, c.subject))


def service_gaps(site_id: int, start: dt.date, end: dt.date) -> set[dt.date]:
    """The days of start..end with no menu (no service): a case runs on across them."""
    served = {d for (d,) in Menu.select(Menu.day).where((Menu.site == site_id) & (Menu.voided == False)  # noqa: E712
                                                           & (Menu.day >= start) & (Menu.day <= end)).tuples()}
    if not served:  # a canteen that keeps no menus: only calendar days are consecutive
        return set()
    days = {start + dt.timedelta(days=n) for n in range((end - start).days + 1)}
    return days - served


def group_runs(found: list[Finding], gaps: set[dt.date]) -> list[list[Finding]]:
    """Findings of one rule about one subject on consecutive days (across service-free days)."""
    by_subject: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in sorted(found, key=lambda f: (f.rule, f.case_subject, f.day)):
        by_subject[(f.rule, f.case_subject)].append(f)
    runs = []
    for items in by_subject.values():
        run = [items[0]]
        for f in items[1:]:
            if consecutive(run[-1].day, f.day, gaps):
                run.append(f)
            else:
                runs.append(run)
                run = [f]
        runs.append(run)
    return runs


def consecutive(last: dt.date, day: dt.date, gaps: set[dt.date]) -> bool:
    between = (last + dt.timedelta(days=n) for n in range(1, (day - last).days))
    return all(d in gaps for d in between)


def build_case(run: list[Finding], actions: list[ActionInfo], deadlines: dict[str, int], tz: str,
               now: dt.datetime, names: SubjectNames, rejected: int | None = None) -> Case:
    """The case of one run: its actions (those naming a day inside it), status and deadline."""
    first, last = run[0].day, run[-1].day
    mine = tuple(a for a in actions if first <= a.case_start <= last)
    verified = [a.verified_at for a in mine if a.verified_at is not None]
    closed_at = max(verified) if verified else None
    reopened = closed_at if closed_at and to_local(closed_at, tz).date() < last else None
    since = min((f.day for f in run if f.day > to_local(reopened, tz).date()), default=first) if reopened else first
    acted_since = [a for a in mine if reopened is None or a.acted_at > reopened]
    status = "verified" if closed_at and not reopened else ("acted" if acted_since else "open")
    due = due_by(run[0].rule, since, deadlines, tz)
    en, zh = names.of(run[0].case_subject)
    return Case(run[0].rule, run[0].case_subject, en, zh, first, last, tuple(run), due, status,
                overdue=status == "open" and now > due, actions=mine, reopened_after=reopened,
                closed_at=closed_at if status == "verified" else None,
                first_action_at=min((a.acted_at for a in mine), default=None), rejected_delivery=rejected)


NOTICE_RULE = "DIST-NOTICE"


def with_notice_deadline(case: Case, canteen: Canteen) -> Case:
    """A district notice's case is due by the end of the deadline the inspector wrote on it."""
    notice = InspectionNotice.get_or_none((InspectionNotice.id == case.findings[0].record_id)
                                          & (InspectionNotice.site == canteen.site_id))
    if notice is None:
        return case
    due = to_utc(dt.datetime.combine(notice.deadline + dt.timedelta(days=1), dt.time()), canteen.tz)
    return dataclasses.replace(case, due=due, overdue=case.status == "open" and canteen.now > due)


def due_by(rule: str, first: dt.date, deadlines: dict[str, int], tz: str) -> dt.datetime:
    """The end (local midnight) of the case's first day plus the rule's days to act, in UTC."""
    last_day = first + dt.timedelta(days=days_to_act(rule, deadlines) + 1)
    return to_utc(dt.datetime.combine(last_day, dt.time()), tz)


def actions_of(site_id: int, start: dt.date, end: dt.date) -> dict[tuple[str, str], list[ActionInfo]]:
    """The standing corrective actions for cases begun start..end, by (rule, subject), with
    the first valid follow-up check (a "verified" signature on their current version)."""
    rows = list(CorrectiveAction.live().where((CorrectiveAction.site == site_id)
                                              & (CorrectiveAction.case_start >= start - dt.timedelta(days=LOOKBACK))
                                              & (CorrectiveAction.case_start <= end))
                .order_by(CorrectiveAction.occurred_at, CorrectiveAction.id))
    checks = verifications([r.id for r in rows])
    users = user_names({r.entered_by for r in rows})
    counts = attachment_counts(site_id, [r.id for r in rows])
    found: dict[tuple[str, str], list[ActionInfo]] = defaultdict(list)
    for r in rows:
        signer, at = checks.get((r.id, r.version), ("", None))
        found[(r.rule, r.subject)].append(ActionInfo(
            r.id, r.version, r.action, r.details or "", r.responsible, r.occurred_at,
            users.get(r.entered_by, ""), r.case_start, signer, at, counts.get(r.id, 0)))
    return found


def verifications(action_ids: list[int]) -> dict[tuple[int, int], tuple[str, dt.datetime]]:
    """(action id, version) → (signer's name, time) of its first "verified" signature."""
    found: dict[tuple[int, int], tuple[str, dt.datetime]] = {}
    for n in range(0, len(action_ids), 500):
        query = (Signature.select(Signature.record_id, Signature.record_version, Signature.signer_name,
                                  Signature.signed_at)
                 .where((Signature.record_kind == CorrectiveAction.KIND) & (Signature.meaning == VERIFIED)
                        & Signature.record_id.in_(action_ids[n:n + 500]))
                 .order_by(Signature.signed_at))
        for rid, version, name, at in query.tuples():
            found.setdefault((rid, version), (name, at))
    return found


def user_names(ids: set) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.id: u.display_name for u in User.select(User.id, User.display_name).where(User.id.in_(list(ids)))}


def attachment_counts(site_id: int, action_ids: list[int]) -> dict[int, int]:
    """How many standing attachments (a photo of the renewed certificate, the returns note) each action has."""
    counts: dict[int, int] = defaultdict(int)
    for n in range(0, len(action_ids), 500):
        query = (Attachment.select(Attachment.record_id)
                 .where((Attachment.site == site_id) & (Attachment.record_kind == CorrectiveAction.KIND)
                        & Attachment.record_id.in_(action_ids[n:n + 500]) & (Attachment.voided == False)))  # noqa: E712
        for (rid,) in query.tuples():
            counts[rid] += 1
    return counts


class SubjectNames:
    """What a case is about, in words: "staff#12" → 孙丽华, "meal:lunch" → 午餐 / Lunch."""

    FIXED = {"daily-inspection": ("Daily inspection", "每日检查"), "pesticide-tests": ("Pesticide tests", "农残检测"),
             "water-supply": ("Drinking water supply", "饮用水供应"), "sample-fridge": ("Sample fridge", "留样冰箱"),
             "ledger": ("Cost ledger", "伙食账"), "site": ("The canteen", "本食堂")}
    PREFIXED = {"dish": ("Dish {}", "菜品{}"), "container": ("Water container {}", "盛水容器 {}")}

    def __init__(self, site_id: int):
        self.site_id = site_id
        self.cache: dict[str, tuple[str, str]] = {}

    def of(self, subject: str) -> tuple[str, str]:
        if subject not in self.cache:
            self.cache[subject] = self._name(subject)
        return self.cache[subject]

    def read_ahead(self, subjects) -> None:
        """Name the subjects that are records ("staff#12") in one read per kind, not one each."""
        wanted: dict = defaultdict(dict)
        for subject in set(subjects) - self.cache.keys():
            kind, sep, rid = subject.partition("#")
            model = self._model(kind)
            if sep and ":" not in subject and subject not in self.FIXED and model and rid.isdigit():
                wanted[model][int(rid)] = subject
        for model, subject_of in wanted.items():
            for row in model.select().where(model.id.in_(list(subject_of)) & (model.site == self.site_id)):
                self.cache[subject_of[row.id]] = (row.title("en"), row.title("zh"))

    @staticmethod
    def _model(kind: str):
        return REGISTRY.get({"staff": "staff", "supplier": "suppliers", "notice": "inspection-notices"}.get(kind, kind))

    def _name(self, subject: str) -> tuple[str, str]:
        from ..fields import MEALS
        if subject in self.FIXED:
            return self.FIXED[subject]
        prefix, sep, rest = subject.partition(":")
        if sep and prefix == "meal":
            return next(((en, zh) for v, en, zh in MEALS if v == rest), (rest, rest))
        if sep and prefix == "late":
            model = REGISTRY.get(rest)
            return (f"Late entries: {model.EN}", f"补录：{model.ZH}") if model else (subject, subject)
        if sep and prefix == "disinfection":
            from ..models.records import DISINFECTION_METHODS
            en, zh = next(((en, zh) for v, en, zh in DISINFECTION_METHODS if v == rest), (rest, rest))
            return f"Disinfection: {en}", f"消毒：{zh}"
        if sep and prefix in self.PREFIXED:
            en, zh = self.PREFIXED[prefix]
            return en.format(rest), zh.format(rest)
        return self._record_name(subject)

    def _record_name(self, subject: str) -> tuple[str, str]:
        kind, _, rid = subject.partition("#")
        model = self._model(kind)
        row = model.get_or_none((model.id == int(rid)) & (model.site == self.site_id)) if model and rid.isdigit() else None
        if row is None:
            return subject, subject
        return row.title("en"), row.title("zh")


# ---- deliveries a block rule would have refused, recorded as rejected ------------------------

def averted_cases(canteen: Canteen, start: dt.date, end: dt.date, names: SubjectNames) -> list[Case]:
    """A delivery recorded as rejected that a block rule would have refused as accepted: the
    problem was found and dealt with at the door, so its case is closed by the rejection."""
    rejected = Delivery.live().where((Delivery.site == canteen.site_id) & (Delivery.result == "rejected")
                                     & (Delivery.day >= start) & (Delivery.day <= end)).order_by(Delivery.id)
    built = []
    for delivery in rejected:
        for f in would_block(canteen, delivery):
            en, zh = names.of(f.case_subject)
            built.append(Case(f.rule, f.case_subject, en, zh, f.day, f.day, (f,), delivery.occurred_at, "verified",
                              False, rejected_delivery=delivery.id, closed_at=delivery.occurred_at))
    return built


def would_block(canteen: Canteen, delivery) -> list[Finding]:
    values = {spec.name: delivery.__data__.get(spec.name) for spec in Delivery.FIELDS}
    values.update(day=delivery.day, occurred_at=delivery.occurred_at, result="accepted")
    found = []
    for rule in BLOCK_RULES.get(Delivery.KIND, ()):
        found.extend(rule(values, canteen, delivery.id))
    return [f for f in found if RULES[f.rule].severity == BLOCK]


# ---- the daily close and the time to close -----------------------------------------------

CLOSE_ANSWERS = frozenset({"CHK-MISSING"})  # the signed inspection that closes the day is its own answer
NOT_AT_CLOSE = CLOSE_ANSWERS | {"DIST-NOTICE"}  # a notice is due by its own deadline, not by the day's close


def open_violations_on(session, day: dt.date) -> list[Finding]:
    """The day's violations whose case is not verified by now: what the daily close of that day
    asks a reason for. A violation counts as dealt with when a corrective action for its rule and
    subject, of a case begun on or before the day, was verified on or after that day (a check
    made before the day was undone by the day's occurrence)."""
    scope = scope_of(session)
    found = session.remember(("violations", day), lambda: [  # a batch (the demo's day) evaluates once
        f for f in evaluate(scope.site_id, day, day, today=session.today(), severities=frozenset({VIOLATION}))
        if f.rule not in NOT_AT_CLOSE])
    if not found:
        return []
    actions = actions_of(scope.site_id, day - dt.timedelta(days=LOOKBACK), day)
    return [f for f in found if not any(
        a.case_start <= day and a.verified_at is not None and to_local(a.verified_at, scope.tz).date() >= day
        for a in actions.get((f.rule, f.case_subject), []))]


@dataclass(frozen=True)
class RuleTiming:
    """How fast a rule's cases were dealt with over a period: the number a bureau asks for."""

    rule: str
    cases: int
    acted: int
    verified: int
    late: int  # acted after the deadline, or still without an action past it
    open: int
    hours_to_action: float | None  # median, from the start of the first day
    hours_to_verified: float | None
    auto_closed: int = 0
    waits: list = field(default_factory=list, repr=False, compare=False)


def time_to_close(found: list[Case], tz: str, now: dt.datetime) -> list[RuleTiming]:
    """Per rule, in catalogue order: cases, how many acted, verified, late, and the median hours
    from the case's first day to its first action and to its verification."""
    by_rule: dict[str, list[Case]] = defaultdict(list)
    for case in found:
        by_rule[case.rule].append(case)
    table = []
    for rule in RULES:
        if rule not in by_rule:
            continue
        group = by_rule[rule]
        start = {id(c): to_utc(dt.datetime.combine(c.first_day, dt.time()), tz) for c in group}
        to_action = [hours(c.first_action_at - start[id(c)]) for c in group if c.first_action_at]
        to_verify = [hours(c.closed_at - start[id(c)]) for c in group if c.closed_at and c.rejected_delivery is None]
        late = sum(1 for c in group if (c.first_action_at or now) > c.due and c.rejected_delivery is None)
        table.append(RuleTiming(rule, len(group), sum(1 for c in group if c.actions), sum(1 for c in group if c.closed),
                                late, sum(1 for c in group if c.status == "open"), median(to_action), median(to_verify),
                                sum(1 for c in group if c.rejected_delivery is not None)))
    return table


def hours(delta: dt.timedelta) -> float:
    return max(0.0, delta.total_seconds() / 3600)


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def annotate(found: list[Finding], built: list[Case]) -> list[dict]:
    """Each finding as `check --json` gives it, with its case id and the case's status."""
    where = {}
    for case in built:
        for f in case.findings:
            where[(f.rule, f.case_subject, f.day, f.record_kind, f.record_id)] = case
    out = []
    for f in found:
        case = where.get((f.rule, f.case_subject, f.day, f.record_kind, f.record_id))
        data = f.as_json()
        data["case"] = case.id if case else None
        data["status"] = ("overdue" if case.overdue else case.status) if case else None
        out.append(data)
    return out
