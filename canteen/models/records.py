"""Every record type the canteen keeps (docs/domain.md §3), each declared field by field.

The FIELDS of a record are its columns, its validation and its bilingual labels at once.
Times typed by a user are local; the service stores them in UTC.
"""

from __future__ import annotations

import json
from decimal import Decimal

from .. import fields as f
from ..fields import MEALS
from ..meat import MEAT_KINDS
from ..remedies import ACTIONS
from .base import Record, record

SUPPLIER_KINDS = (
    ("producer", "Food producer", "食品生产者"),
    ("distributor", "Distributor / supermarket", "经营者/超市"),
    ("farm", "Farm / co-operative", "农场/合作社"),
    ("farmer", "Individual farmer", "个体农户"),
    ("market", "Market", "农贸市场"),
)
CERT_TYPES = (
    ("production_licence", "Food production licence", "食品生产许可证"),
    ("product_qualification", "Product qualification proof", "产品合格证明"),
    ("operation_licence", "Food operation licence", "食品经营许可证"),
    ("business_licence", "Business licence (credit code)", "营业执照（统一社会信用代码）"),
    ("identity", "Identity proof", "身份证明"),
    ("purchase_voucher", "Stamped purchase voucher", "盖章采购凭证"),
    ("other", "Other", "其他"),
)
CATEGORIES = (
    ("meat", "Meat", "畜肉"), ("poultry", "Poultry", "禽肉"), ("aquatic", "Aquatic", "水产"),
    ("vegetable", "Vegetable", "蔬菜"), ("fruit", "Fruit", "水果"), ("grain", "Grain", "粮食"),
    ("oil", "Edible oil", "食用油"), ("seasoning", "Seasoning", "调味品"), ("dairy", "Dairy & eggs", "奶蛋"),
    ("additive", "Food additive", "食品添加剂"), ("other", "Other", "其他"),
)
STORAGE = (("ambient", "Ambient", "常温"), ("chilled", "Chilled", "冷藏"), ("frozen", "Frozen", "冷冻"))
RESULTS = (("accepted", "Accepted", "验收合格"), ("rejected", "Rejected", "拒收"))
POS_NEG = (("negative", "Negative", "阴性"), ("positive", "Positive", "阳性"))
YESNO_DEFAULT_TRUE = {"default": True}

PURCHASING, TESTING, STAFF, HYGIENE, MEALS_GROUP, FINANCE, AUDIT = (
    "purchasing", "testing", "staff", "hygiene", "meals", "finance", "audit")
GROUPS = (
    (PURCHASING, "Purchasing & suppliers", "采购与供应商"),
    (TESTING, "Testing & samples", "检测与留样"),
    (STAFF, "Staff", "人员"),
    (HYGIENE, "Hygiene", "卫生"),
    (MEALS_GROUP, "Meals", "用餐"),
    (FINANCE, "Finance", "财务"),
    (AUDIT, "Inspection & audit", "审计"),
)


@record
class Supplier(Record):
    KIND, EN, ZH, EVENT, GROUP = "suppliers", "Suppliers", "供货者", "none", PURCHASING
    FIELDS = (
        f.text("name", "Name", "名称", required=True, suggest=True),
        f.choice("kind", "Kind", "类型", SUPPLIER_KINDS, required=True),
        f.text("credit_code", "Credit code / ID number", "统一社会信用代码/身份证号", max_len=18),
        f.text("address", "Address", "地址", required=True),
        f.text("contact", "Contact person", "联系人"),
        f.text("phone", "Phone", "电话", max_len=30),
    )


@record
class Certificate(Record):
    KIND, EN, ZH, EVENT, GROUP = "certificates", "Certificates", "证照", "none", PURCHASING
    FIELDS = (
        f.ref("supplier", "Supplier", "供货者", "Supplier", required=True),
        f.choice("cert_type", "Type", "证照类型", CERT_TYPES, required=True),
        f.text("number", "Number", "编号", required=True),
        f.date("issued_on", "Issued", "发证日期", not_future=True),
        f.date("expires_on", "Expires", "有效期至"),
    )

    def title(self, language: str = "en") -> str:
        return f"{self.number}"


