"""Integrity: the canonical form of records, the hash-chained audit trail, signatures, verification.

Importing the package loads `upgrades`, the schema steps that write audited amendments, so a
program that uses this rung can bring an old database up to date (see migrations.py)."""

from . import upgrades  # noqa: F401  (registers its schema steps with migrations)
