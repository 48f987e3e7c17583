"""Vouchers at the counter, on a real ledger file: every refusal is one code and one line and records nothing; a
counter never takes one voucher twice; offline, only the allowance the server set; a retry changes nothing. The
online path (reserve, commit, conflicts) runs against the real server in tests/sync/e2e/test_vouchers_e2e.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pos_app.core.member_codes import public_key_bytes, terminal_key_id
from pos_app.core.vouchers import Benefit, sign_voucher
from pos_app.ledger import vouchers as store
from pos_app.services.errors import Conflict, InvalidInput, NotAllowed
from pos_app.services.redeem import ServerOffline, ServerRefused

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
FIFTY = Benefit("fixed", 5000)
START = datetime(2026, 11, 1, tzinfo=UTC)


def voucher(voucher_id: str, benefit: Benefit = FIFTY, **kwargs) -> str:  # type: ignore[no-untyped-def]
    key = kwargs.pop("key", KEY)
    key_id = kwargs.pop("key_id", "K2026")
    return sign_voucher(key, key_id, voucher_id, benefit, kwargs.pop("valid_from", START),
                        kwargs.pop("valid_until", START + timedelta(days=60)), **kwargs)


@pytest.fixture
def counter(services):  # type: ignore[no-untyped-def]
    with services.ledger.write() as conn:
        services.ledger.put_signing_key(conn, "K2026", public_key_bytes(KEY))
        services.ledger.set_meta(conn, "branch_id", "BKK01")
    return services


def uses(services) -> list[store.VoucherUseRow]:  # type: ignore[no-untyped-def]
    with services.ledger.read() as conn:
        return store.uses(conn, 0, 2**62)


def refused(error_type, code: str, message: str, fn, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error_type) as info:
        fn(*args, **kwargs)
    assert (info.value.code, info.value.message) == (code, message)


def test_check_shows_what_it_gives_and_records_nothing(counter) -> None:  # type: ignore[no-untyped-def]
    check = counter.check_voucher(voucher("A1", Benefit("percent", 10, cap_satang=10000)), bill_satang=45000)
    assert (check.voucher_id, check.kind, check.value_satang, check.description) == (
        "A1", "percent", 4500, "10% off the bill (at most ฿100.00)")
    assert counter.check_voucher(voucher("A2", Benefit("item", reward_code="COFFEE"))).reward_code == "COFFEE"
    assert counter.check_voucher(voucher("A3", Benefit("multiplier", 3))).multiplier == 3
    assert uses(counter) == []


def test_refusals_one_code_and_line_each_and_nothing_recorded(counter) -> None:  # type: ignore[no-untyped-def]
    go = counter.redeem_voucher
    kw = {"receipt_ref": "R-1", "operator_id": "cashier-1"}
    refused(InvalidInput, "voucher.forged", "This voucher is not genuine (its signature does not match). Do not "
            "accept it.", go, voucher("B1").replace(":F5000:", ":F9000:"), **kw)
    refused(InvalidInput, "voucher.expired", "This voucher expired on 2026-11-02.", go,
            voucher("B2", valid_until=START + timedelta(days=1)), **kw)
    refused(InvalidInput, "voucher.not_yet_valid", "This voucher is valid from 2027-01-01; it cannot be used yet.",
            go, voucher("B3", valid_from=datetime(2027, 1, 1, tzinfo=UTC),
                        valid_until=datetime(2027, 2, 1, tzinfo=UTC)), **kw)
    refused(InvalidInput, "voucher.other_branch", "This voucher is valid only at branch CNX01.", go,
            voucher("B4", branch="CNX01"), **kw)
    refused(InvalidInput, "voucher.below_minimum", "This voucher needs a bill of at least ฿300.00.", go,
            voucher("B5", min_spend_satang=30000), bill_satang=29999, **kw)
    refused(InvalidInput, "voucher.unknown_key", "This voucher was signed with a key this terminal does not know "
            "(K2027). Sync the terminal, then scan again.", go, voucher("B6", key_id="K2027"), **kw)
    refused(InvalidInput, "voucher.malformed", "This is not a voucher code, or only part of it was read. Scan it "
            "again.", go, "LV1:K2026:B7", **kw)
    refused(InvalidInput, "voucher.other_member", "This voucher belongs to another member. Identify the member it "
            "was issued to.", go, voucher("B8", owner="m-1"), member_id="m-2", **kw)
    refused(InvalidInput, "voucher.amount_needed", "This voucher takes a percentage off: enter the bill amount.", go,
            voucher("B9", Benefit("percent", 10, cap_satang=100)), **kw)
    refused(InvalidInput, "invalid_input", "A receipt number is 1 to 64 letters, digits, '.', '/' or '-'.", go,
            voucher("B10"), receipt_ref="no spaces", operator_id="cashier-1")
    assert uses(counter) == []


def test_a_terminal_key_never_signs_a_voucher(counter) -> None:  # type: ignore[no-untyped-def]
    terminal = Ed25519PrivateKey.from_private_bytes(b"\x05" * 32)
    key_id = terminal_key_id(public_key_bytes(terminal))
    with counter.ledger.write() as conn:
        counter.ledger.put_signing_key(conn, key_id, public_key_bytes(terminal))
    refused(InvalidInput, "voucher.unknown_key", f"This voucher was signed with a key this terminal does not know "
            f"({key_id}). Sync the terminal, then scan again.", counter.check_voucher,
            voucher("C1", key=terminal, key_id=key_id))


def test_standalone_counter_takes_a_voucher_once_and_a_retry_changes_nothing(counter) -> None:  # type: ignore[no-untyped-def]
    code = voucher("D1")
    first = counter.redeem_voucher(code, receipt_ref="R-1", operator_id="cashier-1", bill_satang=3000, op_id="op-1")
    assert (first.value_satang, first.offline, first.replayed) == (3000, False, False)  # never more than the bill
    retry = counter.redeem_voucher(code, receipt_ref="R-1", operator_id="cashier-1", bill_satang=3000, op_id="op-1")
    assert retry.replayed and retry.voucher_id == "D1"
    refused(NotAllowed, "voucher.already_used", "This voucher has already been used.", counter.redeem_voucher,
            code, receipt_ref="R-2", operator_id="cashier-1")
    refused(NotAllowed, "voucher.already_used", "This voucher has already been used.", counter.check_voucher, code)
    assert [u.voucher_id for u in uses(counter)] == ["D1"]


class Unreachable:
    def reserve(self, **kwargs: object) -> None:
        raise ServerOffline("no route to host")

    def commit(self, **kwargs: object) -> bool:
        raise ServerOffline("no route to host")

    def release(self, operation_id: str) -> None:
        raise AssertionError("nothing was held")


def test_offline_only_within_the_allowance_and_a_recent_sync(counter, clock) -> None:  # type: ignore[no-untyped-def]
    with counter.ledger.write() as conn:
        counter.ledger.set_meta(conn, "mode", "enrolled")
        counter.ledger.set_meta(conn, "last_sync_ok_ms", str(clock()))
    kw = {"receipt_ref": "R-1", "operator_id": "cashier-1"}
    limit = ("voucher.offline_limit", "This voucher cannot be accepted while the terminal is offline (the offline "
             "allowance for this voucher type is used up). Try again when the terminal is online.")
    refused(NotAllowed, *limit, counter.redeem_voucher_online, Unreachable(), voucher("E1"), **kw)  # no policy
    policy = {"max_hours_since_sync": 24, "voucher_allowances": {"fixed": {"count": 2, "value_satang": 8000}}}
    with counter.ledger.write() as conn:
        counter.ledger.set_meta(conn, "offline_policy", json.dumps(policy))
    first = counter.redeem_voucher_online(Unreachable(), voucher("E1"), **kw)
    assert first.offline and first.value_satang == 5000
    refused(NotAllowed, *limit, counter.redeem_voucher_online, Unreachable(), voucher("E2"), **kw)  # value 10,000
    assert counter.redeem_voucher_online(Unreachable(), voucher("E3", Benefit("fixed", 3000)), **kw).offline
    refused(NotAllowed, *limit, counter.redeem_voucher_online, Unreachable(), voucher("E4", Benefit("fixed", 1)), **kw)
    # another type has no allowance at all
    somchai = counter.members.enroll(name="Somchai", phone="0812345678", operator_id="cashier-1").id
    refused(NotAllowed, *limit, counter.redeem_voucher_online, Unreachable(), voucher("E5", Benefit("multiplier", 2)),
            **kw, member_id=somchai, bill_satang=10_000)
    assert counter.upload_voucher_uses(Unreachable()) == (0, 0)
    assert [u.acked_at_ms for u in uses(counter)] == [None, None]
    # a sync that is too old: nothing offline, whatever the allowance
    clock.advance(25 * 3_600_000)
    with counter.ledger.write() as conn:
        counter.ledger.set_meta(conn, "offline_policy", json.dumps(
            policy | {"voucher_allowances": {"fixed": {"count": 99, "value_satang": 10**9}}}))
    refused(NotAllowed, *limit, counter.redeem_voucher_online, Unreachable(), voucher("E6"), **kw)


def test_report_by_day_kind_and_cashier(counter) -> None:  # type: ignore[no-untyped-def]
    counter.redeem_voucher(voucher("F1"), receipt_ref="R-1", operator_id="cashier-1", bill_satang=9000)
    counter.redeem_voucher(voucher("F2", Benefit("item", reward_code="COFFEE")), receipt_ref="R-2",
                           operator_id="cashier-2")
    since, until = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    assert counter.voucher_report(since, until, "kind") == [
        {"kind": "fixed", "uses": 1, "value_satang": 5000, "offline": 0, "conflicts": 0, "waiting": 1},
        {"kind": "item", "uses": 1, "value_satang": 0, "offline": 0, "conflicts": 0, "waiting": 1}]
    assert [r["cashier"] for r in counter.voucher_report(since, until, "cashier")] == ["cashier-1", "cashier-2"]
    assert counter.voucher_report(since, until, "day")[0] == {"day": "2026-11-18", "uses": 2, "value_satang": 5000,
                                                              "offline": 0, "conflicts": 0, "waiting": 2}
    refused(InvalidInput, "invalid_input", "A voucher report is by day, kind or cashier.", counter.voucher_report,
            since, until, "month")


class Online:
    """The server's voucher arbiter as the counter meets it: holds and commits every voucher once."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def reserve(self, *, operation_id: str, **kwargs: object) -> None:
        self.calls.append(("reserve", operation_id))

    def commit(self, *, operation_id: str, **kwargs: object) -> bool:
        self.calls.append(("commit", operation_id))
        return False

    def release(self, operation_id: str) -> None:
        self.calls.append(("release", operation_id))


