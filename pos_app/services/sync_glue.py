"""Glue between the counter's use cases and sync: the sync client/worker factories, the adapter that lets the
redeem use case reserve points on the server through its port (``services.redeem.ServerReservations``) over a
``SyncClient``, and translated texts for sync error codes.

The offline allowance is the redeem use case's own (``RedeemUseCases._check_offline_allowance``); it is no
longer installed from here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pos_app.core.i18n import N_, _
from pos_app.ledger.sync_store import LedgerSyncStore

if TYPE_CHECKING:
    from pos_app.services.terminal import Services


def install(services: Services) -> None:
    """Kept for callers written before the offline allowance moved into the redeem use case: does nothing."""


def counter_identity(services: Services) -> tuple[bool, str]:
    """Whether this terminal is enrolled with a loyalty server, and its branch's name ("" when standalone or
    not known yet): what the counter window shows and whether it starts syncing."""
    def run() -> tuple[bool, str]:
        with services.ledger.read() as conn:
            enrolled = services.ledger.get_meta(conn, "mode") == "enrolled"
            return enrolled, services.ledger.get_meta(conn, "branch_name") or ""

    identity: tuple[bool, str] = services._call(run)
    return identity


def offline_remaining(services: Services, member_id: str) -> int:
    """Points the member could still redeem offline on this terminal now (``services.offline_remaining``)."""
    return services.offline_remaining(member_id)


def store_for(services: Services) -> LedgerSyncStore:
    return LedgerSyncStore(services.ledger)


def make_client(services: Services, **kwargs: Any) -> Any:
    """A ``sync.client.SyncClient`` on this terminal's ledger (raises ``NotEnrolled`` when standalone)."""
    from pos_app.core.version import app_version
    from sync.client import SyncClient

    url = configured_server_url(services.data_dir)
    if url and "server_url" not in kwargs:
        kwargs["server_url"] = url
    kwargs.setdefault("app_version", app_version())  # head office sees which version each terminal runs
    if "health" not in kwargs:
        from pos_app.services.health import device_health

        data_dir = services.data_dir
        kwargs["health"] = lambda: device_health(data_dir)  # the heartbeat after each round
    return SyncClient(store_for(services), clock=services.clock, **kwargs)


def configured_server_url(data_dir: Any) -> str | None:
    """``[sync] server_url`` of the branch's ``terminal.toml`` (None: use the address saved at enrollment; a
    broken file is reported by ``doctor`` and the window, not here)."""
    from pos_app.config import ConfigError, load_config

    try:
        return load_config(data_dir).sync.server_url
    except ConfigError:
        return None


class _WithVoucherUploads:
    """A sync client whose round also sends the voucher uses the server has not acknowledged."""

    def __init__(self, client: Any, services: Services) -> None:
        self._client = client
        self._services = services

    def sync_once(self) -> Any:
        result = self._client.sync_once()
        upload_voucher_uses(self._services, self._client)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


class _PullReporting:
    """A sync client that also says, after a round that applied changes from the server, how many it applied
    (the counter's views refresh from that notification; the client itself stays transport)."""

    def __init__(self, client: Any, on_pulled: Callable[[int], None]) -> None:
        self._client = client
        self._on_pulled = on_pulled

    def sync_once(self) -> Any:
        result = self._client.sync_once()
        if result.changes_applied:
            self._on_pulled(int(result.changes_applied))
        return result

    def __getattr__(self, name: str) -> Any:  # clock_offset_ms, close, ...
        return getattr(self._client, name)


def make_worker(services: Services, interval: float = 30.0, client_kwargs: dict[str, Any] | None = None,
                on_pulled: Callable[[int], None] | None = None, **kwargs: Any) -> Any:
    """A background ``sync.client.SyncWorker`` for the counter app (start it; read ``.status``; call
    ``trigger()`` after a sale; ``stop()`` on exit). ``client_kwargs`` go to ``SyncClient`` (e.g. transport).
    ``on_pulled(count)`` is called on the sync thread after a round that applied ``count`` changes from the
    server (balances, members, rewards, rules), before the round's status is reported."""
    from sync.client import SyncWorker

    store = store_for(services)

    def client() -> Any:
        made = make_client(services, **(client_kwargs or {}))
        from pos_app.services.member_cards import ensure_certificate

        try:  # a terminal enrolled before its key was certified gets it here (cards right away from then on)
            ensure_certificate(services, made)
        except Exception:  # noqa: BLE001 - a card key is never a reason to stop syncing; retried next client
            pass
        made = _WithVoucherUploads(made, services)
        return _PullReporting(made, on_pulled) if on_pulled is not None else made

    return SyncWorker(client, interval=interval, queued=store.queued_count, **kwargs)


