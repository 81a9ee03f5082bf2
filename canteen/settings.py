"""Per-site settings: every threshold docs/domain.md marks unconfirmed lives here with its default."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable
from urllib.parse import urlsplit

from .errors import ValidationError
from .models import Setting
from .models.base import DatabaseFact
from .numbers import NotANumber, parse_number
from .remedies import DAYS_TO_ACT, parse_deadlines


@dataclass(frozen=True)
class SettingDef:
    key: str
    default: Any
    en: str
    zh: str
    minimum: Any = None
    maximum: Any = None
    check: Callable[[str], object] | None = None  # a text setting's own reading; raises ValueError with .en/.zh
    district_only: bool = False  # the district's rule for every canteen: no canteen sets its own

    def parse(self, raw: Any) -> Any:
        kind = type(self.default)
        if raw is None or isinstance(raw, (list, tuple, dict, set, bool)):
            if raw is None and kind is str:
                return ""  # a text setting left empty (no CJK font chosen, no other cost counted)
            shown = "nothing" if raw is None else type(raw).__name__
            raise ValidationError(self.key, f"must be a {kind.__name__}, not {shown}", "格式不正确", self.en, self.zh)
        if kind in (int, Decimal):  # the one number parser: "37，5" or "12,5" read as in a form
            try:
                value = parse_number(raw)
            except NotANumber as exc:
                raise ValidationError(self.key, exc.en, exc.zh, self.en, self.zh) from None
            if kind is int and value != value.to_integral_value():
                raise ValidationError(self.key, f"must be a whole number, not {value}", f"必须是整数，不能是 {value}",
                                      self.en, self.zh)
            value = kind(value)
        else:
            value = str(raw).strip()
            self._check_text(value)
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(self.key, f"must be at least {self.minimum}", f"不能小于 {self.minimum}", self.en, self.zh)
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(self.key, f"must be at most {self.maximum}", f"不能大于 {self.maximum}", self.en, self.zh)
        return value


    def _check_text(self, value: str) -> None:
        if self.check is None:
            return
        try:
            self.check(value)
        except ValueError as exc:
            raise ValidationError(self.key, getattr(exc, "en", str(exc)), getattr(exc, "zh", str(exc)),
                                  self.en, self.zh) from None


def _known_rule_deadlines(text: str) -> dict[str, int]:
    return parse_deadlines(text, DAYS_TO_ACT)


class NotADistrictAddress(ValueError):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh


def district_address(text: str) -> str:
    """The district's database a canteen pushes to (issue 12): empty (no online push) or a
    PostgreSQL URL naming a server and a database; anything else is refused, so a typing slip is
    caught when the setting is saved rather than at the first push."""
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme not in ("postgresql", "postgres"):
        raise NotADistrictAddress("must be a PostgreSQL address: postgresql://user@server/database",
                                  "必须是 PostgreSQL 地址：postgresql://用户@服务器/数据库")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if not parts.hostname or port == -1 or not parts.path.strip("/") or any(c.isspace() for c in text):
        raise NotADistrictAddress("needs a server and a database: postgresql://user@server:5432/database",
                                  "需要服务器和数据库：postgresql://用户@服务器:5432/数据库")
    return text


DEFS = {d.key: d for d in (
    SettingDef("sample_min_g", Decimal("125"), "Minimum sample weight (g)", "留样最少重量（克）", Decimal(1), Decimal(5000)),
    SettingDef("sample_hours", 48, "Sample keeping time (hours)", "留样保存时间（小时）", 1, 720),
    SettingDef("sample_temp_min_c", Decimal("0"), "Sample fridge minimum (°C)", "留样冰箱最低温度（°C）", Decimal(-40), Decimal(20)),
    SettingDef("sample_temp_max_c", Decimal("8"), "Sample fridge maximum (°C)", "留样冰箱最高温度（°C）", Decimal(-40), Decimal(20)),
    SettingDef("pesticide_positive_pct", Decimal("50"), "Pesticide positive at inhibition ≥ (%)", "农残阳性判定抑制率≥（%）", Decimal(1), Decimal(100)),
    SettingDef("control_delta_min", Decimal("0.3"), "Expected ΔA0 minimum", "ΔA0 期望下限", Decimal(0), Decimal(5)),
    SettingDef("control_delta_max", Decimal("0.8"), "Expected ΔA0 maximum", "ΔA0 期望上限", Decimal(0), Decimal(5)),
    SettingDef("chilled_min_c", Decimal("0"), "Chilled goods without a label: coldest on arrival (°C)", "冷藏食品（无标签温度）到货最低温度（°C）", Decimal(-10), Decimal(20)),
    SettingDef("chilled_max_c", Decimal("8"), "Chilled goods without a label: warmest on arrival (°C)", "冷藏食品（无标签温度）到货最高温度（°C）", Decimal(-10), Decimal(20)),
    SettingDef("chilled_margin_c", Decimal("3"), "Chilled goods: allowed above label (°C)", "冷藏食品允许高于标签温度（°C）", Decimal(0), Decimal(20)),
    SettingDef("frozen_max_c", Decimal("-9"), "Frozen goods: warmest on arrival, labelled (°C)", "冷冻食品到货最高温度（有标签，°C）", Decimal(-40), Decimal(0)),
    SettingDef("frozen_unlabelled_max_c", Decimal("-12"), "Frozen goods: warmest on arrival, unlabelled (°C)", "冷冻食品到货最高温度（无标签，°C）", Decimal(-40), Decimal(0)),
    SettingDef("fever_c", Decimal("37.3"), "Fever from (°C)", "发热判定体温（°C）", Decimal(36), Decimal(40)),
    SettingDef("cert_alert_days", 30, "Warn before a certificate expires (days)", "证照到期提前提醒（天）", 1, 365),
    SettingDef("late_entry_hours", 24, "Entry is late after (hours)", "补录判定时限（小时）", 1, 720),
    SettingDef("water_supplies_per_day", 2, "Water supplies per school day", "每日供水次数", 1, 10),
    SettingDef("water_containers", "B1,B2,B3,B4,B5,B6", "Water containers (comma-separated)", "盛水容器编号（逗号分隔）"),
    SettingDef("surplus_rate_min_pct", Decimal("-2"), "Lowest allowed surplus rate (%)", "结余率下限（%）", Decimal(-100), Decimal(100)),
    SettingDef("surplus_rate_max_pct", Decimal("2"), "Highest allowed surplus rate (%)", "结余率上限（%）", Decimal(-100), Decimal(100)),
    SettingDef("costs_counted", "", "Other costs counted as cost (fuel,utilities,wages)", "计入成本的其他支出（fuel,utilities,wages）"),
    SettingDef("idle_lock_minutes", 10, "Lock the screen after idle (minutes)", "空闲锁屏（分钟）", 1, 240),
    SettingDef("pdf_font", "", "CJK TrueType font file for PDFs", "PDF 中文字体文件（TrueType）"),
    SettingDef("push_stale_hours", 24, "District: a canteen is stale after no push for (hours)",
               "区县：食堂超过多少小时未上报即为超时（小时）", 1, 720, district_only=True),
    SettingDef("case_deadlines", "", "Days to act on a case, where not the usual (RULE=DAYS, …)",
               "整改期限（天，与默认不同的规则：规则=天数，…）", check=_known_rule_deadlines),
    SettingDef("district_address", "", "District database to push to (postgresql://…)",
               "上报区县的数据库地址（postgresql://…）", check=district_address),
)}


DEFAULT_PREFIX = "default:"  # a district's default for a setting, kept in `meta` (no canteen owns it)


def get(site_id: int | None, key: str) -> Any:
    """The site's value for `key`, else the district's default, else the built-in default."""
    definition = DEFS[key]
    row = Setting.get_or_none((Setting.site == site_id) & (Setting.key == key)) if site_id is not None else None
    if row is None:
        row = DatabaseFact.get_or_none(DatabaseFact.key == DEFAULT_PREFIX + key)
    return definition.default if row is None else definition.parse(row.value)


def defaults() -> dict[str, Any]:
    """The defaults a canteen starts from: the district's where it set one, else the built-in."""
    stored = {r.key[len(DEFAULT_PREFIX):]: r.value
              for r in DatabaseFact.select().where(DatabaseFact.key.startswith(DEFAULT_PREFIX))}
    return {k: (d.parse(stored[k]) if k in stored else d.default) for k, d in DEFS.items()}


