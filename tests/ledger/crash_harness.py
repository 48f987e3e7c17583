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


def run(data_dir: Path, kills: int, seed: int = 1, max_delay_ms: float = 25.0) -> CrashReport:
    from pos_app.services import open_terminal

    rng = random.Random(seed)
    svc = open_terminal(data_dir)
    members = [svc.members.enroll(name=f"Crash {n}", phone=f"08900000{n:02d}", operator_id="crash",
                                  op_id=f"enroll-{n}").id for n in range(3)]
    svc.close()
    acked: set[int] = set()
    attempted = 0
    next_i = 0
    for _ in range(kills):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            os.close(read_fd)
            _child(data_dir, members, next_i, write_fd)
        os.close(write_fd)
        chunks = [os.read(read_fd, 65536)]  # blocks until the child has opened the ledger (or died)
        time.sleep(rng.uniform(0.0, max_delay_ms / 1000))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        while chunk := os.read(read_fd, 65536):
            chunks.append(chunk)
        os.close(read_fd)
        for line in b"".join(chunks).decode().split():
            if line != "ready":
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
    return CrashReport(kills=kills, acked=len(acked), attempted=attempted, entries=verify.entries, lost=lost,
                       doubled=doubled, verify_ok=verify.ok, integrity=integrity_problems(data_dir / "ledger.sqlite3"))
