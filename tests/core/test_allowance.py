"""The offline allowance: worked refusals and properties (pure arithmetic)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.allowance import (
    HOUR_MS,
    NO_OFFLINE,
    AllowancePolicy,
    Refusal,
    Usage,
    check,
    remaining,
    worst_case_overdraft,
)

POLICY = AllowancePolicy(max_points_per_redemption=500, max_points_per_member_per_terminal=1000,
                         max_points_per_terminal=5000, max_hours_since_sync=24)
NOW = 1_800_000_000_000


def usage(member: int = 0, terminal: int = 0, age_h: float | None = 1, blocked: bool = False) -> Usage:
    last = None if age_h is None else NOW - int(age_h * HOUR_MS)
    return Usage(member_points=member, terminal_points=terminal, last_sync_ok_ms=last, now_ms=NOW,
                 member_blocked=blocked)


def test_within_every_limit_is_allowed() -> None:
    assert check(POLICY, usage(), 500) is None
    assert remaining(POLICY, usage()) == 500


BLOCKED = ("Offline redemption is not allowed for this member until a manager resolves an earlier overdraft. "
           "Redeem when the terminal is online.")


@pytest.mark.parametrize(
    ("use", "points", "expected"),
    [
        (usage(), 501, Refusal("per_redemption", "Offline, one redemption may use at most 500 points.", 500, 500)),
        (usage(member=800), 300, Refusal(
            "per_member", "Offline, this member can redeem only 200 more points on this terminal until it syncs.",
            1000, 200)),
        (usage(member=1200), 1, Refusal(  # over the allowance already (another way in): 0 left, never negative
            "per_member", "Offline, this member can redeem only 0 more points on this terminal until it syncs.",
            1000, 0)),
        (usage(terminal=4900), 300, Refusal(
            "per_terminal", "Offline, this terminal can redeem only 100 more points until it syncs.", 5000, 100)),
        (usage(terminal=5100), 1, Refusal(
            "per_terminal", "Offline, this terminal can redeem only 0 more points until it syncs.", 5000, 0)),
        (usage(age_h=25), 10, Refusal(
            "sync_too_old", "The last successful sync is more than 24 hours old: redeeming offline is not allowed. "
            "Reconnect the terminal to the network.", 24, 0)),
        (usage(age_h=None), 10, Refusal(
            "never_synced", "This terminal has not synced with the server yet, so it cannot redeem offline.", 0, 0)),
        (usage(blocked=True), 1, Refusal("member_blocked", BLOCKED, 0, 0)),
    ],
)
def test_refusals_say_which_limit_and_what_is_left(use: Usage, points: int, expected: Refusal) -> None:
    assert check(POLICY, use, points) == expected


def test_nothing_to_redeem_is_never_refused() -> None:
    assert check(POLICY, usage(blocked=True), 0) is None
    assert check(NO_OFFLINE, usage(age_h=None), -5) is None


def test_at_the_limits_is_allowed() -> None:
    assert check(POLICY, usage(age_h=24), 10) is None  # 24 hours old: still allowed
    assert check(POLICY, usage(member=500), 500) is None and check(POLICY, usage(terminal=4500), 500) is None
    assert remaining(POLICY, usage(member=1200)) == 0
    assert remaining(POLICY, usage(age_h=None)) == 0  # never synced: nothing offline


def test_policy_from_the_server() -> None:
    data = {"max_points_per_redemption": 1, "max_points_per_member_per_terminal": 2, "max_points_per_terminal": 3,
            "max_hours_since_sync": 4}
    assert AllowancePolicy.from_dict(data) == AllowancePolicy(1, 2, 3, 4)
    assert AllowancePolicy.from_dict({}) == NO_OFFLINE == AllowancePolicy(0, 0, 0, 0)  # missing: no allowance
    assert AllowancePolicy.from_dict({**data, "max_hours_since_sync": 0}).max_hours_since_sync == 0
    for bad in (-1, True, 1.5, "3", None):
        with pytest.raises(ValueError) as caught:
            AllowancePolicy.from_dict({**data, "max_points_per_terminal": bad})
        assert str(caught.value) == "offline policy: max_points_per_terminal must be a non-negative integer"


def test_worst_case_overdraft_edges() -> None:
    assert worst_case_overdraft(POLICY, 0) == 0 and worst_case_overdraft(POLICY, -2) == 0
    assert worst_case_overdraft(POLICY, 3) == 3000
    assert worst_case_overdraft(AllowancePolicy(500, 1000, 400, 24), 2) == 800  # the terminal limit is smaller


def test_each_limit_refuses_with_its_own_reason() -> None:
    refusal = check(POLICY, usage(), 501)
    assert refusal is not None and refusal.code == "per_redemption" and "500" in refusal.message
    refusal = check(POLICY, usage(member=800), 300)
    assert refusal is not None and refusal.code == "per_member" and "200" in refusal.message
    refusal = check(POLICY, usage(terminal=4900), 300)
    assert refusal is not None and refusal.code == "per_terminal" and "100" in refusal.message
    refusal = check(POLICY, usage(age_h=25), 10)
    assert refusal is not None and refusal.code == "sync_too_old" and "24" in refusal.message
    refusal = check(POLICY, usage(age_h=None), 10)
    assert refusal is not None and refusal.code == "never_synced"
    refusal = check(POLICY, usage(blocked=True), 1)
    assert refusal is not None and refusal.code == "member_blocked"
    assert remaining(POLICY, usage(blocked=True)) == 0


def test_exactly_at_the_limits_is_allowed() -> None:
    assert check(POLICY, usage(member=500), 500) is None
    assert check(POLICY, usage(terminal=4500), 500) is None
    assert check(POLICY, usage(age_h=24), 1) is None


def test_from_dict_refuses_bad_values() -> None:
    assert AllowancePolicy.from_dict({"max_points_per_redemption": 1, "max_points_per_member_per_terminal": 2,
                                      "max_points_per_terminal": 3, "max_hours_since_sync": 4}).max_hours_since_sync == 4
    for bad in (-1, "5", 1.5, True):
        try:
            AllowancePolicy.from_dict({"max_points_per_redemption": bad})
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad!r}")


policies = st.builds(AllowancePolicy, st.integers(0, 2000), st.integers(0, 3000), st.integers(0, 10000),
                     st.integers(0, 72))


@settings(max_examples=300, deadline=None)
@given(policies, st.integers(0, 4000), st.integers(0, 12000), st.integers(0, 100 * HOUR_MS), st.booleans(),
       st.integers(1, 3000))
def test_allowed_iff_within_remaining(policy: AllowancePolicy, member: int, terminal: int, age: int,
                                      blocked: bool, points: int) -> None:
    u = Usage(member, max(member, terminal), NOW - age, NOW, blocked)
    left = remaining(policy, u)
    assert (check(policy, u, points) is None) == (points <= left)
    assert 0 <= left <= policy.max_points_per_redemption


@settings(max_examples=200, deadline=None)
@given(policies, st.lists(st.integers(1, 800), max_size=30), st.integers(1, 8))
def test_greedy_offline_use_never_exceeds_the_limits(policy: AllowancePolicy, asks: list[int], terminals: int) -> None:
    """A counter that applies ``check`` before every redemption never passes its cumulative limits, so the
    overdraft of a member over several counters stays within worst_case_overdraft."""
    member_used = terminal_used = 0
    for ask in asks:
        u = Usage(member_used, terminal_used, NOW, NOW)
        if check(policy, u, ask) is None:
            member_used += ask
            terminal_used += ask
    assert member_used <= policy.max_points_per_member_per_terminal
    assert terminal_used <= policy.max_points_per_terminal
    assert member_used * terminals <= worst_case_overdraft(policy, terminals) or member_used == 0
