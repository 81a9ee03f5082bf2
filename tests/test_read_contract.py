"""The read interface's shared contract: record-type metadata, plain rows, titles and signatures
scoped to the reader's canteen, and one vocabulary that names every audit action the core writes."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from conftest import PASSWORD, local_now

from canteen import vocabulary
from canteen.errors import NotFound
from canteen.fields import MEALS
from canteen.models import DISTRICT_ROLES, GROUPS, REGISTRY, ROLES, Record
from canteen.models.records import CATEGORIES, CERT_TYPES, INSPECTION_ITEMS
from canteen.read import kinds, rows, scope
from canteen.services import records, signing, users

CORE = Path(__file__).resolve().parent.parent / "canteen"


def sign_record(session, kind, record_id, meaning):
    return signing.sign_record(session, kind, record_id, meaning, PASSWORD)


@pytest.fixture
def other_site(site):
    """A second canteen on the same database, with a manager and a doctor of its own."""
    other, _admin = users.create_site("另一所学校食堂", "admin2", PASSWORD, school="另一所学校")
    users.add_user(other, "manager2", "外校管理员", "manager", PASSWORD)
    users.add_user(other, "doctor2", "外校医生", "doctor", PASSWORD)
    return {"manager": users.session_for("manager2"), "doctor": users.session_for("doctor2")}


def supplier(session, name):
    return records.create(session, "suppliers", {"name": name, "kind": "producer", "address": "城关镇"})


def inspection(session):
    return records.create(session, "inspections", {"day": local_now().date(), "inspector": "李医生",
                                                   "checklist": {"environment": True, "samples": True}})


# ---- kinds -------------------------------------------------------------------------------------

def test_record_types_mirror_the_registry_in_its_order():
    assert [t.kind for t in kinds.record_types()] == list(REGISTRY)
    for kind, model in REGISTRY.items():
        t = kinds.record_type(kind)
        assert (t.model_name, t.en, t.zh, t.event, t.event_en, t.event_zh, t.group, t.planned, t.day_is_event) == (
            model.__name__, model.EN, model.ZH, model.EVENT, model.EVENT_EN, model.EVENT_ZH, model.GROUP,
            model.PLANNED, model.DAY_IS_EVENT)
        assert t.fields == tuple(model.FIELDS)
        assert t.label("zh_CN") == model.ZH and t.label("en") == model.EN
        first = model.FIELDS[0]
        assert t.field(first.name) is first and t.has_field(first.name) and not t.has_field("voided")


def test_an_unknown_kind_is_not_found_as_the_services_say_it():
    for bad in ("nope", ["deliveries"]):
        with pytest.raises(NotFound):
            kinds.record_type(bad)
    with pytest.raises(KeyError):
        kinds.record_type("deliveries").field("voided")


def test_kind_labels_cover_record_types_and_the_other_audit_kinds():
    assert kinds.kind_label("deliveries", "zh_CN") == "进货查验" and kinds.kind_label("deliveries") == "Deliveries"
    assert [kinds.kind_label(k, "en") for k in ("users", "settings", "sites")] == ["Users", "Settings", "Canteen"]
    assert [kinds.kind_label(k, "zh") for k in ("users", "settings", "sites")] == ["用户", "设置", "食堂"]
    assert kinds.kind_label("archive", "zh") == "检查档案" and kinds.kind_label("backup") == "Backup"  # documents
    assert kinds.kind_label("something-else", "zh") == "something-else"  # anything else shows as stored


def test_audit_kinds_sort_record_types_by_name_then_the_others():
    for language in ("en", "zh_CN"):
        listed = kinds.audit_kinds(language)
        assert listed[-3:] == ["users", "settings", "sites"]
        assert listed[:-3] == sorted(REGISTRY, key=lambda k: kinds.kind_label(k, language))


def test_kinds_in_order_follow_the_navigation_groups():
    order = kinds.kinds_in_order()
    assert sorted(order) == sorted(REGISTRY)
    group_index = [[g[0] for g in GROUPS].index(REGISTRY[k].GROUP) for k in order]
    assert group_index == sorted(group_index)
    assert kinds.groups() == GROUPS


def test_constants_are_the_models_own():
    school_roles = tuple(r for r in ROLES if r[0] not in DISTRICT_ROLES)  # a canteen's admin hands out these
    assert (kinds.CATEGORIES, kinds.INSPECTION_ITEMS, kinds.CERT_TYPES, kinds.ROLES, kinds.MEALS, kinds.GROUPS) == (
        CATEGORIES, INSPECTION_ITEMS, CERT_TYPES, school_roles, MEALS, GROUPS)
    assert kinds.referenced_model_names() == {s.ref for m in REGISTRY.values() for s in m.FIELDS if s.kind == "ref"}


# ---- scope and rows ----------------------------------------------------------------------------

def test_scope_is_the_sessions_site_zone_role_and_user(sessions, site):
    doctor = sessions["doctor"]
    assert scope.scope_of(doctor) == scope.Scope(site.id, site.timezone, "doctor", doctor.user.id, "doctor")


def test_as_row_gives_plain_values(manager):
    made = supplier(manager, "城关粮油店")
    row = rows.as_row(made)
    assert (row.kind, row.id, row.version, row.voided, row.title) == ("suppliers", made.id, 1, False, "城关粮油店")
    assert row.get("name") == "城关粮油店" and row.get("site") == manager.site.id and row.get("missing", 7) == 7
    assert isinstance(row.day, dt.date) and row.entered_by == manager.user.id
    assert not any(isinstance(v, Record) for v in row.values.values())
    with pytest.raises(TypeError):
        row.values["name"] = "changed"  # a row is a snapshot, not a handle
    assert rows.as_row(made, title="given").title == "given"


def test_a_reference_keeps_its_raw_id(manager):
    named = supplier(manager, "城关粮油店")
    cert = records.create(manager, "certificates", {"supplier": named.id, "cert_type": "business_licence",
                                                    "number": "91000000"})
    row = rows.as_row(cert, language="zh")
    assert row.get("supplier") == named.id and row.title == cert.title("zh") == "91000000"


def test_titles_are_scoped_to_the_readers_site(manager, other_site):
    ours, theirs = supplier(manager, "本校供货者"), supplier(other_site["manager"], "外校供货者")
    assert rows.titles(manager, "Supplier", [ours.id, theirs.id, None, 999999]) == {ours.id: "本校供货者"}
    assert rows.titles(other_site["manager"], "Supplier", [ours.id, theirs.id]) == {theirs.id: "外校供货者"}
    assert rows.titles(manager, "Supplier", []) == {}
    with pytest.raises(NotFound):
        rows.titles(manager, "User", [1])


def test_signature_summaries_are_plain_and_follow_amendments(sessions):
    doctor = sessions["doctor"]
    signed, unsigned = inspection(doctor), inspection(doctor)
    sign_record(doctor, "inspections", signed.id, "inspected")
    found = rows.signature_summaries(doctor, "inspections", [signed.id, unsigned.id])
    assert list(found) == [signed.id]  # an unsigned record is absent
    summary = found[signed.id]
    assert (summary.state, summary.version, summary.needs_signing_again) == ("signed", 1, False)
    (info,) = summary.current
    assert isinstance(info, rows.SignatureInfo) and (info.signer_name, info.meaning, info.record_version) == (
        "李医生", "inspected", 1)
    assert summary.label("zh") == "已签名"
    records.amend(doctor, "inspections", signed.id, {"inspector": "李医生（复核）"}, reason="补充")
    again = rows.signature_summaries(doctor, "inspections", [signed.id])[signed.id]
    assert again.needs_signing_again and again.current == () and len(again.signatures) == 1


def test_signatures_of_another_site_give_nothing(sessions, other_site):
    theirs = inspection(other_site["doctor"])
    sign_record(other_site["doctor"], "inspections", theirs.id, "inspected")
    assert rows.signature_summaries(sessions["doctor"], "inspections", [theirs.id]) == {}
    assert list(rows.signature_summaries(other_site["doctor"], "inspections", [theirs.id])) == [theirs.id]
    with pytest.raises(NotFound):
        rows.signature_summaries(sessions["doctor"], "nope", [theirs.id])


# ---- the vocabulary ----------------------------------------------------------------------------

def _calls_to(node: ast.AST, name: str) -> list[ast.Call]:
    return [c for c in ast.walk(node) if isinstance(c, ast.Call)
            and (getattr(c.func, "id", None) == name or getattr(c.func, "attr", None) == name)]


def _is_chain_append(call: ast.Call) -> bool:
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr == "append" and getattr(func.value, "id", "") == "chain"


def _literals(node: ast.AST | None, constants: dict[str, str]) -> list[str]:
    """The action texts an argument can be: a literal, either branch of `a if c else b`, or a
    module constant."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body, constants) + _literals(node.orelse, constants)
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    return []


