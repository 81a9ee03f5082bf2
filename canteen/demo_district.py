"""A demo district: an education bureau's database holding many canteens, each a demo term of
its own (canteen.demo), with its own people, suppliers and habits.

Deterministic for a seed: canteen i's names and term come from seeded generators of their own.
The bureau signs in as `bureau`, the district inspector as `inspector`; canteen i's users are
admin<i>, manager<i>, doctor<i>, director<i>, leader<i>, auditor<i>; every password is 'demo'.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from typing import Callable

from .db import open_database
from .demo import DEMO_PASSWORD, DEMO_USERS, HABITS, LEADERS, STAFF, SUPPLIERS, Cast, Habits, add_demo_users, build_term
from .models import Site, User
from .services import site_admin, users

DISTRICT = "城关区教育局"
CANTEENS = (
    "城关第一中学学生食堂", "城关第二中学学生食堂", "城关区实验小学食堂", "东城中学学生食堂", "西城小学食堂",
    "南关中学学生食堂", "北山小学食堂", "河西镇中心学校食堂", "新区实验中学食堂", "滨江小学食堂",
    "育才中学学生食堂", "红星小学食堂", "城南中学学生食堂", "桥头镇中心小学食堂", "青山中学学生食堂",
    "解放路小学食堂", "城北初级中学食堂", "民族中学学生食堂", "长乐镇中心学校食堂", "第三中学学生食堂",
)
TOWNS = ("城东", "城西", "城南", "城北", "河西", "桥头", "长乐", "青山", "滨江", "新区")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN_MALE = ("建国", "志强", "伟", "军", "海涛", "国平", "晓东", "建华", "明", "永刚", "德福", "俊杰", "卫东", "振华")
GIVEN_FEMALE = ("秀兰", "桂英", "红梅", "丽华", "静", "丽", "晓燕", "玉梅", "春花", "雪梅", "婷", "芳")
FEMALE = {"李静", "王秀兰", "张桂英", "李红梅", "孙丽华", "郑丽", "周丽"}
# The habit of canteen i, repeating: most are ordinary, some diligent, some sloppy; one (the
# third) stopped keeping a lunch sample for a month.
HABIT_CYCLE = ("diligent", "sloppy", "missing-samples", "ordinary", "ordinary", "diligent", "sloppy", "ordinary")


def habit_of(i: int) -> str:
    """Canteen i's habit; only the third canteen goes a month without samples."""
    habit = HABIT_CYCLE[i % len(HABIT_CYCLE)]
    return "ordinary" if habit == "missing-samples" and i != 2 else habit


def habits_of(i: int, seed: int) -> Habits:
    """Canteen i's habits, its lapses falling on days of its own (the demo's plan shifted), and its
    cook's health certificate lapsing on a day of its own or not at all (never at a diligent one)."""
    rng = random.Random(f"habits-{seed}-{i}")
    habits = HABITS[habit_of(i)]
    shift = rng.random()
    lapse = None if habits.health_lapse_days is None else rng.choice((None, 3, 6, 12))
    return dataclasses.replace(habits, lapse_rounds=tuple((r + shift) % 1 for r in habits.lapse_rounds),
                               health_lapse_days=lapse)


def canteen_name(i: int) -> str:
    return CANTEENS[i] if i < len(CANTEENS) else f"{TOWNS[i % len(TOWNS)]}第{i + 1}学校食堂"


def cast_for(i: int, seed: int) -> Cast:
    """Canteen i's people (staff, school leaders, supplier contacts) and suppliers, named from a
    seeded list; its users numbered (manager3 …)."""
    rng, names, taken = random.Random(f"cast-{seed}-{i}"), {}, set()
    people = [n for n, _ in STAFF] + [n for n, _ in LEADERS] + [name for _, name, *_ in DEMO_USERS] + [
        s[3] for s in SUPPLIERS]
    for person in dict.fromkeys(people):
        name = person
        while name in taken or name == person:
            given = GIVEN_FEMALE if person in FEMALE else GIVEN_MALE
            name = rng.choice(SURNAMES) + rng.choice(given)
        taken.add(name)
        names[person] = name
    town = TOWNS[rng.randrange(len(TOWNS))]
    for supplier, _kind, _address, contact, *_ in SUPPLIERS:
        if "个体农户" in supplier:
            names[supplier] = f"{names[contact]}（个体农户）"
        else:
            names[supplier] = supplier.replace("城关", town) if "城关" in supplier else town + supplier.lstrip("县")
    for _, _, address, *_ in SUPPLIERS:
        names[address] = address.replace("城关", town)
    return Cast({u: f"{u}{i + 1}" for u, *_ in DEMO_USERS}, names)


def build_district(url: str, sites: int, days: int = 100, seed: int = 1, end: dt.date | None = None,
                   progress: Callable[[int, str], None] | None = None) -> list[dict]:
    """Make a new district database at `url` with `sites` demo canteens; returns, per canteen,
    its name, habit, users and term."""
    open_database(url, create=True)
    users.create_district(DISTRICT, "bureau", DEMO_PASSWORD)
    users.add_user(None, "inspector", "区教育局食品安全检查员", "district-inspector", DEMO_PASSWORD)
    bureau = users.session_for("bureau")
    built = []
    for i in range(sites):
        built.append(build_canteen(bureau, i, days, seed, end))
        if progress:
            progress(i + 1, built[-1]["name"])
    return built


def build_canteen(bureau, i: int, days: int, seed: int, end: dt.date | None) -> dict:
    """Canteen i added by the bureau (its administrator keeps the demo password), then its term."""
    cast = cast_for(i, seed)
    site = site_admin.add_site(bureau, canteen_name(i), f"admin{i + 1}", DEMO_PASSWORD)
    User.update(must_change_password=False).where(User.username == f"admin{i + 1}").execute()
    add_demo_users(site, cast)
    habit = habit_of(i)
    term = build_term(Site.get_by_id(site.id), days, seed * 1000 + i, end, habits=habits_of(i, seed), cast=cast)
    return {"name": site.name, "habit": habit, "users": [f"admin{i + 1}"] + [cast.username(u) for u, *_ in DEMO_USERS],
            **term}
