"""Property: no sequence of counter operations makes a balance differ from the sum of its entries, breaks
the hash chain or double-counts a retried operation; a balance goes below zero only through a return whose
points were already spent (the member then owes them, see docs/loyalty-rules.md)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from pos_app.services import Approval, open_terminal
from pos_app.services.errors import ServiceError
from tests.conftest import FakeClock

MANAGER = Approval("9999")


class CounterMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.clock = FakeClock()
        self.svc = open_terminal(Path(self.dir.name), clock=self.clock)
        self.svc.add_staff(name="M", role="manager", pin="9999", staff_id="m", demo=True)
        self.members = [self.svc.members.enroll(name=f"M{i}", phone=f"08123456{i:02d}", operator_id="c").id
                        for i in range(2)]
        self.receipts: list[str] = []
        self.done_ops: list[tuple[str, tuple]] = []
        self.n = 0

    def teardown(self) -> None:
        if hasattr(self, "svc"):
            self.svc.close()
            self.dir.cleanup()

    def _op(self) -> str:
        self.n += 1
        return f"op-{self.n}"

    @rule(who=st.integers(0, 1), baht=st.integers(1, 20_000), satang=st.integers(0, 99))
    def award(self, who: int, baht: int, satang: int) -> None:
        receipt = f"R{self.n}"
        args = {"member_id": self.members[who], "amount_satang": baht * 100 + satang, "receipt_ref": receipt,
                "operator_id": "c"}
        op = self._op()
        try:
            self.svc.award(op_id=op, **args)
            self.receipts.append(receipt)
            self.done_ops.append(("award", (op, args)))
        except ServiceError:
            pass

    @rule(who=st.integers(0, 1), points=st.integers(1, 2000))
    def redeem(self, who: int, points: int) -> None:
        try:
            self.svc.redeem(member_id=self.members[who], points=points, operator_id="c", approval=MANAGER,
                            op_id=self._op())
        except ServiceError:
            pass

    @precondition(lambda self: self.receipts)
    @rule(index=st.integers(0, 50), baht=st.one_of(st.none(), st.integers(1, 20_000)))
    def give_back(self, index: int, baht: int | None) -> None:
        receipt = self.receipts[index % len(self.receipts)]
        try:
            self.svc.return_receipt(receipt_ref=receipt, refund_satang=None if baht is None else baht * 100,
                                    operator_id="c", approval=MANAGER, op_id=self._op())
        except ServiceError:
            pass

    @rule(who=st.integers(0, 1), points=st.integers(-500, 500).filter(bool))
    def adjust(self, who: int, points: int) -> None:
        try:
            self.svc.adjust(member_id=self.members[who], points=points, reason="fix", operator_id="c",
                            approval=MANAGER, op_id=self._op())
        except ServiceError:
            pass

    @precondition(lambda self: self.done_ops)
    @rule(index=st.integers(0, 50))
    def retry(self, index: int) -> None:
        _kind, (op, args) = self.done_ops[index % len(self.done_ops)]
        before = self.svc.ledger.verify().entries
        result = self.svc.award(op_id=op, **args)
        assert result.replayed
        assert self.svc.ledger.verify().entries == before

    @rule(ms=st.integers(1, 40 * 86_400_000))
    def time_passes(self, ms: int) -> None:
        self.clock.advance(ms)

    @invariant()
    def balances_equal_sums_and_chain_holds(self) -> None:
        if not hasattr(self, "svc"):
            return
        report = self.svc.ledger.verify()
        assert report.ok, report
        for member_id in self.members:
            entries = self.svc.history(member_id)
            balance = self.svc.members.get(member_id).balance
            assert balance == sum(e.points for e in entries)
            if balance < 0:
                assert any(e.kind == "reverse" and e.points < 0 for e in entries)


CounterMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestCounterProperties = CounterMachine.TestCase