class ClientReservations:
    """The redeem use case's "reserve on the server" port over a ``sync.client.SyncClient``: the client's
    ``Offline`` and ``Refused`` become the port's ``ServerOffline`` and ``ServerRefused`` (with a translated
    line); a release that fails is left to the hold's own timeout."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def reserve(self, member_id: str, points: int, reward_code: str | None, *, reservation_id: str,
                for_voucher: bool = False) -> str:
        from pos_app.services.redeem import ServerOffline, ServerRefused
        from sync.client import Offline, Refused

        try:
            return str(self._client.reserve(member_id, points, reward_code, reservation_id=reservation_id,
                                            for_voucher=for_voucher))
        except Offline as exc:
            raise ServerOffline(str(exc)) from exc
        except Refused as exc:
            raise ServerRefused(exc.code, describe(exc.code, exc.message, exc.details)) from exc

    def release(self, reservation_id: str) -> None:
        from sync.client import SyncError

        try:
            self._client.void(reservation_id)
        except SyncError:
            pass  # the hold expires on its own


class ClientVouchers:
    """The voucher use case's server port (``services.vouchers.ServerVouchers``) over a ``SyncClient``."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def _call(self, fn: Callable[[], Any]) -> Any:
        from pos_app.services.redeem import ServerOffline, ServerRefused
        from sync.client import Offline, Refused

        try:
            return fn()
        except Offline as exc:
            raise ServerOffline(str(exc)) from exc
        except Refused as exc:
            raise ServerRefused(exc.code, describe(exc.code, exc.message, exc.details)) from exc

    def reserve(self, *, operation_id: str, code: str, bill_satang: int | None, member_id: str | None) -> None:
        self._call(lambda: self._client.voucher_reserve(operation_id, code, bill_satang, member_id))

    @staticmethod
    def _request(*, operation_id: str, code: str, value_satang: int, sale_at_ms: int, receipt_ref: str,
                 operator_id: str, member_id: str | None, offline: bool) -> Any:
        from sync import protocol as p
        from sync.records import ms_to_iso

        return p.VoucherCommitRequest(operation_id=operation_id, code=code, value_satang=value_satang,
                                      sale_at=ms_to_iso(sale_at_ms), receipt_ref=receipt_ref,
                                      operator_id=operator_id[:64], member_id=member_id, offline=offline)

    def commit(self, *, operation_id: str, code: str, value_satang: int, sale_at_ms: int, receipt_ref: str,
               operator_id: str, member_id: str | None, offline: bool) -> bool:
        req = self._request(operation_id=operation_id, code=code, value_satang=value_satang, sale_at_ms=sale_at_ms,
                            receipt_ref=receipt_ref, operator_id=operator_id, member_id=member_id, offline=offline)
        return bool(self._call(lambda: self._client.voucher_commit(req)).conflict)

    def commit_batch(self, uses: list[dict[str, Any]]) -> list[bool | Exception] | None:
        """Several uses in one request (``/v1/vouchers/commit-batch``): per use, whether it was a conflict, or the
        ``ServerRefused`` of a refused one. None from a server that has no batch (older): send them one by one."""
        from pos_app.services.redeem import ServerRefused
        from sync.client import Refused

        requests = [self._request(**use) for use in uses]
        try:
            answer = self._call(lambda: self._client.voucher_commit_batch(requests))
        except ServerRefused as exc:
            cause = exc.__cause__
            if isinstance(cause, Refused) and cause.status in (404, 405):
                return None
            raise
        out: list[bool | Exception] = []
        for item in answer.results:
            if item.error is not None:
                out.append(ServerRefused(item.error.code, describe(item.error.code, item.error.message,
                                                                   item.error.details)))
            else:
                out.append(bool(item.state is not None and item.state.conflict))
        return out

    def issue(self, *, member_id: str, reward_code: str, reservation_id: str) -> tuple[str, str]:
        issued = self._call(lambda: self._client.voucher_issue(member_id, reward_code, reservation_id))
        return str(issued.voucher_id), str(issued.code)

    def release(self, operation_id: str) -> None:
        from pos_app.services.redeem import ServerOffline, ServerRefused

        try:
            self._call(lambda: self._client.voucher_release(operation_id))
        except (ServerOffline, ServerRefused):
            pass  # the hold lapses on its own