def _action_argument(call: ast.Call, position: int) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == "action":
            return kw.value
    return call.args[position] if len(call.args) > position else None


def _forwarders(functions: dict[str, ast.FunctionDef]) -> dict[str, set[str]]:
    """Functions whose `action` parameter reaches `chain.append`, each with the suffixes added on
    the way (verify_password writes `action + "-refused"` through refuse_if_waiting)."""
    found: dict[str, set[str]] = {}
    for _round in range(len(functions)):
        for name, fn in functions.items():
            suffixes = set(found.get(name, ()))
            for call in ast.walk(fn):
                if not isinstance(call, ast.Call):
                    continue
                callee = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
                if _is_chain_append(call):
                    arg, onward = (call.args[0] if call.args else None), {""}
                elif callee in found and callee != name:
                    arg, onward = _action_argument(call, _position(functions[callee])), found[callee]
                else:
                    continue
                if isinstance(arg, ast.Name) and arg.id == "action":
                    suffixes |= onward
                elif (isinstance(arg, ast.BinOp) and getattr(arg.left, "id", "") == "action"
                      and isinstance(arg.right, ast.Constant)):
                    suffixes |= {arg.right.value + s for s in onward}
            if suffixes:
                found[name] = suffixes
    return found


def _position(fn: ast.FunctionDef) -> int:
    return [a.arg for a in fn.args.args].index("action")


