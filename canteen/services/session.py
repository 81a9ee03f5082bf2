"""Who is acting, for which canteen: every service call takes a Session."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from .. import settings as site_settings
from ..models import Site, User
from ..timeutil import local_today, to_local, utcnow

DISTRICT_TZ = "Asia/Shanghai"  # a district user's clock before a canteen is chosen


@dataclass
class Session:
    """`site` is the canteen the session acts in: a school user's own; for a district user the
    canteen chosen (`--site`), or None while none is chosen."""

    user: User
    site: Site | None
    clock: Callable[[], dt.datetime] = field(default=utcnow)  # tests and the demo move time
    must_change_password: bool = False
    _memo: dict | None = field(default=None, repr=False)

    @property
    def tz(self) -> str:
        return self.site.timezone if self.site is not None else DISTRICT_TZ

    @property
    def site_id(self) -> int | None:
        return self.site.id if self.site is not None else None

    @property
    def role(self) -> str:
        return self.user.role

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        return to_local(self.now(), self.tz).date() if self.clock is not utcnow else local_today(self.tz)

    def setting(self, key: str):
        """The canteen's setting; inside `batch()` all of them are read at the first ask, with
        one statement, and kept for the batch."""
        if self._memo is None:
            return site_settings.get(self.site_id, key)
        return self.remember(("settings",), lambda: site_settings.all_for(self.site_id))[key]

    def remember(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Inside `batch()`, look a fact up once; outside, always afresh."""
        if self._memo is None:
            return compute()
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @contextlib.contextmanager
    def batch(self, shared: dict | None = None):
        """A bulk write: settings and other facts that cannot change mid-batch are read once.
        What is remembered are facts of the canteen (its settings, records, sealed days), never
        of the user, so the sessions of several users of one canteen writing together (the
        demo's day) may pass one `shared` dict and read each fact once between them."""
        fresh = {} if shared is None else shared
        outer, self._memo = self._memo, (fresh if self._memo is None else self._memo)
        try:
            yield self
        finally:
            self._memo = outer