@record
class Delivery(Record):
    KIND, EN, ZH, EVENT, GROUP = "deliveries", "Deliveries", "进货查验", "datetime", PURCHASING
    EVENT_EN, EVENT_ZH = "Delivered at", "到货时间"
    LATER_COLUMNS = ("meat_kind",)  # schema 3
    FIELDS = (
        f.text("item", "Item", "品名", required=True, suggest=True),
        f.choice("category", "Category", "类别", CATEGORIES, required=True),
        f.choice("meat_kind", "Meat kind", "肉类品种", MEAT_KINDS),
        f.text("spec", "Specification", "规格", suggest=True),
        f.number("quantity", "Quantity", "数量", required=True, minimum=0, exclusive_min=True, maximum=100000, places=3),
        f.text("unit", "Unit", "单位", required=True, max_len=10, suggest=True, default="kg"),
        f.ref("supplier", "Supplier", "供货者", "Supplier", required=True),
        f.date("production_date", "Production date", "生产日期", not_future=True),
        f.text("batch_no", "Batch number", "批号"),
        f.integer("shelf_life_days", "Shelf life (days)", "保质期（天）", minimum=0, maximum=3650),
        f.date("expiry_date", "Expiry date", "到期日"),
        f.money("unit_price_fen", "Unit price (fen)", "单价（分）", maximum=10**9),
        f.money("amount_fen", "Amount (fen)", "金额（分）"),
        f.text("invoice_no", "Invoice / voucher no.", "票据号"),
        f.flag("certs_checked", "Certificates checked", "已索证"),
        f.text("quarantine_cert_no", "Quarantine certificate no.", "动物检疫合格证明编号"),
        f.text("meat_quality_cert_no", "Meat quality certificate no.", "肉品品质检验合格证明编号"),
        f.flag("sensory_ok", "Sensory check passed", "感官检查合格", default=True),
        f.text("sensory_note", "Sensory note", "感官说明"),
        f.choice("storage", "Storage", "储存条件", STORAGE, default="ambient"),
        f.number("label_temp_c", "Label temperature (°C)", "标签温度（°C）", minimum=-60, maximum=40, places=1),
        f.number("arrival_temp_c", "Arrival temperature (°C)", "到货温度（°C）", minimum=-60, maximum=60, places=1),
        f.choice("result", "Result", "验收结果", RESULTS, required=True),
        f.text("reject_reason", "Reason for rejection", "拒收原因"),
        f.text("receiver", "Receiver", "验收人", required=True, suggest=True),
        f.text("second_inspector", "Second inspector", "复核人", suggest=True),
    )

    def title(self, language: str = "en") -> str:
        if self.quantity is None:
            return self.item
        return f"{self.item} {Decimal(self.quantity).normalize():f}{self.unit}"  # 20.5kg on every database


@record
class PesticideTest(Record):
    KIND, EN, ZH, EVENT, GROUP = "pesticide-tests", "Pesticide tests", "农药残留快检", "datetime", TESTING
    EVENT_EN, EVENT_ZH = "Tested at", "检测时间"
    FIELDS = (
        f.text("sample_name", "Sample", "样品", required=True, suggest=True),
        f.ref("delivery", "Delivery batch", "进货批次", "Delivery"),
        f.choice("method", "Method", "方法", (("spectro", "Spectrophotometer", "分光光度法"), ("card", "Test card", "速测卡")), required=True),
        f.number("control_delta", "ΔA0 (control)", "ΔA0（对照）", minimum=0, exclusive_min=True, maximum=5, places=4),
        f.number("sample_delta", "ΔAt (sample)", "ΔAt（样品）", minimum=-5, maximum=5, places=4),
        f.choice("card_result", "Card result", "速测卡结果", POS_NEG),
        f.number("inhibition_pct", "Inhibition %", "抑制率%", places=2, hidden=True),
        f.choice("result", "Result", "结果", POS_NEG, hidden=True),
        f.text("instrument", "Instrument", "仪器", suggest=True),
        f.text("tester", "Tester", "检测人", required=True, suggest=True),
        f.text("reviewer", "Reviewer", "复核人", suggest=True),
        f.choice("test_kind", "Initial or retest", "初检/复检", (("initial", "Initial", "初检"), ("retest", "Retest", "复检")), default="initial"),
        f.ref("retest_of", "Retest of", "复检对象", "PesticideTest"),
        f.choice("disposition", "Batch disposition", "批次处理", (
            ("", "—", "—"), ("used", "Used", "使用"), ("returned", "Returned", "退货"), ("destroyed", "Destroyed", "销毁"))),
        f.text("note", "Note", "备注"),
    )

    def title(self, language: str = "en") -> str:
        return f"{self.sample_name}"


