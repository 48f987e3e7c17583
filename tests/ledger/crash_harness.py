"""SIGKILL a process in the middle of awarding, many times, then check that nothing acknowledged was lost,
nothing retried was applied twice, balances equal sums, the hash chain verifies and integrity_check passes.

The child is forked from the test process (already warm), so one kill cycle costs milliseconds, not an
interpreter start. Each child awards operations ``start, start+1, ...`` with deterministic op ids and
writes an acknowledgement line to a pipe only after ``award`` returned (after commit). The next child
starts from the last acknowledged operation + 1 and first retries the one that may have committed without
its acknowledgement arriving.
"""

from __future__ import annotations

import os
import random
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from pos_app.ledger.db import integrity_problems


@dataclass
class CrashReport:
    kills: int
    acked: int
    required: int
    """Acknowledgements the run waited for before its kills (``acked`` is at least this unless a child died)."""
    attempted: int
    entries: int
    lost: list[str]
    doubled: list[str]
    verify_ok: bool
    integrity: list[str]

    @property
    def ok(self) -> bool:
        return not self.lost and not self.doubled and self.verify_ok and not self.integrity


def op_args(i: int, members: list[str]) -> dict[str, object]:
    return {"member_id": members[i % len(members)], "amount_satang": 2_500 + (i * 37) % 100_000,
            "receipt_ref": f"R{i:07d}", "operator_id": "crash", "op_id": f"op-{i:07d}"}


def _child(data_dir: Path, members: list[str], start: int, write_fd: int) -> None:
    from pos_app.services import open_terminal

    try:
        svc = open_terminal(data_dir)
        os.write(write_fd, b"ready\n")
        i = start
        while True:
            svc.award(**op_args(i, members))  # type: ignore[arg-type]
            os.write(write_fd, f"{i}\n".encode())
            i += 1
    finally:
        os._exit(0)


def run(data_dir: Path, kills: int, seed: int = 1, max_acks: int = 3, max_delay_ms: float = 0.0) -> CrashReport:
    """``kills`` children, each killed once it has acknowledged a count of awards drawn from 0..``max_acks``
    (read from its pipe: the kill depends on what the child reported, not on how fast it ran), so the kill lands
    while it works on the next award, wherever in that award it is. ``max_delay_ms`` > 0 adds a random pause
    before the kill (bench/stress_crash.py spreads the kill points that way)."""
    from pos_app.services import open_terminal

    rng = random.Random(seed)
    svc = open_terminal(data_dir)
    members = [svc.members.enroll(name=f"Crash {n}", phone=f"08900000{n:02d}", operator_id="crash",
                                  op_id=f"enroll-{n}").id for n in range(3)]
    svc.close()
    acked: set[int] = set()
    attempted = 0
    required = 0
    next_i = 0
    for _ in range(kills):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            os.close(read_fd)
            _child(data_dir, members, next_i, write_fd)
        os.close(write_fd)
        want = rng.randint(0, max_acks)
        required += want
        with os.fdopen(read_fd, "rb") as pipe:
            got = -1  # "ready" first: the child has opened the ledger
            while got < want:
                line = pipe.readline()
                if not line:
                    break  # the child died on its own: the report shows fewer acknowledgements than required
                if line.strip() != b"ready":
                    acked.add(int(line))
                got += 1
            if max_delay_ms > 0:
                time.sleep(rng.uniform(0.0, max_delay_ms / 1000))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            for line in pipe.read().split():  # acknowledgements written before the kill landed
                if line != b"ready":
                    acked.add(int(line))
        attempted = max(attempted, max(acked, default=-1) + 2)
        next_i = max(acked, default=-1) + 1

    # Before any retry: every acknowledged operation must be in the ledger.
    svc = open_terminal(data_dir)
    with svc.ledger.read() as conn:
        rows = conn.exec_driver_sql("SELECT op_id, COUNT(*) FROM entries WHERE op_id LIKE 'op-%' GROUP BY op_id")
        present = {op: n for op, n in rows}
    lost = [f"op-{i:07d}" for i in sorted(acked) if f"op-{i:07d}" not in present]
    # Retry everything that might have been attempted: idempotent, so nothing may double.
    for i in range(attempted):
        svc.award(**op_args(i, members))  # type: ignore[arg-type]
    with svc.ledger.read() as conn:
        rows = conn.exec_driver_sql("SELECT op_id, COUNT(*) FROM entries WHERE op_id LIKE 'op-%' GROUP BY op_id")
        counts = {op: n for op, n in rows}
    doubled = [op for op, n in counts.items() if n != 1]
    verify = svc.ledger.verify()
    svc.close()
    return CrashReport(kills=kills, acked=len(acked), required=required, attempted=attempted, entries=verify.entries, lost=lost,
                       doubled=doubled, verify_ok=verify.ok, integrity=integrity_problems(data_dir / "ledger.sqlite3"))
