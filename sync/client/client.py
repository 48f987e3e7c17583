"""The terminal's side of sync: enrollment, outbox upload, change pull, online reservations.

Upload (exactly once, crash-safe): records go in seq order from ``acked_seq + 1`` in batches. The batch (its id
and seq range) is persisted in the store BEFORE it is sent, so a resend after a timeout, a lost response or a
crash reuses the same ``batch_id`` with the same records; the server answers an identical resend as success.
``acked_seq`` then becomes the server's ``ack_seq``.

Pull: ``GET /v1/changes`` from the stored cursor, page by page; each page is applied together with its
``next_cursor`` in one local transaction, so a crash between pages resumes from the last applied page and a
page applied twice is harmless.

One request per round (protocol 1.3): :meth:`SyncClient.sync_once` sends the round's last upload batch (or,
with nothing queued, no batch) together with the pull of the first page, the heartbeat and the flags request as
ONE ``POST /v1/sync``; earlier batches of a longer backlog go by ``POST /v1/upload`` and further pages by
``GET /v1/changes``, as before. A server without ``/v1/sync`` (404/405) gets the separate requests for the life
of the client object.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import httpx

from sync import protocol as p
from sync import records
from sync.client import credentials
from sync.client.api import ServerApi, utc_ms, wall_ms
from sync.client.errors import EnrollRefused, NotEnrolled, Offline, Refused, SyncError
from sync.client.store import BatchView, OutboxStore, PendingBatch

log = logging.getLogger(__name__)

DEFAULT_BATCH = 200
DEFAULT_PAGE = 500
RESERVATION_NAMESPACE = uuid.UUID("5b1f1d3e-5c1a-4f55-9d43-2f5d7c1a9e01")


@dataclass(frozen=True)
class SyncResult:
    uploaded: int
    acked_seq: int
    changes_applied: int
    cursor: int
    clock_offset_ms: int | None

    @property
    def clock_skewed(self) -> bool:
        return self.clock_offset_ms is not None and abs(self.clock_offset_ms) > p.CLOCK_SKEW_LIMIT_MS


@dataclass
class _Upload:
    """Where an upload loop stands: the ack so far, the ack it started from, resends without progress."""

    acked: int
    start: int
    stalled: int = 0


class _NoRound(Exception):
    """The server has no ``POST /v1/sync`` (an older version): nothing of the request was done."""


def enroll(store: OutboxStore, server_url: str, code: str, *, transport: httpx.BaseTransport | None = None,
           device_name: str = "", app_version: str = "", clock: Callable[[], int] = wall_ms,
           card_key: Any = None) -> str:
    """Exchange a one-time enrollment code for a terminal identity. Returns the terminal id.

    A new terminal (empty ledger) gets a server-assigned id. A standalone terminal that already holds records
    joins with them (a takeover, docs/sync-protocol.md): it keeps its id, proves it holds ``card_key`` (its
    Ed25519 card-signing key, whose cards must keep working) by signing the enrollment challenge, and its records
    go up at the next upload. Refused locally (nothing sent) when the terminal is enrolled, or when a ledger
    with records was enrolled with a server before (``previously_enrolled``).
    """
    state = store.state()
    if state.mode == "enrolled":
        raise EnrollRefused("already_enrolled",
                            f"this terminal is already enrolled as {state.terminal_id} with {state.server_url}")
    path = store.credential_path()
    last_seq = store.local_max_seq() if store.has_local_records() else 0
    if last_seq:
        if card_key is None:
            raise EnrollRefused("ledger_not_empty",
                                "this terminal already holds records; enroll only a new terminal with an empty ledger "
                                "(this one stays standalone)")
        if store.holds_demo_data():
            raise EnrollRefused("demo_ledger", "this terminal holds demo data (init --demo): it cannot join a chain "
                                               "with it; start a new, empty data folder")
        elsewhere = store.joined_elsewhere()
        if elsewhere is None:
            try:
                held = credentials.load(path).terminal_id
            except NotEnrolled:
                held = None
            if held is not None and held != state.terminal_id:
                elsewhere = f"its credential file names terminal {held}"
        if elsewhere is not None:
            raise EnrollRefused("previously_enrolled",
                                f"this terminal holds records and was enrolled before ({elsewhere}): it cannot join "
                                "a chain with them", {"reason": elsewhere})
    try:
        request = p.EnrollRequest(code=code.strip(), credential_sha256="0" * 64,
                                  device_name=(device_name or socket.gethostname())[:100],
                                  app_version=app_version[:40])
    except ValueError as exc:
        raise EnrollRefused("bad_code", "an enrollment code is 4 to 64 characters") from exc
    credential = credentials.new_credential()
    update: dict[str, Any] = {"credential_sha256": credential.sha256}
    if last_seq:
        public_b64 = base64.b64encode(card_key.public_key().public_bytes_raw()).decode("ascii")
        challenge = p.takeover_challenge(request.code, credential.sha256, state.terminal_id, last_seq, public_b64)
        update["takeover"] = p.Takeover(terminal_id=state.terminal_id, last_seq=last_seq, public_key_b64=public_b64,
                                        signature_b64=base64.b64encode(card_key.sign(challenge)).decode("ascii"))
    request = request.model_copy(update=update)
    credentials.save(path, credential)  # before sending: the secret must survive a lost answer
    try:
        api = ServerApi(server_url, transport=transport, clock=clock, app_version=app_version)
    except (httpx.InvalidURL, ValueError) as exc:
        raise EnrollRefused("bad_server_url", f"{server_url!r} is not a server address") from exc
    try:
        response = api.enroll(request)
    finally:
        api.close()
    if last_seq and response.terminal_id != state.terminal_id:
        raise Refused("reenroll_mismatch", f"the server answered for terminal {response.terminal_id}")
    credentials.save(path, credentials.Credential(response.terminal_id, credential.secret,
                                                  response.credential_expires_at,
                                                  reported_version=app_version[:40] or None))
    extra: dict[str, Any] = {"takeover_seq": last_seq, "certificate": response.terminal_certificate} \
        if last_seq else {}
    store.adopt_enrollment(terminal_id=response.terminal_id, server_url=server_url.rstrip("/"),
                           snapshot=response.snapshot.model_dump(mode="json"), cursor=response.cursor,
                           now_ms=clock(), clock_offset_ms=api.clock_offset_ms or 0, **extra)
    return response.terminal_id


def reenroll(store: OutboxStore, code: str, *, server_url: str | None = None,
             transport: httpx.BaseTransport | None = None, device_name: str = "", app_version: str = "",
             clock: Callable[[], int] = wall_ms) -> str:
    """A new credential for this enrolled terminal (its credential expired or was lost) with a fresh one-time
    code, keeping its identity, ledger, ack and cursor. It proves it holds the terminal's ledger by the id and
    content hash of its record at ``acked_seq`` (docs/sync-protocol.md). The new secret is written down as the
    pending one before its hash is sent; a lost answer is settled at the next sync (:meth:`SyncClient.settle_renewal`).
    """
    state = store.state()
    if state.mode != "enrolled":
        raise EnrollRefused("not_enrolled", "this terminal was never enrolled: enroll it without --again")
    url = (server_url or state.server_url or "").rstrip("/")
    acked = state.acked_seq
    last_id = last_hash = None
    if acked > 0:
        held = store.records_after(acked - 1, 1)
        if not held or held[0]["seq"] != acked:
            raise EnrollRefused("ledger_incomplete", f"the ledger lacks its own record {acked}: restore it first")
        record = p.OutboxRecord.model_validate(held[0])
        last_id, last_hash = record.record_id, record.record_hash
    path = store.credential_path()
    try:
        old = credentials.load(path)
    except NotEnrolled:
        old = credentials.Credential(state.terminal_id, credentials.new_credential().secret)
    new = credentials.new_credential().secret
    try:
        request = p.EnrollRequest(code=code.strip(), credential_sha256=hashlib.sha256(new.encode()).hexdigest(),
                                  device_name=(device_name or socket.gethostname())[:100],
                                  app_version=app_version[:40], terminal_id=state.terminal_id, acked_seq=acked,
                                  last_record_id=last_id, last_record_hash=last_hash)
    except ValueError as exc:
        raise EnrollRefused("bad_code", "an enrollment code is 4 to 64 characters") from exc
    credentials.save(path, replace(old, terminal_id=state.terminal_id, next_secret=new))
    try:
        api = ServerApi(url, transport=transport, clock=clock, app_version=app_version)
    except (httpx.InvalidURL, ValueError) as exc:
        raise EnrollRefused("bad_server_url", f"{url!r} is not a server address") from exc
    try:
        response = api.enroll(request)
    except Refused:
        credentials.save(path, replace(old, terminal_id=state.terminal_id, next_secret=None))  # nothing changed
        raise
    finally:
        api.close()
    if response.terminal_id != state.terminal_id:
        raise Refused("reenroll_mismatch", f"the server answered for terminal {response.terminal_id}")
    credentials.save(path, credentials.Credential(state.terminal_id, new, response.credential_expires_at,
                                                  reported_version=app_version[:40] or None))
    return response.terminal_id


class SyncClient:
    """Upload/pull/reserve for one enrolled terminal. Not thread-safe: one caller at a time (the worker)."""

    def __init__(self, store: OutboxStore, *, transport: httpx.BaseTransport | None = None,
                 batch_size: int = DEFAULT_BATCH, page_limit: int = DEFAULT_PAGE,
                 timeout: httpx.Timeout | float | None = None, clock: Callable[[], int] = wall_ms,
                 ids: Callable[[], str] | None = None, server_url: str | None = None,
                 app_version: str = "", health: Callable[[], dict[str, Any]] | None = None) -> None:
        """``server_url``: the server's address as the branch configures it now (``[sync] server_url``); it
        overrides the address saved at enrollment (the server moved). The identity stays the same."""
        state = store.state()
        if state.mode != "enrolled" or not (server_url or state.server_url):
            raise NotEnrolled()
        credential = credentials.load(store.credential_path())
        if credential.terminal_id != state.terminal_id:
            raise NotEnrolled("the credential file belongs to another terminal: enroll again")
        self.store = store
        self.clock = clock
        self.credential = credential
        self.app_version = app_version[:40]
        self.health = health
        """The device part of the heartbeat (printer, camera, disk, backup, doctor); None: no heartbeat."""
        self.new_id: Callable[[], str] = ids or (lambda: str(uuid.uuid4()))  # batch ids (injected by the simulation)
        self.server_ack: int | None = None
        """This terminal's ack as the last ``/v1/changes`` answer gave it (None: a server without it)."""
        self.one_request = True
        """Sync rounds go as one ``POST /v1/sync``; False once the server answered it with 404/405 (an older
        server): the separate requests, for the life of this object (a restart asks again)."""
        self.batch_size = max(1, min(batch_size, p.MAX_BATCH_RECORDS))
        self.page_limit = max(1, min(page_limit, p.MAX_PAGE_LIMIT))
        kwargs: dict[str, Any] = {"timeout": timeout} if timeout is not None else {}
        self.server_url = (server_url or state.server_url or "").rstrip("/")
        self.api = ServerApi(self.server_url, authorization=credential.bearer, transport=transport, clock=clock,
                             app_version=self.app_version, **kwargs)

    def close(self) -> None:
        self.api.close()

    @property
    def clock_offset_ms(self) -> int | None:
        return self.api.clock_offset_ms

    @staticmethod
    def _store(fn: Any, *args: Any) -> Any:
        """Call the local store; its failures (disk full, damaged record) become a ``SyncError``."""
        try:
            return fn(*args)
        except SyncError:
            raise
        except Exception as exc:  # noqa: BLE001 - the store belongs to the app; report, keep the worker alive
            raise SyncError("local_store", f"the local ledger refused the sync: {getattr(exc, 'message', exc)}") \
                from exc

    # ------------------------------------------------------------------ upload
    def upload(self) -> int:
        """Send every queued record; returns how many were acknowledged by this call."""
        return self._upload(one_request=False)[0]

    def _upload(self, one_request: bool) -> tuple[int, int | None]:
        """Send every queued record; returns (how many were acknowledged by this call, how many changes the
        round's pull applied, or None when it did not pull). ``one_request``: the last batch of the round (or,
        with nothing queued, no batch) goes as one ``POST /v1/sync`` with the pull, the heartbeat and the flags
        request (:meth:`_round`); the batches before it by ``POST /v1/upload``. Each answer to an upload is
        handled by :meth:`_took`, whichever request carried it."""
        state = self.store.state()
        run = _Upload(acked=state.acked_seq, start=state.acked_seq)
        batch: BatchView | None = state.batch
        while True:
            if batch is not None:
                count = batch.last_seq - batch.first_seq + 1
                records = self.store.records_after(batch.first_seq - 1, count)
                if not records or records[0]["seq"] != batch.first_seq or records[-1]["seq"] != batch.last_seq:
                    raise SyncError("outbox_damaged", f"outbox records {batch.first_seq}..{batch.last_seq} "
                                                      "of the pending batch are missing")
            else:
                records = self.store.records_after(run.acked, self.batch_size)
                if not records:
                    if not one_request:
                        return run.acked - run.start, None
                    try:
                        applied = self._round(None, [], run)
                    except _NoRound:
                        self.one_request = False
                        return run.acked - run.start, None
                    assert applied is not None  # without a batch, nothing of an upload can call for more
                    return run.acked - run.start, applied
                batch = PendingBatch(self.new_id(), records[0]["seq"], records[-1]["seq"])
                self._store(self.store.begin_batch, batch)
            last = one_request and not self.store.records_after(batch.last_seq, 1)
            try:
                if last:
                    applied = self._round(batch, records, run)
                    if applied is not None:
                        return run.acked - run.start, applied
                else:
                    self._took(run, batch, self.api.upload(batch.batch_id, records))
            except _NoRound:
                self.one_request = one_request = False
                continue  # the same batch (the server never saw it) by /v1/upload
            except Refused as exc:
                if exc.code != "body_too_large" or len(records) == 1:
                    raise
                # The server never read this batch (the cap is checked before anything is stored): forget it
                # and send the same records in smaller batches (a new batch id for a new set of records).
                self._store(self.store.acknowledge, run.acked)
                self.batch_size = max(1, len(records) // 2)
            batch = None

    def _took(self, run: _Upload, batch: BatchView, response: p.UploadResponse) -> bool:
        """Take the server's answer to one upload batch (from ``/v1/upload`` or inside ``/v1/sync``): True when the
        batch is acknowledged as sent; False when the loop must go on from the new ack (records recovered from
        the server, or a resend from an ack below the batch)."""
        if response.ack_seq > batch.last_seq:
            # The server holds records of this terminal beyond what it has sent: the local ledger lost some
            # (restored from an old backup without 'pos-terminal restore'?). Get them back (checking the
            # ones held here against the server's), then carry on after them.
            self.recover()
            state = self.store.state()
            run.start += state.acked_seq - run.acked  # what came back is not "sent" by this call
            run.acked = state.acked_seq
            return False
        if response.quarantined:  # acknowledged, but moved no balance: the counter shows them to a manager
            self._store(self.store.record_quarantined, [q.model_dump() for q in response.quarantined])
        self._store(self.store.acknowledge, response.ack_seq)
        previous, run.acked, last = run.acked, response.ack_seq, batch.last_seq
        if run.acked < last:
            # The server holds less than we sent (e.g. it restored an older database): resend from its ack.
            run.stalled = run.stalled + 1 if run.acked <= previous else 0
            if run.stalled >= 2:
                raise Refused("not_acknowledged", f"the server keeps acknowledging only up to seq {run.acked}",
                              {"ack_seq": run.acked, "sent_up_to": last})
            return False
        return True

    def _round(self, batch: BatchView | None, records: list[dict[str, Any]], run: _Upload) -> int | None:
        """The round's one request (``POST /v1/sync``): ``batch`` (the round's last, or None), the pull of the first
        page, the heartbeat and the flags. Returns how many changes were applied (the first page and any further
        pages, by ``GET /v1/changes``), or None when the upload's answer calls for more uploading (then the pull
        of this answer is not applied: the next round request pulls again). Raises :class:`_NoRound` for a server
        without the endpoint. The pull lock is held across the request and the pages, as :meth:`pull` holds it."""
        lock = getattr(self.store, "pull_lock", None)
        with lock if lock is not None else contextlib.nullcontext():
            wanted, cursor = self._feed()
            waiting = self.store.local_max_seq() - (batch.last_seq if batch is not None else run.acked)
            beat = self._heartbeat(max(0, waiting), self.clock())
            try:
                answer = self.api.sync(batch.batch_id if batch is not None else None, records,
                                       {"cursor": cursor, "limit": self.page_limit, "scope": wanted}, beat, True)
            except SyncError as exc:
                if exc.status in (404, 405) and exc.code in ("http_error", "bad_response"):
                    log.info("the server has no /v1/sync (an older version): separate requests from now on")
                    raise _NoRound() from exc
                raise
            if batch is not None:
                if answer.upload is None:
                    raise Offline("bad_response", "the server's answer to the sync round lacks the upload's")
                if not self._took(run, batch, answer.upload):
                    return None
            if answer.changes is None:
                raise Offline("bad_response", "the server's answer to the sync round lacks the changes")
            if answer.flags is not None:
                self._keep_flags(answer.flags)
            return self._apply_pages(answer.changes, cursor, wanted)

    # ------------------------------------------------------------------ recovery after a restore
    def recover(self) -> int:
        """Get back this terminal's own records that the server applied beyond the local ledger (after a
        restore from an older backup); returns how many were added here.

        Pages of ``/v1/own-records`` from the local ack: records the ledger holds are checked against the server's
        (same id and content, else ``restore_diverged``); the others are stored as this terminal's own records
        with their original seq, id and hash, already acknowledged. The store clears its "restored" mark only
        after the last page, so a recovery cut short resumes at the next sync; until then the ledger records
        nothing new (a new record would take a seq the server already holds).
        """
        after = min(self.store.state().acked_seq, self.store.local_max_seq())
        added = 0
        while True:
            page = self.api.own_records(after, self.page_limit)
            seqs = [r.seq for r in page.records]
            if seqs != list(range(after + 1, after + 1 + len(seqs))) or any(
                    r.terminal_id != self.store.state().terminal_id for r in page.records) or (
                    page.has_more and not seqs):
                raise Offline("bad_response", f"the server's records of this terminal after seq {after} are not "
                                              "contiguous", {"after_seq": after, "seqs": seqs[:20]})
            if not all(r.record_hash == p.content_hash(r.model_dump(mode="json")[r.type]) for r in page.records):
                raise Offline("bad_response", "a record of this terminal came back from the server damaged")
            added += self._store(self.store.adopt_own_records, [r.model_dump(mode="json") for r in page.records],
                                 [mb.model_dump(mode="json") for mb in page.members], page.ack_seq,
                                 not page.has_more)
            if not page.has_more:
                return added
            after = seqs[-1]

    # ------------------------------------------------------------------ pull
    def pull(self) -> int:
        """Apply every change after the stored cursor; returns the number of changes applied. One pull at a time per
        store that offers a ``pull_lock`` (two clients on one ledger: the background sync and the counter's)."""
        lock = getattr(self.store, "pull_lock", None)
        with lock if lock is not None else contextlib.nullcontext():
            return self._pull()

    def _feed(self) -> tuple[str, int]:
        """The feed to pull and the cursor to pull it from (call with the pull lock held)."""
        wanted, built = self._store(self.store.feed_scope)
        if wanted != built:
            # Narrowing (chain -> branch) keeps the cursor: the terminal holds more than the branch feed sends.
            # Widening (branch -> chain) starts again from 0: the members of other branches were never pulled.
            self._store(self.store.set_feed_scope, wanted, wanted == "chain")
        return wanted, self.store.state().cursor

    def _pull(self) -> int:
        wanted, cursor = self._feed()
        return self._apply_pages(self.api.changes(cursor, self.page_limit, wanted), cursor, wanted)

    def _apply_pages(self, page: p.ChangesResponse, cursor: int, wanted: str) -> int:
        """Apply ``page`` (asked from ``cursor``) and the pages after it; returns the number of changes applied."""
        applied = 0
        while True:
            self.server_ack = page.ack_seq
            if page.next_cursor < cursor:
                raise Offline("bad_response", f"the server moved the cursor back ({cursor} -> {page.next_cursor})")
            self._store(self.store.apply_changes, [c.model_dump(mode="json") for c in page.changes],
                        page.next_cursor)
            applied += len(page.changes)
            cursor = page.next_cursor
            if not page.has_more:
                return applied
            page = self.api.changes(cursor, self.page_limit, wanted)

    # ------------------------------------------------------------------ one round
    def sync_once(self) -> SyncResult:
        """Upload, then pull; records the outcome in the store (success or error text). Raises on failure.

        A round is one ``POST /v1/sync`` when nothing is paged (see the module's docstring); against a server
        without it, the separate requests (upload batches, change pages, flags, heartbeat)."""
        try:
            if self.credential.next_secret:
                self.settle_renewal()
            if self.store.state().restore_pending:
                self.recover()
            uploaded, pulled = self._upload(one_request=self.one_request)
            applied = self.pull() if pulled is None else pulled
            if self.server_ack is not None and self.server_ack > self.store.local_max_seq():
                # The server holds records of this terminal that its ledger lacks and nothing was queued to
                # reveal it (a ledger copied back by hand): not a success until they are back.
                self.recover()
        except SyncError as exc:
            self.store.record_sync(ok=False, now_ms=self.clock(), error=str(exc), clock_offset_ms=self.clock_offset_ms)
            raise
        try:
            self.renew_if_due()
        except SyncError:
            pass  # renewal starts 30 days ahead: the next round tries again; the records are synced all the same
        self.store.record_sync(ok=True, now_ms=self.clock(), error=None, clock_offset_ms=self.clock_offset_ms)
        state = self.store.state()
        if pulled is None:  # the separate requests: flags and heartbeat after the round (else they were in it)
            self.pull_branch_flags()
            self.send_heartbeat()
        return SyncResult(uploaded=uploaded, acked_seq=state.acked_seq, changes_applied=applied,
                          cursor=state.cursor, clock_offset_ms=self.clock_offset_ms)

    def pull_branch_flags(self) -> bool:
        """Fetch the open flags of this terminal's branch for the store manager (``GET /v1/flags``) and keep
        them. Like the heartbeat it never fails a round whose records are synced: a server without the endpoint
        (HTTP 404) or a failure is logged, and the flags kept from the last round stay shown."""
        try:
            answer = self.api.branch_flags()
        except SyncError as exc:
            if exc.status == 404:
                log.info("the server offers no branch flags (an older version)")
            else:
                log.warning("branch flags not fetched: %s", exc)
            return False
        return self._keep_flags(answer)

    def _keep_flags(self, answer: p.BranchFlagsResponse) -> bool:
        try:
            self._store(self.store.replace_branch_flags, [f.model_dump(mode="json") for f in answer.flags],
                        answer.truncated, self.clock())
        except SyncError as exc:
            log.warning("branch flags not kept: %s", exc)
            return False
        return True

    def send_heartbeat(self) -> bool:
        """Tell head office how this terminal is (docs/sync-protocol.md, "Heartbeat"). Never fails a sync: a
        device probe that breaks or a server that refuses it is logged and the round stands."""
        try:
            state = self.store.state()
            beat = self._heartbeat(max(0, self.store.local_max_seq() - state.acked_seq), state.last_sync_ok_ms)
            if beat is None:
                return False
            self.api.heartbeat(beat)
            return True
        except Exception:  # noqa: BLE001 - health reporting must never cost the counter a sync
            log.warning("heartbeat not sent", exc_info=True)
            return False

    def _heartbeat(self, records_waiting: int, last_sync_ok_ms: int | None) -> p.Heartbeat | None:
        """The heartbeat to send, or None (no health probe configured, or the probe failed: logged)."""
        if self.health is None:
            return None
        try:
            return p.Heartbeat(
                app_version=self.app_version, records_waiting=records_waiting,
                last_sync_ok=records.ms_to_iso(last_sync_ok_ms) if last_sync_ok_ms else None,
                clock_offset_ms=self.clock_offset_ms, **self.health())
        except Exception:  # noqa: BLE001 - health reporting must never cost the counter a sync
            log.warning("heartbeat not made", exc_info=True)
            return None

    # ------------------------------------------------------------------ credential renewal
    def _save_credential(self, credential: credentials.Credential) -> None:
        self._store(credentials.save, self.store.credential_path(), credential)
        self.credential = credential
        self.api.authorization = credential.bearer

    def renew_if_due(self) -> bool:
        """Renew the credential over the authenticated channel once fewer than ``RENEW_BEFORE_DAYS`` are left
        (measured on the server's clock); returns True when it was renewed.

        Asks ``GET /v1/status`` only when something is to learn or to tell: the expiry is unknown, this app's
        version is not the one last reported (the server records it from the ``X-App-Version`` header), or the
        expiry is near by this terminal's clock. The new secret is written down (as ``next_secret``) before its
        hash is sent: an answer lost in transit is settled by :meth:`settle_renewal` at the next sync.
        """
        cred = self.credential
        margin_ms = p.RENEW_BEFORE_DAYS * 86_400_000
        known = cred.expires_at is not None
        if known and (not self.app_version or cred.reported_version == self.app_version) \
                and utc_ms(cred.expires_at or "") - self.clock() > margin_ms + 86_400_000:
            return False
        status = self.api.status()
        left_ms = utc_ms(status.credential_expires_at) - utc_ms(status.server_time)
        if left_ms > margin_ms:
            if cred.expires_at != status.credential_expires_at or cred.reported_version != (self.app_version or None):
                self._save_credential(replace(cred, expires_at=status.credential_expires_at,
                                              reported_version=self.app_version or None))
            return False
        pending = replace(cred, expires_at=status.credential_expires_at, next_secret=credentials.new_credential().secret)
        self._save_credential(pending)
        assert pending.next_sha256 is not None
        response = self.api.rotate_credential(pending.next_sha256)
        self._save_credential(credentials.Credential(cred.terminal_id, pending.next_secret or "",
                                                     response.credential_expires_at,
                                                     reported_version=self.app_version or None))
        return True

    def settle_renewal(self) -> None:
        """A renewal whose answer never came: keep whichever secret the server holds (the old one still works:
        the server never took the new one; else the new one must)."""
        cred = self.credential
        try:
            self.api.status()
        except Refused as exc:
            if exc.code != "bad_credential" or not cred.next_secret:
                raise
            self.api.authorization = f"Bearer {cred.terminal_id}.{cred.next_secret}"
            status = self.api.status()
            self._save_credential(credentials.Credential(cred.terminal_id, cred.next_secret,
                                                         status.credential_expires_at))
            return
        self._save_credential(replace(cred, next_secret=None))

    # ------------------------------------------------------------------ online redemption
    def follow_member(self, *, member_id: str | None = None, phone: str | None = None,
                      card_no: str | None = None, timeout: float | None = None) -> p.MemberState:
        """Link a member of another branch to this terminal's branch (``POST /v1/members/follow``): the next pull
        of the branch feed brings the member and their whole history. Raises ``Refused`` with ``unknown_member``
        when the server does not know them, ``Offline`` when it cannot be reached (within ``timeout`` s)."""
        return self.api.follow(member_id=member_id, phone=phone, card_no=card_no, timeout=timeout)

    def reserve(self, member_id: str, points: int, reward_code: str | None = None, *,
                reservation_id: str | None = None, ttl_seconds: int = 120, for_voucher: bool = False) -> str:
        """Hold ``points`` of the member on the server; returns the reservation id (``for_voucher``: the points
        buy a voucher, ``POST /v1/vouchers/issue`` follows).

        Raises :class:`Offline` when the server cannot be reached, :class:`Refused` (``insufficient_points``,
        ``unknown_member``, ...) when it says no.
        """
        rid = reservation_id or self.new_id()
        try:
            req = p.ReservationRequest(reservation_id=rid, member_id=member_id, points=points,
                                       reward_code=reward_code, ttl_seconds=ttl_seconds, for_voucher=for_voucher)
        except ValueError as exc:
            raise Refused("bad_reservation", f"cannot reserve {points} points for {member_id}") from exc
        response = self.api.reserve(req)
        if response.status != "held":
            raise Refused("reservation_" + response.status, f"the reservation is {response.status}")
        return response.reservation_id

    def void(self, reservation_id: str) -> None:
        self.api.void(reservation_id)

    # ------------------------------------------------------------------ vouchers (the server arbitrates single use)
    def voucher_reserve(self, operation_id: str, code: str, bill_satang: int | None, member_id: str | None,
                        ttl_seconds: int = 120) -> p.VoucherState:
        """Hold a voucher for this operation. Raises :class:`Offline` or :class:`Refused` (``voucher_*``)."""
        try:
            req = p.VoucherReserveRequest(operation_id=operation_id, code=code, bill_satang=bill_satang,
                                          member_id=member_id, ttl_seconds=ttl_seconds)
        except ValueError as exc:
            raise Refused("voucher_malformed", "the voucher request is not valid") from exc
        return self.api.voucher_reserve(req)

    def voucher_commit(self, req: p.VoucherCommitRequest) -> p.VoucherState:
        return self.api.voucher_commit(req)

    def voucher_commit_batch(self, uses: list[p.VoucherCommitRequest]) -> p.VoucherCommitBatchResponse:
        return self.api.voucher_commit_batch(p.VoucherCommitBatch(uses=uses))

    def voucher_release(self, operation_id: str) -> None:
        self.api.voucher_release(operation_id)

    def voucher_issue(self, member_id: str, reward_code: str, reservation_id: str) -> p.VoucherIssued:
        """The voucher a member bought with the points held by ``reservation_id`` (a retry: the same voucher)."""
        return self.api.voucher_issue(p.VoucherIssueRequest(member_id=member_id, reward_code=reward_code,
                                                            reservation_id=reservation_id))
