"""``pos-terminal``: the counter app and the same use cases for IT and integrations.

Global options: ``--data-dir`` (default: the platform's user data dir, or ``POS_DATA_DIR``), ``--json``
(machine-readable output) and ``--lang``. Bad input exits non-zero with a one-line reason and changes nothing.
Command groups live in sibling modules, each with ``register(group)``.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import platformdirs

from pos_app.core.i18n import _, set_language
from pos_app.core.version import app_version

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1
_output = {"json": False}  # set by the group callback; refusals are printed after the context is gone


def default_data_dir() -> Path:
    env = os.environ.get("POS_DATA_DIR")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("pos-terminal", "loyalty"))


_PHONE_IN_TEXT = re.compile(r"(?<![0-9])(?:\+66[ -]?|0)[0-9]{1,2}[ -]?[0-9]{3}[ -]?[0-9]{3,4}(?![0-9])")


def mask_phones(text: str) -> str:
    """``text`` with every Thai phone number in it masked as the slips mask it (``•••-•••-5678``)."""
    from pos_app.core.errors import RuleError
    from pos_app.core.phone import mask_phone, normalize_phone

    def masked(match: re.Match[str]) -> str:
        try:
            return mask_phone(normalize_phone(match.group(0)))
        except RuleError:  # not a phone after all: left as it is
            return match.group(0)

    return _PHONE_IN_TEXT.sub(masked, text)


class CliError(click.ClickException):
    """A clean, one-line refusal (exit code 2 for bad input, 1 for a failed operation)."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT, code: str | None = None,
                 log_message: str | None = None) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.code = code  # the refusal's stable code (a use case's ``ServiceError.code``), in --json output
        self.log_message = log_message  # a use case's ``ServiceError.log_message``: the member's id, not their name

    def show(self, file: Any = None) -> None:  # one line, no "Usage:" noise
        import logging

        # file only; a phone in the message is masked there, a member is named by their id (docs/privacy.md, "Logs")
        logging.getLogger("pos_app.cli").info("refused (exit %s): %s", self.exit_code,
                                              mask_phones(self.log_message or self.message))
        if _output["json"]:
            refusal = {"ok": False, "error": self.message, **({"code": self.code} if self.code else {})}
            click.echo(json.dumps(refusal, ensure_ascii=False), err=True)
        else:
            click.echo(_("Error: {message}").format(message=self.message), err=True)


@dataclass
class CliContext:
    data_dir: Path
    json: bool
    _services: Any = field(default=None, repr=False)
    _config: Any = field(default=None, repr=False)

    def config(self) -> Any:
        """The terminal's configuration (``terminal.toml``; defaults when there is none)."""
        if self._config is None:
            from pos_app.config import ConfigError, load_config

            try:
                self._config = load_config(self.data_dir)
            except ConfigError as exc:
                raise CliError(exc.message, EXIT_FAILED) from exc
        return self._config

    def services(self) -> Any:
        """Open the terminal's services on ``data_dir`` (created on first use by ``init``)."""
        if self._services is None:
            from pos_app.services import open_terminal

            self._services = open_terminal(self.data_dir)
            try:  # wrong-PIN delays and lockouts as the branch configured them (defaults if the file is broken)
                self._services.pin_policy = self.config().pins
            except CliError:
                pass
        return self._services

    def emit(self, data: Any, text: str | Callable[[], str]) -> None:
        """Print ``data`` as JSON under ``--json``, else the human ``text``."""
        if self.json:
            click.echo(json.dumps(data, ensure_ascii=False, default=str, sort_keys=True))
        else:
            click.echo(text() if callable(text) else text)

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
            self._services = None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=app_version(), prog_name="pos-terminal")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Terminal data folder (default: platform user data dir, or $POS_DATA_DIR).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")
@click.option("--lang", type=click.Choice(["th", "en"]), default=None, help="Language of messages (default th, or $POS_LANG).")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, as_json: bool, lang: str | None) -> None:
    """Point-of-sale loyalty terminal."""
    _output["json"] = as_json
    ctx.obj = CliContext(data_dir=data_dir or default_data_dir(), json=as_json)
    if lang:
        set_language(lang)
    elif not os.environ.get("POS_LANG") and not ctx.resilient_parsing:
        # The branch's terminal.toml chooses the language unless --lang or $POS_LANG says otherwise.
        # A broken file is reported by the commands that need it (doctor names it), not here.
        from pos_app.config import ConfigError

        try:
            set_language(ctx.obj.config().terminal.language)
        except (CliError, ConfigError):
            pass
    if not ctx.resilient_parsing:
        from pos_app.services.device import foreign_owner

        # 'update' is what root runs on an installed terminal (the update timer): its subcommands that write
        # the data folder refuse root themselves; root never writes the counter's log file.
        if ctx.invoked_subcommand != "update":
            _refuse_root_on_installed_terminal(ctx.obj.data_dir)
        from pos_app import logfile

        if foreign_owner(ctx.obj.data_dir) is None and logfile.install(ctx.obj.data_dir) is not None \
                and ctx.invoked_subcommand:
            import logging

            logging.getLogger("pos_app.cli").info("pos-terminal %s", ctx.invoked_subcommand)
    ctx.call_on_close(ctx.obj.close)


def _refuse_root_on_installed_terminal(data_dir: Path) -> None:
    """Root on an installed terminal (whose data folder another account owns) would leave root-owned files the
    counter then cannot write: refuse, naming the account to use."""
    from pos_app.services.device import foreign_owner

    owner = foreign_owner(data_dir)
    if owner is not None:
        args = " ".join(sys.argv[1:]) if sys.argv[1:] else "..."
        raise CliError(_("Not as root: the data folder {path} belongs to the counter account {user}. Run the "
                         "command as that account: sudo -u {user} pos-terminal {args}").format(
            path=data_dir, user=owner, args=args), EXIT_FAILED)


def _register_all() -> None:
    import importlib

    for name in ("terminal_cmds", "hardware_cmds", "sync_cmds", "update_cmds", "ui_cmds", "voucher_cmds"):
        try:
            module = importlib.import_module(f"pos_app.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"pos_app.cli.{name}":
                continue
            raise
        module.register(cli)


_register_all()


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="pos-terminal", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
