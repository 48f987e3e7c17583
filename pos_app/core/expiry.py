"""Expiry per grant and FIFO consumption, derived purely from a member's ledger entries.

The ledger never edits a row, so which points are left in which grant ("lot") is recomputed by replaying
the member's entries (:class:`LedgerMove`) with :func:`open_lots`. The same replay runs on the terminal and
on the server, so both agree on what expires when.

Replay order. Moves are replayed by sale time ``at`` (then ``entry_id``, which is time-ordered), not by
arrival order, so two ledgers holding the same entries in a different order agree. A move that corrects
another (``corrects_id``) is replayed after the move it corrects even if its ``at`` is earlier (clock skew
between terminals).

Kinds and signs:

* ``earn`` (>= 0): a grant; creates a lot (a zero earn, e.g. under the minimum spend, creates none).
* ``redeem`` (<= 0): consumes lots, the one expiring first first (so the oldest points are spent first).
* ``expire`` (<= 0, ``corrects_id`` = the grant's entry id): takes from that grant's lot first.
* ``reverse`` (signed, ``corrects_id`` = the entry it corrects):
  negative (e.g. the clawback of a return, correcting an earn) takes from the lots the corrected entry added
  to first, then FIFO; positive (e.g. a refunded redemption, correcting a redeem) puts points back into the
  lots the corrected entry took them from, with their original expiry (most recently taken first), and
  only the excess, if any, becomes a new lot.
* ``adjust`` (signed, a manager's correction): positive creates a lot dated at the adjustment; negative
  consumes FIFO.
* ``overdraft`` (signed; in practice positive). **Choice:** an offline redemption that a counter already
  honoured is never rejected; when, at sync, it turns out the member no longer had the points (another
  counter spent them meanwhile), the server appends, in the same transaction as the redemption, an
  ``overdraft`` entry of ``+shortfall`` (:func:`overdraft_for`) whose ``corrects_id`` names that
  redemption (so it is replayed right after it, whatever the clocks said). The shortfall is written off: the chain
  bears it (bounded by the offline allowance), the member's balance comes back to exactly zero instead of
  staying negative, and the member is flagged for a manager, who may recover it later only with a reasoned
  ``adjust`` (which never takes a balance below zero). So at rest a balance is never negative; it dips
  below zero only between an overdrawn redemption and its overdraft entry, inside one transaction (on an
  enrolled terminal, until the server's overdraft entry arrives with the next sync: only one party may
  write overdraft entries, else a shortfall is written off twice). The
  write-off is visible (the sum of a member's overdraft entries) instead of hidden in a negative balance
  that would silently eat their next purchases. A negative overdraft is accepted by the replay (as a
  debt consumed FIFO) but is not something the ledger should write.

Whatever the sequence, the replay keeps: ``sum(lot.remaining) == max(0, sum(move.points))``. When a
sequence goes below zero, the shortfall is carried as a deficit that later positive moves repay before they
fill any lot.

Expiry dates: a grant made at sale time ``t`` expires at the end of the day (23:59:59.999999 in Thailand)
``months`` calendar months after ``t``'s date in Thailand; it is expired when ``now > expires_at``.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pos_app.core.errors import RuleError
from pos_app.core.i18n import _
from pos_app.core.rules import ExpiryPolicy
from pos_app.core.timeutil import add_months, end_of_local_day, local_date, require_utc

MOVE_KINDS = frozenset({"earn", "redeem", "reverse", "adjust", "expire", "overdraft"})
_NON_NEGATIVE = frozenset({"earn"})
_NON_POSITIVE = frozenset({"redeem", "expire"})


@dataclass(frozen=True)
class LedgerMove:
    """One ledger entry of a member, as the expiry replay needs it."""

    entry_id: str
    kind: str
    points: int
    at: datetime
    corrects_id: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.entry_id, str) or not self.entry_id:
            raise RuleError(_("A ledger entry needs an id."), "move.invalid")
        if self.kind not in MOVE_KINDS:
            raise RuleError(_("Unknown kind of ledger entry “{kind}”.").format(kind=self.kind), "move.invalid")
        if not isinstance(self.points, int) or isinstance(self.points, bool):
            raise RuleError(_("Points must be a whole number."), "move.invalid")
        if self.kind in _NON_NEGATIVE and self.points < 0:
            raise RuleError(_("An earn entry cannot take points away."), "move.sign")
        if self.kind in _NON_POSITIVE and self.points > 0:
            raise RuleError(
                _("A {kind} entry cannot add points.").format(kind=self.kind), "move.sign"
            )
        if self.kind in ("reverse", "expire") and not self.corrects_id:
            raise RuleError(
                _("A {kind} entry must name the entry it corrects.").format(kind=self.kind), "move.corrects"
            )
        if self.corrects_id == self.entry_id:
            raise RuleError(_("An entry cannot correct itself."), "move.corrects")
        object.__setattr__(self, "at", require_utc(self.at, _("The entry time")))


@dataclass(frozen=True)
class Lot:
    """What is left of one grant of points."""

    grant_id: str
    granted: int
    remaining: int
    granted_at: datetime
    expires_at: datetime | None


def expires_at_for(granted_at: datetime, policy: ExpiryPolicy) -> datetime | None:
    """End of the day (Thailand) ``policy.months`` months after the grant's date; None if points never expire."""
    granted_at = require_utc(granted_at, _("The grant time"))
    if policy.months is None:
        return None
    return end_of_local_day(add_months(local_date(granted_at), policy.months))


