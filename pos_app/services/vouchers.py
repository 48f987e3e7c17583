"""Vouchers at the counter: check what a scanned voucher gives, use it on a sale, upload the uses.

Online first (:meth:`VoucherUseCases.redeem_voucher_online`): the voucher is held on the loyalty server for this
operation, the use is recorded here (durable before the cashier is told), then committed on the server, which is
the arbiter of single use. When the server cannot be reached the use is recorded offline, within the allowance
the server set per voucher type (``OfflinePolicy.voucher_allowances``, pulled with the policy) and only while the
last successful sync is recent enough; the uses the server has not acknowledged are sent by
:meth:`VoucherUseCases.upload_voucher_uses` at the next sync (a second use found there is recorded by the server
as a flagged conflict; nothing the counter honoured is refused). The server is reached through a small port
(:class:`ServerVouchers`) that the sync glue implements over the sync client. This counter never takes one
voucher twice (the ledger's ``voucher_uses.voucher_id`` is unique). docs/vouchers.md.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from pos_app.core import vouchers as cv
from pos_app.core.i18n import _
from pos_app.core.member_codes import terminal_key_id
from pos_app.ledger import vouchers as store
from pos_app.ledger.canonical import ms_to_dt
from pos_app.services.base import BANGKOK, ServicesBase
from pos_app.services.errors import Conflict, InvalidInput, NotAllowed
from pos_app.services.redeem import ServerOffline, ServerRefused, ServerReservations, reservation_id_for


class ServerVouchers(Protocol):
    """The loyalty server's voucher arbiter (``/v1/vouchers/...``). Raises :class:`ServerOffline` when it cannot
    be reached and :class:`ServerRefused` (``voucher_already_used``, ``voucher_reserved``, ...) when it says no."""

    def reserve(self, *, operation_id: str, code: str, bill_satang: int | None, member_id: str | None) -> None: ...

    def commit(self, *, operation_id: str, code: str, value_satang: int, sale_at_ms: int, receipt_ref: str,
               operator_id: str, member_id: str | None, offline: bool) -> bool:
        """Record the use; returns True when the server found it a second use (a conflict it flagged)."""
        ...

    def release(self, operation_id: str) -> None: ...


class ServerVoucherShop(Protocol):
    """Where a member's points buy a voucher: the server signs it (terminals hold no chain key)."""

    def issue(self, *, member_id: str, reward_code: str, reservation_id: str) -> tuple[str, str]:
        """The voucher's (id, code). Raises :class:`ServerOffline` or :class:`ServerRefused`."""
        ...


@dataclass(frozen=True)
class BoughtVoucher:
    op_id: str
    member_id: str
    reward_code: str
    points: int
    balance_after: int
    voucher_id: str
    code: str
    description: str
    valid_until: str


@dataclass(frozen=True)
class VoucherCheck:
    """What a voucher gives, shown before the cashier confirms."""

    voucher_id: str
    kind: str
    description: str
    value_satang: int
    """What it takes off this bill (a fixed voucher's amount when the bill is not known yet)."""
    reward_code: str | None
    multiplier: int | None
    valid_until: str
    branch: str | None
    owner: str | None
    min_spend_satang: int


@dataclass(frozen=True)
class VoucherUseResult:
    op_id: str
    voucher_id: str
    kind: str
    description: str
    value_satang: int
    reward_code: str | None
    multiplier: int | None
    receipt_ref: str
    offline: bool
    conflict: bool = False
    replayed: bool = False
    points: int | None = None
    """A points-multiplier voucher: the sale it was used with was awarded in the same transaction; its points
    (already multiplied), what the voucher added, the entry and the member's balance after it."""
    voucher_bonus: int | None = None
    entry_id: str | None = None
    balance_before: int | None = None
    balance_after: int | None = None
    bill_satang: int | None = None


@dataclass(frozen=True)
class VoucherSale:
    """A sale awarded with a voucher used on it (:meth:`VoucherUseCases.award_with_voucher`)."""

    use: VoucherUseResult
    award: Any | None
    """The award (``AwardResult``) on what the member paid; None for a points-multiplier voucher, whose sale was
    recorded with the use (``use.points``)."""
    paid_satang: int
    """The bill less a discount voucher's amount: what the points were earned on."""