def redeem_voucher(services: Services, client: Any, code: str, **kwargs: Any) -> Any:
    """Online-first voucher use (``services.redeem_voucher_online``) with ``client`` (None: standalone)."""
    return services.redeem_voucher_online(ClientVouchers(client) if client is not None else None, code, **kwargs)


def buy_voucher(services: Services, client: Any, **kwargs: Any) -> Any:
    """A member's points for a voucher (``services.buy_voucher``): online only; ``client`` None is refused."""
    from pos_app.services.errors import NotAllowed

    if client is None:
        raise NotAllowed(_("A voucher can only be bought with points on a terminal connected to a loyalty "
                           "server."), code="voucher.needs_server")
    return services.buy_voucher(ClientReservations(client), ClientVouchers(client), **kwargs)


def award_with_voucher(services: Services, client: Any, code: str, **kwargs: Any) -> Any:
    """A sale awarded with a voucher used on it (``services.award_with_voucher``), online first with ``client``
    (None: standalone)."""
    return services.award_with_voucher(ClientVouchers(client) if client is not None else None, code, **kwargs)


def abandon_voucher_buy(services: Services, client: Any, **kwargs: Any) -> bool:
    """Let go of a failed voucher purchase (``services.abandon_voucher_buy``): True if nothing was spent (its
    points hold, if any, released on the server); False if the points are spent and the voucher is still owed."""
    if client is None:
        return True  # standalone: a purchase never got as far as a hold
    return bool(services.abandon_voucher_buy(ClientReservations(client), **kwargs))


def upload_voucher_uses(services: Services, client: Any) -> tuple[int, int]:
    """After a sync round: send the voucher uses the server has not acknowledged (never fails the round: an
    unsent use waits for the next one)."""
    try:
        result: tuple[int, int] = services.upload_voucher_uses(ClientVouchers(client))
        return result
    except Exception:  # noqa: BLE001 - a refused or failed voucher upload is retried next round
        import logging

        logging.getLogger(__name__).warning("voucher uses not uploaded", exc_info=True)
        return 0, 0


FOLLOW_TIMEOUT_S = 3.0
"""How long the counter waits for the server when a scanned member is not on this terminal (a member of another
branch): then the cashier sees the usual message, and the sale can go on."""


def identify(services: Services, client: Any, text: str, timeout: float = FOLLOW_TIMEOUT_S) -> Any:
    """Identify at the counter (``services.identify``); when the scan, card number or phone names no member here
    and the terminal is enrolled (``client``), ask the server to link the member to this branch (a member of
    another branch, docs/sync-protocol.md "Following a roaming member"), pull once, and identify again. Offline,
    or unknown to the server too: the usual message (for a genuine member card under the branch feed, one that
    says the member belongs to another branch). Runs on the service worker, never on the UI thread. ``client``
    may be a function that makes the client: it is called only when the member is not found here."""
    from pos_app.services.errors import NotFound

    try:
        return services.identify(text)
    except NotFound as missing:
        if callable(client):  # made only now: a member found here never waits for (or trips on) the sync client
            try:
                client = client()
            except Exception:  # a damaged credential, say: the sync status line reports it; this scan stays local
                import logging

                logging.getLogger(__name__).warning("no sync client to follow a member", exc_info=True)
                raise missing from None
        # Only under the branch feed: under the chain's feed this counter already holds every member the server
        # had at its last sync, so asking would only make a mistyped phone wait for the server.
        key = services.lookup_key(text) if client is not None and _branch_feed(services) else None
        if key is None:
            raise
        from sync.client import Offline, Refused, SyncError

        try:
            client.follow_member(timeout=timeout, **key)
        except Refused:  # unknown_member (or a phone the server cannot read): what the terminal said stands
            raise missing from None
        except Offline as exc:
            if "member_id" in key and _branch_feed(services):
                raise NotFound(_("This member belongs to another branch and the loyalty server cannot be reached "
                                 "({reason}): scan the card again when the counter is back online.").format(reason=describe(exc.code, str(exc)))) from None
            raise missing from None
        try:
            client.pull()
        except SyncError:
            raise missing from None
        return services.identify(text)


def _branch_feed(services: Services) -> bool:
    return store_for(services).feed_scope()[0] == "branch"


def redeem(services: Services, client: Any, **kwargs: Any) -> Any:
    """Online-first redemption (``services.redeem_online``) with ``client`` (None: standalone) as the port."""
    return services.redeem_online(ClientReservations(client) if client is not None else None, **kwargs)