@record
class Menu(Record):
    KIND, EN, ZH, EVENT, GROUP = "menus", "Menus", "菜谱", "date", MEALS_GROUP
    PLANNED = True
    FIELDS = (
        f.choice("meal", "Meal", "餐次", MEALS, required=True),
        f.items("dishes", "Dishes", "菜品", required=True),
        f.integer("diners_planned", "Diners planned", "计划就餐人数", minimum=0, maximum=100000),
    )

    def dish_list(self) -> list[str]:
        return json.loads(self.dishes or "[]")

    def title(self, language: str = "en") -> str:
        return "、".join(self.dish_list())


@record
class RetainedSample(Record):
    KIND, EN, ZH, EVENT, GROUP = "samples", "Retained samples", "留样", "datetime", TESTING
    EVENT_EN, EVENT_ZH = "Sampled at", "留样时间"
    FIELDS = (
        f.text("dish", "Dish", "菜品", required=True, suggest=True),
        f.date("served_on", "Meal date", "餐次日期", required=True, not_future=True),
        f.choice("meal", "Meal", "餐次", MEALS, required=True),
        f.number("weight_g", "Weight (g)", "重量（克）", required=True, minimum=0, exclusive_min=True, maximum=5000, places=1),
        f.datetime("keep_until", "Keep until", "留存至", hidden=True),
        f.text("fridge", "Refrigerator", "留样冰箱", suggest=True),
        f.number("storage_temp_c", "Storage temperature (°C)", "储存温度（°C）", minimum=-40, maximum=40, places=1),
        f.text("sampler", "Sampler", "留样人", required=True, suggest=True),
        f.datetime("discarded_at", "Discarded at", "销毁时间", not_future=True),
        f.text("discarded_by", "Discarded by", "销毁人"),
    )


@record
class Staff(Record):
    KIND, EN, ZH, EVENT, GROUP = "staff", "Staff", "从业人员", "none", STAFF
    FIELDS = (
        f.text("name", "Name", "姓名", required=True),
        f.choice("post", "Post", "岗位", (
            ("chef", "Chef", "厨师"), ("cook", "Cook", "炊事员"), ("administrator", "Canteen administrator", "食堂管理员"),
            ("water", "Water supply", "供水员"), ("shop", "Shop", "小卖部"), ("other", "Other", "其他")), required=True),
        f.text("id_number", "ID number", "身份证号", max_len=18),
        f.text("phone", "Phone", "电话", max_len=30),
        f.date("hired_on", "Hired on", "入职日期", not_future=True),
        f.flag("contract_signed", "Contract signed", "已签合同"),
        f.flag("trained", "Job training done", "已岗前培训"),
        f.flag("active", "On staff", "在岗", default=True),
    )


@record
class HealthCertificate(Record):
    KIND, EN, ZH, EVENT, GROUP = "health-certificates", "Health certificates", "健康证", "none", STAFF
    FIELDS = (
        f.ref("staff", "Person", "人员", "Staff", required=True),
        f.text("number", "Number", "编号", required=True),
        f.date("issued_on", "Issued", "体检日期", required=True, not_future=True),
        f.date("expires_on", "Expires", "有效期至", required=True),
        f.text("issuer", "Issued by", "发证机构"),
    )

    def title(self, language: str = "en") -> str:
        return f"{self.number}"


@record
class Training(Record):
    KIND, EN, ZH, EVENT, GROUP = "trainings", "Training", "培训记录", "date", STAFF
    FIELDS = (
        f.ref("staff", "Person", "人员", "Staff", required=True),
        f.text("topic", "Topic", "内容", required=True, suggest=True),
        f.number("hours", "Hours", "学时", minimum=0, exclusive_min=True, maximum=200, places=1),
    )


