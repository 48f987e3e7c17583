"""The offline-redemption allowance: pure arithmetic, no clock, no database.

While a counter cannot reach the central server it may still honour redemptions, but only within an explicit
allowance configured centrally (``sync.protocol.OfflinePolicy``):

* at most ``max_points_per_redemption`` in one redemption;
* at most ``max_points_per_member_per_terminal`` for one member on this terminal since its last successful sync;
* at most ``max_points_per_terminal`` for all members on this terminal since its last successful sync;
* none at all once the last successful sync is older than ``max_hours_since_sync``;
* none for a member whose earlier offline redemptions overdrew them (flagged until a manager resolves it).

Everything is integer points and integer milliseconds. ``check`` returns the first refusal (or ``None``); the
counter shows its translated ``message``. ``remaining`` is how many points could still be redeemed offline now.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.core.i18n import _

HOUR_MS = 3_600_000


@dataclass(frozen=True)
class AllowancePolicy:
    max_points_per_redemption: int
    max_points_per_member_per_terminal: int
    max_points_per_terminal: int
    max_hours_since_sync: int

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> AllowancePolicy:
        def num(key: str) -> int:
            value = data.get(key, 0)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"offline policy: {key} must be a non-negative integer")
            return value

        return cls(num("max_points_per_redemption"), num("max_points_per_member_per_terminal"),
                   num("max_points_per_terminal"), num("max_hours_since_sync"))


NO_OFFLINE = AllowancePolicy(0, 0, 0, 0)
"""What a terminal enforces before it has received any policy: no offline redemption."""


@dataclass(frozen=True)
class Usage:
    """What this terminal already honoured offline since its last successful sync."""

    member_points: int
    terminal_points: int
    last_sync_ok_ms: int | None
    now_ms: int
    member_blocked: bool = False


@dataclass(frozen=True)
class Refusal:
    code: str
    """Stable: ``member_blocked``, ``never_synced``, ``sync_too_old``, ``per_redemption``, ``per_member``,
    ``per_terminal``."""
    message: str
    limit: int
    remaining: int


def sync_age_ok(policy: AllowancePolicy, usage: Usage) -> bool:
    if usage.last_sync_ok_ms is None:
        return False
    return usage.now_ms - usage.last_sync_ok_ms <= policy.max_hours_since_sync * HOUR_MS


def remaining(policy: AllowancePolicy, usage: Usage) -> int:
    """Points one redemption may still take offline now (0 = no offline redemption for this member)."""
    if usage.member_blocked or not sync_age_ok(policy, usage):
        return 0
    return max(0, min(policy.max_points_per_redemption,
                      policy.max_points_per_member_per_terminal - usage.member_points,
                      policy.max_points_per_terminal - usage.terminal_points))


def check(policy: AllowancePolicy, usage: Usage, points: int) -> Refusal | None:
    """The reason an offline redemption of ``points`` must be refused, or None when it is within the allowance."""
    if points <= 0:
        return None
    left = remaining(policy, usage)
    if usage.member_blocked:
        return Refusal("member_blocked", _(
            "Offline redemption is not allowed for this member until a manager resolves an earlier overdraft. "
            "Redeem when the terminal is online."), 0, 0)
    if usage.last_sync_ok_ms is None:
        return Refusal("never_synced", _(
            "This terminal has not synced with the server yet, so it cannot redeem offline."), 0, 0)
    if not sync_age_ok(policy, usage):
        return Refusal("sync_too_old", _(
            "The last successful sync is more than {hours} hours old: redeeming offline is not allowed. "
            "Reconnect the terminal to the network.").format(hours=policy.max_hours_since_sync),
            policy.max_hours_since_sync, 0)
    if points > policy.max_points_per_redemption:
        return Refusal("per_redemption", _(
            "Offline, one redemption may use at most {limit} points.").format(
            limit=policy.max_points_per_redemption), policy.max_points_per_redemption, left)
    member_left = max(0, policy.max_points_per_member_per_terminal - usage.member_points)
    if points > member_left:
        return Refusal("per_member", _(
            "Offline, this member can redeem only {left} more points on this terminal until it syncs.").format(
            left=member_left), policy.max_points_per_member_per_terminal, left)
    terminal_left = max(0, policy.max_points_per_terminal - usage.terminal_points)
    if points > terminal_left:
        return Refusal("per_terminal", _(
            "Offline, this terminal can redeem only {left} more points until it syncs.").format(
            left=terminal_left), policy.max_points_per_terminal, left)
    return None


def worst_case_overdraft(policy: AllowancePolicy, terminals: int) -> int:
    """An upper bound of the overdraft one member can reach when ``terminals`` counters redeem offline between
    two syncs: each counter honours at most its per-member allowance (and never more than it holds as balance),
    so the shortfall is at most ``terminals`` times that allowance (``terminals - 1`` times when nothing else
    spent the member's points meanwhile)."""
    per_member = min(policy.max_points_per_member_per_terminal, policy.max_points_per_terminal)
    return max(0, terminals) * per_member