_MESSAGES = {
    "insufficient_points": N_("The member does not have enough points (available on the server: {available})."),
    "out_of_stock": N_("The loyalty server says this reward is out of stock ({stock} in stock, {held} on hold for "
                       "redemptions in progress)."),
    "unknown_member": N_("The server does not know this member yet."),
    "terminal_revoked": N_("This terminal was revoked by the head office: call IT to enroll it again."),
    "credential_expired": N_("This terminal's credential has expired: enroll it again with a new code from the "
                             "head office (pos-terminal enroll --again --code CODE); the ledger is kept."),
    "unknown_terminal": N_("The server does not know this terminal: call IT to enroll it again."),
    "bad_credential": N_("The server refused this terminal's credential: call IT."),
    "not_enrolled": N_("This terminal is not connected to a loyalty server (standalone)."),
    "already_enrolled": N_("This terminal is already enrolled (an expired credential: enroll --again)."),
    "reenroll_unknown_terminal": N_("The server has no such terminal in the branch of that code: ask the head "
                                    "office for a code of this terminal's branch."),
    "reenroll_not_proven": N_("The server's records of this terminal do not match this ledger: call IT (a "
                              "ledger restored from an old backup? run 'pos-terminal doctor')."),
    "ledger_incomplete": N_("This ledger lacks some of its own records: restore the latest backup, then "
                            "enroll again."),
    "ledger_not_empty": N_("This terminal already has records: only a new, empty terminal can be enrolled. "
                           "This one stays standalone."),
    "previously_enrolled": N_("This terminal has records and was enrolled with a loyalty server before ({reason}): "
                              "it cannot join a chain with them. It stays standalone; call IT (a data folder copied "
                              "from another terminal?)."),
    "demo_ledger": N_("This terminal holds demo data (pos-terminal init --demo): it cannot join a chain with it. "
                      "Start a new, empty data folder for the shop."),
    "takeover_not_proven": N_("The server could not check this terminal's card-signing key: call IT (the key "
                              "file in the data folder may have been replaced)."),
    "takeover_conflict": N_("The server already has a terminal with this id and another key or branch: call IT."),
    "key_exists": N_("The server already has this terminal's card-signing key for another terminal: call IT."),
    "reenroll_mismatch": N_("The server answered for another terminal: call IT."),
    "invalid_enrollment_code": N_("That enrollment code is not valid: check it and type it again."),
    "enrollment_code_used": N_("That enrollment code was already used: ask for a new one."),
    "enrollment_code_expired": N_("That enrollment code has expired: ask for a new one."),
    "unreachable": N_("Cannot reach the loyalty server: working offline, records are kept and sent later."),
    "timeout": N_("The loyalty server did not answer in time: working offline, records are kept and sent later."),
    "server_error": N_("The loyalty server has a problem: working offline, records are kept and sent later."),
    "bad_response": N_("The loyalty server gave an answer we cannot read: records are kept and sent later."),
    "content_conflict": N_("The server holds different content for some of this terminal's records: call IT."),
    "voucher_already_used": N_("This voucher has already been used."),
    "voucher_reserved": N_("This voucher is being used at another counter right now. Do not accept it twice."),
    "voucher_void": N_("This voucher was cancelled by the head office. Do not accept it."),
    "unknown_voucher": N_("The loyalty server does not know this voucher. Do not accept it."),
    "voucher_expired": N_("The loyalty server says this voucher has expired."),
    "voucher_other_branch": N_("The loyalty server says this voucher is not valid at this branch."),
    "voucher_other_member": N_("The loyalty server says this voucher belongs to another member."),
    "voucher_below_minimum": N_("The loyalty server says the bill is below this voucher's minimum spend."),
    "not_a_voucher_reward": N_("This reward is not a voucher: redeem it as usual."),
    "reservation_mismatch": N_("The server holds no points of this member for this voucher: try again."),
    "voucher_forged": N_("This voucher is not genuine (its signature does not match). Do not accept it."),
    "unsupported_protocol": N_("The loyalty server speaks another protocol version: update this terminal."),
}


_MESSAGES["server_ahead"] = _MESSAGES["content_conflict"]


def describe(code: str | None, message: str = "", details: dict[str, Any] | None = None) -> str:
    """A translated line for a sync error code (falls back to the English message, e.g. ``local_store`` whose
    message already carries the ledger's translated reason)."""
    template = _MESSAGES.get(code or "")
    if template is None:
        return message or _("Sync failed.")
    try:
        return _(template).format(**(details or {}))
    except (KeyError, IndexError):
        return _(template).split(" (")[0]