def _entries(services) -> list[tuple]:  # type: ignore[no-untyped-def]
    with services.ledger.read() as conn:
        return conn.exec_driver_sql("SELECT kind, points, amount_satang, receipt_ref, voucher_id, points_factor "
                                    "FROM entries ORDER BY rowid").fetchall()


def test_a_multiplier_voucher_records_its_sale_with_the_points_multiplied_once(counter) -> None:  # type: ignore[no-untyped-def]
    member = counter.members.enroll(name="Somchai", phone="0812345678", operator_id="cashier-1").id
    server = Online()
    code = voucher("M2", Benefit("multiplier", 2))
    kw = {"receipt_ref": "R-1", "operator_id": "cashier-1", "member_id": member, "bill_satang": 123_450}
    used = counter.redeem_voucher_online(server, code, **kw, op_id="op-m2")
    # ฿1,234.50 earns 49 points; the voucher doubles them, in the same transaction as the use
    assert (used.points, used.voucher_bonus, used.balance_after, used.multiplier, used.value_satang) == (98, 49, 98, 2, 0)
    assert _entries(counter) == [("earn", 98, 123_450, "R-1", "M2", 2)]
    assert [u.voucher_id for u in uses(counter)] == ["M2"] and server.calls == [("reserve", "op-m2"), ("commit", "op-m2")]
    again = counter.redeem_voucher_online(server, code, **kw, op_id="op-m2")  # a retry: the same answer, nothing more
    assert (again.replayed, again.points, again.entry_id) == (True, 98, used.entry_id)
    assert len(_entries(counter)) == 1 and counter.members.get(member).balance == 98
    # the sale cannot earn twice: not by a plain award, not by another voucher on the same receipt
    refused(Conflict, "conflict", "Receipt R-1 already earned points; nothing was added.", counter.award,
            member_id=member, amount_satang=123_450, receipt_ref="R-1", operator_id="cashier-1")
    held = len(server.calls)
    refused(Conflict, "conflict", "Receipt R-1 already earned points; nothing was added.",
            counter.redeem_voucher_online, server, voucher("M3", Benefit("multiplier", 3)), **kw)
    assert len(server.calls) == held  # refused before the server held anything
    assert len(_entries(counter)) == 1 and [u.voucher_id for u in uses(counter)] == ["M2"]


