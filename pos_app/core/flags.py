"""What each flag the loyalty server raises means, in a manager's words: one table for the counter's back office
(the branch's flags) and the head-office console's flags queue, translated with the product's one catalog."""

from __future__ import annotations

from pos_app.core.i18n import N_, _

FLAG_TEXT = {
    "overdraft": N_("Overdraft after offline redemptions"),
    "points_mismatch": N_("Points differ from the rules"),
    "reward_price_mismatch": N_("Reward at another price"),
    "fx_mismatch": N_("Currency rate differs"),
    "quarantined": N_("Record kept aside (no points)"),
    "allowance_exceeded": N_("Over the offline allowance"),
    "reservation_mismatch": N_("Online redemption mismatch"),
    "reward_oversold": N_("Reward out of stock"),
    "voucher_reward_redeemed": N_("Voucher reward redeemed without a voucher"),
    "voucher_conflict": N_("Voucher used twice"),
    "retention_review": N_("Inactive member: keep or erase"),
    "clock_skew": N_("A counter's clock was wrong"),
    "duplicate_phone": N_("Two members, one phone"),
    "unknown_member": N_("Unknown member"),
    "unknown_rules_version": N_("Unknown rules version"),
    "content_conflict": N_("Record sent twice, different"),
    "takeover": N_("Standalone counter joined"),
    "pin_lockout": N_("Staff PIN locked"),
    "pin_failures": N_("Many wrong PINs"),
}
"""kind -> its label (English source); a kind not listed (a newer server's) is shown as its code."""


def flag_label(kind: str) -> str:
    """The label of flag ``kind`` in the current language; an unknown kind as it came."""
    return _(FLAG_TEXT[kind]) if kind in FLAG_TEXT else kind
