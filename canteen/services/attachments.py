"""Scans and photos attached to records (certificates, health certificates, deliveries).

The bytes live in the database with their SHA-256, so a backup or a shared server carries
them and a later change to a scan is visible; adding one is audited like any other write.
"""

from __future__ import annotations

import hashlib

from ..db import service_transaction
from ..errors import NotFound, ValidationError
from ..integrity import chain
from ..models import Attachment
from . import permissions
from .records import get

MAX_BYTES = 25 * 1024 * 1024
ALLOWED_MIME = ("image/", "application/pdf")


def _refuse(en: str, zh: str) -> ValidationError:
    return ValidationError("attachment", en, zh, "Attachment", "附件")


def check_file(filename: str, data: bytes, mime: str) -> None:
    """Refuse what cannot be a scan: empty, too large, or neither an image nor a PDF."""
    if not isinstance(filename, str) or not isinstance(mime, str):
        raise _refuse("needs a file name and a file type as text", "文件名和文件类型必须是文字")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise _refuse(f"{filename}: the content must be bytes, not {type(data).__name__}",
                      f"{filename}：文件内容必须是字节")
    data = bytes(data)
    if not filename.strip():
        raise _refuse("needs a file name", "需要文件名")
    if not data:
        raise _refuse(f"{filename} is empty", f"{filename} 是空文件")
    if len(data) > MAX_BYTES:
        raise _refuse(f"{filename} is larger than {MAX_BYTES // 2**20} MB", f"{filename} 超过 {MAX_BYTES // 2**20} MB")
    if not mime.startswith(ALLOWED_MIME):
        raise _refuse(f"{filename} is not an image or a PDF ({mime})", f"{filename} 不是图片或 PDF（{mime}）")


def add_attachment(session, kind: str, record_id: int, filename: str, data: bytes, mime: str) -> Attachment:
    """Keep a file with the record; whoever may change the record may attach to it."""
    record = get(session, kind, record_id)
    permissions.require_write(session, kind, record)
    if record.voided:  # like an amendment or a signature: a voided record takes nothing new
        raise ValidationError("id", "is voided: nothing can be attached to it", "已作废，不能再添加附件", "Record", "记录")
    check_file(filename, data, mime)
    data = bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    now = session.now()
    with service_transaction(session.site_id):
        attachment = Attachment.create(
            site=session.site.id, record_kind=kind, record_id=record.id, filename=filename.strip()[:255],
            mime=mime, size=len(data), sha256=digest, data=data, added_at=now, added_by=session.user.id)
        chain.append("attach", user=session.user, site_id=session.site.id, kind=kind, record_id=record.id,
                     version=record.version, reason=filename.strip()[:255], at=now,
                     after={"attachment": attachment.id, "filename": attachment.filename,
                            "mime": mime, "size": len(data), "sha256": digest})
    return attachment


def void_attachment(session, attachment_id: int, reason: str) -> Attachment:
    """Withdraw a scan attached by mistake (the wrong file, the wrong record).

    Nothing is deleted: the bytes stay in the database and the attachment stays readable among
    the voided ones; the audit trail keeps who withdrew it, when and why. Whoever may change the
    record may void its attachments, as for adding them.
    """
    row = _attachment(attachment_id)
    if row is None or row.site_id != session.site.id:
        raise NotFound(f"No attachment {attachment_id}.", f"没有编号为 {attachment_id} 的附件。")
    record = get(session, row.record_kind, row.record_id)
    permissions.require_write(session, row.record_kind, record)
    if reason is not None and not isinstance(reason, str):
        raise ValidationError("reason", f"must be text, not {type(reason).__name__}", "必须是文字", "Reason", "原因")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason", "say why the attachment is voided", "请说明作废附件的原因",
                              "Reason", "原因")
    if row.voided:
        raise _already_voided(row)
    now = session.now()
    with service_transaction(session.site_id):
        changed = (Attachment.update(voided=True)
                   .where((Attachment.id == row.id) & (Attachment.voided == False))  # noqa: E712
                   .execute())
        if changed != 1:  # voided by someone else since it was read
            raise _already_voided(row)
        chain.append("attach-void", user=session.user, site_id=session.site.id, kind=row.record_kind,
                     record_id=record.id, version=record.version, reason=reason[:500], at=now,
                     before={"attachment": row.id, "filename": row.filename, "sha256": row.sha256, "voided": False},
                     after={"attachment": row.id, "filename": row.filename, "sha256": row.sha256, "voided": True})
    row.voided = True
    return row


def _already_voided(row: Attachment) -> ValidationError:
    return _refuse(f"{row.filename} is already voided", f"{row.filename} 已作废")


def attachments_of(kind: str, record_id: int, include_voided: bool = False) -> list[Attachment]:
    """The record's attachments, oldest first, without their bytes (load with `data_of`).

    Voided ones are left out unless asked for: they stay readable, but out of the way."""
    fields = [f for name, f in Attachment._meta.fields.items() if name != "data"]
    where = (Attachment.record_kind == kind) & (Attachment.record_id == record_id)
    if not include_voided:
        where &= (Attachment.voided == False)  # noqa: E712
    return list(Attachment.select(*fields).where(where).order_by(Attachment.id))


def _attachment(attachment_id) -> Attachment | None:
    """The attachment row, or None for an id that names none (text, 1.5, yes/no)."""
    if isinstance(attachment_id, bool) or not isinstance(attachment_id, int):
        return None
    return Attachment.get_or_none(Attachment.id == attachment_id)


def data_of(attachment_id: int) -> bytes:
    """The stored bytes of one attachment, checked against the hash kept beside them."""
    row = _attachment(attachment_id)
    if row is None:
        raise NotFound(f"No attachment {attachment_id}.", f"没有编号为 {attachment_id} 的附件。")
    data = bytes(row.data)
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise ValidationError("attachment", f"{row.filename} no longer matches its recorded hash",
                              f"{row.filename} 与记录的哈希值不符", "Attachment", "附件")
    return data


def attachments_of_record(session, kind: str, record_id: int, include_voided: bool = False) -> list[Attachment]:
    """`attachments_of` for a reader: NotFound unless the record is of the reader's canteen."""
    record = get(session, kind, record_id)
    return [row for row in attachments_of(kind, record.id, include_voided) if row.site_id == session.site.id]


def site_attachment(session, attachment_id) -> Attachment:
    """One attachment of the reader's canteen (its bytes not loaded); NotFound for any other id."""
    if isinstance(attachment_id, bool) or not isinstance(attachment_id, int):
        row = None
    else:
        fields = [f for name, f in Attachment._meta.fields.items() if name != "data"]
        row = (Attachment.select(*fields)
               .where((Attachment.id == attachment_id) & (Attachment.site == session.site.id)).first())
    if row is None:
        raise NotFound(f"No attachment {attachment_id}.", f"没有编号为 {attachment_id} 的附件。")
    return row


def data_for(session, attachment_id: int) -> bytes:
    """`data_of` for a reader: the bytes of an attachment of their own canteen only."""
    return data_of(site_attachment(session, attachment_id).id)