def overdraft_for(balance_before: int, redeem_points: int) -> int:
    """The ``overdraft`` entry (``+shortfall``) to append with an honoured redemption of ``redeem_points``
    (positive number) against ``balance_before``: 0 when the member had enough."""
    if redeem_points < 0:
        raise RuleError(_("Give the redeemed points as a positive number."), "move.sign")
    return max(0, redeem_points - max(balance_before, 0))


# -------------------------------------------------------------------------------------------- replay


class _MutableLot:
    __slots__ = ("grant_id", "granted", "remaining", "granted_at", "expires_at", "key", "queued")

    def __init__(self, grant_id: str, granted: int, granted_at: datetime, expires_at: datetime | None) -> None:
        self.grant_id = grant_id
        self.granted = granted
        self.remaining = 0
        self.granted_at = granted_at
        self.expires_at = expires_at
        # oldest-expiring first; lots that never expire go last, oldest grant first among equals
        self.key = (expires_at is None, expires_at or granted_at, granted_at, grant_id)
        self.queued = False


class _Alloc:
    """``points`` of one move that went into (or came out of) lot ``grant_id``."""

    __slots__ = ("grant_id", "points")

    def __init__(self, grant_id: str, points: int) -> None:
        self.grant_id = grant_id
        self.points = points


class _Replay:
    """Lots plus a deficit; ``sum(remaining) - deficit == sum of the moves replayed``, never both non-zero."""

    def __init__(self, policy: ExpiryPolicy) -> None:
        self.policy = policy
        self.lots: dict[str, _MutableLot] = {}
        self.order: list[str] = []
        self.heap: list[tuple[tuple[bool, datetime, datetime, str], str]] = []
        self.deficit = 0
        # where each move took points from / put points into: entry_id -> allocations
        self.taken: dict[str, list[_Alloc]] = {}
        self.added: dict[str, list[_Alloc]] = {}

    # -- primitives
    def _put(self, lot: _MutableLot, points: int) -> None:
        lot.remaining += points
        if lot.remaining > 0 and not lot.queued:
            heapq.heappush(self.heap, (lot.key, lot.grant_id))
            lot.queued = True

    def _take_from(self, lot: _MutableLot, wanted: int, record: list[_Alloc]) -> int:
        took = min(wanted, lot.remaining)
        if took > 0:
            lot.remaining -= took
            record.append(_Alloc(lot.grant_id, took))
        return took

    def _repay(self, points: int) -> int:
        repaid = min(points, self.deficit)
        self.deficit -= repaid
        return points - repaid

    def _new_lot(self, move: LedgerMove, points: int, record: list[_Alloc]) -> None:
        lot = _MutableLot(move.entry_id, points, move.at, expires_at_for(move.at, self.policy))
        self.lots[move.entry_id] = lot
        self.order.append(move.entry_id)
        if points > 0:
            self._put(lot, points)
            record.append(_Alloc(lot.grant_id, points))

    def _consume(self, move: LedgerMove, wanted: int, preferred: list[str]) -> None:
        record = self.taken.setdefault(move.entry_id, [])
        for grant_id in preferred:
            if wanted == 0:
                break
            lot = self.lots.get(grant_id)
            if lot is not None:
                wanted -= self._take_from(lot, wanted, record)
        while wanted > 0 and self.heap:
            _key, grant_id = self.heap[0]
            lot = self.lots[grant_id]
            if lot.remaining == 0:
                heapq.heappop(self.heap)
                lot.queued = False
                continue
            wanted -= self._take_from(lot, wanted, record)
        self.deficit += wanted

    # -- one move
    def apply(self, move: LedgerMove) -> None:
        if move.points > 0:
            self._apply_positive(move)
        elif move.points < 0:
            self._apply_negative(move)
        elif move.kind == "earn":
            self._new_lot(move, 0, self.added.setdefault(move.entry_id, []))

    def _apply_positive(self, move: LedgerMove) -> None:
        record = self.added.setdefault(move.entry_id, [])
        points = self._repay(move.points)
        if move.kind == "reverse" and move.corrects_id is not None:
            # give back what the corrected move took, most recently taken first, with the original expiry
            for allocation in reversed(self.taken.get(move.corrects_id, [])):
                if points == 0:
                    break
                back = min(points, allocation.points)
                if back > 0:
                    allocation.points -= back
                    self._put(self.lots[allocation.grant_id], back)
                    record.append(_Alloc(allocation.grant_id, back))
                    points -= back
        if points > 0:
            self._new_lot(move, points, record)

    def _apply_negative(self, move: LedgerMove) -> None:
        preferred: list[str] = []
        if move.kind == "expire" and move.corrects_id is not None:
            preferred = [move.corrects_id]
        elif move.kind == "reverse" and move.corrects_id is not None:
            preferred = [a.grant_id for a in reversed(self.added.get(move.corrects_id, []))]
        self._consume(move, -move.points, preferred)

    def result(self) -> list[Lot]:
        return [
            Lot(lot.grant_id, lot.granted, lot.remaining, lot.granted_at, lot.expires_at)
            for lot in (self.lots[g] for g in self.order)
        ]


