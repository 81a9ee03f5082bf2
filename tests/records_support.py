"""Set-up shared by the record tests (no screen): a supplier the block rules accept, and the
canteen administrator on a fixed morning, both made through the services as a user would."""

from __future__ import annotations

import datetime as dt

import pytest

from canteen.services import records
from canteen.timeutil import to_utc

MARCH_MORNING = dt.datetime(2026, 3, 2, 8, 0)  # a Monday, 08:00 in Shanghai


def licensed_supplier(session, name: str = "城关超市", address: str = "城关镇"):
    """A distributor with a food operation licence valid from 2025 to 2030 (PUR-CERT accepts it)."""
    supplier = records.create(session, "suppliers", {"name": name, "kind": "distributor", "address": address})
    records.create(session, "certificates", {"supplier": supplier.id, "cert_type": "operation_licence", "number": "JY1",
                                             "issued_on": "2025-01-01", "expires_on": "2030-01-01"})
    return supplier


def on_march_morning(session):
    """The session with its clock standing at 08:00 local on 2 March 2026."""
    session.clock = lambda: to_utc(MARCH_MORNING)
    return session


@pytest.fixture
def m(sessions):
    """The canteen administrator, on a clock standing at 08:00 local on 2 March 2026."""
    return on_march_morning(sessions["manager"])