@record
class MorningCheck(Record):
    KIND, EN, ZH, EVENT, GROUP = "morning-checks", "Morning checks", "晨检", "date", STAFF
    FIELDS = (
        f.ref("staff", "Person", "人员", "Staff", required=True),
        f.number("temperature_c", "Temperature (°C)", "体温（°C）", minimum=34, maximum=43, places=1),
        f.flag("fever", "Fever", "发热"),
        f.flag("diarrhoea", "Diarrhoea", "腹泻"),
        f.flag("vomiting", "Vomiting", "呕吐"),
        f.flag("skin_wound", "Skin wound or infection", "皮肤伤口或感染"),
        f.flag("sore_throat", "Sore throat", "咽喉痛"),
        f.flag("hygiene_ok", "Personal hygiene in order", "个人卫生合格", default=True),
        f.text("hygiene_note", "Hygiene note", "卫生说明"),
        f.flag("fit", "Fit for work", "可以上岗", default=True),
        f.text("action", "Action taken", "处理措施"),
        f.text("checker", "Checked by", "晨检人", required=True, suggest=True),
    )

    SYMPTOMS = ("fever", "diarrhoea", "vomiting", "skin_wound", "sore_throat")

    def symptoms(self) -> list[str]:
        return [s for s in self.SYMPTOMS if getattr(self, s)]


INSPECTION_ITEMS = (
    ("environment", "Environment", "环境卫生"),
    ("storage", "Storage and labelling", "贮存与标识"),
    ("raw_materials", "Raw materials", "原料"),
    ("staff_hygiene", "Staff hygiene", "人员卫生"),
    ("tableware", "Tableware disinfection", "餐具消毒"),
    ("samples", "Samples done", "留样"),
    ("pesticide", "Pesticide tests done", "农残检测"),
    ("water", "Drinking water", "饮用水"),
    ("shop", "School shop", "小卖部"),
)


@record
class DailyInspection(Record):
    KIND, EN, ZH, EVENT, GROUP = "inspections", "Daily inspections", "每日检查", "date", AUDIT
    FIELDS = (
        f.text("inspector", "Inspector", "检查人", required=True, suggest=True),
        f.mapping("checklist", "Checklist", "检查项目", required=True, choices=INSPECTION_ITEMS),
        f.longtext("findings", "Findings", "发现问题"),
        f.longtext("corrective_actions", "Corrective actions", "整改措施"),
    )

    def checklist_items(self) -> dict:
        return json.loads(self.checklist or "{}")


@record
class StaffMeeting(Record):
    KIND, EN, ZH, EVENT, GROUP = "meetings", "Staff meetings", "例会", "date", AUDIT
    FIELDS = (
        f.items("attendees", "Attendees", "参会人员", required=True),
        f.longtext("topics", "Topics", "议题", required=True),
        f.longtext("decisions", "Decisions", "决定事项"),
    )


@record
class AccompaniedMeal(Record):
    KIND, EN, ZH, EVENT, GROUP = "accompanied-meals", "Accompanied meals", "陪餐记录", "date", MEALS_GROUP
    FIELDS = (
        f.choice("meal", "Meal", "餐次", MEALS, required=True),
        f.text("leader", "Leader", "陪餐人", required=True, suggest=True),
        f.text("leader_post", "Post", "职务", suggest=True),
        f.integer("rating_look", "Look (1-5)", "色香味（1-5）", minimum=1, maximum=5),
        f.integer("rating_taste", "Taste (1-5)", "口味（1-5）", minimum=1, maximum=5),
        f.integer("rating_quality", "Quality (1-5)", "质量（1-5）", minimum=1, maximum=5),
        f.integer("rating_hygiene", "Hygiene (1-5)", "卫生（1-5）", minimum=1, maximum=5),
        f.integer("rating_order", "Order (1-5)", "就餐秩序（1-5）", minimum=1, maximum=5),
        f.longtext("student_opinions", "Students' opinions", "学生意见"),
        f.longtext("problems", "Problems found", "发现问题"),
        f.longtext("follow_up", "Follow-up", "整改跟进"),
    )


DISINFECTION_METHODS = (
    ("boiling", "Boiling", "煮沸"), ("steam", "Steam", "蒸汽"), ("infrared", "Infrared", "红外"),
    ("chlorine", "Chlorine solution", "含氯消毒液"), ("other", "Other", "其他"),
)


