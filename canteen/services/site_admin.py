"""The administrator's writes to the canteen itself: its details and its settings.

Thresholds that docs/domain.md marks unconfirmed are settings, so a change to one changes what the
rule engine reports; such a change must be as accountable as a change to a record. Both
writes are admin-only, validated, and audited in the same transaction as the change.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .. import settings
from ..db import service_transaction
from ..errors import PermissionDenied, ValidationError
from ..integrity import chain
from ..integrity.canonical import plain
from ..models import Site
from . import permissions, users

SITE_FIELDS = {  # column: (English label, Chinese label, longest, required)
    "name": ("Canteen name", "食堂名称", 200, True),
    "school": ("School", "学校", 200, False),
    "licence_no": ("Food operation licence no.", "食品经营许可证编号", 100, False),
    "address": ("Address", "地址", 300, False),
    "timezone": ("Time zone", "时区", 64, True),
}
# Settings that bound a range: the lower may not exceed the upper.
PAIRS = (("sample_temp_min_c", "sample_temp_max_c"), ("control_delta_min", "control_delta_max"),
         ("surplus_rate_min_pct", "surplus_rate_max_pct"))


def _clean_site_field(name: str, raw: Any) -> str:
    if name not in SITE_FIELDS:
        raise ValidationError(name, "is not a detail of the canteen", "不是食堂信息的项目")
    en, zh, longest, required = SITE_FIELDS[name]
    if raw is not None and not isinstance(raw, str):  # not the text "['x']" of a list a script passed
        raise ValidationError(name, f"must be text, not {type(raw).__name__}", "必须是文字", en, zh)
    value = (raw or "").strip()
    if required and not value:
        raise ValidationError(name, "is required", "必须填写", en, zh)
    if len(value) > longest:
        raise ValidationError(name, f"is too long (at most {longest} characters)", f"过长（最多 {longest} 个字符）", en, zh)
    if any(ord(c) < 32 for c in value):
        raise ValidationError(name, "contains control characters", "含有控制字符", en, zh)
    if name == "timezone":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError(name, f"{value!r} is not a known time zone (e.g. Asia/Shanghai)",
                                  f"“{value}”不是已知时区（例如 Asia/Shanghai）", en, zh) from None
    return value


def update_site(session, **fields: Any) -> Site:
    """Change the canteen's details (name, school, licence number, address, time zone)."""
    permissions.require_role(session, permissions.ADMINS, "edit the canteen's details of")
    values = {name: _clean_site_field(name, raw) for name, raw in fields.items()}
    site = Site.get_by_id(session.site.id)
    before = {name: getattr(site, name) for name in values}
    changed = {name: value for name, value in values.items() if before[name] != value}
    if not changed:
        return site
    with service_transaction():
        Site.update(**changed).where(Site.id == site.id).execute()
        chain.append("site-update", user=session.user, site_id=site.id, kind="sites", record_id=site.id,
                     before={k: before[k] for k in changed}, after=changed, at=session.now())
    session.site = Site.get_by_id(site.id)
    return session.site


def add_site(session, name: str, admin_username: str, admin_password: str, school: str = "") -> Site:
    """The district administrator adds a canteen with its first administrator, who must choose
    their own password at first sign-in; both writes are in the new canteen's audit chain."""
    permissions.require_district_admin(session, "add canteens")
    name = _clean_site_field("name", name)
    if Site.select().where(Site.name == name).exists():
        raise ValidationError("name", f"there is already a canteen {name!r}", f"已有名为“{name}”的食堂",
                              "Canteen name", "食堂名称")
    with service_transaction():
        site = Site.create(name=name, school=(school or name).strip(), created_at=session.now())
        chain.append("site-create", user=session.user, site_id=site.id, kind="sites", record_id=site.id,
                     after={"name": site.name}, at=session.now())
        users.add_user(site, admin_username, "System administrator", "admin", admin_password, by=session.user,
                       must_change_password=True)
    return site


def find_site(name: str) -> Site:
    """The canteen of that name, or a ValidationError naming the canteens there are."""
    site = Site.get_or_none(Site.name == name) if isinstance(name, str) else None
    if site is None:
        names = "、".join(s.name for s in Site.select(Site.name).order_by(Site.id)) or "—"
        raise ValidationError("site", f"there is no canteen {name!r} (there are: {names})",
                              f"没有名为“{name}”的食堂（现有：{names}）", "Canteen", "食堂")
    return site


