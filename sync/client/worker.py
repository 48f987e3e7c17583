"""A background sync worker (a plain thread, no Qt): syncs every ``interval`` seconds and on demand, backs off
exponentially with jitter after failures, and never blocks its callers. The UI adapts ``on_change`` to a Qt
signal; ``status`` can be read from any thread.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from sync import protocol as p
from sync.client.api import wall_ms
from sync.client.errors import Refused, SyncError

log = logging.getLogger("sync.client")


@dataclass(frozen=True)
class SyncStatus:
    online: bool
    """The last attempt reached the server and completed."""
    syncing: bool
    queued: int
    """Outbox records the server has not acknowledged yet."""
    last_success_ms: int | None
    last_error: str | None
    """``code: English message`` of the last failure, None after a success."""
    error_code: str | None
    clock_offset_ms: int | None
    next_attempt_in_s: float | None = None

    @property
    def clock_skewed(self) -> bool:
        return self.clock_offset_ms is not None and abs(self.clock_offset_ms) > p.CLOCK_SKEW_LIMIT_MS


def backoff_delay(failures: int, rng: random.Random, base: float = 2.0, cap: float = 300.0) -> float:
    """Exponential backoff with "equal jitter": between half and all of ``min(cap, base * 2**(failures-1))``."""
    if failures <= 0:
        return 0.0
    ceiling = min(cap, base * float(1 << min(failures - 1, 30)))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


class SyncWorker:
    """Run ``sync_once`` of the client made by ``make_client`` in a background thread.

    ``make_client`` is called in the worker thread (lazily, again after a failure to build it), so a terminal
    that is not enrolled or lost its credential just reports that in the status.
    """

    def __init__(self, make_client: Callable[[], object], *, interval: float = 30.0, backoff_base: float = 2.0,
                 backoff_cap: float = 300.0, on_change: Callable[[SyncStatus], None] | None = None,
                 rng: random.Random | None = None, queued: Callable[[], int] | None = None) -> None:
        self._make_client = make_client
        self._client: object | None = None
        self.interval = interval
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.on_change = on_change
        self._rng = rng or random.Random()
        self._queued = queued
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._failures = 0
        self._status = SyncStatus(online=False, syncing=False, queued=queued() if queued else 0,
                                  last_success_ms=None, last_error=None, error_code=None, clock_offset_ms=None)
        self.rounds = 0

    # ------------------------------------------------------------------ API (any thread, never blocks)
    @property
    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
            self._thread.start()

    def trigger(self) -> None:
        """Sync as soon as possible (e.g. right after a sale)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        close = getattr(self._client, "close", None)
        if close:
            close()

    # ------------------------------------------------------------------ thread
    def _set(self, **changes: object) -> None:
        with self._lock:
            self._status = replace(self._status, **changes)  # type: ignore[arg-type]
            status = self._status
        if self.on_change is not None:
            try:
                self.on_change(status)
            except Exception:  # a broken listener must not kill the worker
                log.exception("sync status listener failed")

    def run_once(self) -> SyncStatus:
        """One sync round in the calling thread (the worker's loop body); returns the new status."""
        self._set(syncing=True)
        try:
            if self._client is None:
                self._client = self._make_client()
            result = self._client.sync_once()  # type: ignore[attr-defined]
        except SyncError as exc:
            self._failures += 1
            online = isinstance(exc, Refused)  # the server answered (and said no)
            offset = getattr(self._client, "clock_offset_ms", None)
            self._set(syncing=False, online=online, last_error=str(exc), error_code=exc.code,
                      clock_offset_ms=offset if offset is not None else self.status.clock_offset_ms,
                      queued=self._queued() if self._queued else self.status.queued)
            log.warning("sync failed (%d in a row): %s", self._failures, exc)
        except Exception as exc:  # noqa: BLE001 - the worker reports and retries; the counter keeps working
            self._failures += 1
            self._set(syncing=False, online=False, last_error=f"internal: {exc}", error_code="internal",
                      queued=self._queued() if self._queued else self.status.queued)
            log.exception("sync round crashed")
        else:
            self._failures = 0
            self._set(syncing=False, online=True, last_error=None, error_code=None, last_success_ms=wall_ms(),
                      clock_offset_ms=result.clock_offset_ms,
                      queued=self._queued() if self._queued else 0)
        finally:
            self.rounds += 1
        return self.status

    def next_delay(self) -> float:
        if self._failures:
            return backoff_delay(self._failures, self._rng, self.backoff_base, self.backoff_cap)
        return self.interval

    def _run(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            delay = self.next_delay()
            self._set(next_attempt_in_s=delay)
            self._wake.wait(delay)
            self._wake.clear()
