"""Who is acting, for which canteen: every service call takes a Session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .. import settings as site_settings
from ..models import Site, User
from ..timeutil import local_today, to_local, utcnow


@dataclass
class Session:
    user: User
    site: Site
    clock: callable = field(default=utcnow)  # tests and the demo move time; production uses the wall clock

    @property
    def tz(self) -> str:
        return self.site.timezone

    @property
    def role(self) -> str:
        return self.user.role

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        return to_local(self.now(), self.tz).date() if self.clock is not utcnow else local_today(self.tz)

    def setting(self, key: str):
        return site_settings.get(self.site.id, key)
