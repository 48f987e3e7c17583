"""A terminal killed (SIGKILL) in the middle of a sync, at every point of an upload, then restarted:
nothing lost, nothing doubled.

The child process (fork) opens the same ledger and server files, syncs, and kills itself with SIGKILL at a
chosen upload request: before the request leaves, or after the server committed it but before the terminal
stored the acknowledgement. The parent then reopens everything from disk and syncs to the end.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.sync.client.harness import InProcessServer, Term

MakeTerm = Callable[..., Term]


def _child(server_db: Path, data_dir: Path, kill_at: int, stage: str) -> None:
    server = InProcessServer(server_db)
    t = Term("child", data_dir, server)
    seen = {"n": 0}
    original = server.handle

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/upload" or (request.url.path == "/v1/sync"  # the last batch goes in the round
                                                 and json.loads(request.read())["upload"] is not None):
            seen["n"] += 1
            if seen["n"] == kill_at and stage == "before":
                os.kill(os.getpid(), signal.SIGKILL)
            response = original(request)
            if seen["n"] == kill_at and stage == "after":
                os.kill(os.getpid(), signal.SIGKILL)
            return response
        return original(request)

    server.handle = handle  # type: ignore[method-assign]
    t.sync()
    os._exit(3)  # the kill point was never reached


@pytest.mark.parametrize("kill_at, stage", [(1, "before"), (1, "after"), (2, "after"), (3, "before"), (3, "after")])
def test_sigkill_mid_upload_then_resume(server: InProcessServer, terminal: MakeTerm, kill_at: int,
                                        stage: str) -> None:
    a = terminal("a")
    members = [a.services.members.enroll(name=f"K{i}", phone=f"08900000{i:02d}", operator_id="cashier1")
               for i in range(4)]
    for i, m in enumerate(members):
        a.services.award(member_id=m.id, amount_satang=10_000 * (i + 1), receipt_ref=f"K-{i}", operator_id="cashier1")
        a.services.award(member_id=m.id, amount_satang=5_000, receipt_ref=f"K2-{i}", operator_id="cashier1")
    queued = a.store.queued_count()
    batch_size = a.client.batch_size  # the harness gives 7
    assert 2 * batch_size < queued <= 3 * batch_size  # 3 batches: kill_at 3 is the last one
    local_entries = sorted(a.entry_ids())
    data_dir = a.data_dir
    a.close()
    server.stop()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            _child(server.db, data_dir, kill_at, stage)
        finally:
            os._exit(4)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    server.start()
    a.open()
    a.sync()
    assert a.store.queued_count() == 0 and a.store.state().acked_seq == queued
    assert sorted(server.entry_ids()) == local_entries  # nothing lost, nothing doubled
    assert server.verify() == [] and server.balances() == a.balances()
    assert a.services.ledger.verify().ok
