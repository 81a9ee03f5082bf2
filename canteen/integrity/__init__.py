"""Integrity: the canonical form of records, the hash-chained audit trail, signatures, verification."""
