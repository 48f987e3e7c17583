"""The rewards catalogue as head office runs it (the console's Rewards page): create, edit and retire a reward,
its active dates, and its stock per branch (docs/console.md, "Rewards and stock").

A reward counted per branch has a ``reward_stock`` row per branch that has any; a redemption at a terminal takes
one from its branch's stock when the server records it (``service._take_reward_stock``). Every change here gets a
change id, so the terminals pull it: a catalogue change as a ``reward`` change to every terminal, a stock change
as the same ``reward`` change to the branch's terminals only, with that branch's stock (docs/sync-protocol.md).

Lock order (the service's): the reward row, then its stock rows, then the change counter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sync import records as rec
from sync.server import models as m
from sync.server.db import take_change_ids
from sync.server.errors import ApiError

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
MAX_STOCK = 1_000_000


@dataclass(frozen=True)
class RewardForm:
    """A reward as the console's form gives it (already parsed: whole points, UTC times)."""

    code: str
    name_th: str
    name_en: str
    points_cost: int
    active_from: datetime | None
    active_until: datetime | None
    per_branch_stock: bool


def in_window(active_from: datetime | None, active_until: datetime | None, now: datetime) -> bool:
    return (active_from is None or active_from <= now) and (active_until is None or now < active_until)


def check(form: RewardForm) -> dict[str, str]:
    """{field: code of what is wrong} (empty: valid). The console turns the codes into sentences."""
    errors: dict[str, str] = {}
    if not CODE_RE.match(form.code):
        errors["code"] = "bad_code"
    if not form.name_th.strip() or len(form.name_th) > 200:
        errors["name_th"] = "bad_name"
    if not form.name_en.strip() or len(form.name_en) > 200:
        errors["name_en"] = "bad_name"
    if not 0 < form.points_cost <= rec.MAX_ENTRY_POINTS:
        errors["points_cost"] = "bad_cost"
    if form.active_from is not None and form.active_until is not None and form.active_until <= form.active_from:
        errors["active_until"] = "bad_dates"
    return errors


def _row(conn: Connection, code: str, lock: bool = False) -> Any:
    query = select(m.rewards).where(m.rewards.c.code == code)
    return conn.execute(query.with_for_update() if lock else query).first()


def _public(row: Any) -> dict[str, Any]:
    """A reward row as the audit log keeps it (before / after)."""
    return {"code": row.code, "name_th": row.name_th, "name_en": row.name_en, "points_cost": int(row.points_cost),
            "active": bool(row.active), "active_from": row.active_from.isoformat() if row.active_from else None,
            "active_until": row.active_until.isoformat() if row.active_until else None,
            "per_branch_stock": bool(row.per_branch_stock), "stock": row.stock}


def save(conn: Connection, form: RewardForm, by: str, now: datetime, create: bool) -> tuple[dict[str, Any] | None,
                                                                                            dict[str, Any]]:
    """Create (``create``) or edit a reward; returns (before, after) for the audit log. Refused: a code taken
    (create), an unknown code (edit), invalid fields (``check``)."""
    errors = check(form)
    if errors:
        raise ApiError(422, "bad_reward", "invalid reward", {"fields": errors})
    row = _row(conn, form.code, lock=True)
    if create and row is not None:
        raise ApiError(409, "reward_exists", f"there is already a reward {form.code}")
    if not create and row is None:
        raise ApiError(404, "unknown_reward", f"no reward {form.code}")
    values: dict[str, Any] = {
        "name_th": form.name_th.strip(), "name_en": form.name_en.strip(), "points_cost": form.points_cost,
        "active_from": form.active_from, "active_until": form.active_until,
        "in_window": in_window(form.active_from, form.active_until, now),
        "per_branch_stock": form.per_branch_stock, "updated_by": by}
    if form.per_branch_stock:
        values["stock"] = None  # counted per branch from now on: the chain-wide count no longer applies
    values["change_id"] = take_change_ids(conn, 1)
    if row is None:
        conn.execute(insert(m.rewards).values(**({"code": form.code, "active": True, "stock": None} | values)))
    else:
        conn.execute(update(m.rewards).where(m.rewards.c.code == form.code).values(**values))
    return (_public(row) if row is not None else None), _public(_row(conn, form.code))