def _default_action(fn: ast.FunctionDef) -> ast.AST | None:
    args = fn.args.args
    defaults = dict(zip([a.arg for a in args[len(args) - len(fn.args.defaults):]], fn.args.defaults))
    return defaults.get("action")


def actions_the_core_writes() -> set[str]:
    """Every action text the core can write into the audit trail, found in its source."""
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in sorted(CORE.rglob("*.py"))]
    functions = {n.name: n for t in trees for n in ast.walk(t)
                 if isinstance(n, ast.FunctionDef) and "action" in [a.arg for a in n.args.args]}
    forwarders = _forwarders(functions)
    written: set[str] = set()
    for tree in trees:
        constants = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                     and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
                     for t in n.targets if isinstance(t, ast.Name)}
        for call in (c for c in ast.walk(tree) if isinstance(c, ast.Call)):
            callee = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
            if _is_chain_append(call):
                written |= set(_literals(call.args[0], constants))
            elif callee in forwarders:
                found = _literals(_action_argument(call, _position(functions[callee])), constants)
                written |= {a + s for a in found for s in forwarders[callee]}
            elif callee != "add_argument":  # rows written straight into the trail (bulk.py)
                written |= {a for kw in call.keywords if kw.arg == "action" for a in _literals(kw.value, constants)}
    for name, suffixes in forwarders.items():
        written |= {a + s for a in _literals(_default_action(functions[name]), {}) for s in suffixes}
    return written


def test_the_source_scan_finds_the_actions_of_each_way_of_writing():
    written = actions_the_core_writes()
    assert {"create", "amend", "void"} <= written  # services.records._write and bulk rows
    assert {"user-enable", "user-disable"} <= written  # either branch of a conditional
    assert {"restore", "export", "import", "sign"} <= written  # a module constant; plain literals
    assert {"login-failed", "sign-failed-refused", "password-change-failed-refused"} <= written  # forwarded
    assert "store_true" not in written and "manage users" not in written


def test_every_action_the_core_writes_has_a_label_in_both_languages():
    missing = actions_the_core_writes() - set(vocabulary.ACTIONS)
    assert not missing, f"add these to canteen/vocabulary.py ACTIONS: {sorted(missing)}"
    for action, (en, zh) in vocabulary.ACTIONS.items():
        assert en and en != action and any("\u4e00" <= ch <= "\u9fff" for ch in zh), action
        assert vocabulary.action_label(action, "en") == en
        assert vocabulary.action_label(action, "zh_CN") == vocabulary.action_label(action, "zh") == zh


def test_labels_keep_the_audit_pages_wording():
    assert [vocabulary.action_label(a, "en") for a in ("create", "sign", "attach", "user-enable")] == [
        "Created", "Signed", "Attachment added", "User activated"]
    assert [vocabulary.action_label(a, "zh") for a in ("attach", "site-create", "user-enable", "user-disable")] == [
        "添加附件", "创建食堂", "启用用户", "停用用户"]
    assert vocabulary.action_label("from-a-newer-program", "zh") == "from-a-newer-program"
    assert vocabulary.ALERT_ACTIONS <= set(vocabulary.ACTIONS)


def test_bookkeeping_names_every_column_a_record_has_besides_its_fields():
    columns = set(REGISTRY["deliveries"]._meta.fields) - {s.name for s in REGISTRY["deliveries"].FIELDS}
    assert columns == set(vocabulary.BOOKKEEPING_NAMES)
    assert vocabulary.BOOKKEEPING_NAMES[-2:] == ("site", "id")  # the audit page lists them last
    assert set(vocabulary.UTC_FIELDS) <= set(vocabulary.BOOKKEEPING_NAMES)
    assert vocabulary.bookkeeping_label("entered_by", "zh_CN") == "录入人（用户编号）"
    assert vocabulary.bookkeeping_label("day") == "Date" and vocabulary.bookkeeping_label("other") == "other"
