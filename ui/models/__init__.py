"""Qt item models over the database: they know their row count and fetch pages on demand."""

from .records import RecordTableModel  # noqa: F401