def set_active(conn: Connection, code: str, active: bool, by: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Retire (``active`` false: the counters stop offering it at their next sync) or bring back a reward."""
    row = _row(conn, code, lock=True)
    if row is None:
        raise ApiError(404, "unknown_reward", f"no reward {code}")
    conn.execute(update(m.rewards).where(m.rewards.c.code == code).values(
        active=active, updated_by=by, change_id=take_change_ids(conn, 1)))
    return _public(row), _public(_row(conn, code))


def change_stock(conn: Connection, code: str, branch_code: str, quantity: int, mode: str,
                 now: datetime) -> tuple[int, int]:
    """Set the stock of reward ``code`` at a branch (``mode`` "set": what is on the shelf now) or add a
    delivery (``mode`` "add"); returns (before, after). Only for a reward counted per branch."""
    if mode not in ("set", "add"):
        raise ApiError(422, "bad_mode", "set or add")
    if not (0 <= quantity <= MAX_STOCK) or (mode == "add" and quantity == 0):
        raise ApiError(422, "bad_quantity", f"a quantity is 0..{MAX_STOCK:,} (a delivery at least 1)")
    row = _row(conn, code, lock=True)
    if row is None:
        raise ApiError(404, "unknown_reward", f"no reward {code}")
    if not row.per_branch_stock:
        raise ApiError(409, "not_per_branch", f"reward {code} is not counted per branch")
    branch = conn.execute(select(m.branches.c.id).where(m.branches.c.code == branch_code)).scalar_one_or_none()
    if branch is None:
        raise ApiError(404, "unknown_branch", f"no branch {branch_code}")
    current = conn.execute(select(m.reward_stock.c.stock).where(
        m.reward_stock.c.reward_code == code, m.reward_stock.c.branch_id == branch).with_for_update()).first()
    before = int(current.stock) if current is not None else 0
    after = quantity if mode == "set" else before + quantity
    if after > MAX_STOCK:
        raise ApiError(422, "bad_quantity", f"at most {MAX_STOCK:,} at a branch")
    change = take_change_ids(conn, 1)
    if current is None:
        conn.execute(insert(m.reward_stock).values(reward_code=code, branch_id=branch, stock=after, change_id=change,
                                                   updated_at=now))
    else:
        conn.execute(update(m.reward_stock).where(m.reward_stock.c.reward_code == code,
                                                  m.reward_stock.c.branch_id == branch)
                     .values(stock=after, change_id=change, updated_at=now))
    return before, after


def refresh_windows(conn: Connection, now: datetime) -> list[str]:
    """Rewards whose start or end date passed since the terminals were last told: a new change id each, so the
    counters start or stop offering them at their next sync (``serve`` runs this every minute; opening the
    Rewards page does too). Returns their codes."""
    rows = conn.execute(select(m.rewards.c.code, m.rewards.c.active_from, m.rewards.c.active_until,
                               m.rewards.c.in_window)
                        .where((m.rewards.c.active_from.is_not(None)) | (m.rewards.c.active_until.is_not(None)))
                        .order_by(m.rewards.c.code)).all()
    due = [r.code for r in rows if in_window(r.active_from, r.active_until, now) != r.in_window]
    for code in due:
        row = _row(conn, code, lock=True)
        if row is None or in_window(row.active_from, row.active_until, now) == row.in_window:
            continue
        conn.execute(update(m.rewards).where(m.rewards.c.code == code).values(
            in_window=not row.in_window, change_id=take_change_ids(conn, 1)))
    return due


def catalogue(conn: Connection, branch_codes: tuple[str, ...] | None, now: datetime) -> list[dict[str, Any]]:
    """Every reward with its state and, when counted per branch, its stock per branch (``branch_codes``: only
    these branches, for an area manager; None: all)."""
    branches = {r.id: r.code for r in conn.execute(select(m.branches.c.id, m.branches.c.code))}
    stock: dict[str, dict[str, int]] = {}
    for s in conn.execute(select(m.reward_stock)):
        code = branches.get(s.branch_id)
        if code is not None and (branch_codes is None or code in branch_codes):
            stock.setdefault(s.reward_code, {})[code] = int(s.stock)
    out = []
    for r in conn.execute(select(m.rewards).order_by(m.rewards.c.code)):
        if not r.active:
            state = "retired"
        elif r.active_from is not None and now < r.active_from:
            state = "scheduled"
        elif r.active_until is not None and now >= r.active_until:
            state = "ended"
        else:
            state = "active"
        per_branch = stock.get(r.code, {})
        out.append({"code": r.code, "name_th": r.name_th, "name_en": r.name_en, "points_cost": int(r.points_cost),
                    "active": bool(r.active), "state": state, "active_from": r.active_from,
                    "active_until": r.active_until, "per_branch_stock": bool(r.per_branch_stock),
                    "chain_stock": r.stock, "stock": per_branch, "stock_total": sum(per_branch.values())})
    return out
