"""Who has the ledger open: OS file locks (``flock``) in the data folder, never a PID guess.

- ``ledger.lock``: every process with the ledger open holds a **shared** lock on it (taken by ``Ledger.open``,
  released by ``close`` or by the OS when the process ends, even after ``kill -9``). ``restore`` takes it
  **exclusively** without waiting: while the counter window, the sync service or a job has the ledger open it
  refuses instead of replacing the file under their feet.
- ``app.lock``: the counter window holds it exclusively for its lifetime: a second window on the same data
  folder refuses to start.

Where ``fcntl`` does not exist (Windows) the locks are not taken and nothing is refused.
"""

from __future__ import annotations

import os
from pathlib import Path

from pos_app.ledger.files import PRIVATE_FILE

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LEDGER_LOCK = "ledger.lock"
APP_LOCK = "app.lock"


class Held:
    """An open lock file; ``release()`` (or the end of the process) lets it go."""

    def __init__(self, fd: int | None) -> None:
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor drops the flock
            self.fd = None

    def __enter__(self) -> Held:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _take(path: Path, exclusive: bool) -> Held | None:
    """The lock on ``path`` without waiting, or None when another process holds a conflicting one."""
    if fcntl is None:
        return Held(None)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    except OSError:  # a folder this account cannot write: the permission check says so, not the lock
        return Held(None)
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except OSError:  # a file system without locks: do not refuse what worked before
        return Held(fd)
    return Held(fd)


def share_ledger(data_dir: Path) -> Held | None:
    """The shared "I have the ledger open" lock (None: a restore holds it exclusively right now)."""
    return _take(data_dir / LEDGER_LOCK, exclusive=False)


def own_ledger(data_dir: Path) -> Held | None:
    """The exclusive lock for replacing the ledger (None: another process has the ledger open)."""
    return _take(data_dir / LEDGER_LOCK, exclusive=True)


def single_window(data_dir: Path) -> Held | None:
    """The counter window's lock on this data folder (None: a window is already open on it)."""
    return _take(data_dir / APP_LOCK, exclusive=True)
