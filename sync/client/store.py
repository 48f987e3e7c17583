"""What the sync client needs from the terminal's local ledger: a small outbox store interface.

The implementation over the SQLite ledger is ``pos_app.ledger.sync_store.LedgerSyncStore``; the client never
sees SQL, Qt or the counter's services. Every method is its own durable transaction. Records and changes travel
as plain wire dicts (``sync.protocol`` shapes, ``model_dump(mode="json")``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True)
class PendingBatch:
    batch_id: str
    first_seq: int
    last_seq: int


class BatchView(Protocol):
    @property
    def batch_id(self) -> str: ...

    @property
    def first_seq(self) -> int: ...

    @property
    def last_seq(self) -> int: ...


class SyncState(Protocol):
    """What the store reports about the terminal's sync state (read-only attributes)."""

    @property
    def terminal_id(self) -> str: ...

    @property
    def mode(self) -> str:
        """``standalone`` or ``enrolled``."""
        ...

    @property
    def server_url(self) -> str | None: ...

    @property
    def branch_id(self) -> str | None: ...

    @property
    def acked_seq(self) -> int: ...

    @property
    def cursor(self) -> int: ...

    @property
    def batch(self) -> BatchView | None: ...

    @property
    def last_sync_ok_ms(self) -> int | None: ...

    @property
    def last_sync_error(self) -> str | None: ...

    @property
    def clock_offset_ms(self) -> int: ...

    @property
    def restore_pending(self) -> bool:
        """The ledger was restored from a backup and has not yet got back its own records from the server."""
        ...


class OutboxStore(Protocol):
    def state(self) -> SyncState: ...

    def credential_path(self) -> Path:
        """Where the terminal's credential file lives (next to the ledger, mode 0600)."""
        ...

    def has_local_records(self) -> bool: ...

    def records_after(self, seq: int, limit: int) -> list[dict[str, Any]]:
        """Outbox records (``OutboxRecord`` wire dicts) with seq > ``seq``, in seq order."""
        ...

    def local_max_seq(self) -> int:
        """The highest seq of this terminal's outbox (0 when empty)."""
        ...

    def adopt_own_records(self, records: list[dict[str, Any]], members: list[dict[str, Any]], ack_seq: int,
                          last_page: bool) -> int:
        """One page of ``/v1/own-records``, in ONE transaction: apply ``members`` (``MemberState`` dicts) like
        pulled members; check the records held here against the server's and store the others as this terminal's
        own records (original seq, id and hash; acknowledged); set the ack; on the last page clear the
        "restored" mark. Returns how many records were added. Raises if a held record differs."""
        ...

    def queued_count(self) -> int:
        """Outbox records not yet acknowledged by the server."""
        ...

    def begin_batch(self, batch: BatchView) -> None:
        """Persist the batch about to be sent, BEFORE sending it (a resend reuses the id and the records)."""
        ...

    def record_quarantined(self, records: list[dict[str, Any]]) -> None:
        """Keep what the server quarantined (``seq``, ``id``, ``code``, ``reason`` each) for the counter's status
        and a manager: those records were acknowledged but moved no balance (a compensation is pulled)."""

    def replace_branch_flags(self, flags: list[dict[str, Any]], truncated: bool, now_ms: int) -> None:
        """Keep the open flags of this terminal's branch as the server sent them (``FlagInfo`` wire dicts), in
        place of the previous ones, for the store manager's back office."""

    def acknowledge(self, ack_seq: int) -> None:
        """The server holds every record 1..ack_seq: store it and forget the pending batch."""
        ...

    def apply_changes(self, changes: list[dict[str, Any]], next_cursor: int) -> None:
        """Apply one page of ``Change`` wire dicts and store ``next_cursor``, in ONE transaction."""
        ...

    def feed_scope(self) -> tuple[str, str]:
        """(the feed the local offline policy asks for, the feed the stored cursor was built with): each
        ``chain`` or ``branch``."""
        ...

    def set_feed_scope(self, scope: str, reset_cursor: bool) -> None:
        """Store the feed the cursor now follows, in one transaction with the cursor back to 0 when
        ``reset_cursor`` (widening to the chain: the terminal holds too little)."""
        ...

    def adopt_enrollment(self, *, terminal_id: str, server_url: str, snapshot: dict[str, Any], cursor: int,
                         now_ms: int, clock_offset_ms: int, takeover_seq: int = 0,
                         certificate: str | None = None) -> None:
        """Become the server-assigned terminal: identity, branch, reference data, policy, keys, cursor.
        ``takeover_seq`` > 0: a standalone terminal joined with its records (it keeps its id; records up to that
        seq are still to be sent); ``certificate``: the chain's certificate of its card-signing key."""
        ...

    def holds_demo_data(self) -> bool:
        """Whether the ledger was set up as a demo (``init --demo``): never taken over by a chain."""
        ...

    def joined_elsewhere(self) -> str | None:
        """Why this ledger cannot join a chain with its records (it was enrolled with a server before, or holds
        data that came from one), or None."""
        ...

    def record_sync(self, *, ok: bool, now_ms: int, error: str | None, clock_offset_ms: int | None) -> None:
        """Remember the outcome of a sync attempt (``last_sync_ok_ms``/``last_sync_error``/``clock_offset_ms``)."""
        ...
