"""Redeem: spend points on a reward or as a discount; the rewards on offer.

Online first (:meth:`RedeemUseCases.redeem_online`): the points are reserved on the loyalty server before the
redemption is recorded here, through a small port (:class:`ServerReservations`) that the sync glue implements
over the sync client (the client stays transport). When the server cannot be reached the redemption is recorded
offline, within the offline allowance that this module applies itself (``pos_app.core.allowance`` on the
policy the server sent and this terminal's offline redemptions since its last successful sync).

The reward-price rule lives here, once (:func:`reward_spend`): a redemption naming a reward spends exactly the
reward's cost. The reward's display name lives on :class:`RewardView`, once.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from pos_app.core import allowance
from pos_app.core.i18n import _, get_language
from pos_app.core.redeem import check_redeem, discount_for_points
from pos_app.core.vouchers import reward_voucher_line
from pos_app.ledger.repository import MemberRow, NewEntry
from pos_app.ledger.sync_store import offline_usage
from pos_app.services.base import DEFAULT_REDEEM_APPROVAL_THRESHOLD, ServicesBase, _check_points
from pos_app.services.errors import InvalidInput, NotAllowed, NotFound
from pos_app.services.staff import Approval


@dataclass(frozen=True)
class RedeemResult:
    op_id: str
    entry_id: str
    member_id: str
    points: int
    balance_before: int
    balance_after: int
    reward_code: str | None
    discount_satang: int
    approved_by: str | None
    replayed: bool = False


@dataclass(frozen=True)
class RewardView(Mapping[str, Any]):
    """A reward on offer. Read it by attribute; ``reward["code"]`` still works for the window's older code."""

    code: str
    name_th: str
    name_en: str
    points_cost: int
    stock: int | None
    active: bool
    voucher_benefit: str | None = None
    """Set for a reward that buys a voucher (the voucher's benefit as in its code): redeeming it buys the voucher
    through the server (``buy_voucher``); an ordinary redemption of it is refused."""
    voucher_valid_days: int | None = None

    @property
    def is_voucher(self) -> bool:
        return self.voucher_benefit is not None

    def voucher_text(self) -> str:
        """What the voucher bought with this reward gives, for its tile ("A voucher: ฿50.00 off the bill"); "" for
        an ordinary reward."""
        return reward_voucher_line(self.voucher_benefit) if self.voucher_benefit is not None else ""

    def display_name(self, language: str | None = None) -> str:
        """The one place that decides what a reward is called on screen and on paper."""
        return self.name_th if (language or get_language()) == "th" else self.name_en

    def __getitem__(self, key: str) -> Any:
        if key not in self.__dataclass_fields__:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Any:
        return iter(self.__dataclass_fields__)

    def __len__(self) -> int:
        return len(self.__dataclass_fields__)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def reward_view(row: Any) -> RewardView:
    """A reward row of the ledger as the typed record the callers get."""
    return RewardView(code=row.code, name_th=row.name_th, name_en=row.name_en, points_cost=int(row.points_cost),
                      stock=row.stock, active=bool(row.active), voucher_benefit=row.voucher_benefit,
                      voucher_valid_days=row.voucher_valid_days)


def refuse_voucher_reward(code: str) -> NotAllowed:
    """The one line for an ordinary redemption of a reward that buys a voucher (it would spend the points and
    issue no voucher)."""
    return NotAllowed(_("Reward {code} buys a voucher: use 'Buy voucher' (pos-terminal voucher buy) while online, "
                        "so the member gets the voucher for the points.").format(code=code),
                      code="reward.is_voucher")


def reward_spend(code: str, cost: int, points: int | None) -> int:
    """The reward-price rule: a redemption of reward ``code`` spends exactly its ``cost``; ``points``, when the
    cashier typed them too, must say the same."""
    if points is not None and points != cost:
        raise InvalidInput(_("Reward {code} costs {cost} points.").format(code=code, cost=cost))
    return cost


# ------------------------------------------------------------------------------ the "reserve on the server" port
class ServerOffline(Exception):
    """The loyalty server cannot be reached now (the redemption may go ahead offline)."""


class ServerRefused(Exception):
    """The loyalty server said no (``code`` e.g. ``insufficient_points``; ``message`` already translated)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ServerReservations(Protocol):
    """Hold a member's points on the loyalty server before they are spent here, and let go of a hold."""

    def reserve(self, member_id: str, points: int, reward_code: str | None, *, reservation_id: str,
                for_voucher: bool = False) -> str:
        """Hold the points; returns the reservation id. Raises :class:`ServerOffline` or :class:`ServerRefused`.
        ``for_voucher``: the points buy a voucher (the server then expects a voucher reward's redemption)."""
        ...

    def release(self, reservation_id: str) -> None:
        """Let go of a hold that will not be used (best effort: an unused hold also expires by itself)."""
        ...


