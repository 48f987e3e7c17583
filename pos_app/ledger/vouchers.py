"""The ledger's voucher uses (``schema.voucher_uses``): recorded in the caller's write transaction, listed for the
upload to the server and for the reports, acknowledged when the server has them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from pos_app.ledger import schema

t = schema.voucher_uses


@dataclass(frozen=True)
class VoucherUseRow:
    op_id: str
    voucher_id: str
    code: str
    kind: str
    face_value_satang: int
    value_satang: int
    bill_satang: int | None
    receipt_ref: str
    member_id: str | None
    operator_id: str
    sale_at_ms: int
    offline: bool
    acked_at_ms: int | None
    conflict: bool | None


def _row(r: Any) -> VoucherUseRow:
    return VoucherUseRow(**{c.name: getattr(r, c.name) for c in t.columns})


def add(conn: Connection, row: VoucherUseRow) -> None:
    conn.execute(insert(t).values(**vars(row)))


def by_voucher(conn: Connection, voucher_id: str) -> VoucherUseRow | None:
    r = conn.execute(select(t).where(t.c.voucher_id == voucher_id)).first()
    return _row(r) if r is not None else None


def pending(conn: Connection, limit: int = 500) -> list[VoucherUseRow]:
    """Uses the server has not acknowledged yet, oldest first."""
    return [_row(r) for r in conn.execute(select(t).where(t.c.acked_at_ms.is_(None))
                                          .order_by(t.c.sale_at_ms, t.c.op_id).limit(limit))]


def acknowledge(conn: Connection, op_id: str, at_ms: int, conflict: bool) -> None:
    conn.execute(update(t).where(t.c.op_id == op_id, t.c.acked_at_ms.is_(None))
                 .values(acked_at_ms=at_ms, conflict=conflict))


def offline_usage(conn: Connection, kind: str, since_ms: int) -> tuple[int, int]:
    """Count and face value of this counter's offline uses of ``kind`` since ``since_ms`` or not yet
    acknowledged by the server (what the offline allowance is measured against)."""
    r = conn.execute(select(func.count(), func.coalesce(func.sum(t.c.face_value_satang), 0))
                     .where(t.c.kind == kind, t.c.offline.is_(True),
                            (t.c.sale_at_ms >= since_ms) | t.c.acked_at_ms.is_(None))).one()
    return int(r[0]), int(r[1])


def uses(conn: Connection, since_ms: int, until_ms: int) -> list[VoucherUseRow]:
    return [_row(r) for r in conn.execute(select(t).where(t.c.sale_at_ms >= since_ms, t.c.sale_at_ms < until_ms)
                                          .order_by(t.c.sale_at_ms))]
