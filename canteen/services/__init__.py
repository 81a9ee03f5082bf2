"""The one way in for every write: validate, check the block rules, write, audit — in one transaction."""

from .records import amend, create, get, void  # noqa: F401
from .session import Session  # noqa: F401
