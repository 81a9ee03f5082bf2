"""The compliance engine (docs/domain.md §4).

`blocking_findings` is asked by the services before a write: a non-empty answer refuses it.
`evaluate` reports every finding of a date range, for `canteen check`, the Today page,
the findings page and the archive.
"""

from .catalogue import BLOCK, REMINDER, RULES, SEVERITIES, VIOLATION, WARNING, Rule  # noqa: F401
from .engine import blocking_findings, evaluate  # noqa: F401
from .finding import Finding  # noqa: F401

# The rule modules register their rules with the engine as they are imported: loaded once, here,
# after the engine, which never imports them (no circle).
# isort: split
from . import blocks, period_rules  # noqa: F401
