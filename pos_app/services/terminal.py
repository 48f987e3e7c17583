"""The counter's use cases. Each is one ledger transaction, records who did it, and is idempotent given its
operation id: a retry with the same ``op_id`` returns the first answer and changes nothing.

Nothing here touches Qt or the network; the UI runs these on its single writer thread, the CLI calls them
directly, and tests call them on real files.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pos_app.core.cardno import is_valid_card_number, new_card_number, normalize_card_number
from pos_app.core.errors import RuleError
from pos_app.core.expiry import LedgerMove, due_expiries, expiring_within, open_lots
from pos_app.core.i18n import _
from pos_app.core.phone import format_phone, normalize_phone
from pos_app.core.pins import PURPOSES, GuardPolicy, check_new_pin
from pos_app.core.redeem import check_redeem, discount_for_points
from pos_app.core.returns import clawback_for_return, restore_for_refunded_redemption
from pos_app.core.rules import (
    CategoryLine,
    EarnBreakdown,
    Purchase,
    RulesBundle,
    default_rules,
    points_for,
    zero_points_text,
)
from pos_app.core.text import check_text
from pos_app.core.tiers import tier_for
from pos_app.ledger import backup as backup_mod
from pos_app.ledger.canonical import ms_to_dt
from pos_app.ledger.db import LedgerError
from pos_app.ledger.repository import (
    TERMINAL_SCOPE,
    AuditRow,
    EntryRow,
    GuardRow,
    Ledger,
    MemberRow,
    NewEntry,
    OperationConflict,
    StaffRow,
    staff_scope,
)
from pos_app.services import member_cards, member_search, voids
from pos_app.services.errors import (
    ApprovalRequired,
    Conflict,
    InvalidInput,
    NotAllowed,
    NotFound,
    PinLocked,
    ServiceError,
    Unavailable,
)
from pos_app.services.member_search import MemberSummary
from pos_app.services.pins import MANAGER_ROLES, DeferredRefusal, PinGuard
from pos_app.services.staff import (
    ROLES,
    Approval,
    StaffView,
    hash_pin,
    pin_matches,
    require_role,
    validate_pin,
)
from pos_app.services.voids import DEFAULT_VOID_WINDOW_MINUTES, Voidable, VoidResult
from sync.records import MAX_ENTRY_POINTS, check_points

BANGKOK = ZoneInfo("Asia/Bangkok")
DEFAULT_REDEEM_APPROVAL_THRESHOLD = 1000
MAX_NAME_LENGTH = 120
MAX_RECEIPT_LENGTH = 64
_RECEIPT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-]*$")


@dataclass(frozen=True)
class MemberView:
    id: str
    card_no: str
    name: str
    phone: str
    tier: str
    balance: int
    member_code: str | None
    expiring_soon: int = 0
    flagged: str | None = None

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone) if self.phone else ""


@dataclass(frozen=True)
class AwardResult:
    op_id: str
    entry_id: str
    member_id: str
    points: int
    balance_before: int
    balance_after: int
    amount_satang: int
    receipt_ref: str
    breakdown: dict[str, Any]
    tier: str
    tier_changed: bool
    replayed: bool = False
    points_start_satang: int | None = None  # when ``points`` is 0: the bill from which points start

    @property
    def zero_points_text(self) -> str | None:
        """Why this sale earned nothing ("0 points: points start at ฿25"), or None when it earned points."""
        return zero_points_text(self.points_start_satang) if self.points == 0 else None


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
class ReturnResult:
    op_id: str
    receipt_ref: str
    member_id: str
    refund_satang: int
    points_clawed_back: int
    points_restored: int
    balance_before: int
    balance_after: int
    entry_ids: tuple[str, ...]
    replayed: bool = False


@dataclass(frozen=True)
class AdjustResult:
    op_id: str
    entry_id: str
    member_id: str
    points: int
    balance_before: int
    balance_after: int
    approved_by: str
    replayed: bool = False


@dataclass
class ReportLine:
    key: str
    awards: int = 0
    points_awarded: int = 0
    sales_satang: int = 0
    redemptions: int = 0
    points_redeemed: int = 0


@dataclass
class DailyReport:
    date: str
    per_cashier: list[ReportLine] = field(default_factory=list)
    per_reward: list[ReportLine] = field(default_factory=list)
    per_hour: list[ReportLine] = field(default_factory=list)
    totals: ReportLine = field(default_factory=lambda: ReportLine("total"))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _record(result: Any) -> dict[str, Any]:
    """The stored answer of an operation (a shallow copy: the fields are plain values; dataclasses.asdict's
    deep copy was a tenth of an award's time)."""
    data = dict(vars(result))
    data.pop("replayed")
    return data


def _result(cls: type[Any], data: dict[str, Any], replayed: bool) -> Any:
    data = dict(data)
    data["replayed"] = replayed
    if "entry_ids" in data:
        data["entry_ids"] = tuple(data["entry_ids"])
    return cls(**data)


class Services:
    """Use cases on one terminal's ledger. ``clock`` returns milliseconds since the epoch (UTC)."""

    def __init__(self, ledger: Ledger, clock: Callable[[], int] | None = None) -> None:
        self.ledger = ledger
        self.clock = clock or ledger.clock
        self.members = MemberService(self)
        self._rules_cache: dict[int, RulesBundle] = {}
        # Called inside the redeem transaction to apply the offline allowance (set by sync when enrolled).
        self.redeem_guard: Callable[[Any, MemberRow, int], None] | None = None
        # Wrong-PIN delays and lockouts (the CLI and the window set it from terminal.toml's [pins]).
        self.pin_policy = GuardPolicy()
        self.pins = PinGuard(self)
        # How long after an operation a cashier may void it (terminal.toml [terminal] void_window_minutes).
        self.void_window_ms = DEFAULT_VOID_WINDOW_MINUTES * 60_000

    @property
    def data_dir(self) -> Path:
        return self.ledger.path.parent

    def close(self) -> None:
        self.ledger.close()

    # ------------------------------------------------------------------ helpers
    def _call(self, fn: Callable[[], Any]) -> Any:
        """Run a use case, turning ledger failures into clean refusals."""
        try:
            return fn()
        except DeferredRefusal as deferred:  # the operation rolled back; its wrong-PIN audit must not be lost
            refusal = self._call(deferred.record)
            raise refusal from None
        except ServiceError:
            raise
        except OperationConflict as exc:
            raise Conflict(exc.message) from exc
        except LedgerError as exc:
            raise Unavailable(exc.message) from exc
        except RuleError as exc:
            raise InvalidInput(exc.message) from exc

    def _once(self, kind: str, op_id: str, request: dict[str, Any], result_type: type[Any],
              work: Callable[[Any], Any]) -> Any:
        """The one idempotent write: in one write transaction, answer a retry of ``op_id`` (same ``kind`` and
        ``request``) with the stored result marked ``replayed``; else run ``work(conn)``, store its result
        under ``op_id`` and return it. A different request under the same id is refused (``Conflict``)."""
        def run() -> Any:
            with self.ledger.write() as conn:
                prior = self.ledger.find_operation(conn, op_id, kind, request)
                if prior is not None:
                    return _result(result_type, prior, True)
                result = work(conn)
                self.ledger.record_operation(conn, op_id, kind, request, _record(result))
                return result

        return self._call(run)

    def active_rules(self, conn: Any = None) -> RulesBundle:
        def load(c: Any) -> RulesBundle:
            version = int(self.ledger.get_meta(c, "rules_version") or 0)
            if version == 0:
                return default_rules(1)
            return self.rules(c, version)

        if conn is not None:
            return load(conn)
        with self.ledger.read() as c:
            return load(c)

    def rules(self, conn: Any, version: int) -> RulesBundle:
        if version not in self._rules_cache:
            text = self.ledger.get_rules_json(conn, version)
            if text is None:
                raise ServiceError(_("Rules version {version} is not on this terminal.").format(version=version))
            self._rules_cache[version] = RulesBundle.from_json(text)
        return self._rules_cache[version]

    def install_rules(self, bundle: RulesBundle, activate: bool = True) -> None:
        with self.ledger.write() as conn:
            self.ledger.put_rules(conn, bundle.version, bundle.to_json())
            if activate:
                self.ledger.set_meta(conn, "rules_version", str(bundle.version))

    def setting_int(self, conn: Any, key: str, default: int) -> int:
        value = self.ledger.get_meta(conn, key)
        return int(value) if value is not None else default

    def _member(self, conn: Any, member_id: str) -> MemberRow:
        member = self.ledger.get_member(conn, member_id)
        if member is None:
            raise NotFound(_("No member with id {member_id}.").format(member_id=member_id))
        return member

    def _view(self, conn: Any, member: MemberRow, now_ms: int | None = None) -> MemberView:
        soon = 0
        if member.points > 0:
            rules = self.active_rules(conn)
            moves = self._moves(conn, member.id)
            soon = expiring_within(moves, rules.expiry, ms_to_dt(now_ms or self.clock()), days=30)
        return MemberView(
            id=member.id, card_no=member.card_no, name=member.name, phone=member.phone or "",
            tier=member.tier, balance=member.points, member_code=member.member_code,
            expiring_soon=soon, flagged=member.flagged,
        )

    def _moves(self, conn: Any, member_id: str) -> list[LedgerMove]:
        return [
            LedgerMove(entry_id=e.id, kind=e.kind, points=e.points, at=ms_to_dt(e.sale_at_ms),
                       corrects_id=e.corrects_id)
            for e in self.ledger.entries_for_member(conn, member_id)
        ]

    def _approve(self, conn: Any, approval: Approval | None, why: str, *, operation: str = "",
                 operator_id: str | None = None, op_id: str | None = None) -> StaffView:
        """The manager whose PIN approves this operation (inside the operation's transaction). A wrong PIN is
        counted and audited after the operation rolled back (:class:`DeferredRefusal`); a right one clears the
        manager's count and records who approved which operation on this terminal (an ``approval`` audit
        event, next to ``approved_by`` on the entries)."""
        if approval is None:
            raise ApprovalRequired(_("Manager approval needed: {why}").format(why=why))
        pin = validate_pin(approval.pin)
        now = self.clock()
        named = self.ledger.get_staff(conn, approval.manager_id) if approval.manager_id else None
        if named is not None:
            self.pins.check_open(conn, staff_scope(named.id), "approval", now, named.name)
            self.pins.check_open(conn, TERMINAL_SCOPE, "approval", now, ignore_lock=True)
        else:
            self.pins.check_open(conn, TERMINAL_SCOPE, "approval", now)
        managers = [r for r in self.ledger.list_staff(conn) if r.role in MANAGER_ROLES]
        candidates = [r for r in managers if not approval.manager_id or r.id == approval.manager_id]
        match = next((r for r in candidates if pin_matches(r.pin_hash, pin)), None)
        details = {"operation": operation, "operator_id": operator_id}
        if match is None:
            target = named if named is not None and named.active else None

            def record_failure() -> ServiceError:
                with self.ledger.write() as c:
                    return self.pins.failure(c, "approval", self.clock(), target, details)

            raise DeferredRefusal(record_failure)
        if named is None:
            self.pins.check_open(conn, staff_scope(match.id), "approval", now, match.name)
        others = [r for r in managers if r.id != match.id]
        if match.id == operator_id and others and not self.pin_policy.allow_self_approval:
            def record_self() -> ServiceError:
                with self.ledger.write() as c:
                    self.ledger.append_audit(c, event="self_approval_refused", at_ms=self.clock(),
                                             staff_id=match.id, purpose="approval", details=details)
                return NotAllowed(_("You cannot approve your own operation: ask another manager."))

            raise DeferredRefusal(record_self)
        self.pins.success(conn, match.id, "approval")
        self.ledger.append_audit(conn, event="approval", at_ms=now, staff_id=match.id, purpose="approval",
                                 details={**details, "op_id": op_id})
        return StaffView(match.id, match.name, match.role)

    def _check_receipt(self, receipt_ref: str) -> str:
        receipt_ref = receipt_ref.strip()
        if not receipt_ref or len(receipt_ref) > MAX_RECEIPT_LENGTH or not _RECEIPT_RE.match(receipt_ref):
            raise InvalidInput(_("A receipt number is 1 to 64 letters, digits, '.', '/' or '-'."))
        return receipt_ref

    def _sale_ms(self, sale_at: datetime | None) -> int:
        if sale_at is None:
            return self.clock()
        if sale_at.tzinfo is None:
            raise InvalidInput(_("The sale time needs a time zone."))
        from pos_app.ledger.canonical import dt_to_ms

        return dt_to_ms(sale_at)

    def _clock_offset(self, conn: Any) -> int:
        return self.setting_int(conn, "clock_offset_ms", 0)

    # ------------------------------------------------------------------ identify
    def identify(self, text: str) -> MemberView:
        """Find the member named by a scanned or typed code: signed member QR, app code, card number or phone."""
        raw = text.strip()
        if not raw:
            raise InvalidInput(_("Scan a member card or type a phone number."))

        def run() -> MemberView:
            with self.ledger.read() as conn:
                member = self._identify(conn, raw)
                return self._view(conn, member)

        result: MemberView = self._call(run)
        return result

    def _identify(self, conn: Any, raw: str) -> MemberRow:
        from pos_app.core import member_codes

        kind = member_codes.classify_scan(raw)
        if kind in ("member_qr", "app_code"):
            keys = self.ledger.public_keys(conn)
            try:
                if kind == "member_qr":
                    code = member_codes.verify_member_code(raw, keys, ms_to_dt(self.clock()),
                                                           self.ledger.revoked_key_ids(conn))
                else:
                    code = member_codes.verify_app_code(raw, keys, ms_to_dt(self.clock()), self._replay_guard())
            except member_codes.MemberCodeError as exc:
                raise InvalidInput(exc.message) from exc
            member = self.ledger.get_member(conn, code.member_id)
            if member is None:
                raise NotFound(_("The card is genuine but this member is not on this terminal yet: sync, then scan again."))
            return member
        digits = normalize_card_number(raw)
        if len(digits) == 16 and digits.isascii() and digits.isdigit():
            if not is_valid_card_number(digits):
                raise InvalidInput(_("That card number has a wrong check digit: check it and type it again."))
            member = self.ledger.find_member_by_card_no(conn, digits)
            if member is None:
                raise NotFound(_("No member with card number {card_no}.").format(card_no=digits))
            return member
        member = self.ledger.get_member(conn, raw)
        if member is not None:
            return member
        try:
            phone = normalize_phone(raw)
        except RuleError as exc:
            raise InvalidInput(_("Not a member code, card number or phone number we can read.")) from exc
        member = self.ledger.find_member_by_phone(conn, phone)
        if member is None:
            raise NotFound(_("No member with phone {phone}.").format(phone=format_phone(phone)))
        return member

    def search_members(self, text: str, limit: int = 10) -> list[MemberSummary]:
        """Members whose name contains ``text`` (partial, any case; Thai or English), best matches first."""
        return member_search.search_members(self, text, limit)

    def _replay_guard(self) -> Any:
        from pos_app.core import member_codes

        if not hasattr(self, "_guard"):
            self._guard = member_codes.ReplayGuard()
        return self._guard

    def public_keys(self) -> dict[str, bytes]:
        with self.ledger.read() as conn:
            return self.ledger.public_keys(conn)

    def revoked_key_ids(self) -> frozenset[str]:
        with self.ledger.read() as conn:
            return self.ledger.revoked_key_ids(conn)

    def member_card_code(self, member_id: str) -> MemberView:
        """The member, with a signed member code: the stored one, else one this terminal signs now (a card
        right away; None left when an enrolled terminal is not certified yet)."""
        def run() -> MemberView:
            with self.ledger.write() as conn:
                member = self._member(conn, member_id)
                if member.member_code is None:
                    code = member_cards.sign_for(self, conn, member_id, ms_to_dt(self.clock()))
                    if code is not None:
                        self.ledger.set_member_code(conn, member_id, code)
                        member = self._member(conn, member_id)
                return self._view(conn, member)

        result: MemberView = self._call(run)
        return result

    # ------------------------------------------------------------------ award
    def preview_award(self, member_id: str, amount_satang: int,
                      lines: Sequence[tuple[str, int]] = (), sale_at: datetime | None = None) -> EarnBreakdown:
        """The points an award would give, without recording anything."""
        def run() -> EarnBreakdown:
            with self.ledger.read() as conn:
                member = self._member(conn, member_id)
                rules = self.active_rules(conn)
                purchase = Purchase(amount_satang=amount_satang, sale_at=ms_to_dt(self._sale_ms(sale_at)),
                                    branch_id=self.ledger.get_meta(conn, "branch_id"),
                                    lines=tuple(CategoryLine(c, a) for c, a in lines))
                known = {t.code for t in rules.tiers.tiers}
                return points_for(purchase, rules, member.tier if member.tier in known else None)

        result: EarnBreakdown = self._call(run)
        return result

    def award(self, *, member_id: str, amount_satang: int, receipt_ref: str, operator_id: str,
              lines: Sequence[tuple[str, int]] = (), op_id: str | None = None,
              sale_at: datetime | None = None) -> AwardResult:
        """Give points for a purchase. A receipt earns once; a retry with the same ``op_id`` is harmless."""
        receipt_ref = self._check_receipt(receipt_ref)
        if amount_satang <= 0:
            raise InvalidInput(_("The amount must be more than zero."))
        op_id = op_id or self.ledger.new_id()
        sale_ms = self._sale_ms(sale_at)
        request = {"member_id": member_id, "amount_satang": amount_satang, "receipt_ref": receipt_ref,
                   "lines": [list(x) for x in lines], "operator_id": operator_id}
        if sale_at is not None:
            request["sale_at_ms"] = sale_ms

        def run() -> AwardResult:
            with self.ledger.write() as conn:
                prior = self.ledger.find_operation(conn, op_id, "award", request)
                if prior is not None:
                    return _result(AwardResult, prior, True)
                member = self._member(conn, member_id)
                if self.ledger.receipt_has_earned(conn, receipt_ref):
                    raise Conflict(_("Receipt {receipt} already earned points; nothing was added.").format(
                        receipt=receipt_ref))
                meta = self.ledger.all_meta(conn)
                rules = self.rules(conn, int(meta.get("rules_version", "1")))
                purchase = Purchase(amount_satang=amount_satang, sale_at=ms_to_dt(sale_ms),
                                    branch_id=meta.get("branch_id"),
                                    lines=tuple(CategoryLine(c, a) for c, a in lines))
                if member.tier not in {t.code for t in rules.tiers.tiers}:
                    # The rules changed and this tier is gone: place the member in the new tiers first.
                    self._retier(conn, member, rules, sale_ms)
                    member = self._member(conn, member_id)
                # A sale below one block or a minimum spend is still a sale: it is recorded with 0 points
                # (it counts for visits and spend, and a later return of it stays consistent).
                breakdown = points_for(purchase, rules, member.tier)
                entry = self.ledger.append_entry(conn, NewEntry(
                    member_id=member_id, kind="earn", points=breakdown.points, sale_at_ms=sale_ms,
                    operator_id=operator_id, amount_satang=amount_satang, receipt_ref=receipt_ref,
                    rules_version=rules.version, tier_code=member.tier, lines=tuple(lines), op_id=op_id,
                    clock_offset_ms=int(meta.get("clock_offset_ms", "0"))))
                tier, changed = member.tier, False
                if self._tier_may_change(member, rules, breakdown.points):
                    tier, changed = self._retier(conn, member, rules, sale_ms)
                result = AwardResult(
                    op_id=op_id, entry_id=entry.id, member_id=member_id, points=breakdown.points,
                    balance_before=member.points, balance_after=member.points + breakdown.points,
                    amount_satang=amount_satang, receipt_ref=receipt_ref,
                    breakdown={"base_points": breakdown.base_points, "tier_bonus": breakdown.tier_bonus,
                               "campaign_bonus": breakdown.campaign_bonus,
                               "campaigns_applied": list(breakdown.campaigns_applied),
                               "rules_version": breakdown.rules_version},
                    tier=tier, tier_changed=changed, points_start_satang=breakdown.points_start_satang)
                data = _record(result)
                self.ledger.record_operation(conn, op_id, "award", request, data)
                return result

        result: AwardResult = self._call(run)
        return result

    @staticmethod
    def _tier_may_change(member: MemberRow, rules: RulesBundle, points: int) -> bool:
        """Whether the rolling-period query is needed after this award. A member above the first tier may
        have dropped (old earnings left the period); one in the first tier can only rise, and only if
        lifetime earnings (never less than the period's) reach the next threshold."""
        tiers = rules.tiers.tiers
        if member.tier != tiers[0].code:
            return True
        return len(tiers) > 1 and member.earned_total + points >= tiers[1].threshold_points

    def _retier(self, conn: Any, member: MemberRow, rules: RulesBundle, at_ms: int) -> tuple[str, bool]:
        since = at_ms - rules.tiers.period_days * 86_400_000
        earned = self.ledger.earned_since(conn, member.id, since)
        tier = tier_for(max(earned, 0), rules.tiers).code
        if tier != member.tier:
            self.ledger.set_member_tier(conn, member.id, tier)
            return tier, True
        return tier, False

    # ------------------------------------------------------------------ redeem
    def redeem(self, *, member_id: str, points: int | None = None, operator_id: str,
               reward_code: str | None = None, bill_satang: int | None = None, receipt_ref: str | None = None,
               approval: Approval | None = None, op_id: str | None = None,
               reservation_id: str | None = None) -> RedeemResult:
        """Spend points on a reward (its cost) or as a discount (``points`` chosen by the cashier).

        ``reservation_id``: the points were reserved on the central server first (online). Without one, an
        enrolled terminal is redeeming offline and ``redeem_guard`` applies the offline allowance.
        """
        op_id = op_id or self.ledger.new_id()
        if points is not None:
            _check_points(points)
        if receipt_ref is not None:
            receipt_ref = self._check_receipt(receipt_ref)
        request = {"member_id": member_id, "points": points, "reward_code": reward_code,
                   "bill_satang": bill_satang, "receipt_ref": receipt_ref, "operator_id": operator_id,
                   "reservation_id": reservation_id}

        def run() -> RedeemResult:
            # Expired points cannot be spent: write them off first, in their own transaction (kept even if the
            # redemption is then refused).
            with self.ledger.write() as conn:
                if self.ledger.get_member(conn, member_id) is not None:
                    self._expire_member(conn, member_id, self.active_rules(conn), self.clock())
            with self.ledger.write() as conn:
                prior = self.ledger.find_operation(conn, op_id, "redeem", request)
                if prior is not None:
                    return _result(RedeemResult, prior, True)
                member = self._member(conn, member_id)
                rules = self.active_rules(conn)
                discount = 0
                if reward_code:
                    reward = self.ledger.get_reward(conn, reward_code)
                    if reward is None or not reward.active:
                        raise NotFound(_("No reward with code {code}.").format(code=reward_code))
                    cost = int(reward.points_cost)
                    if points is not None and points != cost:
                        raise InvalidInput(_("Reward {code} costs {cost} points.").format(code=reward_code, cost=cost))
                    spend = cost
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
                if offline and self.redeem_guard is not None:
                    self.redeem_guard(conn, member, spend)
                if reward_code and not self.ledger.take_reward_stock(conn, reward_code):
                    raise NotAllowed(_("Reward {code} is out of stock.").format(code=reward_code))
                entry = self.ledger.append_entry(conn, NewEntry(
                    member_id=member_id, kind="redeem", points=-spend, sale_at_ms=self.clock(),
                    operator_id=operator_id, amount_satang=discount or None, receipt_ref=receipt_ref,
                    reward_code=reward_code, rules_version=rules.version, approved_by=approved_by,
                    offline=offline, reservation_id=reservation_id, op_id=op_id,
                    clock_offset_ms=self._clock_offset(conn)))
                result = RedeemResult(
                    op_id=op_id, entry_id=entry.id, member_id=member_id, points=spend,
                    balance_before=member.points, balance_after=member.points - spend, reward_code=reward_code,
                    discount_satang=discount, approved_by=approved_by)
                data = _record(result)
                self.ledger.record_operation(conn, op_id, "redeem", request, data)
                return result

        result: RedeemResult = self._call(run)
        return result

    # ------------------------------------------------------------------ returns
    def return_receipt(self, *, receipt_ref: str, operator_id: str, refund_satang: int | None = None,
                       approval: Approval | None = None, op_id: str | None = None) -> ReturnResult:
        """A full (``refund_satang`` None) or partial return: claw back points in proportion, never twice."""
        receipt_ref = self._check_receipt(receipt_ref)
        if refund_satang is not None and refund_satang <= 0:
            raise InvalidInput(_("The refund amount must be more than zero."))
        op_id = op_id or self.ledger.new_id()
        request = {"receipt_ref": receipt_ref, "refund_satang": refund_satang, "operator_id": operator_id}

        def run() -> ReturnResult:
            with self.ledger.write() as conn:
                prior = self.ledger.find_operation(conn, op_id, "return", request)
                if prior is not None:
                    return _result(ReturnResult, prior, True)
                from pos_app.services.returns import plan_return

                plan = plan_return(self.ledger, conn, receipt_ref, refund_satang)
                earn, refund, original, refunded_before = plan.earn, plan.refund, plan.original, plan.refunded_before
                approver = self._approve(conn, approval, _("a return"), operation="return",
                                         operator_id=operator_id, op_id=op_id)
                rules = self.active_rules(conn)
                member = self._member(conn, earn.member_id)
                clawed = clawback_for_return(earn.points, original, refunded_before, refund)
                sale_ms = self.clock()
                offset = self._clock_offset(conn)
                ids: list[str] = []
                entry = self.ledger.append_entry(conn, NewEntry(
                    member_id=member.id, kind="reverse", points=-clawed, sale_at_ms=sale_ms,
                    operator_id=operator_id, amount_satang=refund, receipt_ref=receipt_ref, corrects_id=earn.id,
                    rules_version=earn.rules_version, approved_by=approver.id,
                    reason="return", op_id=op_id, clock_offset_ms=offset))
                ids.append(entry.id)
                restored = 0
                for redemption in plan.redemptions_to_restore():
                    back = restore_for_refunded_redemption(-redemption.points, rules.returns)
                    if back > 0:
                        r = self.ledger.append_entry(conn, NewEntry(
                            member_id=redemption.member_id, kind="reverse", points=back, sale_at_ms=sale_ms,
                            operator_id=operator_id, receipt_ref=receipt_ref, corrects_id=redemption.id,
                            approved_by=approver.id, reason="return", op_id=op_id, clock_offset_ms=offset))
                        ids.append(r.id)
                        restored += back
                self._retier(conn, member, rules, sale_ms)
                result = ReturnResult(
                    op_id=op_id, receipt_ref=receipt_ref, member_id=member.id, refund_satang=refund,
                    points_clawed_back=clawed, points_restored=restored, balance_before=member.points,
                    balance_after=member.points - clawed + restored, entry_ids=tuple(ids))
                data = _record(result)
                data["entry_ids"] = list(ids)
                self.ledger.record_operation(conn, op_id, "return", request, data)
                return result

        result: ReturnResult = self._call(run)
        return result

    # ------------------------------------------------------------------ adjust
    def adjust(self, *, member_id: str, points: int, reason: str, operator_id: str,
               approval: Approval | None = None, corrects_id: str | None = None,
               op_id: str | None = None) -> AdjustResult:
        """A manager's correction: a compensating entry with a reason (the original is never edited)."""
        reason = _checked(reason.strip(), _("The reason"))
        _check_points(points)
        if points == 0:
            raise InvalidInput(_("An adjustment must add or remove at least one point."))
        if not reason:
            raise InvalidInput(_("An adjustment needs a reason."))
        op_id = op_id or self.ledger.new_id()
        request = {"member_id": member_id, "points": points, "reason": reason, "operator_id": operator_id,
                   "corrects_id": corrects_id}

        def run() -> AdjustResult:
            with self.ledger.write() as conn:
                prior = self.ledger.find_operation(conn, op_id, "adjust", request)
                if prior is not None:
                    return _result(AdjustResult, prior, True)
                member = self._member(conn, member_id)
                approver = self._approve(conn, approval, _("a manual adjustment"), operation="adjust",
                                         operator_id=operator_id, op_id=op_id)
                if member.points + points < 0:
                    raise InvalidInput(_("This would leave {name} with a negative balance.").format(name=member.name))
                entry = self.ledger.append_entry(conn, NewEntry(
                    member_id=member_id, kind="adjust", points=points, sale_at_ms=self.clock(),
                    operator_id=operator_id, corrects_id=corrects_id, approved_by=approver.id, reason=reason,
                    op_id=op_id, clock_offset_ms=self._clock_offset(conn)))
                result = AdjustResult(op_id=op_id, entry_id=entry.id, member_id=member_id, points=points,
                                      balance_before=member.points, balance_after=member.points + points,
                                      approved_by=approver.id)
                data = _record(result)
                self.ledger.record_operation(conn, op_id, "adjust", request, data)
                return result

        result: AdjustResult = self._call(run)
        return result

    # ------------------------------------------------------------------ void
    def void(self, *, entry_id: str, operator_id: str, approval: Approval | None = None,
             op_id: str | None = None) -> VoidResult:
        """Void a mistaken award, redemption or adjustment of this counter within the void window, with a
        manager's approval: a compensating entry (see :mod:`pos_app.services.voids`)."""
        return voids.void(self, entry_id=entry_id, operator_id=operator_id, approval=approval, op_id=op_id)

    def voidable(self, member_id: str | None = None) -> list[Voidable]:
        """What this counter may void now, newest first."""
        return voids.voidable(self, member_id)

    # ------------------------------------------------------------------ expiry
    def _expire_member(self, conn: Any, member_id: str, rules: RulesBundle, now_ms: int) -> int:
        """Append one ``expire`` entry per grant that has expired (standalone terminals only: an enrolled
        terminal receives the server's expiry entries with sync, so a grant is never expired twice)."""
        if self.ledger.get_meta(conn, "mode") == "enrolled":
            return 0
        total = 0
        for grant_id, points in due_expiries(self._moves(conn, member_id), rules.expiry, ms_to_dt(now_ms)):
            self.ledger.append_entry(conn, NewEntry(
                member_id=member_id, kind="expire", points=-points, sale_at_ms=now_ms, operator_id="system",
                corrects_id=grant_id, reason="expiry", clock_offset_ms=self._clock_offset(conn)))
            total += points
        return total

    def expire_due(self) -> dict[str, int]:
        """Expire every member's due points now (a daily job on standalone terminals: ``pos-terminal expire``).
        Returns {member_id: points expired}."""
        def run() -> dict[str, int]:
            done: dict[str, int] = {}
            with self.ledger.read() as conn:
                member_ids = self.ledger.members_with_points(conn)
            for member_id in member_ids:
                with self.ledger.write() as conn:
                    expired = self._expire_member(conn, member_id, self.active_rules(conn), self.clock())
                if expired:
                    done[member_id] = expired
            return done

        result: dict[str, int] = self._call(run)
        return result

    # ------------------------------------------------------------------ history
    def history(self, member_id: str) -> list[EntryRow]:
        def run() -> list[EntryRow]:
            with self.ledger.read() as conn:
                self._member(conn, member_id)
                return self.ledger.entries_for_member(conn, member_id)

        result: list[EntryRow] = self._call(run)
        return result

    def lots(self, member_id: str) -> list[Any]:
        with self.ledger.read() as conn:
            return open_lots(self._moves(conn, member_id), self.active_rules(conn).expiry)

    # ------------------------------------------------------------------ staff
    def add_staff(self, *, name: str, role: str, pin: str, staff_id: str | None = None, phone: str | None = None,
                  demo: bool = False) -> StaffView:
        """A new staff member of this terminal. The PIN policy applies (managers 6+ digits, no 1111 / 1234,
        not their own phone); ``demo`` staff keep the documented demo PINs and are marked demo-only."""
        name = _checked(name.strip(), _("The name"))
        if not name:
            raise InvalidInput(_("A staff member needs a name."))
        if role not in ROLES:
            raise InvalidInput(_("Role must be one of: cashier, manager, admin."))
        if phone:
            try:
                phone = normalize_phone(phone)
            except RuleError as exc:
                raise InvalidInput(exc.message) from exc
        pin_hash = hash_pin(pin if demo else self._policy_pin(pin, role, phone))
        staff_id = staff_id or self.ledger.new_id()

        def run() -> StaffView:
            with self.ledger.write() as conn:
                self.ledger.add_staff(conn, staff_id=staff_id, name=name, role=role, pin_hash=pin_hash,
                                      phone=phone or None, demo=demo)
            return StaffView(staff_id, name, role)

        result: StaffView = self._call(run)
        return result

    @staticmethod
    def _policy_pin(pin: str, role: str, phone: str | None) -> str:
        try:
            return check_new_pin(pin, role, phone)
        except RuleError as exc:
            raise InvalidInput(exc.message) from exc

    def _sign_in(self, pin: str, staff_id: str | None) -> StaffView:
        """Check a sign-in PIN under the guard: one write transaction that checks the delay and lock, verifies
        the PIN and records the outcome (committed before a refusal is raised)."""
        validate_pin(pin)

        def run() -> StaffView:
            refusal: ServiceError | None = None
            with self.ledger.write() as conn:
                now = self.clock()
                named = self.ledger.get_staff(conn, staff_id) if staff_id else None
                if named is not None:
                    # a named manager may sign in while PIN-only sign-in is locked here (to unlock it)
                    if self.pins.is_locked(conn, TERMINAL_SCOPE, "sign_in") and named.role not in MANAGER_ROLES:
                        raise PinLocked(_("Sign-in is locked on this terminal: only a manager can sign in now."))
                    self.pins.check_open(conn, staff_scope(named.id), "sign_in", now, named.name)
                    self.pins.check_open(conn, TERMINAL_SCOPE, "sign_in", now, ignore_lock=True)
                else:
                    self.pins.check_open(conn, TERMINAL_SCOPE, "sign_in", now)
                rows = [named] if named is not None else (self.ledger.list_staff(conn) if not staff_id else [])
                match = next((r for r in rows if r is not None and r.active and pin_matches(r.pin_hash, pin)), None)
                if match is None:
                    target = named if named is not None and named.active else None
                    refusal = self.pins.failure(conn, "sign_in", now, target, {})
                else:
                    if named is None:
                        self.pins.check_open(conn, staff_scope(match.id), "sign_in", now, match.name)
                    self.pins.success(conn, match.id, "sign_in")
            if refusal is not None:
                raise refusal
            assert match is not None
            return StaffView(match.id, match.name, match.role, match.must_change_pin)

        result: StaffView = self._call(run)
        return result

    def login(self, staff_id: str, pin: str) -> StaffView:
        """Sign in naming the staff member (wrong PINs count against them and the terminal)."""
        return self._sign_in(pin, staff_id.strip() or "?")

    def login_by_pin(self, pin: str) -> StaffView:
        """Sign in with a PIN alone (the counter's quick login; wrong PINs count against the terminal)."""
        return self._sign_in(pin, None)

    def staff(self, role: str | None = None) -> list[StaffView]:
        with self.ledger.read() as conn:
            return [StaffView(r.id, r.name, r.role, r.must_change_pin) for r in self.ledger.list_staff(conn, role)]

    def _changeable(self, row: StaffRow | None) -> StaffRow:
        if row is None or not row.active:
            raise NotFound(_("No such staff member on this terminal."))
        if row.origin == "server":
            raise NotAllowed(_("{name}'s PIN is managed by head office: change it there "
                               "(loyalty-server staff set --pin).").format(name=row.name))
        return row

    def change_pin(self, staff_id: str, old_pin: str, new_pin: str) -> StaffView:
        """A staff member changes their own PIN; the old one is required (and counted like a sign-in)."""
        me = self.login(staff_id, old_pin)

        def run() -> StaffView:
            with self.ledger.write() as conn:
                row = self._changeable(self.ledger.get_staff(conn, me.id))
                pin = self._policy_pin(new_pin, row.role, row.phone)
                if pin_matches(row.pin_hash, pin):
                    raise InvalidInput(_("The new PIN must differ from the old one."))
                self.ledger.set_staff_pin(conn, row.id, hash_pin(pin), must_change_pin=False)
                self.ledger.append_audit(conn, event="pin_changed", at_ms=self.clock(), staff_id=row.id,
                                         purpose="sign_in", details={"by": row.id})
            return StaffView(row.id, row.name, row.role, False)

        result: StaffView = self._call(run)
        return result

    def _acting_manager(self, by: StaffView | None, approval: Approval | None, why: str, operation: str,
                        conn: Any) -> StaffView:
        if by is not None:
            require_role(by, "manager")
            return by
        return self._approve(conn, approval, why, operation=operation, operator_id=None)

    def reset_pin(self, staff_id: str, new_pin: str, *, by: StaffView | None = None,
                  approval: Approval | None = None) -> StaffView:
        """A manager gives a cashier a new PIN (the cashier must change it at their next sign-in); it also
        lifts the cashier's lockouts. ``by``: the signed-in manager (window); else ``approval`` (CLI)."""
        def run() -> StaffView:
            with self.ledger.write() as conn:
                manager = self._acting_manager(by, approval, _("resetting a PIN"), "reset_pin", conn)
                row = self._changeable(self.ledger.get_staff(conn, staff_id))
                if row.role != "cashier":
                    raise NotAllowed(_("A manager resets cashiers' PINs only; a manager changes their own PIN."))
                pin = self._policy_pin(new_pin, row.role, row.phone)
                now = self.clock()
                self.ledger.set_staff_pin(conn, row.id, hash_pin(pin), must_change_pin=True)
                self.pins.unlock(conn, staff_scope(row.id), None, manager.id, now)
                self.ledger.append_audit(conn, event="pin_reset", at_ms=now, staff_id=row.id, purpose="sign_in",
                                         details={"by": manager.id})
            return StaffView(row.id, row.name, row.role, True)

        result: StaffView = self._call(run)
        return result

    def unlock(self, staff_id: str | None = None, purpose: str | None = None, *, by: StaffView | None = None,
               approval: Approval | None = None) -> int:
        """A manager lifts a lockout (and forgets the failures): a staff member's (``staff_id``) or this
        terminal's PIN entry (``staff_id`` None); one purpose or both. Returns how many counts were cleared."""
        if purpose is not None and purpose not in PURPOSES:
            raise InvalidInput(_("The purpose is sign_in or approval."))

        def run() -> int:
            with self.ledger.write() as conn:
                manager = self._acting_manager(by, approval, _("unlocking a PIN"), "unlock", conn)
                if staff_id is not None and self.ledger.get_staff(conn, staff_id) is None:
                    raise NotFound(_("No such staff member on this terminal."))
                scope = staff_scope(staff_id) if staff_id else TERMINAL_SCOPE
                return self.pins.unlock(conn, scope, purpose, manager.id, self.clock())

        result: int = self._call(run)
        return result

    def pin_guard_status(self) -> list[dict[str, Any]]:
        """Failed-PIN counts and lockouts on this terminal, locked first (for the manager area and the CLI)."""
        with self.ledger.read() as conn:
            rows: list[GuardRow] = self.ledger.guard_rows(conn)
            names = self.ledger.staff_names(conn)
        now = self.clock()
        out = []
        for r in rows:
            effective = self.pins._effective(r, now)
            if effective is None:
                continue
            staff_id = None if r.scope == TERMINAL_SCOPE else r.scope.removeprefix("staff:")
            wait = self.pin_policy.delay_ms(r.failures) - (now - r.last_failure_at_ms)
            out.append({"staff_id": staff_id, "name": names.get(staff_id or "", staff_id), "purpose": r.purpose,
                        "failures": r.failures, "locked": r.locked_at_ms is not None,
                        "locked_at_ms": r.locked_at_ms, "last_failure_at_ms": r.last_failure_at_ms,
                        "retry_after_s": 0 if r.locked_at_ms is not None else max(0, -(-wait // 1000))})
        out.sort(key=lambda d: (not d["locked"], -d["failures"]))
        return out

    def audit_log(self, since_ms: int | None = None, limit: int = 200) -> list[AuditRow]:
        """Recent audit events (failed PINs, lockouts, unlocks, PIN changes, approvals), newest first."""
        with self.ledger.read() as conn:
            return self.ledger.audit_since(conn, since_ms if since_ms is not None else 0, limit)

    def require(self, staff: StaffView, role: str) -> None:
        require_role(staff, role)

    # ------------------------------------------------------------------ rewards
    def rewards(self) -> list[dict[str, Any]]:
        with self.ledger.read() as conn:
            return [dict(r._mapping) for r in self.ledger.list_rewards(conn)]

    def put_reward(self, *, code: str, name_th: str, name_en: str, points_cost: int,
                   stock: int | None = None, active: bool = True) -> None:
        if points_cost <= 0:
            raise InvalidInput(_("A reward costs at least one point."))
        with self.ledger.write() as conn:
            self.ledger.upsert_reward(conn, code=code, name_th=name_th, name_en=name_en,
                                      points_cost=points_cost, stock=stock, active=active)

    # ------------------------------------------------------------------ report
    def daily_report(self, day: str | None = None) -> DailyReport:
        """Awards and redemptions of one local (Bangkok) day: per cashier, per reward, per hour, totals."""
        from pos_app.services.reports import daily_report

        return daily_report(self, day)

    # ------------------------------------------------------------------ backup, health
    def backup(self) -> backup_mod.BackupInfo:
        def run() -> backup_mod.BackupInfo:
            return backup_mod.backup(self.data_dir)

        result: backup_mod.BackupInfo = self._call(run)
        return result

    def backup_if_due(self, max_age_hours: int = 4) -> backup_mod.BackupInfo | None:
        """The scheduled backup: take one when the newest is older than ``max_age_hours`` (the counter app
        calls this at start and every few minutes from its background worker; cron can call
        ``pos-terminal backup --if-older-than HOURS``)."""
        newest = backup_mod.list_backups(self.data_dir)
        if newest and (time.time() - newest[0].created_at) < max_age_hours * 3600:
            return None
        return self.backup()

    def doctor(self) -> dict[str, Any]:
        from pos_app.services.reports import doctor

        return doctor(self)

    def today(self) -> str:
        return datetime.fromtimestamp(self.clock() // 1000, UTC).astimezone(BANGKOK).date().isoformat()

    @staticmethod
    def day_bounds_ms(day: str) -> tuple[int, int]:
        try:
            start = datetime.fromisoformat(day).replace(tzinfo=BANGKOK)
        except ValueError as exc:
            raise InvalidInput(_("A date is written YYYY-MM-DD.")) from exc
        end = start + timedelta(days=1)
        return int(start.timestamp()) * 1000, int(end.timestamp()) * 1000


class MemberService:
    def __init__(self, services: Services) -> None:
        self._s = services

    def enroll(self, *, name: str, phone: str, operator_id: str, consent: bool = True,
               op_id: str | None = None) -> MemberView:
        """A new member. The phone is the unique key: a duplicate is refused, naming the existing member."""
        s = self._s
        name = _checked(" ".join(name.split()), _("The name"))
        if not name or len(name) > MAX_NAME_LENGTH:
            raise InvalidInput(_("A member's name is 1 to 120 characters."))
        try:
            normalized = normalize_phone(phone)
        except RuleError as exc:
            raise InvalidInput(exc.message) from exc
        op_id = op_id or s.ledger.new_id()
        request = {"name": name, "phone": normalized, "consent": consent, "operator_id": operator_id}

        def run() -> MemberView:
            with s.ledger.write() as conn:
                prior = s.ledger.find_operation(conn, op_id, "enroll", request)
                if prior is not None:
                    return s._view(conn, s._member(conn, prior["member_id"]))
                existing = s.ledger.find_member_by_phone(conn, normalized)
                if existing is not None:
                    raise Conflict(_("Phone {phone} already belongs to {name} (card {card_no}).").format(
                        phone=format_phone(normalized), name=existing.name, card_no=existing.card_no))
                member_id = s.ledger.new_id()
                for _attempt in range(5):
                    card_no = new_card_number(s.ledger.randbelow)
                    if s.ledger.find_member_by_card_no(conn, card_no) is None:
                        break
                rules = s.active_rules(conn)
                s.ledger.add_member(conn, member_id=member_id, card_no=card_no, name=name, phone=normalized,
                                    tier=rules.tiers.tiers[0].code, consent=consent, created_at_ms=s.clock())
                code = member_cards.sign_for(s, conn, member_id, ms_to_dt(s.clock()))
                if code is not None:  # a card right away (see pos_app.services.member_cards)
                    s.ledger.set_member_code(conn, member_id, code)
                s.ledger.record_operation(conn, op_id, "enroll", request, {"member_id": member_id})
                return s._view(conn, s._member(conn, member_id))

        result: MemberView = s._call(run)
        return result

    def get(self, member_id: str) -> MemberView:
        s = self._s

        def run() -> MemberView:
            with s.ledger.read() as conn:
                return s._view(conn, s._member(conn, member_id))

        result: MemberView = s._call(run)
        return result

    def find_by_phone(self, phone: str) -> MemberView | None:
        s = self._s
        try:
            normalized = normalize_phone(phone)
        except RuleError as exc:
            raise InvalidInput(exc.message) from exc
        with s.ledger.read() as conn:
            row = s.ledger.find_member_by_phone(conn, normalized)
            return s._view(conn, row) if row else None

    def find_by_card_no(self, card_no: str) -> MemberView | None:
        s = self._s
        with s.ledger.read() as conn:
            row = s.ledger.find_member_by_card_no(conn, normalize_card_number(card_no))
            return s._view(conn, row) if row else None


def _checked(text: str, what: str) -> str:
    """Free text without control characters (the same check as the server's: ``pos_app.core.text``)."""
    try:
        return check_text(text, what)
    except RuleError as exc:
        raise InvalidInput(exc.message) from exc


def open_terminal(data_dir: Path, clock: Callable[[], int] | None = None,
                  ids: Callable[[], str] | None = None) -> Services:
    """Open (creating on first use) the terminal in ``data_dir``; ``clock`` (ms) and ``ids`` are the terminal's
    time and id sources (the wall clock and UUIDv7 unless a test or the simulation injects its own)."""
    try:
        ledger = Ledger.open(Path(data_dir), clock=clock, ids=ids)
    except LedgerError as exc:
        raise Unavailable(exc.message) from exc
    services = Services(ledger, clock)
    from pos_app.services import sync_glue

    sync_glue.install(services)  # the offline allowance (applies only to enrolled terminals redeeming offline)
    services.void_window_ms = _configured_void_window_ms(data_dir)
    with ledger.write() as conn:
        if ledger.get_meta(conn, "rules_version") is None:
            bundle = default_rules(1)
            ledger.put_rules(conn, bundle.version, bundle.to_json())
            ledger.set_meta(conn, "rules_version", str(bundle.version))
    return services


def _configured_void_window_ms(data_dir: Path) -> int:
    """``[terminal] void_window_minutes`` of the terminal's terminal.toml (the default when there is no file or
    it is broken: ``doctor`` and the window report a broken file, not this)."""
    from pos_app.config import ConfigError, load_config

    try:
        return load_config(data_dir).terminal.void_window_minutes * 60_000
    except ConfigError:
        return DEFAULT_VOID_WINDOW_MINUTES * 60_000


def _check_points(points: Any) -> None:
    """The one points limit (``sync.records``) for every value a cashier or manager types."""
    if check_points(points) is not None:
        raise InvalidInput(_("Points must be a whole number between -{limit:,} and {limit:,}.").format(
            limit=MAX_ENTRY_POINTS))