@record
class Disinfection(Record):
    KIND, EN, ZH, EVENT, GROUP = "disinfections", "Tableware disinfection", "餐用具消毒", "date", HYGIENE
    FIELDS = (
        f.choice("meal", "Meal", "餐次", MEALS, required=True),
        f.text("items", "Items", "餐用具", required=True, suggest=True),
        f.integer("item_count", "Count", "数量", minimum=1, maximum=100000),
        f.choice("method", "Method", "方法", DISINFECTION_METHODS, required=True),
        f.number("temperature_c", "Temperature (°C)", "温度（°C）", minimum=0, maximum=400, places=1),
        f.number("minutes", "Minutes", "时间（分钟）", minimum=0, maximum=600, places=1),
        f.number("chlorine_mg_l", "Available chlorine (mg/L)", "有效氯（mg/L）", minimum=0, maximum=10000, places=0),
        f.flag("rinsed", "Rinsed after", "消毒后冲洗"),
        f.text("operator", "Operator", "操作人", required=True, suggest=True),
        f.text("checker", "Checker", "检查人", suggest=True),
    )


@record
class WaterSupply(Record):
    KIND, EN, ZH, EVENT, GROUP = "water-supplies", "Drinking water supply", "饮用水供应", "datetime", HYGIENE
    EVENT_EN, EVENT_ZH = "Supplied at", "供水时间"
    FIELDS = (
        f.text("boiler", "Boiler", "开水器", suggest=True, default="电开水器"),
        f.ref("operator", "Operator", "供水人", "Staff", required=True),
        f.number("litres", "Litres", "供水量（升）", minimum=0, maximum=100000, places=0),
        f.text("note", "Note", "备注"),
    )


@record
class ContainerCleaning(Record):
    KIND, EN, ZH, EVENT, GROUP = "container-cleanings", "Water container cleaning", "盛水容器清洗", "date", HYGIENE
    FIELDS = (
        f.text("container", "Container", "容器编号", required=True, suggest=True),
        f.flag("cleaned", "Cleaned", "已清洗", default=True),
        f.flag("lidded", "Lidded", "加盖", default=True),
        f.flag("locked", "Locked", "加锁", default=True),
        f.text("cleaner", "Cleaned by", "清洗人", required=True, suggest=True),
        f.text("note", "Note", "备注"),
    )


@record
class AdditiveUse(Record):
    KIND, EN, ZH, EVENT, GROUP = "additive-uses", "Food additive use", "食品添加剂使用", "date", HYGIENE
    FIELDS = (
        f.text("additive", "Additive", "添加剂名称", required=True, suggest=True),
        f.text("producer", "Producer", "生产厂家", suggest=True),
        f.date("production_date", "Production date", "生产日期", not_future=True),
        f.number("amount_g", "Amount (g)", "用量（克）", required=True, minimum=0, exclusive_min=True, maximum=100000, places=1),
        f.text("purpose", "Purpose", "用途"),
        f.text("dish", "Dish", "菜品", suggest=True),
        f.number("dish_quantity_kg", "Dish quantity (kg)", "菜品数量（千克）", minimum=0, exclusive_min=True, maximum=10000, places=1),
        f.text("user_name", "Used by", "使用人", required=True, suggest=True),
    )


@record
class ShopCheck(Record):
    KIND, EN, ZH, EVENT, GROUP = "shop-checks", "Shop product checks", "小卖部商品检查", "date", HYGIENE
    FIELDS = (
        f.text("product", "Product", "商品", required=True, suggest=True),
        f.text("producer", "Producer", "生产者", suggest=True),
        f.date("production_date", "Production date", "生产日期", not_future=True),
        f.integer("shelf_life_days", "Shelf life (days)", "保质期（天）", minimum=0, maximum=3650),
        f.text("licence_no", "Licence (SC) no.", "生产许可证（SC）编号"),
        f.flag("label_complete", "Label complete", "标签齐全", default=True),
        f.flag("for_sale", "On sale", "在售", default=True),
    )

    def three_no(self) -> bool:
        """No production date, no quality licence or no maker: a "三无" product."""
        return not self.production_date or not self.licence_no or not self.producer


