"""Electronic signatures: password again, a meaning, Ed25519 over the record's canonical content;
a signed record locks (a change needs signing again); signing the inspection closes the day."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PASSWORD, local_now

from canteen.errors import AuthError, ValidationError
from canteen.integrity import chain, daily_close, signatures
from canteen.integrity.canonical import content_hash
from canteen.integrity.verify import verify_database
from canteen.models import AuditEntry, Signature, Site, User, UserKey
from canteen.services import records, signing, users


def inspection(session, day=None):
    return records.create(session, "inspections", {"day": day or local_now().date(), "inspector": "李医生",
                                                   "checklist": {"environment": True, "samples": True}})


def meeting(session, **extra):
    return records.create(session, "meetings", {"day": local_now().date(), "attendees": ["王芳", "刘建国"],
                                                "topics": "晨检要求", **extra})


def test_meanings_are_inspected_reviewed_approved_and_verified_for_a_corrective_action():
    assert signatures.meanings_for("deliveries") == (("inspected", "Inspected", "检查"), ("reviewed", "Reviewed", "审核"),
                                                     ("approved", "Approved", "批准"))
    assert signatures.meanings_for("corrective-actions") == (("verified", "Verified (follow-up check)", "复查"),)
    assert signatures.meaning_label("approved", "zh") == "批准"
    assert signatures.meaning_label("verified", "zh") == "复查"


def test_sign_binds_record_content_meaning_time_and_signer(sessions):
    doctor = sessions["doctor"]
    record = inspection(doctor)
    head = chain.head(Site.get().id)
    sig = signing.sign_record(doctor, "inspections", record.id, "inspected", PASSWORD)
    assert (sig.record_kind, sig.record_id, sig.record_version, sig.meaning) == ("inspections", record.id, 1, "inspected")
    assert sig.signer_name == "李医生" and sig.content_sha256 == content_hash(records.get(doctor, "inspections", record.id))
    assert (sig.chain_seq, sig.chain_hash) == (head.seq, head.hash)  # the head just before the sign entry
    entry = AuditEntry.get(AuditEntry.seq == head.seq + 1)
    assert (entry.action, entry.record_id, entry.reason) == ("sign", record.id, "inspected")
    assert bytes(sig.signature).hex() in entry.after
    stored = Signature.get_by_id(sig.id)
    assert signatures.signature_valid(stored.key.public_key, stored.signature, signatures.payload_of(stored, "doctor"))


def test_wrong_password_refuses_and_is_audited(sessions):
    doctor = sessions["doctor"]
    record = inspection(doctor)
    with pytest.raises(AuthError):
        signing.sign_record(doctor, "inspections", record.id, "inspected", "not-it")
    assert Signature.select().count() == 0
    assert AuditEntry.select().where(AuditEntry.action == "sign-failed").count() == 1
    assert User.get_by_id(doctor.user.id).failed_attempts == 1


def test_meaning_must_be_known_and_voided_records_are_not_signed(sessions):
    doctor = sessions["doctor"]
    record = inspection(doctor)
    with pytest.raises(ValidationError) as bad:
        signing.sign_record(doctor, "inspections", record.id, "liked", PASSWORD)
    assert bad.value.field == "meaning"
    records.void(doctor, "inspections", record.id, "duplicate")
    with pytest.raises(ValidationError):
        signing.sign_record(doctor, "inspections", record.id, "inspected", PASSWORD)


def test_same_signer_same_meaning_once_per_version(sessions):
    doctor = sessions["doctor"]
    record = meeting(doctor)
    signing.sign_record(doctor, "meetings", record.id, "reviewed", PASSWORD)
    with pytest.raises(ValidationError):
        signing.sign_record(doctor, "meetings", record.id, "reviewed", PASSWORD)
    signing.sign_record(sessions["director"], "meetings", record.id, "approved", PASSWORD)
    state = signatures.signature_state("meetings", record.id)
    assert [s.signer_name for s in state.signatures] == ["李医生", "张主任"]


def test_signed_record_amended_needs_signing_again(sessions):
    doctor, manager = sessions["doctor"], sessions["manager"]
    record = meeting(manager)
    assert signatures.signature_state("meetings", record.id).state == "unsigned"
    signing.sign_record(doctor, "meetings", record.id, "reviewed", PASSWORD)
    assert signatures.signature_state("meetings", record.id).state == "signed"
    with pytest.raises(ValidationError) as no_reason:
        records.amend(manager, "meetings", record.id, {"topics": "晨检与留样"}, "")
    assert no_reason.value.field == "reason"
    records.amend(manager, "meetings", record.id, {"topics": "晨检与留样"}, "漏记议题")
    state = signatures.signature_state("meetings", record.id)
    assert state.state == "changed_after_signing" and state.needs_signing_again and not state.current
    assert state.label("zh") == "签名后已修改，需重新签名"
    signing.sign_record(doctor, "meetings", record.id, "reviewed", PASSWORD)
    assert signatures.signature_state("meetings", record.id).state == "signed"
    assert verify_database().ok  # the first signature still verifies against the audit snapshot of version 1


def test_voiding_a_signed_record_shows_it_changed(sessions):
    record = meeting(sessions["manager"])
    signing.sign_record(sessions["director"], "meetings", record.id, "approved", PASSWORD)
    records.void(sessions["manager"], "meetings", record.id, "entered twice")
    assert signatures.signature_state("meetings", record.id).state == "changed_after_signing"
    assert verify_database().ok


def test_states_of_many_records_at_once(sessions):
    manager = sessions["manager"]
    first, second = meeting(manager), meeting(manager, topics="消毒")
    signing.sign_record(sessions["doctor"], "meetings", first.id, "reviewed", PASSWORD)
    states = signatures.signature_states("meetings", [first.id, second.id])
    assert (states[first.id].state, states[second.id].state) == ("signed", "unsigned")


def test_unlocked_key_signs_many_without_the_password(sessions):
    doctor = sessions["doctor"]
    key = signatures.unlock_key(doctor.user, PASSWORD)
    made = [meeting(sessions["manager"], topics=f"议题{n}") for n in range(3)]
    for record in made:
        signing.sign_record(doctor, "meetings", record.id, "reviewed", key=key)
    assert Signature.select().count() == 3 and verify_database().ok
    with pytest.raises(AuthError):
        signing.sign_record(sessions["director"], "meetings", made[0].id, "approved", key=key)  # not theirs


def test_a_key_replaced_by_a_password_change_no_longer_signs(sessions):
    doctor = users.login("doctor", PASSWORD)
    old_key = signatures.unlock_key(doctor.user, PASSWORD)
    record = meeting(sessions["manager"])
    signing.sign_record(doctor, "meetings", record.id, "reviewed", PASSWORD)
    users.change_password(doctor, PASSWORD, "newer1")
    other = meeting(sessions["manager"], topics="培训")
    with pytest.raises(AuthError):
        signing.sign_record(doctor, "meetings", other.id, "reviewed", key=old_key)
    sig = signing.sign_record(doctor, "meetings", other.id, "reviewed", "newer1")
    assert sig.key_id != old_key.key_id
    assert verify_database().ok  # the signature made with the old key still verifies


def test_private_key_is_stored_only_encrypted(sessions):
    key = signatures.current_key(sessions["doctor"].user)
    private = signatures.unlock_key(sessions["doctor"].user, PASSWORD).private
    sealed = UserKey.read_secret(key.id)
    assert private.private_bytes_raw() not in bytes(sealed)
    with pytest.raises(AuthError):
        signatures.decrypt_private_key(sealed, "guess")


def test_signing_the_inspection_closes_the_day(sessions):
    doctor, manager = sessions["doctor"], sessions["manager"]
    today = local_now().date()
    assert not daily_close.is_sealed(manager.site.id, today) and daily_close.seal_of(manager.site.id, today) is None
    record = inspection(doctor)
    sig = signing.sign_record(doctor, "inspections", record.id, "inspected", PASSWORD)
    assert daily_close.is_sealed(manager.site.id, today)
    signature, seq, digest = daily_close.seal_of(manager.site.id, today)
    assert signature.id == sig.id and seq == sig.chain_seq + 1
    assert AuditEntry.get(AuditEntry.seq == seq).hash == digest
    assert verify_database(anchor=f"{seq}:{digest}").ok
    assert list(daily_close.sealed_days(manager.site.id, today - dt.timedelta(days=3), today)) == [today]


def test_entries_for_a_closed_day_need_a_reason_and_are_flagged_late(sessions):
    doctor, manager = sessions["doctor"], sessions["manager"]
    signing.sign_record(doctor, "inspections", inspection(doctor).id, "inspected", PASSWORD)
    with pytest.raises(ValidationError) as refused:
        meeting(manager)
    assert refused.value.field == "late_reason" and "closed" in refused.value.en
    late = meeting(manager, late_reason="会议记录晚交")
    assert late.late_reason == "会议记录晚交"
    yesterday = local_now().date() - dt.timedelta(days=1)
    assert records.create(manager, "meetings", {"day": yesterday, "attendees": ["王芳"], "topics": "例会"}).late_reason is None


def test_only_signatures_made_before_an_entry_close_its_day(sessions):
    doctor = sessions["doctor"]
    signing.sign_record(doctor, "inspections", inspection(doctor).id, "inspected", PASSWORD)
    today = local_now().date()
    seal = daily_close.seal_of(doctor.site.id, today).signature
    assert not daily_close.is_sealed(doctor.site.id, today, seal.signed_at - dt.timedelta(seconds=1))
    assert daily_close.is_sealed(doctor.site.id, today, seal.signed_at)