AWARD_NAMESPACE = uuid.UUID("9d0f3a52-7c4e-4b1e-8a6f-3e2b5c7d9a10")
"""The award of :meth:`VoucherUseCases.award_with_voucher` has the operation id uuid5(this, the voucher use's id):
a retry of the same operation awards once."""


def whole_bill_paid() -> InvalidInput:
    return InvalidInput(_("The voucher pays the whole bill: there is nothing paid to earn points on."),
                        code="amount.voucher")


VOUCHER_BATCH = 200
"""Voucher uses a sync round sends in one request (``/v1/vouchers/commit-batch``; the server takes 500)."""


def _sale_needed() -> InvalidInput:
    return InvalidInput(_("A points-multiplier voucher is used with the sale it multiplies: give the member and "
                          "the bill amount, and the sale is recorded with the multiplied points."),
                        code="voucher.sale_needed")


def _offline_limit() -> NotAllowed:
    return NotAllowed(_("This voucher cannot be accepted while the terminal is offline (the offline allowance "
                        "for this voucher type is used up). Try again when the terminal is online."),
                      code="voucher.offline_limit")


class VoucherUseCases(ServicesBase):
    # ------------------------------------------------------------------ reading a voucher
    def _voucher_keys(self, conn: Any) -> dict[str, bytes]:
        """The chain's keys a voucher may be signed with: never a terminal's own card-signing key (its id is
        derived from the key, so it is recognised without a lookup)."""
        return {k: v for k, v in self.ledger.public_keys(conn).items()
                if len(v) != 32 or k != terminal_key_id(v)}

    def _verified(self, conn: Any, code: str, bill_satang: int | None, member_id: str | None) -> cv.Voucher:
        branch = self.ledger.get_meta(conn, "branch_id")
        try:
            voucher = cv.verify_voucher(code, self._voucher_keys(conn), ms_to_dt(self.clock()), branch=branch,
                                        member_id=member_id, spend_satang=bill_satang)
        except cv.VoucherError as error:
            raise InvalidInput(error.message, code=error.code) from None
        if store.by_voucher(conn, voucher.voucher_id) is not None:
            used = cv.already_used()
            raise NotAllowed(used.message, code=used.code)
        return voucher

    @staticmethod
    def _value(voucher: cv.Voucher, bill_satang: int | None) -> int:
        if bill_satang is None:
            if voucher.benefit.kind == "percent":
                raise InvalidInput(_("This voucher takes a percentage off: enter the bill amount."),
                                   code="voucher.amount_needed")
            return voucher.benefit.face_value_satang
        return cv.discount_satang(voucher.benefit, bill_satang)

    def check_voucher(self, code: str, *, bill_satang: int | None = None,
                      member_id: str | None = None) -> VoucherCheck:
        """Verify a scanned voucher offline for this terminal's branch (and the member and bill when known)."""
        with self.ledger.read() as conn:
            voucher = self._verified(conn, code, bill_satang, member_id)
        benefit = voucher.benefit
        value = benefit.face_value_satang if bill_satang is None else cv.discount_satang(benefit, bill_satang)
        return VoucherCheck(
            voucher_id=voucher.voucher_id, kind=benefit.kind, description=benefit.describe(), value_satang=value,
            reward_code=benefit.reward_code or None,
            multiplier=benefit.value if benefit.kind == "multiplier" else None,
            valid_until=voucher.valid_until.astimezone(BANGKOK).date().isoformat(), branch=voucher.branch,
            owner=voucher.owner, min_spend_satang=voucher.min_spend_satang)

    # ------------------------------------------------------------------ using one
    def redeem_voucher(self, code: str, *, receipt_ref: str, operator_id: str, bill_satang: int | None = None,
                       member_id: str | None = None, op_id: str | None = None,
                       reserved: bool = False) -> VoucherUseResult:
        """Record the use of a voucher on this sale (one write transaction; a retry of ``op_id`` changes nothing).

        ``reserved``: the server holds it for this operation (online). Without it, an enrolled terminal is
        offline and the voucher type's offline allowance applies.
        """
        op_id = op_id or self.ledger.new_id()
        request = self._voucher_request(code, receipt_ref, operator_id, bill_satang, member_id)
        receipt_ref = request["receipt_ref"]

        def work(conn: Any) -> VoucherUseResult:
            voucher = self._verified(conn, code, bill_satang, member_id)
            value = self._value(voucher, bill_satang)
            offline = not reserved and self.ledger.get_meta(conn, "mode") == "enrolled"
            if offline:
                self._check_voucher_allowance(conn, voucher)
            benefit = voucher.benefit
            sale = None
            if benefit.kind == "multiplier":
                # the sale and the voucher in one transaction: no multiplier without the sale, no sale twice
                if member_id is None or bill_satang is None:
                    raise _sale_needed()
                sale = self._award_in(  # type: ignore[attr-defined]
                    conn, member_id=member_id, amount_satang=bill_satang, receipt_ref=receipt_ref,
                    operator_id=operator_id, lines=(), op_id=op_id, sale_ms=self.clock(),
                    voucher=(voucher.voucher_id, benefit.value))
            store.add(conn, store.VoucherUseRow(
                op_id=op_id, voucher_id=voucher.voucher_id, code=code.strip(), kind=benefit.kind,
                face_value_satang=benefit.face_value_satang, value_satang=value, bill_satang=bill_satang,
                receipt_ref=receipt_ref, member_id=member_id, operator_id=operator_id, sale_at_ms=self.clock(),
                offline=offline, acked_at_ms=None, conflict=None))
            return VoucherUseResult(
                op_id=op_id, voucher_id=voucher.voucher_id, kind=benefit.kind, description=benefit.describe(),
                value_satang=value, reward_code=benefit.reward_code or None,
                multiplier=benefit.value if benefit.kind == "multiplier" else None, receipt_ref=receipt_ref,
                offline=offline, bill_satang=bill_satang,
                **({"points": sale.points, "voucher_bonus": sale.breakdown["voucher_bonus"],
                    "entry_id": sale.entry_id, "balance_before": sale.balance_before,
                    "balance_after": sale.balance_after} if sale is not None else {}))

        result: VoucherUseResult = self._once("voucher_use", op_id, request, VoucherUseResult, work)
        return result

    def _voucher_request(self, code: str, receipt_ref: str, operator_id: str, bill_satang: int | None,
                         member_id: str | None) -> dict[str, Any]:
        # the voucher's signed text without its signature: exactly what it says, shorter to hash
        return {"voucher": code.strip().rpartition(":")[0], "receipt_ref": self._check_receipt(receipt_ref),
                "operator_id": operator_id, "bill_satang": bill_satang, "member_id": member_id}

    def _check_voucher_allowance(self, conn: Any, voucher: cv.Voucher) -> None:
        """Offline: the count and face value of this type this terminal took since its last successful sync (or
        not yet acknowledged) stay within the allowance the server set, and that sync is recent enough."""
        policy = json.loads(self.ledger.get_meta(conn, "offline_policy") or "{}")
        limit = (policy.get("voucher_allowances") or {}).get(voucher.benefit.kind)
        last_ok = int(self.ledger.get_meta(conn, "last_sync_ok_ms") or 0)
        max_age_ms = int(policy.get("max_hours_since_sync", 0)) * 3_600_000
        if not limit or not last_ok or self.clock() - last_ok > max_age_ms:
            raise _offline_limit()
        count, value = store.offline_usage(conn, voucher.benefit.kind, last_ok)
        if count + 1 > int(limit.get("count", 0)) \
                or value + voucher.benefit.face_value_satang > int(limit.get("value_satang", 0)):
            raise _offline_limit()

    def redeem_voucher_online(self, server: ServerVouchers | None, code: str, *, receipt_ref: str, operator_id: str,
                              bill_satang: int | None = None, member_id: str | None = None,
                              op_id: str | None = None) -> VoucherUseResult:
        """Use a voucher online when possible, else within the offline allowance (``server`` None: standalone).

        1. Check it here (a refusal stops before the network), then hold it on the server for this operation;
           a refusal there (already used, held at another counter, void) stops here too.
        2. Record the use here; if that fails, the hold is released (it would lapse anyway).
        3. Commit it on the server; if the answer does not come, the use waits for the next sync.
        4. If the server cannot be reached at step 1, the use is recorded offline (the allowance may refuse).
        """
        op_id = op_id or self.ledger.new_id()
        kwargs: dict[str, Any] = {"receipt_ref": receipt_ref, "operator_id": operator_id, "bill_satang": bill_satang,
                                  "member_id": member_id, "op_id": op_id}
        if server is None:
            return self.redeem_voucher(code, **kwargs)
        request = self._voucher_request(code, receipt_ref, operator_id, bill_satang, member_id)
        with self.ledger.read() as conn:
            prior = self.ledger.find_operation(conn, op_id, "voucher_use", request)
        if prior is None:
            checked = self.check_voucher(code, bill_satang=bill_satang, member_id=member_id)
            if checked.kind == "multiplier":
                self._check_multiplied_sale(receipt_ref, member_id, bill_satang)
            try:
                server.reserve(operation_id=op_id, code=code.strip(), bill_satang=bill_satang, member_id=member_id)
            except ServerOffline:
                return self.redeem_voucher(code, **kwargs)
            except ServerRefused as exc:
                raise NotAllowed(exc.message, code=exc.code) from None
        try:
            result = self.redeem_voucher(code, **kwargs, reserved=True)
        except BaseException:
            server.release(op_id)
            raise
        self.upload_voucher_uses(server, online=True)
        with self.ledger.read() as conn:
            row = store.by_voucher(conn, result.voucher_id)
        return result if row is None else _with_conflict(result, bool(row.conflict))

    def award_with_voucher(self, server: ServerVouchers | None, code: str, *, member_id: str, amount_satang: int,
                           receipt_ref: str, operator_id: str, op_id: str | None = None) -> VoucherSale:
        """Award a sale with a voucher used on it, as the window does in two steps, checked as a whole first: the
        voucher (as scanned: forged, expired, another member's, below its minimum, already used...), the member
        and the receipt (one that already earned is refused) before the voucher is held anywhere. Then the
        voucher is used online first (:meth:`redeem_voucher_online`) and the points are awarded on what the
        member pays: the bill less a discount voucher's amount (a voucher that pays the whole bill is refused:
        nothing paid earns points), the whole bill for a free item; a points-multiplier voucher records the sale
        with its use. A retry with the same ``op_id`` uses the voucher and awards the sale once."""
        op_id = op_id or self.ledger.new_id()
        request = self._voucher_request(code, receipt_ref, operator_id, amount_satang, member_id)
        with self.ledger.read() as conn:
            prior = self.ledger.find_operation(conn, op_id, "voucher_use", request)
        if prior is None:
            checked = self.check_voucher(code, bill_satang=amount_satang, member_id=member_id)
            self._check_multiplied_sale(receipt_ref, member_id, amount_satang)
            if checked.kind in ("fixed", "percent") and checked.value_satang >= amount_satang:
                raise whole_bill_paid()
        use = self.redeem_voucher_online(server, code, receipt_ref=receipt_ref, operator_id=operator_id,
                                         bill_satang=amount_satang, member_id=member_id, op_id=op_id)
        if use.points is not None:
            return VoucherSale(use=use, award=None, paid_satang=amount_satang)
        paid = amount_satang - (use.value_satang if use.kind in ("fixed", "percent") else 0)
        award = self.award(member_id=member_id, amount_satang=paid, receipt_ref=use.receipt_ref,  # type: ignore[attr-defined]
                           operator_id=operator_id, op_id=str(uuid.uuid5(AWARD_NAMESPACE, op_id)))
        return VoucherSale(use=use, award=award, paid_satang=paid)

    def _check_multiplied_sale(self, receipt_ref: str, member_id: str | None, bill_satang: int | None) -> None:
        """What the sale of a multiplier voucher (or any voucher awarded with its sale) needs, checked before the
        server holds the voucher."""
        if member_id is None or bill_satang is None:
            raise _sale_needed()
        receipt = self._check_receipt(receipt_ref)
        with self.ledger.read() as conn:
            self._member(conn, member_id)
            if self.ledger.receipt_has_earned(conn, receipt):
                raise Conflict(_("Receipt {receipt} already earned points; nothing was added.").format(
                    receipt=receipt))

    def upload_voucher_uses(self, server: ServerVouchers, *, online: bool = False) -> tuple[int, int]:
        """Send the uses the server has not acknowledged (oldest first); returns (sent, conflicts). Stops at
        the first that cannot be sent (offline): the rest wait for the next sync. ``online``: a use made with
        a server hold is committed as online (the server refuses it if another counter took the voucher; it
        then waits, and the next sync records it as honoured)."""
        sent = conflicts = 0
        with self.ledger.read() as conn:
            rows = store.pending(conn)
        batch = getattr(server, "commit_batch", None)
        if batch is not None and not online and len(rows) > 1:
            done = self._upload_voucher_batches(batch, rows)
            if done is not None:
                return done
        for row in rows:
            try:
                conflict = server.commit(operation_id=row.op_id, code=row.code, value_satang=row.value_satang,
                                         sale_at_ms=row.sale_at_ms, receipt_ref=row.receipt_ref,
                                         operator_id=row.operator_id, member_id=row.member_id,
                                         offline=row.offline or not online)
            except ServerOffline:
                break
            except ServerRefused:
                if online and not row.offline:
                    continue  # honoured already: sent again at the next sync as honoured, where it is recorded
                raise
            with self.ledger.write() as conn:
                store.acknowledge(conn, row.op_id, self.clock(), conflict)
            sent += 1
            conflicts += int(conflict)
        return sent, conflicts

    def _upload_voucher_batches(self, batch: Any, rows: list[Any]) -> tuple[int, int] | None:
        """The sync round's uses, ``VOUCHER_BATCH`` a request (a catch-up after a day offline is not one request
        per use): each answered use is acknowledged; the first refused one is raised after the others were
        acknowledged. None when the server has no batch (the caller sends them one by one)."""
        sent = conflicts = 0
        for start in range(0, len(rows), VOUCHER_BATCH):
            chunk = rows[start:start + VOUCHER_BATCH]
            try:
                answers = batch([{"operation_id": r.op_id, "code": r.code, "value_satang": r.value_satang,
                                  "sale_at_ms": r.sale_at_ms, "receipt_ref": r.receipt_ref,
                                  "operator_id": r.operator_id, "member_id": r.member_id, "offline": True}
                                 for r in chunk])
            except ServerOffline:
                return sent, conflicts
            if answers is None:
                return None if start == 0 else (sent, conflicts)
            refused: Exception | None = None
            with self.ledger.write() as conn:
                for row, answer in zip(chunk, answers, strict=True):
                    if isinstance(answer, Exception):
                        refused = refused or answer
                        continue
                    store.acknowledge(conn, row.op_id, self.clock(), answer)
                    sent += 1
                    conflicts += int(answer)
            if refused is not None:
                raise refused
        return sent, conflicts

    # ------------------------------------------------------------------ buying one with points
    def buy_voucher(self, points_server: ServerReservations, shop: ServerVoucherShop, *, member_id: str,
                    reward_code: str, operator_id: str, receipt_ref: str | None = None,
                    op_id: str | None = None) -> BoughtVoucher:
        """Redeem the member's points for a voucher reward: online only (the server signs the voucher). The
        points are held on the server, the redemption is recorded here with that hold, then the server issues
        the voucher for the hold. A retry with the same ``op_id`` returns the same voucher and spends nothing
        more; if the last step's answer was lost the redemption stands and the retry fetches the voucher."""
        op_id = op_id or self.ledger.new_id()
        reservation = reservation_id_for(op_id)
        with self.ledger.read() as conn:
            done = self.ledger.find_operation(conn, op_id, "redeem", self._redeem_request(
                member_id, reward_code, operator_id, receipt_ref, reservation))
        if done is None:
            reward = next((r for r in self.rewards() if r.code == reward_code), None)  # type: ignore[attr-defined]
            if reward is None:
                raise InvalidInput(_("No reward with code {code}.").format(code=reward_code))
            if not reward.is_voucher:  # the server would refuse the voucher after the points were spent
                raise NotAllowed(_("Reward {code} is not a voucher: redeem it as usual.").format(code=reward_code),
                                 code="not_a_voucher_reward")
            try:
                points_server.reserve(member_id, reward.points_cost, reward_code, reservation_id=reservation,
                                      for_voucher=True)
            except ServerOffline:
                raise NotAllowed(_("A voucher can only be bought with points while the terminal is online."),
                                 code="voucher.needs_server") from None
            except ServerRefused as exc:
                raise NotAllowed(exc.message, code=exc.code) from None
        redeemed = self.redeem(member_id=member_id, reward_code=reward_code,  # type: ignore[attr-defined]
                               operator_id=operator_id, receipt_ref=receipt_ref, op_id=op_id,
                               reservation_id=reservation, buying_voucher=True)
        try:
            voucher_id, code = shop.issue(member_id=member_id, reward_code=reward_code, reservation_id=reservation)
        except ServerOffline:
            raise NotAllowed(_("The points were redeemed but the voucher could not be fetched: run the same "
                               "command again with --op-id {op_id} when the terminal is online.").format(op_id=op_id),
                             code="voucher.fetch_again") from None
        except ServerRefused as exc:
            raise NotAllowed(exc.message, code=exc.code) from None
        with self.ledger.read() as conn:
            voucher = cv.parse_voucher(code, self._voucher_keys(conn))
        return BoughtVoucher(op_id=op_id, member_id=member_id, reward_code=reward_code, points=redeemed.points,
                             balance_after=redeemed.balance_after, voucher_id=voucher_id, code=code,
                             description=voucher.benefit.describe(),
                             valid_until=voucher.valid_until.astimezone(BANGKOK).date().isoformat())

    def abandon_voucher_buy(self, points_server: ServerReservations, *, op_id: str, member_id: str,
                            reward_code: str, operator_id: str, receipt_ref: str | None = None) -> bool:
        """Give up a purchase that failed and will not be retried (the cashier moved on to another member). If
        its redemption was not recorded here, the points hold it may have left on the server is released and
        True is returned: nothing was spent. If it was recorded, the points are spent and the voucher is still
        owed: nothing is released, False is returned, and the same ``op_id`` fetches the voucher later."""
        with self.ledger.read() as conn:
            done = self.ledger.find_operation(conn, op_id, "redeem", self._redeem_request(
                member_id, reward_code, operator_id, receipt_ref, reservation_id_for(op_id)))
        if done is not None:
            return False
        points_server.release(reservation_id_for(op_id))
        return True

    def _redeem_request(self, member_id: str, reward_code: str, operator_id: str, receipt_ref: str | None,
                        reservation_id: str) -> dict[str, Any]:
        """The request a redemption of ``reward_code`` stores (the redeem use case's, to find a retry)."""
        return {"member_id": member_id, "points": None, "reward_code": reward_code, "bill_satang": None,
                "receipt_ref": self._check_receipt(receipt_ref) if receipt_ref is not None else None,
                "operator_id": operator_id, "reservation_id": reservation_id}

    # ------------------------------------------------------------------ reports
    def voucher_report(self, since: datetime, until: datetime, by: str = "day") -> list[dict[str, Any]]:
        """Vouchers used at this counter between ``since`` and ``until``, per ``day`` (Bangkok), ``kind`` or
        ``cashier``: uses, value, offline uses, conflicts the server reported."""
        from pos_app.ledger.canonical import dt_to_ms

        if by not in ("day", "kind", "cashier"):
            raise InvalidInput(_("A voucher report is by day, kind or cashier."))
        with self.ledger.read() as conn:
            rows = store.uses(conn, dt_to_ms(since), dt_to_ms(until))
        lines: dict[str, Counter[str]] = {}
        for r in rows:
            key = (ms_to_dt(r.sale_at_ms).astimezone(BANGKOK).date().isoformat() if by == "day"
                   else r.kind if by == "kind" else r.operator_id)
            line = lines.setdefault(key, Counter())
            line["uses"] += 1
            line["value_satang"] += r.value_satang
            line["offline"] += int(r.offline)
            line["conflicts"] += int(bool(r.conflict))
            line["waiting"] += int(r.acked_at_ms is None)
        return [{by: k, **{f: lines[k][f] for f in ("uses", "value_satang", "offline", "conflicts", "waiting")}}
                for k in sorted(lines)]


def _with_conflict(result: VoucherUseResult, conflict: bool) -> VoucherUseResult:
    from dataclasses import replace

    return replace(result, conflict=conflict) if conflict != result.conflict else result