def test_a_multiplier_voucher_without_its_sale_is_refused_and_nothing_recorded(counter) -> None:  # type: ignore[no-untyped-def]
    member = counter.members.enroll(name="Somchai", phone="0812345678", operator_id="cashier-1").id
    code = voucher("M2", Benefit("multiplier", 2))
    need = ("voucher.sale_needed", "A points-multiplier voucher is used with the sale it multiplies: give the member "
            "and the bill amount, and the sale is recorded with the multiplied points.")
    for missing in ({"member_id": member}, {"bill_satang": 10_000}):
        refused(InvalidInput, *need, counter.redeem_voucher_online, Online(), code, receipt_ref="R-1",
                operator_id="c", **missing)
        refused(InvalidInput, *need, counter.redeem_voucher, code, receipt_ref="R-1", operator_id="c", **missing)
    # the award already recorded on this receipt: the voucher is not used, nothing is multiplied afterwards
    counter.award(member_id=member, amount_satang=10_000, receipt_ref="R-2", operator_id="c")
    refused(Conflict, "conflict", "Receipt R-2 already earned points; nothing was added.", counter.redeem_voucher,
            code, receipt_ref="R-2", operator_id="c", member_id=member, bill_satang=10_000)
    assert uses(counter) == [] and [e[1] for e in _entries(counter)] == [4]