def _replay_order(moves: Sequence[LedgerMove]) -> list[LedgerMove]:
    by_id: dict[str, LedgerMove] = {}
    for move in moves:
        if not isinstance(move, LedgerMove):
            raise RuleError(_("Ledger moves must be LedgerMove values."), "move.invalid")
        if move.entry_id in by_id:
            raise RuleError(
                _("The ledger holds the entry {id} twice.").format(id=move.entry_id), "move.duplicate"
            )
        by_id[move.entry_id] = move
    ordered = sorted(moves, key=lambda m: (m.at, m.entry_id))
    done: set[str] = set()
    waiting: dict[str, list[LedgerMove]] = {}
    result: list[LedgerMove] = []

    def emit(move: LedgerMove) -> None:
        stack = [move]
        while stack:
            current = stack.pop()
            result.append(current)
            done.add(current.entry_id)
            stack.extend(reversed(waiting.pop(current.entry_id, [])))

    for move in ordered:
        target = move.corrects_id
        if target is not None and target in by_id and target not in done:
            waiting.setdefault(target, []).append(move)
        else:
            emit(move)
    # corrections whose targets never got emitted (cycles): replay them in time order at the end
    leftovers = sorted((m for ms in waiting.values() for m in ms), key=lambda m: (m.at, m.entry_id))
    result.extend(m for m in leftovers if m.entry_id not in done)
    return result


def _replay(moves: Sequence[LedgerMove], policy: ExpiryPolicy) -> _Replay:
    replay = _Replay(policy)
    for move in _replay_order(moves):
        replay.apply(move)
    return replay


def open_lots(moves: Sequence[LedgerMove], policy: ExpiryPolicy) -> list[Lot]:
    """Every grant of the member in replay order, with what remains in it (``remaining`` may be 0)."""
    return _replay(moves, policy).result()


def balance_of(moves: Sequence[LedgerMove]) -> int:
    """The balance: the plain sum of the moves' points (invariant 1 of the ledger)."""
    return sum(move.points for move in moves)


def due_expiries(moves: Sequence[LedgerMove], policy: ExpiryPolicy, now: datetime) -> list[tuple[str, int]]:
    """``(grant_id, points)`` expired at ``now`` and not yet written off by an ``expire`` entry.

    The ledger appends one ``expire`` entry per item (``points = -points``, ``corrects_id = grant_id``);
    after that, this returns nothing for those grants. Oldest expiry first.
    """
    now = require_utc(now, _("The current time"))
    lots = [lot for lot in open_lots(moves, policy) if lot.remaining > 0 and lot.expires_at is not None]
    lots.sort(key=lambda lot: (lot.expires_at, lot.granted_at, lot.grant_id))
    return [(lot.grant_id, lot.remaining) for lot in lots if lot.expires_at is not None and now > lot.expires_at]


def expiring_within(moves: Sequence[LedgerMove], policy: ExpiryPolicy, now: datetime, days: int = 30) -> int:
    """Points whose expiry falls in ``(now, now + days]``: "points expiring within 30 days"."""
    now = require_utc(now, _("The current time"))
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise RuleError(_("The number of days must be zero or more."), "expiry.days")
    horizon = now + timedelta(days=days)
    return sum(
        lot.remaining
        for lot in open_lots(moves, policy)
        if lot.expires_at is not None and now < lot.expires_at <= horizon
    )


def next_expiry(moves: Sequence[LedgerMove], policy: ExpiryPolicy, now: datetime) -> tuple[datetime, int] | None:
    """The next expiry after ``now`` and how many points it takes (for the member screen and slips)."""
    now = require_utc(now, _("The current time"))
    totals: dict[datetime, int] = {}
    for lot in open_lots(moves, policy):
        if lot.remaining > 0 and lot.expires_at is not None and lot.expires_at >= now:
            totals[lot.expires_at] = totals.get(lot.expires_at, 0) + lot.remaining
    if not totals:
        return None
    first = min(totals)
    return first, totals[first]
