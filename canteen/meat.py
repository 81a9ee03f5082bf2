"""The kind of meat a delivery is, and the maintained lists its default is read from.

Whether meat is pork decides which certificates it needs (pork also needs the meat-quality
inspection certificate, 肉品品质检验合格证明), so it is a field of the delivery, never only a word
in the item name: "五花肉", "排骨", "里脊" are pork although none says 猪. The item name only
proposes the kind (the form shows it as the user types; import and the command line take it when
the column is empty), and the user may change it.

Plain data and one function, no imports: the models, the services, the schema step that fills
the kind for old rows and the form all read the same lists.
"""

from __future__ import annotations

MEAT_CATEGORIES = ("meat", "poultry")

MEAT_KINDS = (
    ("pork", "Pork", "猪肉"),
    ("beef", "Beef", "牛肉"),
    ("mutton", "Mutton / lamb", "羊肉"),
    ("poultry", "Poultry", "禽肉"),
    ("other", "Other meat", "其他肉类"),
)

# Words that name another animal come first, so that 牛里脊, 羊排 and 鸡排 are not taken for pork
# because they contain a pork cut's name.
POULTRY_WORDS = ("鸡", "鸭", "鹅", "鸽", "鹌鹑", "禽", "chicken", "duck", "goose", "turkey", "poultry")
BEEF_WORDS = ("牛", "beef", "veal")
MUTTON_WORDS = ("羊", "mutton", "lamb")
OTHER_MEAT_WORDS = ("驴", "兔", "马肉", "鹿", "狗", "donkey", "rabbit", "venison")

# Common pork cuts and products as canteens write them on a delivery note. Maintained: add a
# cut here when a site's deliveries show one the list misses.
PORK_CUTS = (
    "猪", "豬", "pork",
    "五花", "三线肉", "肋条", "排骨", "肋排", "小排", "大排", "肉排", "里脊", "通脊", "外脊", "梅花肉", "梅肉",
    "前腿", "后腿", "前夹", "夹心肉", "坐臀", "臀尖", "后臀", "蹄髈", "肘子", "肘", "蹄", "腱子",
    "筒骨", "龙骨", "扇骨", "棒骨", "脊骨", "大骨", "汤骨", "腔骨",
    "瘦肉", "肥肉", "精肉", "鲜肉", "肉末", "肉馅", "肉丝", "肉片", "肉丁", "肉糜",
    "腊肉", "火腿", "培根", "香肠", "腊肠", "午餐肉",
    "肥肠", "大肠", "小肠", "肚", "腰花", "腰子", "肝", "耳", "头肉", "血",
)


def _mentions(name: str, words: tuple[str, ...]) -> bool:
    return any(word in name for word in words)


def default_meat_kind(item: str | None, category: str | None) -> str | None:
    """The kind of meat the item name and category suggest; None where they do not tell (the
    user must say), and for goods that are not meat at all."""
    if category not in MEAT_CATEGORIES:
        return None
    if category == "poultry":
        return "poultry"
    name = (item or "").strip().lower()
    for kind, words in (("poultry", POULTRY_WORDS), ("beef", BEEF_WORDS), ("mutton", MUTTON_WORDS),
                        ("other", OTHER_MEAT_WORDS), ("pork", PORK_CUTS)):
        if name and _mentions(name, words):
            return kind
    return None
