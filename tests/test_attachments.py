"""Attachments kept in the database with their hash, audited, allowed to whoever may write the record."""

from __future__ import annotations

import hashlib

import pytest

from canteen.errors import PermissionDenied, ValidationError
from canteen.models import AuditEntry
from canteen.services import attachments, records

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")


@pytest.fixture
def certificate(manager):
    supplier = records.create(manager, "suppliers", {"name": "城关粮油店", "kind": "distributor", "address": "城关镇"})
    return records.create(manager, "certificates", {"supplier": supplier.id, "cert_type": "operation_licence",
                                                    "number": "JY2"})


def test_attach_keeps_bytes_hash_and_audit(manager, certificate):
    row = attachments.add_attachment(manager, "certificates", certificate.id, "licence.png", PNG, "image/png")
    assert row.sha256 == hashlib.sha256(PNG).hexdigest() and row.size == len(PNG)
    listed = attachments.attachments_of("certificates", certificate.id)
    assert [a.filename for a in listed] == ["licence.png"]
    assert attachments.data_of(listed[0].id) == PNG
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).get()
    assert (entry.action, entry.record_kind, entry.record_id) == ("attach", "certificates", certificate.id)
    assert row.sha256 in entry.after


def test_only_writers_attach_and_only_scans(sessions, manager, certificate):
    with pytest.raises(PermissionDenied):
        attachments.add_attachment(sessions["auditor"], "certificates", certificate.id, "x.png", PNG, "image/png")
    with pytest.raises(ValidationError):
        attachments.add_attachment(manager, "certificates", certificate.id, "empty.png", b"", "image/png")
    with pytest.raises(ValidationError):
        attachments.add_attachment(manager, "certificates", certificate.id, "run.exe", b"MZ", "application/x-msdownload")
    assert attachments.attachments_of("certificates", certificate.id) == []