@record
class WasteDisposal(Record):
    KIND, EN, ZH, EVENT, GROUP = "waste", "Kitchen waste", "餐厨废弃物", "datetime", HYGIENE
    EVENT_EN, EVENT_ZH = "Collected at", "收运时间"
    FIELDS = (
        f.choice("kind", "Kind", "种类", (("food", "Food waste", "餐厨垃圾"), ("oil", "Waste oil", "废弃油脂"), ("other", "Other", "其他")), required=True),
        f.number("weight_kg", "Weight (kg)", "数量（千克）", required=True, minimum=0, exclusive_min=True, maximum=100000, places=1),
        f.text("collector_unit", "Collecting company", "收运单位", required=True, suggest=True),
        f.text("collector_name", "Collector", "收运人", suggest=True),
        f.text("collector_phone", "Collector phone", "收运人电话", max_len=30),
        f.text("recorder", "Recorded by", "记录人", required=True, suggest=True),
    )


@record
class LedgerDay(Record):
    KIND, EN, ZH, EVENT, GROUP = "ledger", "Cost ledger", "伙食账", "date", FINANCE
    FIELDS = (
        f.integer("diners_students", "Student diners", "学生就餐人数", minimum=0, maximum=100000),
        f.integer("diners_teachers", "Teacher diners", "教师就餐人数", minimum=0, maximum=100000),
        f.money("income_student_fen", "Student fees (fen)", "学生伙食费（分）"),
        f.money("income_teacher_fen", "Teacher fees (fen)", "教师伙食费（分）"),
        f.money("income_subsidy_fen", "Subsidies (fen)", "补助（分）"),
        f.money("income_other_fen", "Other income (fen)", "其他收入（分）"),
        f.money("cost_fuel_fen", "Fuel (fen)", "燃料（分）"),
        f.money("cost_utilities_fen", "Water & power (fen)", "水电（分）"),
        f.money("cost_wages_fen", "Wages (fen)", "工资（分）"),
        f.money("cost_other_fen", "Other cost (fen)", "其他支出（分）"),
        f.text("note", "Note", "备注"),
    )


@record
class LedgerMonth(Record):
    KIND, EN, ZH, EVENT, GROUP = "ledger-months", "Monthly ledger close", "月度结账公示", "date", FINANCE
    EVENT_EN, EVENT_ZH = "Closed on", "结账日期"
    DAY_IS_EVENT = False  # `day` holds the month's first day; the closing day is in occurred_at
    FIELDS = (
        f.text("month", "Month (YYYY-MM)", "月份", required=True, max_len=7),
        f.flag("published", "Published to parents", "已公示"),
        f.longtext("note", "Note", "说明"),
    )


@record
class CorrectiveAction(Record):
    """What was done about a case (整改措施): one rule's repeated finding about one subject.

    The case is named by its rule, its subject (as the finding states it: "staff#12", "dish:红烧肉")
    and the day it was first found; verifying it is a signature meaning "verified" (复查)."""

    KIND, EN, ZH, EVENT, GROUP = "corrective-actions", "Corrective actions", "整改措施", "datetime", AUDIT
    EVENT_EN, EVENT_ZH = "Acted at", "整改时间"
    FIELDS = (
        f.choice("action", "Action", "整改措施", ACTIONS, required=True),
        f.longtext("details", "What was done", "整改说明"),
        f.text("responsible", "Responsible", "责任人", required=True, suggest=True),
        f.text("rule", "Rule", "规则", required=True, max_len=20),
        f.text("subject", "About", "整改对象", required=True, max_len=120),
        f.date("case_start", "Case first found on", "问题首次发现日", required=True, not_future=True),
    )


@record
class InspectionNotice(Record):
    """A district inspector's notice to correct (整改通知): what they found at the canteen and by
    when it must be put right. Only a district inspector writes one; the canteen sees it as a case
    (rule DIST-NOTICE) and answers it with a corrective action, like any other case."""

    KIND, EN, ZH, EVENT, GROUP = "inspection-notices", "District inspection notices", "整改通知", "date", AUDIT
    EVENT_EN, EVENT_ZH = "Inspected on", "检查日期"
    FIELDS = (
        f.longtext("problem", "Problem found", "发现问题", required=True),
        f.longtext("requirement", "What must be done", "整改要求"),
        f.date("deadline", "Correct by", "整改期限", required=True),
        f.text("inspector", "Inspector", "检查人", required=True, suggest=True),
    )
