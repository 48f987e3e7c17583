"""``pos-terminal enroll`` and ``pos-terminal sync [--once] | sync status``: the terminal's side of the central
server, for IT at installation and for scripts. Errors are one translated line (``sync_glue.describe``)."""

from __future__ import annotations

import logging
import random
import threading
from datetime import UTC, datetime
from typing import Any

import click

from pos_app.cli import EXIT_FAILED, CliContext, CliError
from pos_app.core.i18n import _
from pos_app.services.member_cards import ensure_certificate

pass_ctx = click.make_pass_decorator(CliContext)
log = logging.getLogger(__name__)


def make_client(services: Any) -> Any:
    from pos_app.services.sync_glue import make_client as make

    return make(services)


def _services(ctx: CliContext) -> Any:
    from pos_app.services.errors import ServiceError
    from pos_app.services.sync_glue import install

    try:
        services = ctx.services()
    except ServiceError as exc:
        raise CliError(exc.message, EXIT_FAILED) from exc
    install(services)
    return services


def _fail(exc: Any) -> CliError:
    from pos_app.services.sync_glue import describe
    from sync.client import EnrollRefused, NotEnrolled, Refused

    text = describe(exc.code, exc.message, exc.details)
    bad_input = isinstance(exc, EnrollRefused | NotEnrolled) or (
        isinstance(exc, Refused) and exc.code.startswith(("invalid_enrollment", "enrollment_code")))
    return CliError(text, 2 if bad_input else EXIT_FAILED)


def _usable_url(text: str) -> bool:
    import httpx

    try:
        return bool(httpx.URL(text).host)
    except (httpx.InvalidURL, ValueError, TypeError):
        return False


