"""Set-up shared by the record tests (no screen): a supplier the block rules accept, and the
canteen administrator on a fixed morning, both made through the services as a user would."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from canteen.services import records
from canteen.timeutil import to_local, to_utc, utcnow

MARCH_MORNING = dt.datetime(2026, 3, 2, 8, 0)  # a Monday, 08:00 in Shanghai
# A delivery sheet's headings, as the import reads them
DELIVERY_HEADS = ["到货时间 Delivered at", "品名 Item", "类别 Category", "数量 Quantity", "供货者 Supplier", "批号 Batch number",
                  "验收结果 Result", "验收人 Receiver"]


def delivery_rows(*batches: str, at: dt.datetime | None = None) -> list[list[str]]:
    """Deliveries from 城关超市 received an hour ago (on time), one per batch number."""
    when = (at or to_local(utcnow()) - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    return [[when, "小白菜" if n % 2 else "大白菜", "蔬菜", "12.5", "城关超市", batch, "验收合格", "王芳"]
            for n, batch in enumerate(batches)]


def sheet_text(table: list[list[str]], delimiter: str = ",") -> str:
    """The table as a CSV (or with another delimiter) file's text."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return out.getvalue()


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
