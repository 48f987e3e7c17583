"""``pos-terminal restore`` of an older backup on an enrolled terminal, against ``loyalty-server serve --demo``
as a real process on loopback: the terminal gets back every record of its own that the server acknowledged
after the backup, continues numbering after them, and terminal and server agree."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import httpx

from sync.server.demo import DEMO_ADMIN_TOKEN
from tests.sync.e2e.test_two_terminals import BIN, DemoServer, cli


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "pos-terminal"), "--data-dir", str(data_dir), "--lang", "en", *args],
                          capture_output=True, text=True, timeout=120)


def outbox_seqs(data_dir: Path) -> list[int]:
    con = sqlite3.connect(data_dir / "ledger.sqlite3")
    try:
        return [int(r[0]) for r in con.execute("SELECT seq FROM outbox ORDER BY seq")]
    finally:
        con.close()


def server_flags(demo: DemoServer) -> list[dict]:
    r = httpx.get(f"{demo.url}/admin/v1/flags", params={"all": True}, timeout=10,
                  headers={"Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"})
    assert r.status_code == 200, r.text
    return list(r.json())


def test_restore_gets_back_the_terminals_own_records_and_numbering_continues(demo: DemoServer,
                                                                              tmp_path: Path) -> None:
    code = demo.read_banner()[0]
    t1 = tmp_path / "t1"
    terminal_id = cli(t1, "enroll", "--server", demo.url, "--code", code)["terminal_id"]
    somsri = cli(t1, "member", "enroll", "--name", "Somsri", "--phone", "0891234567")["id"]
    # two awards, then the backup
    for n in (1, 2):
        cli(t1, "award", "--member", somsri, "--amount", "1500", "--receipt", f"R-{n}")  # 60 points each
    assert cli(t1, "backup")["path"]
    at_backup = outbox_seqs(t1)  # Somsri, her consent records, the two awards
    assert at_backup == list(range(1, len(at_backup) + 1))
    per_enrollment = len(at_backup) - 2  # the member record and its consent records
    # three awards after the backup, and a member enrolled after it (with an award of her own), then sync
    for n in (3, 4):
        cli(t1, "award", "--member", somsri, "--amount", "1500", "--receipt", f"R-{n}")
    malee = cli(t1, "member", "enroll", "--name", "Malee", "--phone", "0897654321")["id"]
    cli(t1, "award", "--member", malee, "--amount", "2500", "--receipt", "R-5")  # 100 points
    cli(t1, "sync", "--once")
    assert demo.balance(somsri) == 240 and demo.balance(malee) == 100
    everything = outbox_seqs(t1)  # adds two awards, Malee with her consent records, and her award
    assert everything == list(range(1, len(at_backup) + 2 + per_enrollment + 1 + 1))
    assert cli(t1, "sync", "status")["acked_seq"] == everything[-1]

    # restore the older backup: the message says what it kept and what to do next
    restored = run(t1, "restore", "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "replaced-by-restore-" in restored.stdout and "damaged" not in restored.stdout
    assert "pos-terminal sync --once" in restored.stdout
    kept = next(t1.glob("replaced-by-restore-*.sqlite3"))
    assert kept.name in restored.stdout
    assert cli(t1, "balance", "--member", somsri)["balance"] == 120
    # before it has its own records back, the terminal records nothing (the next seq is taken on the server)
    refused = run(t1, "award", "--member", somsri, "--amount", "1500", "--receipt", "R-early")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "restored from a backup" in refused.stderr and "pos-terminal sync --once" in refused.stderr
    assert outbox_seqs(t1) == at_backup

    # the first sync gets them back: no success while behind its own acked records
    synced = cli(t1, "sync", "--once")
    assert synced["acked_seq"] == everything[-1] and synced["queued"] == 0 and not synced["last_sync_error"]
    assert cli(t1, "balance", "--member", somsri)["balance"] == 240
    assert cli(t1, "balance", "--member", malee)["balance"] == 100
    assert outbox_seqs(t1) == everything

    # numbering continues after them: the next award takes the next seq and the server takes it
    cli(t1, "award", "--member", malee, "--amount", "2500", "--receipt", "R-6")
    assert outbox_seqs(t1) == [*everything, everything[-1] + 1]
    after = cli(t1, "sync", "--once")
    assert after["acked_seq"] == everything[-1] + 1 and after["queued"] == 0 and not after["last_sync_error"]
    assert demo.balance(somsri) == cli(t1, "balance", "--member", somsri)["balance"] == 240
    assert demo.balance(malee) == cli(t1, "balance", "--member", malee)["balance"] == 200
    doctor = cli(t1, "doctor")
    assert doctor["ok"] and doctor["queued_for_upload"] == 0, doctor
    assert not [f for f in server_flags(demo) if f["terminal_id"] == terminal_id], server_flags(demo)
