"""The desk's push to the district (issue 12, item 7): what File → Push to district and the daily
close call, on a worker thread, with the core's push (canteen/pushing.py) doing the work.

Two ways: online, into the district's database at the canteen's `district_address` setting; or
a `.canteen` file the user chooses, carried to the district. Both go through the site key, which
is sealed under its holders' passwords (integrity/sitekey.py), so each push needs a holder's
password. `progress(step, steps, what)` is pushing.py's: the desk shows it and cancels there.

The push at the daily close. The day closes with the first signature on its inspection, and
that signer is the school doctor or director — roles that never hold the site key (only the
canteen's administrator, or a manager, does). The desk keeps no password and stores no unlocked
key, so the push at the close uses the password the signer has just typed, and only if the
signer holds the site key; otherwise the close says plainly that the day was not pushed, who
holds the key and that their next push carries it (a push sends everything the district has not
yet got, so nothing is lost by waiting). The same holds when the district cannot be reached.
The desk then offers "push now": the key holder types their own user name and password on the
signer's desk (`push_as_holder`), which is checked like a sign-in and pushes as them.

This computer may push at each daily close. The close is in the evening, when the administrator
has gone home; so the administrator may, once, let this computer push by itself (`allow_device_push`,
with their password, checked and counted like a push's): the desk then keeps a device copy of the
site key in the user's data folder (integrity/sitekey.py: a file per canteen, 0600, written
atomically), and the chain records "push-device-allowed" (who, when, which computer). At each
daily close with a district address set, a device copy on this computer pushes, whoever signed,
with no password; without one the close behaves as above. `revoke_device_push` removes the copy
and records "push-device-revoked". A copy whose key is no longer the canteen's (the key was
replaced) is ignored, and the close says so.

Security: the device copy lets anyone who can read this computer's user files sign pushes as the
canteen. That is no more than they can already do to the canteen's database on the same computer
(change it, or push what it holds), and the district compares each push with the chain it already
holds, so a rewritten history is refused and flagged whoever signs it. To withdraw the trust, the
administrator unticks the box (the file goes), or the district re-enrols the canteen with a new key,
which makes every old copy useless.
"""

from __future__ import annotations

import datetime as dt
import platform
from dataclasses import dataclass
from pathlib import Path

from ..db import service_transaction
from ..errors import AuthError, Cancelled, Said, StorageError, ValidationError
from ..integrity import chain, daily_close, sitekey
from ..models import SiteKey, User
from ..models.records import DailyInspection
from . import permissions, users
from .session import Session

PUSHERS = frozenset({"admin"})  # who pushes from the desk (the command line also lets a key-holding manager)


@dataclass(frozen=True)
class PushResult:
    """What a push did: `new` entries sent; online, the district's receipt `seq`; to a file, the
    file and the positions it carries."""

    new: int
    seq: int
    district: str = ""
    path: Path | None = None
    first: int = 0
    waiting_for: int | None = None
    by_device: bool = False  # pushed at the close with this computer's device copy of the site key

    def said(self) -> Said:
        if self.path is not None and self.new == 0:
            return Said(f"Wrote {self.path.name}: 0 new entries (the earlier files carry everything up to seq {self.seq}).",
                        f"已写入 {self.path.name}：0 条新记录（此前的文件已包含至第 {self.seq} 条的全部记录）。")
        if self.path is not None:
            return Said(f"Wrote {self.path.name}: {self.new} new entries (seq {self.first}–{self.seq}); "
                        "take it to the district to be received.",
                        f"已写入 {self.path.name}：{self.new} 条新记录（第 {self.first}–{self.seq} 条），请交区县接收。")
        if self.waiting_for is not None:
            return Said(f"The district keeps the push aside until seq {self.waiting_for} arrives.",
                        f"区县暂存本次上报，等待第 {self.waiting_for} 条到达。")
        if self.new == 0:
            return Said(f"0 new entries: the district already holds everything (receipt up to seq {self.seq}).",
                        f"0 条新记录：区县已有全部记录（回执至第 {self.seq} 条）。")
        return Said(f"Pushed {self.new} entries; the district's receipt is up to seq {self.seq}.",
                    f"已上报 {self.new} 条记录，区县回执至第 {self.seq} 条。")


def may_push(session) -> bool:
    """The canteen's own administrator (not a district user reading the canteen)."""
    return (session.site is not None and session.user.site_id == session.site.id
            and session.role in PUSHERS)


def district_address(session) -> str:
    """Where the online push goes; empty when the canteen pushes by file only."""
    return session.setting("district_address") if session.site is not None else ""


def key_holders(session) -> list[str]:
    """The users whose password opens the canteen's site key (none before its first push)."""
    rows = SiteKey.select(User.username).join(User, on=(SiteKey.holder == User.id)).where(
        SiteKey.site == session.site_id).order_by(User.username)
    return [row.holder.username for row in rows]


def holds_site_key(session) -> bool:
    """Whether the session's user can open the site key with their password (an administrator or
    manager of a canteen with no key yet gets one at the first push)."""
    if session.role not in sitekey.HOLDER_ROLES or session.site is None:
        return False
    holders = key_holders(session)
    return not holders or session.user.username in holders


def push_to_district(session, password: str, *, progress=None) -> PushResult:
    """Push online to the canteen's district address; the receipt is kept (pushing.keep_receipt)."""
    _require_pusher(session, password)
    return _online(session, password, progress)


