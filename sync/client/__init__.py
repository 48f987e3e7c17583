"""The terminal side of sync: outbox upload, change pull, online reservations, background worker, status.

Talks to the local ledger only through :class:`sync.client.store.OutboxStore` (implemented over the SQLite
ledger in ``pos_app.ledger.sync_store``); imports nothing of ``pos_app`` and no Qt. See docs/sync-client.md.
"""

from sync.client.client import SyncClient, SyncResult, enroll, reenroll
from sync.client.errors import EnrollRefused, NotEnrolled, Offline, Refused, SyncError
from sync.client.store import OutboxStore, PendingBatch, SyncState
from sync.client.worker import SyncStatus, SyncWorker, backoff_delay

__all__ = [
    "EnrollRefused", "NotEnrolled", "Offline", "OutboxStore", "PendingBatch", "Refused", "SyncClient",
    "SyncError", "SyncResult", "SyncState", "SyncStatus", "SyncWorker", "backoff_delay", "enroll",
    "reenroll",
]