RESERVATION_NAMESPACE = uuid.UUID("5b1f1d3e-5c1a-4f55-9d43-2f5d7c1a9e01")
FALLBACK_CODES = frozenset({"unknown_member"})
"""Refusals after which a redemption may still go ahead offline: the member was enrolled at this counter and
has not reached the server yet. ``insufficient_points`` never falls back."""


def reservation_id_for(op_id: str) -> str:
    """The reservation id of a redemption operation: a retry of the same operation reuses the same hold."""
    return str(uuid.uuid5(RESERVATION_NAMESPACE, op_id))


class RedeemUseCases(ServicesBase):
    # ------------------------------------------------------------------ redeem
    def redeem(self, *, member_id: str, points: int | None = None, operator_id: str,
               reward_code: str | None = None, bill_satang: int | None = None, receipt_ref: str | None = None,
               approval: Approval | None = None, op_id: str | None = None,
               reservation_id: str | None = None, buying_voucher: bool = False) -> RedeemResult:
        """Spend points on a reward (its cost) or as a discount (``points`` chosen by the cashier).

        ``reservation_id``: the points were reserved on the central server first (online). Without one, an
        enrolled terminal is redeeming offline and the offline allowance applies. A reward that buys a voucher is
        refused (``reward.is_voucher``) unless ``buying_voucher`` (only ``buy_voucher`` passes it, with the
        server's reservation): an ordinary redemption of it would spend the points and issue no voucher.
        """
        op_id = op_id or self.ledger.new_id()
        if points is not None:
            _check_points(points)
        if receipt_ref is not None:
            receipt_ref = self._check_receipt(receipt_ref)
        request = {"member_id": member_id, "points": points, "reward_code": reward_code,
                   "bill_satang": bill_satang, "receipt_ref": receipt_ref, "operator_id": operator_id,
                   "reservation_id": reservation_id}

        # Expired points cannot be spent: write them off first, in their own transaction (kept even if the
        # redemption is then refused).
        with self.ledger.write() as conn:
            if self.ledger.get_member(conn, member_id) is not None:
                self._expire_member(conn, member_id, self.active_rules(conn), self.clock())

        def work(conn: Any) -> RedeemResult:
            member = self._member(conn, member_id)
            rules = self.active_rules(conn)
            discount = 0
            if reward_code:
                reward = self.ledger.get_reward(conn, reward_code)
                if reward is None or not reward.active:
                    raise NotFound(_("No reward with code {code}.").format(code=reward_code))
                if reward.voucher_benefit is not None and not (buying_voucher and reservation_id):
                    raise refuse_voucher_reward(reward_code)
                spend = reward_spend(reward_code, int(reward.points_cost), points)
            else:
                if points is None:
                    raise InvalidInput(_("Choose a reward or a number of points."))
                spend = points
                discount = discount_for_points(spend, rules.discount, bill_satang)
            check_redeem(member.points, spend)
            threshold = self.setting_int(conn, "redeem_approval_threshold", DEFAULT_REDEEM_APPROVAL_THRESHOLD)
            approved_by = None
            if spend > threshold:
                approved_by = self._approve(conn, approval, operation="redeem", operator_id=operator_id,
                                            op_id=op_id, why=_("redeeming more than {n} points").format(
                    n=threshold)).id
            offline = reservation_id is None and self.ledger.get_meta(conn, "mode") == "enrolled"
            if offline:
                self._check_offline_allowance(conn, member, spend)
            if reward_code and not self.ledger.take_reward_stock(conn, reward_code):
                raise NotAllowed(_("Reward {code} is out of stock.").format(code=reward_code))
            entry = self.ledger.append_entry(conn, NewEntry(
                member_id=member_id, kind="redeem", points=-spend, sale_at_ms=self.clock(),
                operator_id=operator_id, amount_satang=discount or None, receipt_ref=receipt_ref,
                reward_code=reward_code, rules_version=rules.version, approved_by=approved_by,
                offline=offline, reservation_id=reservation_id, op_id=op_id,
                clock_offset_ms=self._clock_offset(conn)))
            return RedeemResult(
                op_id=op_id, entry_id=entry.id, member_id=member_id, points=spend,
                balance_before=member.points, balance_after=member.points - spend, reward_code=reward_code,
                discount_satang=discount, approved_by=approved_by)

        result: RedeemResult = self._once("redeem", op_id, request, RedeemResult, work)
        return result

    def _check_offline_allowance(self, conn: Any, member: MemberRow, points: int) -> None:
        """An enrolled terminal redeeming without a server reservation: the offline allowance the server set
        (per redemption, per member and in total since the last successful sync, and that sync's age). A member
        the server flagged (overdraft) has no offline allowance."""
        policy_dict, member_used, terminal_used, last_ok = offline_usage(self.ledger, conn, member.id)
        policy = allowance.AllowancePolicy.from_dict(policy_dict) if policy_dict else allowance.NO_OFFLINE
        usage = allowance.Usage(member_points=member_used, terminal_points=terminal_used, last_sync_ok_ms=last_ok,
                                now_ms=self.clock(), member_blocked=member.flagged is not None)
        refusal = allowance.check(policy, usage, points)
        if refusal is not None:
            raise NotAllowed(refusal.message, code="offline_allowance")

    def offline_remaining(self, member_id: str) -> int:
        """Points the member could still redeem offline on this terminal now (for the window)."""
        with self.ledger.read() as conn:
            member = self.ledger.get_member(conn, member_id)
            if member is None:
                return 0
            policy_dict, member_used, terminal_used, last_ok = offline_usage(self.ledger, conn, member_id)
        policy = allowance.AllowancePolicy.from_dict(policy_dict) if policy_dict else allowance.NO_OFFLINE
        return allowance.remaining(policy, allowance.Usage(member_used, terminal_used, last_ok, self.clock(),
                                                           member.flagged is not None))

    def redeem_online(self, server: ServerReservations | None, *, member_id: str, operator_id: str,
                      points: int | None = None, reward_code: str | None = None, op_id: str | None = None,
                      **redeem_kwargs: Any) -> RedeemResult:
        """Redeem online when possible, else within the offline allowance (``server`` None: a standalone
        terminal, redeemed here only).

        1. Hold the points on the server. A refusal (e.g. ``insufficient_points``) stops here: the counter must
           not fall back to offline then (except for :data:`FALLBACK_CODES`).
        2. Record the redemption here with the reservation; the upload posts it. If recording fails, the hold
           is released (it would expire anyway).
        3. If the server cannot be reached, record the redemption without a reservation: the offline allowance
           applies and may refuse.
        """
        op_id = op_id or self.ledger.new_id()
        kwargs = dict(redeem_kwargs, member_id=member_id, operator_id=operator_id, points=points,
                      reward_code=reward_code, op_id=op_id)
        if server is None:
            return self.redeem(**kwargs)
        spend = points
        if reward_code:
            reward = next((r for r in self.rewards() if r.code == reward_code), None)
            if reward is not None and reward.is_voucher:
                raise refuse_voucher_reward(reward_code)  # before holding the points on the server
            if reward is not None and reward.stock is not None and reward.stock <= 0:
                # none left here as this counter last heard: said at once, without asking the server for a hold
                raise NotAllowed(_("Reward {code} is out of stock.").format(code=reward_code))
            spend = reward.points_cost if reward is not None else points
        if spend is None or spend <= 0:
            return self.redeem(**kwargs)  # the use case refuses the input with its own message
        reservation = reservation_id_for(op_id)
        try:
            server.reserve(member_id, spend, reward_code, reservation_id=reservation)
        except ServerOffline:
            return self.redeem(**kwargs)
        except ServerRefused as exc:
            if exc.code in FALLBACK_CODES:
                return self.redeem(**kwargs)
            raise NotAllowed(exc.message, code=exc.code) from None
        try:
            return self.redeem(**kwargs, reservation_id=reservation)
        except BaseException:
            server.release(reservation)
            raise

    # ------------------------------------------------------------------ rewards
    def rewards(self) -> list[RewardView]:
        """The active rewards, cheapest first."""
        with self.ledger.read() as conn:
            return [reward_view(r) for r in self.ledger.list_rewards(conn)]

    def put_reward(self, *, code: str, name_th: str, name_en: str, points_cost: int,
                   stock: int | None = None, active: bool = True) -> None:
        if points_cost <= 0:
            raise InvalidInput(_("A reward costs at least one point."))
        with self.ledger.write() as conn:
            self.ledger.upsert_reward(conn, code=code, name_th=name_th, name_en=name_en,
                                      points_cost=points_cost, stock=stock, active=active)
