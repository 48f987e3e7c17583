"""``pos-terminal app [--demo] [--smoke]``: open the counter window on ``--data-dir``.

The display is checked before Qt is loaded: with no X11/Wayland display (and no ``QT_QPA_PLATFORM`` chosen)
Qt would abort the process, so we say what to do instead, in one line, and exit non-zero.

The window lives in ``pos_app.ui`` (the only layer that imports Qt). It is imported inside the command, so
the rest of the CLI never loads Qt; import-linter allows exactly this one edge
(``pos_app.cli.ui_cmds -> pos_app.ui.app``, see pyproject.toml).
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from pos_app.cli import EXIT_FAILED, CliContext, CliError
from pos_app.core.i18n import _

EXIT_NO_DISPLAY = 3
COUNTER_SESSION = "POS_COUNTER_SESSION"
"""Set to 1 by ``pos-terminal counter`` for the window it runs: only such a window steps aside for an update
(nothing would start a window opened by hand, or by an autostart entry from before ``counter``, again)."""


def has_display(environ: dict[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return any(env.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def register(group: click.Group) -> None:
    @group.command("app")
    @click.option("--demo", is_flag=True,
                  help="Start on demo data (staff PINs 1111 and 9999) when the data folder has no ledger yet.")
    @click.option("--smoke", is_flag=True,
                  help="Open the window, wait until the first screen is shown, then exit 0 (packaging smoke test).")
    @click.pass_obj
    def app_cmd(obj: CliContext, demo: bool, smoke: bool) -> None:
        """Open the counter window."""
        if not has_display():
            raise CliError(
                _("No display found: the counter window needs a screen. On a server or in CI run it as "
                  "'xvfb-run -a pos-terminal app'."),
                exit_code=EXIT_NO_DISPLAY,
            )
        from pos_app.services.device import LEDGER_FILENAME

        ledger = obj.data_dir / LEDGER_FILENAME
        fresh = not (ledger.exists() and ledger.stat().st_size > 0)
        try:
            from pos_app.ui import app as ui
        except ImportError as exc:
            raise CliError(_("The counter window cannot start: {error}").format(error=exc),
                           exit_code=EXIT_FAILED) from exc
        from pos_app.services.device import private_dir, single_window

        try:
            private_dir(obj.data_dir)
        except OSError:
            pass  # the window reports a folder it cannot use
        window = single_window(obj.data_dir) if obj.data_dir.is_dir() else None
        if window is None and obj.data_dir.is_dir():
            raise CliError(_("The counter window is already open on {path}: use that one (one window per data "
                             "folder).").format(path=obj.data_dir), exit_code=EXIT_FAILED)
        try:
            code = ui.run(obj.data_dir, seed_demo=demo and fresh, demo_hint=demo, smoke=smoke,
                          restartable=os.environ.get(COUNTER_SESSION) == "1")
        finally:
            if window is not None:
                window.release()
        if code:
            raise click.exceptions.Exit(code)

    @group.command("counter")
    @click.option("--program", type=click.Path(dir_okay=False, path_type=Path), default=None, hidden=True,
                  help="The pos-terminal to run the window with (default: /opt/pos-terminal/current/pos-terminal).")
    @click.option("--wait-seconds", type=click.IntRange(min=0), default=None, hidden=True,
                  help="How long to wait for an install after the window stepped aside.")
    @click.option("--poll-seconds", type=click.FloatRange(min=0), default=5.0, hidden=True)
    @click.pass_obj
    def counter_cmd(obj: CliContext, program: Path | None, wait_seconds: int | None, poll_seconds: float) -> None:
        """Run the counter window and start it again in the new version after an unattended update (what the
        autostart entry runs)."""
        import subprocess
        import sys
        import time

        from pos_app import updates

        wait = updates.INSTALL_WAIT_SECONDS if wait_seconds is None else wait_seconds
        if program is None:
            current = Path("/opt/pos-terminal/current/pos-terminal")
            program = current if current.is_file() else Path(sys.argv[0])
        while True:  # the program is looked up again each time: 'current' points at the new version after an install
            code = subprocess.run([str(program), "--data-dir", str(obj.data_dir), "app"], check=False,
                                  env={**os.environ, COUNTER_SESSION: "1"}).returncode
            if code != updates.EXIT_RESTART:
                if code:
                    raise click.exceptions.Exit(code)
                return
            since = time.time()
            click.echo(_("The counter window closed for an update; it opens again when the install is done (at most "
                         "{minutes} minutes).").format(minutes=wait // 60), err=True)
            deadline = time.monotonic() + wait
            while not updates.install_settled(obj.data_dir, since) and time.monotonic() < deadline:
                time.sleep(poll_seconds)
