"""Expiry per grant, oldest points spent first, derived from the entries alone."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.errors import RuleError
from pos_app.core.expiry import (
    LedgerMove,
    Lot,
    balance_of,
    due_expiries,
    expires_at_for,
    expiring_within,
    next_expiry,
    open_lots,
    overdraft_for,
)
from pos_app.core.rules import ExpiryPolicy

BKK = timezone(timedelta(hours=7))
P24 = ExpiryPolicy(24)
NEVER = ExpiryPolicy(None)
T1 = datetime(2026, 1, 10, 3, tzinfo=UTC)
T2 = datetime(2026, 3, 5, 3, tzinfo=UTC)
T3 = datetime(2026, 6, 1, 3, tzinfo=UTC)


def remaining(lots: list[Lot]) -> dict[str, int]:
    return {lot.grant_id: lot.remaining for lot in lots}


def earn(i: str, points: int, at: datetime) -> LedgerMove:
    return LedgerMove(i, "earn", points, at)


def test_expiry_is_end_of_day_in_thailand_months_later(refused) -> None:
    sale = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # 17:30 in Bangkok
    assert expires_at_for(sale, P24) == datetime(2028, 11, 23, 23, 59, 59, 999999, tzinfo=BKK)
    late = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # already the 24th in Bangkok
    assert expires_at_for(late, P24) == datetime(2028, 11, 24, 23, 59, 59, 999999, tzinfo=BKK)
    assert expires_at_for(datetime(2026, 1, 31, 5, tzinfo=UTC), ExpiryPolicy(1)) == datetime(
        2026, 2, 28, 23, 59, 59, 999999, tzinfo=BKK
    )
    assert expires_at_for(datetime(2027, 12, 31, 5, tzinfo=UTC), ExpiryPolicy(2)) == datetime(
        2028, 2, 29, 23, 59, 59, 999999, tzinfo=BKK
    )
    assert expires_at_for(sale, NEVER) is None
    with refused(RuleError, 'time.naive', 'The grant time must carry a time zone (UTC)'):
        expires_at_for(datetime(2026, 1, 1), P24)


def test_oldest_points_are_spent_first() -> None:
    moves = [earn("a", 100, T1), earn("b", 50, T2), LedgerMove("r", "redeem", -120, T3)]
    assert remaining(open_lots(moves, P24)) == {"a": 0, "b": 30}
    lots = open_lots(moves, P24)
    assert lots[0].granted == 100 and lots[0].expires_at == expires_at_for(T1, P24)


def test_a_return_takes_back_from_its_own_receipt_first() -> None:
    moves = [earn("a", 100, T1), earn("b", 100, T2), LedgerMove("x", "reverse", -40, T3, "b")]
    assert remaining(open_lots(moves, P24)) == {"a": 100, "b": 60}
    # when that receipt's points were already spent, the rest comes from the oldest points
    spent = [earn("a", 100, T1), earn("b", 100, T2), LedgerMove("r", "redeem", -150, T2 + timedelta(days=1)),
             LedgerMove("x", "reverse", -80, T3, "b")]
    assert remaining(open_lots(spent, P24)) == {"a": 0, "b": 0}
    assert balance_of(spent) == -30


def test_a_refunded_redemption_gives_points_back_with_their_original_expiry() -> None:
    moves = [
        earn("a", 100, T1),
        LedgerMove("r", "redeem", -60, T2),
        earn("b", 100, T2 + timedelta(days=1)),
        LedgerMove("back", "reverse", 60, T3, "r"),
    ]
    lots = open_lots(moves, P24)
    assert remaining(lots) == {"a": 100, "b": 100}  # no new lot with a fresh expiry
    # a partial refund of a redemption that spanned two grants returns the newer points first
    moves = [earn("a", 30, T1), earn("b", 100, T2), LedgerMove("r", "redeem", -80, T3),
             LedgerMove("back", "reverse", 60, T3 + timedelta(days=1), "r")]
    # the redemption took a: 30 (all of it) and b: 50; 60 back -> b's 50 first, then 10 of a's
    assert remaining(open_lots(moves, P24)) == {"a": 10, "b": 100}
    moves.append(LedgerMove("back2", "reverse", 20, T3 + timedelta(days=2), "r"))
    assert remaining(open_lots(moves, P24)) == {"a": 30, "b": 100}


def test_due_expiries_until_written_off() -> None:
    moves = [earn("a", 100, T1), earn("b", 50, T2), LedgerMove("r", "redeem", -30, T3)]
    a_expiry = expires_at_for(T1, P24)
    assert a_expiry is not None
    assert due_expiries(moves, P24, a_expiry) == []  # still valid during its last instant
    now = a_expiry + timedelta(microseconds=1)
    assert due_expiries(moves, P24, now) == [("a", 70)]
    moves.append(LedgerMove("e1", "expire", -70, now, "a"))
    assert due_expiries(moves, P24, now) == []
    assert balance_of(moves) == 50 and remaining(open_lots(moves, P24)) == {"a": 0, "b": 50}
    assert due_expiries(moves, NEVER, now + timedelta(days=5000)) == []
    later = expires_at_for(T2, P24)
    assert later is not None
    assert due_expiries(moves, P24, later + timedelta(seconds=1)) == [("b", 50)]


def test_expire_takes_from_its_own_grant() -> None:
    moves = [earn("a", 100, T1), earn("b", 50, T2), LedgerMove("e", "expire", -50, T3, "b")]
    assert remaining(open_lots(moves, P24)) == {"a": 100, "b": 0}


def test_points_expiring_within_30_days(refused) -> None:
    moves = [earn("a", 100, T1), earn("b", 50, T2), LedgerMove("r", "redeem", -30, T3)]
    a_expiry = expires_at_for(T1, P24)
    assert a_expiry is not None
    assert expiring_within(moves, P24, a_expiry - timedelta(days=31)) == 0
    assert expiring_within(moves, P24, a_expiry - timedelta(days=30)) == 70
    assert expiring_within(moves, P24, a_expiry - timedelta(days=1), days=0) == 0
    assert expiring_within(moves, P24, a_expiry) == 0  # (now, now+30]: expiring now is not "within"
    assert expiring_within(moves, P24, a_expiry - timedelta(days=30), days=365) == 120
    assert expiring_within(moves, NEVER, T3, days=100_000) == 0
    assert next_expiry(moves, P24, T3) == (a_expiry, 70)
    assert next_expiry(moves, NEVER, T3) is None
    with refused(RuleError, 'expiry.days', 'The number of days must be zero or more.'):
        expiring_within(moves, P24, T3, days=-1)


def test_never_expiring_points_are_spent_oldest_first() -> None:
    moves = [earn("b", 10, T2), earn("a", 10, T1), LedgerMove("r", "redeem", -15, T3)]
    assert remaining(open_lots(moves, NEVER)) == {"a": 0, "b": 5}


def test_adjustments_and_overdraft() -> None:
    moves = [earn("a", 100, T1), LedgerMove("adj", "adjust", 20, T2), LedgerMove("neg", "adjust", -110, T3)]
    assert remaining(open_lots(moves, P24)) == {"a": 0, "adj": 10}
    # an honoured offline redemption beyond the balance, then the server's write-off
    assert overdraft_for(50, 80) == 30 and overdraft_for(100, 80) == 0 and overdraft_for(-5, 10) == 10
    moves = [earn("a", 50, T1), LedgerMove("r", "redeem", -80, T2), LedgerMove("od", "overdraft", 30, T2, "r")]
    assert balance_of(moves) == 0
    assert remaining(open_lots(moves, P24)) == {"a": 0}  # the write-off repays the deficit: no new points
    moves.append(earn("b", 10, T3))
    assert remaining(open_lots(moves, P24)) == {"a": 0, "b": 10}


def test_replay_does_not_depend_on_arrival_order() -> None:
    # a correction stamped earlier than what it corrects (another terminal's clock) still applies to it
    moves = [earn("a", 100, T2), earn("b", 100, T3), LedgerMove("x", "reverse", -100, T1, "b")]
    assert remaining(open_lots(moves, P24)) == {"a": 100, "b": 0}
    assert remaining(open_lots(list(reversed(moves)), P24)) == {"a": 100, "b": 0}


@pytest.mark.parametrize(
    "make, code, message",
    [
        (lambda: LedgerMove("a", "gift", 1, T1), "move.invalid", "Unknown kind of ledger entry “gift”."),
        (lambda: LedgerMove("a", "earn", -1, T1), "move.sign", "An earn entry cannot take points away."),
        (lambda: LedgerMove("a", "redeem", 1, T1), "move.sign", "A redeem entry cannot add points."),
        (lambda: LedgerMove("a", "expire", -1, T1), "move.corrects", "A expire entry must name the entry it corrects."),
        (lambda: LedgerMove("a", "reverse", -1, T1), "move.corrects", "A reverse entry must name the entry it corrects."),
        (lambda: LedgerMove("a", "reverse", -1, T1, "a"), "move.corrects", "An entry cannot correct itself."),
        (lambda: LedgerMove("", "earn", 1, T1), "move.invalid", "A ledger entry needs an id."),
        (lambda: LedgerMove("a", "earn", 1, datetime(2026, 1, 1)), "time.naive",
         "The entry time must carry a time zone (UTC)"),
        (lambda: LedgerMove("a", "earn", 1.5, T1), "move.invalid", "Points must be a whole number."),  # type: ignore[arg-type]
    ],
)
def test_malformed_moves_are_refused(refused, make: object, code: str, message: str) -> None:
    with refused(RuleError, code, message):
        make()  # type: ignore[operator]


def test_duplicate_entries_are_refused(refused) -> None:
    with refused(RuleError, "move.duplicate", "The ledger holds the entry a-17 twice."):
        open_lots([earn("a-17", 1, T1), earn("b", 1, T2), earn("a-17", 1, T1)], P24)


def test_only_ledger_moves_are_replayed(refused) -> None:
    with refused(RuleError, "move.invalid", "Ledger moves must be LedgerMove values."):
        open_lots([earn("a", 1, T1), ("b", "earn", 1, T2)], P24)  # type: ignore[list-item]


def test_the_oldest_points_go_first_whatever_their_ids() -> None:
    # ids from different terminals are not in time order: the grant made first is spent (and expires) first
    moves = [earn("z-first", 100, T1), earn("a-second", 100, T2), LedgerMove("r", "redeem", -30, T3)]
    assert remaining(open_lots(moves, P24)) == {"z-first": 70, "a-second": 100}
    assert next_expiry(moves, P24, T3) == (expires_at_for(T1, P24), 70)


def test_a_single_point_is_redeemed_and_expired_from_the_right_grant() -> None:
    moves = [earn("a", 10, T1), earn("b", 10, T2), LedgerMove("r", "redeem", -1, T3)]
    assert remaining(open_lots(moves, P24)) == {"a": 9, "b": 10}
    moves.append(LedgerMove("e", "expire", -1, T3 + timedelta(days=1), "b"))
    assert remaining(open_lots(moves, P24)) == {"a": 9, "b": 9}


def test_a_refund_gives_back_the_last_single_point_to_its_grant() -> None:
    # the redemption took a's one point and 50 of b's; the refund returns 50 to b, then the 1 to a
    moves = [earn("a", 1, T1), earn("b", 100, T2), LedgerMove("r", "redeem", -51, T3),
             LedgerMove("back", "reverse", 51, T3 + timedelta(days=1), "r")]
    assert remaining(open_lots(moves, P24)) == {"a": 1, "b": 100}  # no fresh lot "back" with a later expiry


def test_undoing_a_refund_takes_the_points_from_where_the_refund_put_them() -> None:
    # a return claws back 40 of b's points, the return is cancelled (40 back into b), then the cancellation is
    # itself reversed: the 40 come out of b again, not out of the older a
    moves = [earn("a", 100, T1), earn("b", 100, T2),
             LedgerMove("ret", "reverse", -40, T3, "b"),
             LedgerMove("cancel", "reverse", 40, T3 + timedelta(days=1), "ret"),
             LedgerMove("undo", "reverse", -40, T3 + timedelta(days=2), "cancel")]
    assert remaining(open_lots(moves, P24)) == {"a": 100, "b": 60}


def test_a_manager_adjustment_naming_an_entry_is_still_an_ordinary_adjustment() -> None:
    # negative: the oldest points first, not the named receipt's
    moves = [earn("a", 100, T1), earn("b", 100, T2), LedgerMove("adj", "adjust", -30, T3, "b")]
    assert remaining(open_lots(moves, P24)) == {"a": 70, "b": 100}
    # positive: a new grant dated at the adjustment, not a refill of the lots the named redemption emptied
    moves = [earn("a", 100, T1), LedgerMove("r", "redeem", -100, T2), LedgerMove("adj", "adjust", 30, T3, "r")]
    lots = open_lots(moves, P24)
    assert remaining(lots) == {"a": 0, "adj": 30}
    assert next_expiry(moves, P24, T3) == (expires_at_for(T3, P24), 30)


def test_every_grant_is_listed_one_that_earned_nothing_too() -> None:
    moves = [earn("a", 100, T1), earn("small", 0, T2), LedgerMove("r0", "redeem", 0, T3),
             LedgerMove("adj0", "adjust", 0, T3)]
    lots = open_lots(moves, P24)
    assert [(lot.grant_id, lot.granted, lot.remaining) for lot in lots] == [("a", 100, 100), ("small", 0, 0)]


def test_a_one_point_grant_is_spent_first_like_any_other() -> None:
    moves = [earn("a", 1, T1), earn("b", 10, T2), LedgerMove("r", "redeem", -2, T3)]
    assert remaining(open_lots(moves, P24)) == {"a": 0, "b": 9}


def test_a_refund_applies_when_it_happened_not_after_later_sales() -> None:
    # the refunded points are back in a before the next redemption, which spends them first
    moves = [earn("a", 100, T1), LedgerMove("r", "redeem", -100, T2),
             LedgerMove("back", "reverse", 100, T2 + timedelta(days=1), "r"),
             earn("b", 50, T3), LedgerMove("r2", "redeem", -120, T3 + timedelta(days=1))]
    assert remaining(open_lots(moves, P24)) == {"a": 0, "b": 30}


def test_a_clawback_naming_a_sale_that_earned_nothing_takes_the_oldest_points() -> None:
    moves = [earn("a", 100, T1), earn("small", 0, T2), LedgerMove("x", "reverse", -10, T3, "small")]
    assert remaining(open_lots(moves, P24)) == {"a": 90, "small": 0}


def test_corrections_that_name_each_other_are_replayed_in_time_order() -> None:
    # nonsense a ledger should never hold (a cycle) still replays, by time, and keeps the balance
    moves = [earn("a", 100, T1), earn("b", 100, T2),
             LedgerMove("x", "reverse", -30, T3 + timedelta(days=2), "y"),
             LedgerMove("y", "reverse", -50, T3 + timedelta(days=1), "x")]
    assert remaining(open_lots(moves, P24)) == {"a": 20, "b": 100}
    assert remaining(open_lots(list(reversed(moves)), P24)) == {"a": 20, "b": 100}


# ------------------------------------------------------------------------------------ properties


@st.composite
def move_sequences(draw: st.DrawFn) -> list[LedgerMove]:
    """Arbitrary entries, including nonsense a ledger should never write (the replay must still hold)."""
    moves: list[LedgerMove] = []
    for i in range(draw(st.integers(0, 40))):
        kind = draw(st.sampled_from(["earn", "earn", "redeem", "reverse", "adjust", "expire", "overdraft"]))
        at = T1 + timedelta(hours=draw(st.integers(0, 5 * 365 * 24)))
        magnitude = draw(st.integers(0, 500))
        corrects = draw(st.sampled_from([m.entry_id for m in moves])) if moves else None
        if kind == "earn":
            moves.append(LedgerMove(f"m{i:03d}", kind, magnitude, at))
        elif kind == "redeem":
            moves.append(LedgerMove(f"m{i:03d}", kind, -magnitude, at))
        elif kind in ("reverse", "expire"):
            if corrects is None:
                continue
            sign = -1 if kind == "expire" else draw(st.sampled_from([-1, 1]))
            moves.append(LedgerMove(f"m{i:03d}", kind, sign * magnitude, at, corrects))
        else:
            moves.append(LedgerMove(f"m{i:03d}", kind, draw(st.sampled_from([-1, 1])) * magnitude, at))
    return moves


policies = st.sampled_from([P24, NEVER, ExpiryPolicy(1), ExpiryPolicy(12)])


@settings(max_examples=200, deadline=None)
@given(move_sequences(), policies, st.integers(0, 7 * 365))
def test_lots_always_hold_the_balance(moves: list[LedgerMove], policy: ExpiryPolicy, day: int) -> None:
    lots = open_lots(moves, policy)
    total = balance_of(moves)
    assert sum(lot.remaining for lot in lots) == max(0, total)
    assert all(0 <= lot.remaining <= lot.granted for lot in lots)
    now = T1 + timedelta(days=day)
    assert 0 <= expiring_within(moves, policy, now) <= max(0, total)
    due = due_expiries(moves, policy, now)
    assert sum(points for _, points in due) <= max(0, total)
    # writing off what is due (later than every entry, as the ledger does) leaves nothing due
    now = max([now, *(m.at for m in moves)])
    due = due_expiries(moves, policy, now)
    written = moves + [LedgerMove(f"x-exp-{g}", "expire", -p, now, g) for g, p in due]
    assert due_expiries(written, policy, now) == []
    assert sum(lot.remaining for lot in open_lots(written, policy)) == max(0, balance_of(written))


@settings(max_examples=100, deadline=None)
@given(move_sequences(), policies, st.randoms(use_true_random=False))
def test_replay_is_independent_of_order(moves: list[LedgerMove], policy: ExpiryPolicy, rnd: random.Random) -> None:
    shuffled = list(moves)
    rnd.shuffle(shuffled)
    assert open_lots(shuffled, policy) == open_lots(moves, policy)


def test_overdraft_for(refused) -> None:
    assert overdraft_for(10, 0) == 0  # nothing redeemed, nothing owed
    assert overdraft_for(10, 25) == 15 and overdraft_for(-5, 3) == 3 and overdraft_for(30, 25) == 0
    with refused(RuleError, "move.sign", "Give the redeemed points as a positive number."):
        overdraft_for(10, -1)


def test_lots_keep_their_grant_time() -> None:
    lot = open_lots([earn("a", 1, T1)], P24)[0]
    assert (lot.grant_id, lot.granted, lot.remaining, lot.granted_at) == ("a", 1, 1, T1)
    assert lot.expires_at == expires_at_for(T1, P24)


def test_a_single_point_expires_too() -> None:
    after = expires_at_for(T1, P24) + timedelta(microseconds=1)  # type: ignore[operator]
    assert due_expiries([earn("a", 1, T1)], P24, after) == [("a", 1)]


def test_next_expiry_skips_spent_lots_and_adds_up_a_day() -> None:
    moves = [earn("a", 5, T1), LedgerMove("r", "redeem", -5, T1 + timedelta(hours=1)),  # a is spent
             earn("b", 1, T2), earn("c", 2, T2 + timedelta(hours=1))]  # the same day: one expiry
    b_expires = expires_at_for(T2, P24)
    assert next_expiry(moves, P24, T3) == (b_expires, 3)
    assert next_expiry(moves, P24, b_expires) == (b_expires, 3)  # expiring right now still counts
    assert next_expiry(moves, P24, b_expires + timedelta(microseconds=1)) is None  # type: ignore[operator]


@pytest.mark.parametrize("call", [
    lambda now: due_expiries([], P24, now),
    lambda now: expiring_within([], P24, now),
    lambda now: next_expiry([], P24, now),
])
def test_the_current_time_needs_a_zone(refused, call) -> None:  # type: ignore[no-untyped-def]
    with refused(RuleError, "time.naive",
                 "The current time must carry a time zone (UTC); a local time without a zone is ambiguous."):
        call(datetime(2026, 1, 1))


@pytest.mark.parametrize("days", [1.5, True, -1])
def test_expiring_within_needs_whole_days(refused, days) -> None:  # type: ignore[no-untyped-def]
    with refused(RuleError, "expiry.days", "The number of days must be zero or more."):
        expiring_within([], P24, T3, days=days)
