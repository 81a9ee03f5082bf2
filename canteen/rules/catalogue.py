"""Every rule of docs/domain.md §4: its id, severity, and the source a finding names."""

from __future__ import annotations

from dataclasses import dataclass

BLOCK, VIOLATION, WARNING, REMINDER = "block", "violation", "warning", "reminder"
SEVERITIES = (BLOCK, VIOLATION, WARNING, REMINDER)
SEVERITY_LABELS = {BLOCK: ("Block", "禁止"), VIOLATION: ("Violation", "违规"), WARNING: ("Warning", "警告"), REMINDER: ("Reminder", "提醒")}

FSL = ("Food Safety Law", "《食品安全法》")
CODE = ("Catering Food Safety Operating Code 2018", "《餐饮服务食品安全操作规范》（2018）")
ORDER45 = ("School Food Safety Order No. 45", "《学校食品安全与营养健康管理规定》（45号令）")
GBT5009 = ("GB/T 5009.199-2003", "GB/T 5009.199-2003")


LOCAL = ("Local school-canteen finance rules", "地方学校食堂财务管理规定")
DISTRICT = ("District inspection (Order No. 45)", "区县监督检查（45号令）")

# Article numbers only where the domain specification gives them, and FSL art. 34 (the foods that may not be
# handled); otherwise the regulation alone, rather than a wrong article.
ARTICLES = {
    "34": ("art. 34", "第三十四条"), "34(8)": ("art. 34(8)", "第三十四条第（八）项"), "40": ("art. 40", "第四十条"),
    "27": ("art. 27", "第二十七条"), "13": ("art. 13", "第十三条"), "50": ("art. 50", "第五十条"),
    "C": ("appendix C", "附录C"),
}


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    en: str
    zh: str
    source: tuple[str, str]
    article: str = ""
    reported: str = ""  # a block rule's severity when a period rule reports the state (it arose without a write to refuse)

    def source_text(self, language: str = "en") -> str:
        zh = language.startswith("zh")
        name = self.source[1] if zh else self.source[0]
        article = ARTICLES[self.article][1 if zh else 0] if self.article else ""
        return f"{name}{article}" if zh else f"{name} {article}".strip()


RULES = {r.id: r for r in (
    Rule("PUR-EXPIRED", BLOCK, "Goods past their expiry date accepted", "验收了超过保质期的食品", FSL, "34"),
    Rule("PUR-NITRITE", BLOCK, "Nitrite bought or used", "采购或使用亚硝酸盐", ORDER45),
    Rule("PUR-CERT", BLOCK, "Accepted from a supplier without a valid required certificate", "供货者缺少有效的必备证照", CODE),
    Rule("PUR-QUARANTINE", BLOCK, "Meat accepted without quarantine (pork: and quality) certificate", "肉类无检疫合格证明（猪肉另需肉品品质检验合格证明）", FSL, "34(8)"),
    Rule("PUR-COLD", VIOLATION, "Chilled or frozen goods arrived too warm", "冷藏冷冻食品到货温度过高", CODE),
    Rule("PES-POSITIVE", BLOCK, "A batch with an unresolved positive pesticide screen used or accepted", "农残初检阳性且未经两次复检阴性的批次被使用或验收", GBT5009,
         reported=VIOLATION),
    Rule("PES-MISSING", VIOLATION, "Vegetables or fruit accepted with no pesticide test that day", "蔬菜水果验收当日无农残检测", ORDER45),
    Rule("SMP-MISSING", VIOLATION, "A menu dish has no retained sample", "菜谱中的菜品未留样", ORDER45, "40"),
    Rule("SMP-WEIGHT", VIOLATION, "A retained sample under the minimum weight", "留样重量不足", ORDER45, "40"),
    Rule("SMP-EARLY", VIOLATION, "A retained sample discarded before 48 hours", "留样未满 48 小时即销毁", ORDER45, "40"),
    Rule("SMP-TEMP", WARNING, "Sample storage temperature outside the set range", "留样储存温度超出设定范围", CODE, "C"),
    Rule("STF-HEALTH", VIOLATION, "A person worked with an expired health certificate", "健康证过期人员上岗", ORDER45, "27"),
    Rule("STF-MORNING", VIOLATION, "A person on duty has no morning check", "在岗人员无晨检记录", ORDER45, "27"),
    Rule("STF-SYMPTOM", BLOCK, "A person with a symptom marked fit for work", "有症状人员被判定可上岗", ORDER45, "27"),
    Rule("CHK-MISSING", VIOLATION, "A service day has no signed daily inspection", "供餐日无已签名的每日检查", ORDER45),
    Rule("ACM-MISSING", VIOLATION, "A meal has no accompanied-meal record", "餐次无陪餐记录", ORDER45, "13"),
    Rule("DIS-MISSING", VIOLATION, "A meal has no tableware disinfection record", "餐次无餐用具消毒记录", CODE),
    Rule("DIS-PARAM", VIOLATION, "Disinfection below its temperature, time or concentration", "消毒温度、时间或浓度不足", CODE),
    Rule("WAT-SUPPLY", WARNING, "Too few water supplies, or an operator without a valid certificate", "供水次数不足或供水人无有效健康证", ORDER45, "27"),
    Rule("WAT-CLEAN", WARNING, "A water container not cleaned that day", "盛水容器当日未清洗", CODE),
    Rule("SHP-THREE-NO", BLOCK, "A \"three-no\" product marked for sale", "三无产品在售", FSL, "34"),
    Rule("CERT-EXPIRING", REMINDER, "A certificate expires soon", "证照即将到期", CODE),
    Rule("LATE-ENTRY", WARNING, "A record entered more than 24 hours after the event", "记录在事件发生 24 小时后补录", FSL, "50"),
    Rule("DIST-NOTICE", VIOLATION, "A district inspection notice to correct", "区县检查整改通知", DISTRICT),
    Rule("COST-SURPLUS", WARNING, "A month's surplus rate outside the set band", "月度伙食结余率超出设定范围", LOCAL),
)}