def push_as_holder(session, username: str, password: str, *, progress=None) -> PushResult:
    """On another user's desk (the signer who closed the day), the site key's holder pushes online
    with their own user name and password, checked (and failures counted) like a sign-in."""
    holder = User.get_or_none((User.username == username) & (User.site == session.site_id)) if session.site else None
    if holder is None or not holder.active:
        raise AuthError(f"{username} is not a user of this canteen.", f"{username} 不是本食堂的用户。")
    acting = Session(holder, session.site, clock=session.clock)
    _require_pusher(acting, password)
    return _online(acting, password, progress)


def push_to_file(session, password: str, out: Path, *, progress=None) -> PushResult:
    """Write what the district has not yet got into `out` (a .canteen file)."""
    _require_pusher(session, password)
    out = Path(out)
    if out.suffix.lower() != ".canteen":
        raise ValidationError("file", "must end in .canteen", "必须以 .canteen 结尾", "Push file", "上报文件")
    from .. import pushing  # here, not at the top: the desk asks may_push when it starts
    first, last = pushing.push_file(session, password, out, progress=progress)
    return PushResult(new=max(0, last - first + 1), seq=last, path=out, first=first)


def day_closed_by(session, signature) -> dt.date | None:
    """The day a signature just closed (the first on that day's inspection), else None."""
    if getattr(signature, "record_kind", None) != daily_close.KIND or session.site is None:
        return None
    inspection = DailyInspection.get_or_none(DailyInspection.id == signature.record_id)
    if inspection is None:
        return None
    seal = daily_close.seal_of(session.site_id, inspection.day)
    return inspection.day if seal is not None and seal.signature.id == signature.id else None


def a_later_push_carries_it(exc: BaseException) -> bool:
    """Whether what a failed push did not send goes with a later one: the district could not be
    reached, a password or key holder was wrong, the user cancelled — not when the district refused
    the canteen (history differs, not enrolled), which a later push meets again."""
    return isinstance(exc, (StorageError, AuthError, Cancelled))


def push_at_close(session, password: str, *, progress=None) -> PushResult | None:
    """The push the daily close starts: None where no district address is set; with this
    computer's device copy of the site key where there is one; else with the signer's password,
    and AuthError saying who holds the key when the signer does not (see the module's note)."""
    if not district_address(session):
        return None
    device = sitekey.device_copy(session.site_id)
    if device is not None and device.key is not None:
        return _online(session, "", progress, key=device.key)
    if not holds_site_key(session):
        holders = ", ".join(key_holders(session)) or "the administrator"
        said = Said(f"{session.user.username} does not hold the canteen's site key ({holders} does); "
                    "their next push carries this day too.",
                    f"{session.user.username} 未持有本食堂的站点密钥（由 {holders} 持有），其下次上报会一并报送本日记录。")
        if device is not None:
            said = Said(f"{device.problem} {said}", f"{device.problem.zh}{said.zh}")
        raise AuthError(str(said), said.zh)
    return _online(session, password, progress)


# ---- this computer may push at each daily close ---------------------------------------------

def computer_name() -> str:
    return platform.node() or "?"


def device_push_state(session) -> sitekey.DeviceCopy | None:
    """This computer's copy of the canteen's site key (None: this computer does not push at the close)."""
    return sitekey.device_copy(session.site_id) if session.site is not None else None


def allow_device_push(session, password: str) -> Path:
    """The administrator lets this computer push at each daily close: their password (checked and
    counted like a push's) opens the site key, a device copy is kept, and the chain says who allowed
    which computer. Returns the copy's file."""
    _require_pusher(session, password)
    site_id, path = session.site_id, None
    try:
        with service_transaction(site_id):
            private = sitekey.unlock_site_key(site_id, session.user, password)
            chain.append("push-device-allowed", user=session.user, site_id=site_id, kind="sites", record_id=site_id,
                         after={"computer": computer_name(), "public_key": sitekey.public_bytes(private)})
            path = sitekey.keep_device_copy(site_id, session.site.name, private)
    except BaseException:
        if path is not None:  # the entry did not reach the chain: no copy without its record
            sitekey.remove_device_copy(site_id)
        raise
    return path


def revoke_device_push(session) -> bool:
    """The administrator withdraws this computer's copy; audited when there was one."""
    if not may_push(session):
        raise permissions.refuse(session, "stop this computer pushing to the district")
    site_id = session.site_id
    with service_transaction(site_id):
        removed = sitekey.remove_device_copy(site_id)
        if removed:
            chain.append("push-device-revoked", user=session.user, site_id=site_id, kind="sites", record_id=site_id,
                         after={"computer": computer_name()})
    return removed


def _online(session, password: str, progress, key=None) -> PushResult:
    url = district_address(session)
    if not url:
        raise ValidationError("district_address", "is not set: Settings and users → District database to push to",
                              "未设置：设置与用户 → 上报区县的数据库地址", "District address", "区县地址")
    from .. import pushing
    outcome = pushing.push_online(session, password, url, progress=progress, key=key)
    receipt = outcome.receipt or {}
    return PushResult(new=outcome.new, seq=int(receipt.get("seq", 0)), district=str(receipt.get("district", "")),
                      waiting_for=outcome.waiting_for, by_device=key is not None)


def _require_pusher(session, password: str) -> None:
    """The canteen's administrator, whose password is checked like a signature's (failures counted)."""
    if not may_push(session):
        raise permissions.refuse(session, "push to the district")
    users.verify_password(session.user, password, session.now(), action="push-failed")
