"""``pos-terminal update status | check | apply``: the update channel for IT (docs/installing-terminals.md).

``check`` runs as the counter account (the sync service also checks every round); ``apply`` is what the
``pos-terminal-update.timer`` runs as root (see ``pos_app.updates``)."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from pos_app.cli import EXIT_FAILED, CliContext, CliError
from pos_app.core.i18n import _

pass_ctx = click.make_pass_decorator(CliContext)
log = logging.getLogger(__name__)


def _config(ctx: CliContext) -> Any:
    return ctx.config()


SYNC_ROUND_BYTES = 32 * 1024 * 1024
"""What the sync service downloads of a package per round (about 6 rounds for the ~170 MB kit)."""


def check_for_update(services: Any, client: Any, config: Any, max_bytes: int | None = None,
                     prefix: Path | None = None) -> dict[str, Any]:
    """Ask the server, download (at most ``max_bytes`` now) and verify; never raises for what the server answers;
    writes the state file."""
    from pos_app import updates
    from pos_app.core.version import app_version
    from sync.client.update import fetch_release

    installed = app_version()
    outcome = fetch_release(client.api, updates.updates_dir(services.data_dir), channel=config.update.channel,
                            installed=installed, public_key=config.update.public_key, max_bytes=max_bytes,
                            kind=updates.install_kind(prefix))
    return updates.record_check(services.data_dir, outcome.as_dict(), installed, config.update.channel,
                                bool(config.update.public_key), datetime.now().astimezone())


def no_key_line() -> str:
    return _("No update key is pinned ([update] public_key in terminal.toml): updates from the server are never "
             "installed.")


def _check_text(state: dict[str, Any]) -> str:
    texts = {
        "ready": _("Version {version} is downloaded and verified; it is installed in the quiet time {window}."),
        "up_to_date": _("Up to date: version {installed} is the current release of channel {channel}."),
        "no_release": _("No release is published on channel {channel}."),
        "no_key": _("Version {version} is available, but no update key is pinned ([update] public_key): it is "
                    "never installed."),
        "refused": _("Update refused, nothing installed: {message}"),
        "failed": _("Update check not finished (tried again at the next sync): {message}"),
    }
    release = state.get("release") or {}
    window = state.get("window")
    shown_window = f"{window['start']}-{window['end']}" if window else _("(none set by head office)")
    return texts.get(str(state.get("status")), "{message}").format(
        version=release.get("version", "?"), window=shown_window, installed=state.get("installed", "?"),
        channel=state.get("channel", "?"), message=state.get("message", ""))


@click.group()
def update() -> None:
    """Updates from the loyalty server: status, check now, install (the update timer runs 'apply')."""


@update.command("status")
@pass_ctx
def update_status(ctx: CliContext) -> None:
    """What the last check found and what the last install attempt did."""
    from pos_app import updates
    from pos_app.core.version import app_version

    cfg = _config(ctx)
    data = updates.status(ctx.data_dir, app_version(), bool(cfg.update.public_key))

    def text() -> str:
        lines = [_("Version in use: {version}; channel {channel}").format(version=data["installed"],
                                                                          channel=cfg.update.channel)]
        if not data["key_pinned"]:
            lines.append(no_key_line())
        check = data["last_check"]
        lines.append(_("Last check: {when}: {what}").format(when=check["checked_at"], what=_check_text(check))
                     if check else _("Last check: never (it runs with every sync)."))
        applied = data["last_apply"]
        if applied:
            lines.append(_("Last install attempt: {when}: {what}").format(when=applied["at"],
                                                                           what=applied["message"]))
        return "\n".join(lines)

    ctx.emit(data, text)


@update.command("check")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None, hidden=True,
              help="Download at most this many bytes now (the rest at the next check), as the sync service does.")
@click.option("--prefix", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Tell how the program was installed (kit or .deb) from files staged under this folder.")
@pass_ctx
def update_check(ctx: CliContext, max_bytes: int | None, prefix: Path | None) -> None:
    """Ask the server now; download and verify a newer release (installing waits for the quiet time)."""
    from pos_app.cli import _refuse_root_on_installed_terminal
    from pos_app.cli.sync_cmds import _fail, _services, make_client
    from sync.client import SyncError

    _refuse_root_on_installed_terminal(ctx.data_dir)
    cfg = _config(ctx)
    services = _services(ctx)
    try:
        client = make_client(services)
    except SyncError as exc:
        raise _fail(exc) from exc
    try:
        state = check_for_update(services, client, cfg, max_bytes, prefix)
    finally:
        client.close()
    ctx.emit(state, lambda: _check_text(state))
    if state["status"] in ("refused", "failed"):
        raise SystemExit(EXIT_FAILED)


@update.command("apply")
@click.option("--retry", is_flag=True, help="Try again a version that rolled back before.")
@click.option("--prefix", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Install into files staged by install.sh --prefix (for trying it without root).")
@click.option("--user", default=None, help="The counter account (default: the owner of the data folder).")
@click.option("--now", "now_text", default=None, metavar="ISO",
              help="Pretend it is this local time (e.g. 2026-12-01T03:00) to try the quiet-time window.")
@pass_ctx
def update_apply(ctx: CliContext, retry: bool, prefix: Path | None, user: str | None, now_text: str | None) -> None:
    """Install the verified download if it is quiet time and no counter window is open (the update timer runs
    this as root)."""
    import os

    from pos_app import updates
    from pos_app.config import SYSTEM_CONFIG, ConfigError, load_config, load_file
    from pos_app.core.version import app_version

    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError as exc:
            raise CliError(_("--now: not a date and time such as 2026-12-01T03:00: {text}").format(
                text=now_text)) from exc
        now = now.astimezone() if now.tzinfo is None else now
    else:
        now = datetime.now().astimezone()
    try:  # as root the key comes only from the root-owned system file: the counter account cannot bring its own
        if hasattr(os, "geteuid") and os.geteuid() == 0 and prefix is None:
            cfg = load_file(SYSTEM_CONFIG) if SYSTEM_CONFIG.is_file() else None
        elif prefix is not None and (prefix / "etc/pos-terminal/terminal.toml").is_file():
            cfg = load_file(prefix / "etc/pos-terminal/terminal.toml")
        else:
            cfg = load_config(ctx.data_dir)
    except ConfigError as exc:
        raise CliError(exc.message, EXIT_FAILED) from exc
    key = cfg.update.public_key if cfg is not None else None
    if user is None and prefix is None:
        from pos_app.services.device import account_name

        try:
            user = account_name(ctx.data_dir.stat().st_uid)
        except OSError:
            user = None
    result = updates.apply(ctx.data_dir, public_key=key, now=now,
                           installed=updates.installed_version(prefix, app_version()), prefix=prefix, retry=retry,
                           user=user)
    log.info("update apply: %s: %s", result.status, result.message)
    ctx.emit(result.as_dict(), result.message)
    if result.status in (updates.ROLLED_BACK, updates.REFUSED):
        raise SystemExit(EXIT_FAILED)


def register(group: click.Group) -> None:
    group.add_command(update)