def enter_site(session, name: str | None) -> Site:
    """Choose the canteen a session acts in (`--site`). Without a name: the user's own canteen, or
    the only one the database holds; several canteens and none named is refused, as is a canteen
    the user does not belong to (audited)."""
    if name is None:
        site = session.site or only_site()
    else:
        site = find_site(name)
    if session.user is not None and not permissions.may_enter_site(session.user, site.id):
        permissions.refuse(session, f"enter canteen {site.name}")
        raise PermissionDenied(f"User {session.user.username} does not belong to canteen {site.name}.",
                               f"用户 {session.user.username} 不属于食堂“{site.name}”。")
    session.site = site
    return site


def only_site() -> Site:
    sites = list(Site.select().order_by(Site.id).limit(2))
    if not sites:
        raise ValidationError("site", "the database holds no canteen yet (add one with 'site add')",
                              "数据库中还没有食堂（请用 'site add' 添加）", "Canteen", "食堂")
    if len(sites) > 1:
        raise ValidationError("site", "the database holds several canteens: name one with --site NAME",
                              "数据库中有多个食堂：请用 --site 名称 指定其一", "Canteen", "食堂")
    return sites[0]


def several_sites() -> bool:
    """Whether the database holds more than one canteen."""
    return Site.select().limit(2).count() > 1


def readable_sites(session) -> list[Site]:
    """The canteens whose records the session reads (check --all-sites): every one for the
    district inspector, a school user's own; the district administrator reads none (refused)."""
    permissions.require_read_records(session)
    if session.role in permissions.ALL_SITE_READERS:
        return list(Site.select().order_by(Site.id))
    return [Site.get_by_id(session.user.site_id)]


def update_setting(session, key: str, raw: Any) -> Any:
    """Validate and store one setting; returns the value now in force."""
    return update_settings(session, {key: raw})[key]


def update_settings(session, changes: dict[str, Any]) -> dict[str, Any]:
    """Several settings at once, all or nothing: every value is checked before any is written.
    The district administrator changes those of the canteen the session has chosen."""
    permissions.require_role(session, permissions.ADMINS | permissions.DISTRICT_ADMINS, "change the settings of")
    if session.site is None:
        raise ValidationError("site", "name the canteen (--site NAME), or set a district default",
                              "请指定食堂（--site 名称），或设置区县默认值", "Canteen", "食堂")
    if not isinstance(changes, dict):
        raise ValidationError("settings", "must be a mapping of setting names to values", "必须是设置项到取值的映射",
                              "Settings", "设置")
    values = {}
    for key, raw in changes.items():
        if key not in settings.DEFS:
            raise ValidationError(key, "is not a known setting", "不是已知的设置项")
        values[key] = settings.DEFS[key].parse(raw)
    stored = settings.all_for(session.site.id)
    proposed = {**stored, **values}
    for key in values:
        _check_against(proposed, key)
    changed = {key: value for key, value in values.items() if stored[key] != value}
    with service_transaction():
        for key, value in changed.items():
            settings.store(session.site.id, key, value)
            chain.append("setting-update", user=session.user, site_id=session.site.id, kind="settings",
                         before={key: plain(stored[key])}, after={key: plain(value)}, reason=key,
                         at=session.now())
    return values


def update_default(session, key: str, raw: Any) -> Any:
    """The district administrator sets the default a canteen has until it sets its own (audited
    in the district's chain)."""
    permissions.require_district_admin(session, "change settings defaults")
    if key not in settings.DEFS:
        raise ValidationError(key, "is not a known setting", "不是已知的设置项")
    value = settings.DEFS[key].parse(raw)
    stored = settings.defaults()
    proposed = {**stored, key: value}
    _check_against(proposed, key)
    if stored[key] == value:
        return value
    with service_transaction():
        settings.store_default(key, value)
        chain.append("setting-default", user=session.user, kind="settings", before={key: plain(stored[key])},
                     after={key: plain(value)}, reason=key, at=session.now())
    return value


def _check_against(proposed: dict[str, Any], key: str) -> None:
    for low, high in PAIRS:
        if key in (low, high) and proposed[low] > proposed[high]:
            other = high if key == low else low
            d, o = settings.DEFS[key], settings.DEFS[other]
            word_en, word_zh = ("above", "高于") if key == low else ("below", "低于")
            raise ValidationError(key, f"cannot be {word_en} “{o.en}” ({proposed[other]})",
                                  f"不能{word_zh}“{o.zh}”（{proposed[other]}）", d.en, d.zh)
