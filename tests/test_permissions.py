"""Every role against every service, called from the core as a script would: refusals are the
same as in the GUI and each one is written to the audit trail."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import PASSWORD

from canteen.errors import CanteenError, PermissionDenied
from canteen.integrity import signatures
from canteen.models import MODELS, REGISTRY, AuditEntry
from canteen.services import permissions, records, signing, users
from canteen.timeutil import local_today, utcnow

ROLES = ("admin", "manager", "doctor", "director", "leader", "auditor")
KINDS = sorted(REGISTRY)
SCHOOL_KINDS = set(KINDS) - {"inspection-notices"}  # a district inspector's notice (tests/test_notices.py)
WRITES = {
    "admin": set(), "auditor": set(), "leader": {"accompanied-meals"},
    "manager": SCHOOL_KINDS - {"inspections"}, "doctor": SCHOOL_KINDS, "director": SCHOOL_KINDS,
}
SIGNS = {"doctor": SCHOOL_KINDS, "director": SCHOOL_KINDS, "leader": {"accompanied-meals"}}


def sample_value(spec, made: dict):
    """A value of the right type for a column (records made here only feed permission checks)."""
    if spec.kind == "choice":
        return spec.choices[0][0]
    if spec.kind in ("text", "longtext"):
        return "x"
    if spec.kind == "list":
        return json.dumps(["x"])
    if spec.kind == "dict":
        return json.dumps({})
    if spec.kind in ("int", "money"):
        return spec.minimum if spec.minimum is not None else 1
    if spec.kind == "decimal":
        return Decimal(1)
    if spec.kind == "date":
        return local_today()
    if spec.kind == "datetime":
        return utcnow()
    if spec.kind == "bool":
        return True
    if spec.kind == "ref":
        return stored_record(MODELS[spec.ref], made, entered_by=None).id
    raise ValueError(spec.kind)


def stored_record(model, made: dict, entered_by):
    """One row of a record type written straight to its table (and reused as a reference)."""
    if model in made and entered_by is None:
        return made[model]
    values = {spec.name: sample_value(spec, made) for spec in model.FIELDS if spec.required or spec.kind == "bool"}
    now = utcnow()
    site_id = made["site"]
    row = model.create(site=site_id, day=local_today(), occurred_at=now, entered_at=now, entered_by=entered_by,
                       version=1, voided=False, **values)
    made.setdefault(model, row)
    return row


@pytest.fixture
def stock(sessions):
    """One stored record of every kind, entered by the administrator of the canteen (manager)."""
    made = {"site": sessions["manager"].site.id}
    by = sessions["manager"].user.id
    return {kind: stored_record(model, made, by) for kind, model in REGISTRY.items()}


def refusals(session) -> int:
    return AuditEntry.select().where((AuditEntry.action == "refused") & (AuditEntry.user_id == session.user.id)).count()


def outcome(session, call) -> str:
    """"refused" (PermissionDenied, audited) or "allowed" (done, or stopped later by validation)."""
    before = refusals(session)
    try:
        call()
    except PermissionDenied as exc:
        assert refusals(session) == before + 1, "a refusal must be audited"
        assert exc.text("zh") and exc.text("en")
        return "refused"
    except CanteenError:
        pass
    assert refusals(session) == before
    return "allowed"


@pytest.mark.parametrize("role", ROLES)
def test_create_for_every_kind(sessions, role):
    session = sessions[role]
    for kind in KINDS:
        expected = "allowed" if kind in WRITES[role] else "refused"
        assert outcome(session, lambda: records.create(session, kind, {})) == expected, (role, kind)


@pytest.mark.parametrize("role", ROLES)
def test_amend_and_void_for_every_kind(sessions, stock, role):
    session = sessions[role]
    for kind in KINDS:
        mine_only = role in permissions.OWN_RECORDS_ONLY  # the stock was entered by the canteen administrator
        expected = "allowed" if kind in WRITES[role] and not mine_only else "refused"
        record_id = stock[kind].id
        assert outcome(session, lambda: records.amend(session, kind, record_id, {}, "correction")) == expected, (role, kind)
        assert outcome(session, lambda: records.void(session, kind, record_id, "entered twice")) == expected, (role, kind)


def test_leader_changes_and_signs_only_own_meal_records(sessions, stock):
    leader = sessions["leader"]
    made = {"site": leader.site.id}
    own = stored_record(REGISTRY["accompanied-meals"], made, leader.user.id)
    others = stock["accompanied-meals"]
    assert outcome(leader, lambda: records.void(leader, "accompanied-meals", others.id, "not mine")) == "refused"
    assert outcome(leader, lambda: signing.sign_record(leader, "accompanied-meals", others.id, "approved", PASSWORD)) == "refused"
    assert signing.sign_record(leader, "accompanied-meals", own.id, "approved", PASSWORD).signer_id == leader.user.id
    assert records.void(leader, "accompanied-meals", own.id, "entered twice").voided


@pytest.mark.parametrize("role", ROLES)
def test_sign_every_kind(sessions, role):
    session = sessions[role]
    made = {"site": session.site.id}
    for kind in KINDS:
        # a corrective action is verified (复查), by someone other than the one who recorded it
        corrective = kind == "corrective-actions"
        record = stored_record(REGISTRY[kind], made, None if corrective else session.user.id)
        meaning = "verified" if corrective else "reviewed"
        expected = "allowed" if kind in SIGNS.get(role, ()) else "refused"
        sign = lambda: signing.sign_record(session, kind, record.id, meaning, PASSWORD,  # noqa: E731
                                           open_cases_reason="the stored records break rules on purpose")
        assert outcome(session, sign) == expected
        if expected == "allowed":
            assert signatures.signature_state(kind, record.id).state == "signed"


USER_ACTIONS = {
    "create_user": lambda s: users.create_user(s, f"cook{s.role}", "新厨师", "manager", "start1"),
    "reset_password": lambda s: users.reset_password(s, "leader", "temp1"),
    "set_active": lambda s: users.set_active(s, "auditor", True),
    "set_role": lambda s: users.set_role(s, "leader", "leader"),
}


@pytest.mark.parametrize("role", ROLES)
def test_user_management_is_for_the_administrator_only(sessions, role):
    session = sessions[role]
    for name, action in USER_ACTIONS.items():
        expected = "allowed" if role == "admin" else "refused"
        assert outcome(session, lambda: action(session)) == expected, name
    expected = "allowed" if role in ("admin", "auditor") else "refused"
    assert outcome(session, lambda: users.list_users(session)) == expected


def test_refusal_names_the_role_and_action_in_both_languages(sessions):
    with pytest.raises(PermissionDenied) as caught:
        records.create(sessions["auditor"], "deliveries", {})
    assert caught.value.text("en") == "An auditor may not create deliveries."
    assert caught.value.text("zh") == "审核人员无权新建进货查验。"
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert (entry.action, entry.username, entry.record_kind, entry.reason) == ("refused", "auditor", "deliveries", "create")


def test_exporters_and_settings(sessions):
    for role in ROLES:
        session = sessions[role]
        assert outcome(session, lambda: permissions.require_export(session)) == (
            "allowed" if role in ("auditor", "doctor", "director", "manager") else "refused")
        assert outcome(session, lambda: permissions.require_settings(session)) == ("allowed" if role == "admin" else "refused")