def all_for(site_id: int | None) -> dict[str, Any]:
    if site_id is None:
        return defaults()
    return all_for_sites([site_id])[site_id]


def all_for_sites(site_ids) -> dict[int, dict[str, Any]]:
    """Every setting of each of these canteens (a district's), in two reads whatever their number."""
    base, ids = defaults(), list(site_ids)
    stored: dict[int, dict[str, str]] = {site: {} for site in ids}
    for site, key, value in Setting.select(Setting.site, Setting.key, Setting.value).where(
            Setting.site.in_(ids)).tuples():
        stored[site][key] = value
    return {site: {k: (d.parse(own[k]) if k in own else base[k]) for k, d in DEFS.items()}
            for site, own in stored.items()}


def store_default(key: str, raw: Any) -> Any:
    """Validate and write the district's default for one setting (caller: transaction and audit)."""
    if key not in DEFS:
        raise ValidationError(key, "is not a known setting", "不是已知的设置项")
    value = DEFS[key].parse(raw)
    DatabaseFact.insert(key=DEFAULT_PREFIX + key, value=str(value)).on_conflict(
        conflict_target=[DatabaseFact.key], update={DatabaseFact.value: str(value)}).execute()
    return value


def store(site_id: int, key: str, raw: Any) -> Any:
    """Validate and write one setting (the caller holds the transaction and writes the audit)."""
    if key not in DEFS:
        raise ValidationError(key, "is not a known setting", "不是已知的设置项")
    definition = DEFS[key]
    if definition.district_only:  # a canteen would otherwise choose how late it may push
        raise ValidationError(key, "is the district's, the same for every canteen (set at the district "
                              "database, without --site)", "由区县统一设定，各食堂相同（在区县数据库中设置，不指定 --site）",
                              definition.en, definition.zh)
    value = definition.parse(raw)
    Setting.insert(site=site_id, key=key, value=str(value)).on_conflict(
        conflict_target=[Setting.site, Setting.key], update={Setting.value: str(value)}).execute()
    return value