def test_the_sale_preview_multiplies_as_the_award_will(counter) -> None:  # type: ignore[no-untyped-def]
    member = counter.members.enroll(name="Somchai", phone="0812345678", operator_id="cashier-1").id
    assert counter.preview_sale(member, amount_satang=123_450, factor=3).points == 147
    used = counter.redeem_voucher(voucher("M3", Benefit("multiplier", 3)), receipt_ref="R-1", operator_id="c",
                                  member_id=member, bill_satang=123_450)
    assert used.points == 147


class Batching(Online):
    """A server with ``/v1/vouchers/commit-batch``: records each request; ``refuse`` names uses it refuses."""

    def __init__(self, refuse: set[str] = frozenset(), has_batch: bool = True) -> None:  # type: ignore[assignment]
        super().__init__()
        self.batches: list[list[str]] = []
        self.refuse, self.has_batch = refuse, has_batch

    def commit_batch(self, uses: list[dict]) -> list[bool | Exception] | None:  # type: ignore[type-arg]
        if not self.has_batch:
            return None
        self.batches.append([u["code"].split(":")[2] for u in uses])
        assert all(u["offline"] for u in uses)
        return [ServerRefused("voucher_forged", "no") if u["code"].split(":")[2] in self.refuse else False
                for u in uses]


def _offline_uses(counter, clock, count: int) -> None:  # type: ignore[no-untyped-def]
    policy = {"max_hours_since_sync": 24, "voucher_allowances": {"fixed": {"count": 999, "value_satang": 10**9}}}
    with counter.ledger.write() as conn:
        counter.ledger.set_meta(conn, "mode", "enrolled")
        counter.ledger.set_meta(conn, "last_sync_ok_ms", str(clock()))
        counter.ledger.set_meta(conn, "offline_policy", json.dumps(policy))
    for i in range(count):
        counter.redeem_voucher_online(Unreachable(), voucher(f"B{i:03d}"), receipt_ref=f"R-{i}", operator_id="c")


