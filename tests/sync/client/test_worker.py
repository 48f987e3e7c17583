"""The background worker: status, on-demand sync, backoff with jitter, never blocking the counter."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable

import httpx

from pos_app.services import sync_glue
from sync.client import SyncStatus, backoff_delay
from tests.sync.client.harness import InProcessServer, Term

MakeTerm = Callable[..., Term]


def test_backoff_grows_exponentially_with_jitter_up_to_the_cap() -> None:
    rng = random.Random(7)
    for failures in range(1, 15):
        ceiling = min(300.0, 2.0 * 2 ** (failures - 1))
        delays = [backoff_delay(failures, rng) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jittered: terminals coming back together do not retry in lockstep
    assert backoff_delay(0, rng) == 0.0


class Watch:
    """Collects statuses from on_change and lets a test wait for one (no sleeping)."""

    def __init__(self) -> None:
        self.seen: list[SyncStatus] = []
        self.cond = threading.Condition()

    def __call__(self, status: SyncStatus) -> None:
        with self.cond:
            self.seen.append(status)
            self.cond.notify_all()

    def wait_for(self, pred: Callable[[SyncStatus], bool], timeout: float = 30) -> SyncStatus:
        with self.cond:
            ok = self.cond.wait_for(lambda: any(pred(s) for s in self.seen), timeout)
            assert ok, f"no such status; seen {self.seen[-3:]}"
            return next(s for s in self.seen if pred(s))


def test_worker_reports_offline_then_online_and_syncs_on_demand(server: InProcessServer, terminal: MakeTerm) -> None:
    a = terminal("a")
    member = a.services.members.enroll(name="W", phone="0870000001", operator_id="cashier1")
    enrolled = a.store.queued_count()  # the member and its consent records
    assert enrolled > 0
    server.fault = lambda req: "drop_request"
    watch = Watch()
    worker = sync_glue.make_worker(a.services, interval=3600, on_change=watch, backoff_base=3600,
                                     backoff_cap=7200, client_kwargs={"transport": server.transport()})
    worker.start()
    try:
        bad = watch.wait_for(lambda s: not s.syncing and s.error_code is not None)
        assert not bad.online and bad.queued == enrolled and "unreachable" in (bad.last_error or "")
        assert worker.next_delay() >= 1800  # backing off
        watch.seen.clear()
        server.fault = None
        worker.trigger()
        good = watch.wait_for(lambda s: not s.syncing and s.online)
        assert good.queued == 0 and good.last_success_ms and good.last_error is None
        assert server.member(member.id).name == "W"
        assert not good.clock_skewed
    finally:
        worker.stop()


def test_the_counter_keeps_working_while_a_sync_hangs(server: InProcessServer, terminal: MakeTerm) -> None:
    a = terminal("a")
    member = a.services.members.enroll(name="H", phone="0870000002", operator_id="cashier1")
    enrolled = a.store.queued_count()  # the member and its consent records
    entered, release = threading.Event(), threading.Event()

    def hang(req: httpx.Request) -> str | None:
        entered.set()
        release.wait(30)
        return "timeout"

    server.fault = hang
    watch = Watch()
    worker = sync_glue.make_worker(a.services, interval=3600, on_change=watch, backoff_base=3600,
                                     backoff_cap=7200, client_kwargs={"transport": server.transport()})
    worker.start()
    try:
        assert entered.wait(30)
        assert worker.status.syncing  # read from another thread, immediately
        award = a.services.award(member_id=member.id, amount_satang=50_000, receipt_ref="R-hang",
                                 operator_id="cashier1")
        assert award.points > 0
        release.set()
        done = watch.wait_for(lambda s: not s.syncing and s.error_code == "timeout")
        assert done.queued == enrolled + 1  # the award made during the hang is queued too
    finally:
        release.set()
        worker.stop()


def test_a_standalone_terminal_worker_reports_not_enrolled(terminal: MakeTerm) -> None:
    solo = terminal("solo", enroll=False)
    worker = sync_glue.make_worker(solo.services, interval=3600)
    status = worker.run_once()
    assert status.error_code == "not_enrolled" and not status.online