def _when(ms: int | None) -> str:
    if not ms:
        return _("never")
    return datetime.fromtimestamp(ms / 1000, UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _status_data(services: Any) -> dict[str, Any]:
    from pos_app.services.sync_glue import configured_server_url, store_for
    from sync.protocol import CLOCK_SKEW_LIMIT_MS

    store = store_for(services)
    state = store.state()
    return {
        "terminal_id": state.terminal_id, "mode": state.mode,
        "server_url": configured_server_url(services.data_dir) or state.server_url,
        "branch_id": state.branch_id, "queued": store.queued_count(), "acked_seq": state.acked_seq,
        "cursor": state.cursor, "last_sync_ok_ms": state.last_sync_ok_ms, "last_sync_error": state.last_sync_error,
        "clock_offset_ms": state.clock_offset_ms,
        "clock_skewed": abs(state.clock_offset_ms) > CLOCK_SKEW_LIMIT_MS,
        "quarantined": store.quarantined(),
    }


def _status_text(data: dict[str, Any]) -> str:
    if data["mode"] != "enrolled":
        return _("Terminal {id} is standalone (not enrolled with a loyalty server).").format(id=data["terminal_id"])
    lines = [
        _("Terminal {id}, branch {branch}, server {url}").format(id=data["terminal_id"], branch=data["branch_id"],
                                                                 url=data["server_url"]),
        _("Waiting to be sent: {n} records").format(n=data["queued"]),
        _("Last successful sync: {when}").format(when=_when(data["last_sync_ok_ms"])),
    ]
    if data["last_sync_error"]:
        lines.append(_("Last error: {error}").format(error=data["last_sync_error"]))
    if data["quarantined"]:
        last = data["quarantined"][-1]
        lines.append(_("Refused by the server (not applied to any balance; ask a manager): {n} records, the last "
                       "seq {seq}: {reason}").format(n=len(data["quarantined"]), seq=last["seq"],
                                                     reason=last["reason"]))
    if data["clock_skewed"]:
        lines.append(_("Warning: this terminal's clock differs from the server's by {minutes} minutes: "
                       "fix the clock (entries are flagged).").format(minutes=abs(data["clock_offset_ms"]) // 60_000))
    return "\n".join(lines)


@click.command()
@click.option("--server", "server_url", default=None,
              help="URL of the loyalty server, e.g. https://loyalty.example (default: [sync] server_url of "
                   "terminal.toml).")
@click.option("--code", required=True, help="One-time enrollment code from the head office.")
@click.option("--again", is_flag=True,
              help="Re-enroll this enrolled terminal (its credential expired or was lost) with a new code, keeping "
                   "its ledger and terminal id.")
@pass_ctx
def enroll(ctx: CliContext, server_url: str | None, code: str, again: bool) -> None:
    """Enroll this terminal with the central loyalty server. A standalone terminal that already has members
    joins with them: it keeps its id, ledger and printed cards, and the server takes its members over."""
    from sync.client import SyncError
    from sync.client import enroll as do_enroll

    if again:
        _reenroll(ctx, server_url, code)
        return
    server_url = server_url or ctx.config().sync.server_url
    if not server_url:
        raise CliError(_("Give the server's address with --server URL, or set [sync] server_url in "
                         "terminal.toml."))
    if not server_url.startswith(("http://", "https://")) or not _usable_url(server_url):
        raise CliError(_("The server address must start with http:// or https:// followed by a host name, "
                         "e.g. https://loyalty.example or http://192.168.1.10:8765."))
    services = _services(ctx)
    from pos_app.services.sync_glue import store_for

    store = store_for(services)
    try:
        from pos_app.core.version import app_version
        from pos_app.services.member_cards import terminal_key

        takeover = store.has_local_records()  # a standalone terminal joins with its members and entries
        terminal_id = do_enroll(store, server_url, code, clock=services.clock, app_version=app_version(),
                                card_key=terminal_key(services.data_dir) if takeover else None)
    except SyncError as exc:
        raise _fail(exc) from exc
    pulled = uploaded = 0
    try:
        client = make_client(services)
        try:
            result = client.sync_once()
            pulled, uploaded = result.changes_applied, result.uploaded
            ensure_certificate(services, client)  # from now on new members get a card right away, offline
        finally:
            client.close()
    except SyncError as exc:  # enrolled; the first upload and pull will be retried by 'sync'
        click.echo(_("Enrolled, but the first sync failed: {error}").format(error=_fail(exc).message), err=True)
    data = {"ok": True, "terminal_id": terminal_id, "changes_applied": pulled, "uploaded": uploaded,
            "takeover": takeover, **_status_data(services)}
    text = _("Enrolled as terminal {id} in branch {branch}.").format(id=terminal_id, branch=data["branch_id"])
    if takeover:
        text = _("Joined the chain as terminal {id} in branch {branch}, keeping this terminal's members, points "
                 "and printed cards: {sent} records sent to the server, {queued} still to send (sync sends "
                 "them).").format(id=terminal_id, branch=data["branch_id"], sent=uploaded, queued=data["queued"])
    ctx.emit(data, text)


def _reenroll(ctx: CliContext, server_url: str | None, code: str) -> None:
    from pos_app.core.version import app_version
    from pos_app.services.sync_glue import configured_server_url, store_for
    from sync.client import SyncError, reenroll

    services = _services(ctx)
    store = store_for(services)
    url = server_url or configured_server_url(ctx.data_dir)
    if url and (not url.startswith(("http://", "https://")) or not _usable_url(url)):
        raise CliError(_("The server address must start with http:// or https:// followed by a host name, "
                         "e.g. https://loyalty.example or http://192.168.1.10:8765."))
    try:
        terminal_id = reenroll(store, code, server_url=url, clock=services.clock, app_version=app_version())
    except SyncError as exc:
        raise _fail(exc) from exc
    data = {"ok": True, "terminal_id": terminal_id, **_status_data(services)}
    ctx.emit(data, _("Enrolled again as terminal {id}: a new credential; the ledger and the records waiting to be "
                     "sent are kept.").format(id=terminal_id))


def _check_update(services: Any, client: Any, config: Any) -> dict[str, Any] | None:
    """The update channel's check after a successful sync round: one line on stderr when what it found changed
    (a new version ready, a refusal), never an exception: the terminal keeps syncing whatever the server offers."""
    from pos_app import updates
    from pos_app.cli.update_cmds import SYNC_ROUND_BYTES, _check_text, check_for_update

    before = updates.read_json(updates.updates_dir(services.data_dir) / updates.STATE_FILE) or {}
    try:
        state = check_for_update(services, client, config, SYNC_ROUND_BYTES)
    except Exception as exc:  # noqa: BLE001 - a damaged download folder must not stop the sync service
        log.warning("update check failed: %s", exc)
        return None
    if (state.get("status"), state.get("message")) != (before.get("status"), before.get("message")) \
            and state.get("status") in ("ready", "refused", "no_key"):
        click.echo(_check_text(state), err=True)
        log.info("update check: %s", state.get("message"))
    return state


@click.group(invoke_without_command=True)
@click.option("--once", is_flag=True, help="Sync once and exit (default: keep syncing until Ctrl-C).")
@click.option("--interval", default=None, type=click.FloatRange(1, 3600),
              help="Seconds between syncs (default: [sync] interval_seconds of terminal.toml, 30).")
@click.pass_context
def sync(click_ctx: click.Context, once: bool, interval: float | None) -> None:
    """Send this terminal's records to the loyalty server and fetch changes (the sync service runs this)."""
    if click_ctx.invoked_subcommand is not None:
        return
    from sync.client import SyncError
    from sync.client.worker import backoff_delay

    ctx: CliContext = click_ctx.obj
    config = ctx.config()  # a broken terminal.toml stops the service here, named, instead of being half used
    if interval is None:
        interval = float(config.sync.interval_seconds)
    services = _services(ctx)
    from pos_app.services.sync_glue import store_for

    store = store_for(services)
    if store.state().mode != "enrolled":
        raise CliError(_("This terminal is not connected to a loyalty server (standalone)."))

    def once_() -> dict[str, Any]:
        client = make_client(services)
        try:
            result = client.sync_once()
            from pos_app.services.sync_glue import upload_voucher_uses

            vouchers_sent, _conflicts = upload_voucher_uses(services, client)
            ensure_certificate(services, client)  # once: a terminal enrolled before keys were certified
            update_state = _check_update(services, client, config)
        finally:
            client.close()
        return {"ok": True, "uploaded": result.uploaded, "changes_applied": result.changes_applied,
                "vouchers_sent": vouchers_sent,
                **_status_data(services), "update": update_state}

    if once:
        try:
            data = once_()
        except SyncError as exc:
            raise _fail(exc) from exc
        ctx.emit(data, lambda: _("Synced: {up} records sent, {down} changes received.").format(
            up=data["uploaded"], down=data["changes_applied"]) + "\n" + _status_text(data))
        return
    click.echo(_("Syncing with {url} every {s} s (Ctrl-C stops).").format(
        url=_status_data(services)["server_url"], s=f"{interval:g}"), err=True)
    stop = threading.Event()
    failures = 0
    rng = random.Random()
    try:
        while not stop.is_set():
            try:
                data = once_()
                failures = 0
                ctx.emit(data, _("Synced: {up} records sent, {down} changes received.").format(
                    up=data["uploaded"], down=data["changes_applied"]))
                delay = interval
            except SyncError as exc:
                failures += 1
                delay = backoff_delay(failures, rng)
                click.echo(_("Sync failed: {error} (retrying in {s} s)").format(
                    error=_fail(exc).message, s=int(delay)), err=True)
                log.info("sync failed (%s): %s; retrying in %d s", exc.code, exc, int(delay))  # the log file
            stop.wait(delay)
    except KeyboardInterrupt:
        click.echo(_("Stopped."), err=True)


@sync.command("status")
@pass_ctx
def sync_status(ctx: CliContext) -> None:
    """Show the sync state: queued records, last success, last error, clock skew."""
    services = _services(ctx)
    data = _status_data(services)
    ctx.emit(data, lambda: _status_text(data))


def register(group: click.Group) -> None:
    group.add_command(enroll)
    group.add_command(sync)