def test_a_sync_round_sends_the_offline_uses_in_batches(counter, clock) -> None:  # type: ignore[no-untyped-def]
    from pos_app.services.vouchers import VOUCHER_BATCH

    _offline_uses(counter, clock, VOUCHER_BATCH + 3)
    server = Batching(refuse={"B201"})
    with pytest.raises(ServerRefused):  # the refused use stops the round after the others were acknowledged
        counter.upload_voucher_uses(server)
    assert [len(b) for b in server.batches] == [VOUCHER_BATCH, 3] and server.calls == []
    assert [u.voucher_id for u in uses(counter) if u.acked_at_ms is None] == ["B201"]
    server.refuse = set()
    assert counter.upload_voucher_uses(server) == (1, 0)  # one left: sent on its own
    assert server.calls == [("commit", uses(counter)[201].op_id)]


def test_an_older_server_without_batches_gets_the_uses_one_by_one(counter, clock) -> None:  # type: ignore[no-untyped-def]
    _offline_uses(counter, clock, 3)
    server = Batching(has_batch=False)
    assert counter.upload_voucher_uses(server) == (3, 0)
    assert [c[0] for c in server.calls] == ["commit"] * 3 and server.batches == []


class _Holds:
    """The server's reservations port, recording what was held (to show that nothing was)."""

    def __init__(self) -> None:
        self.held: list[tuple[str, int, str | None]] = []

    def reserve(self, member_id: str, points: int, reward_code: str | None, *, reservation_id: str,
                for_voucher: bool = False) -> str:
        self.held.append((member_id, points, reward_code))
        return reservation_id

    def release(self, reservation_id: str) -> None:
        pass


def test_a_voucher_reward_is_never_redeemed_ordinarily_and_an_ordinary_one_never_bought(counter) -> None:  # type: ignore[no-untyped-def]
    with counter.ledger.write() as conn:
        counter.ledger.upsert_reward(conn, code="V50", name_th="บัตร", name_en="Voucher", points_cost=150,
                                     stock=None, active=True, voucher_benefit="F5000", voucher_valid_days=30)
        counter.ledger.upsert_reward(conn, code="TEA", name_th="ชา", name_en="Tea", points_cost=50, stock=None,
                                     active=True)
    member = counter.members.enroll(name="Somchai", phone="0812345678", operator_id="cashier-1").id
    counter.award(member_id=member, amount_satang=1_000_000, receipt_ref="R-1", operator_id="c")  # 400 points
    line = ("Reward V50 buys a voucher: use 'Buy voucher' (pos-terminal voucher buy) while online, so the member "
            "gets the voucher for the points.")
    holds = _Holds()
    refused(NotAllowed, "reward.is_voucher", line, counter.redeem, member_id=member, reward_code="V50",
            operator_id="c")
    refused(NotAllowed, "reward.is_voucher", line, counter.redeem_online, None, member_id=member,
            reward_code="V50", operator_id="c")
    refused(NotAllowed, "reward.is_voucher", line, counter.redeem_online, holds, member_id=member,
            reward_code="V50", operator_id="c")
    # a reservation id alone does not make it a purchase: only buy_voucher's path passes
    refused(NotAllowed, "reward.is_voucher", line, counter.redeem, member_id=member, reward_code="V50",
            operator_id="c", reservation_id="00000000-0000-4000-8000-000000000001")
    refused(NotAllowed, "not_a_voucher_reward", "Reward TEA is not a voucher: redeem it as usual.",
            counter.buy_voucher, holds, None, member_id=member, reward_code="TEA", operator_id="c")
    assert holds.held == []  # no points were held on the server for either
    assert counter.members.get(member).balance == 400
    assert [r.voucher_text() for r in counter.rewards() if r.code in ("V50", "TEA")] == [
        "", "A voucher: ฿50.00 off the bill"]
