"""Per-branch terminal configuration (``terminal.toml``), read at start; nothing branch-specific is built in.

Where it is looked for, the first file that exists wins (files are not merged, so what is in effect is
always exactly one file that IT can open):

1. ``$POS_CONFIG`` (if set, that file must exist),
2. ``<data_dir>/terminal.toml``,
3. ``/etc/pos-terminal/terminal.toml`` (written by ``packaging/install.sh`` from
   ``packaging/terminal.toml.example``).

With no file at all the defaults below apply. An unknown section or key, or a bad value, is refused with a
one-line message naming the key and the file (:class:`ConfigError`); nothing is guessed.

Pure standard library (``tomllib``), importable without Qt::

    from pos_app.config import load_config
    cfg = load_config(data_dir)
    cfg.printer.paper_mm, cfg.sync.server_url
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pos_app.core.i18n import _
from pos_app.core.pins import GuardPolicy

CONFIG_ENV = "POS_CONFIG"
CONFIG_FILENAME = "terminal.toml"
SYSTEM_CONFIG = Path("/etc/pos-terminal") / CONFIG_FILENAME

LANGUAGES = ("th", "en")
PRINTER_KINDS = ("none", "network", "serial", "usb", "file", "pdf")
PAPER_WIDTHS_MM = (58, 80)
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600)


class ConfigError(Exception):
    """A configuration file that cannot be used. ``message`` is one translated line naming the key and
    the file; ``code`` is stable (``unreadable``, ``syntax``, ``unknown_section``, ``unknown_key``,
    ``bad_value``, ``missing``)."""

    def __init__(self, code: str, message: str, path: Path | None = None, key: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = path
        self.key = key


@dataclass(frozen=True)
class TerminalSection:
    language: str = "th"
    idle_lock_seconds: int = 300  # sign the cashier out after this long without input (0: never)
    void_window_minutes: int = 10  # how long after an award, redemption or adjustment a cashier may void it


@dataclass(frozen=True)
class SyncSection:
    server_url: str | None = None  # None: a standalone terminal (or the URL saved at enrollment is used)
    interval_seconds: int = 30


@dataclass(frozen=True)
class PrinterSection:
    kind: str = "none"
    address: str | None = None  # network: host[:port]; serial: device; usb: VID:PID; file/pdf: a path
    paper_mm: int = 80


@dataclass(frozen=True)
class CameraSection:
    source: int | str = 0  # device index, or a video file / a folder of images (tests, demos)
    width: int = 1280
    height: int = 720
    fps: int = 30


@dataclass(frozen=True)
class ScannerSection:
    wedge_prefix: str = ""
    wedge_suffix: str = "\r"  # Enter; one key, "\r\n", or "" (a burst then ends after a short silence)
    serial_port: str | None = None  # e.g. /dev/ttyACM0 for a scanner in USB-CDC (serial) mode
    baud: int = 9600


@dataclass(frozen=True)
class BackupSection:
    every_hours: int = 4
    keep: int = 14


@dataclass(frozen=True)
class UpdateSection:
    public_key: str | None = None  # base64 Ed25519 key head office signs releases with; None: never install
    channel: str = "stable"


PinsSection = GuardPolicy
"""``[pins]``: wrong-PIN delays and lockouts are the guard's own policy (pos_app.core.pins, docs/operations.md)."""


@dataclass(frozen=True)
class TerminalConfig:
    terminal: TerminalSection = field(default_factory=TerminalSection)
    sync: SyncSection = field(default_factory=SyncSection)
    printer: PrinterSection = field(default_factory=PrinterSection)
    camera: CameraSection = field(default_factory=CameraSection)
    scanner: ScannerSection = field(default_factory=ScannerSection)
    backup: BackupSection = field(default_factory=BackupSection)
    pins: PinsSection = field(default_factory=PinsSection)
    update: UpdateSection = field(default_factory=UpdateSection)
    source: Path | None = None  # the file this came from (None: defaults)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``doctor --json`` and logs."""
        data = asdict(self)
        data["source"] = str(self.source) if self.source else None
        return data


# ------------------------------------------------------------------------------------------------ checks
Check = Callable[[Any], Any]  # returns the accepted value or raises _Bad(reason)


class _Bad(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_range(low: int, high: int) -> Check:
    def check(value: Any) -> int:
        if not _is_int(value) or not low <= value <= high:
            raise _Bad(_("a whole number from {low} to {high}").format(low=low, high=high))
        return int(value)
    return check


def _one_of(choices: tuple[Any, ...]) -> Check:
    def check(value: Any) -> Any:
        if type(value) not in {type(c) for c in choices} or value not in choices:
            raise _Bad(_("one of {choices}").format(choices=", ".join(str(c) for c in choices)))
        return value
    return check


def _text(max_len: int) -> Check:
    def check(value: Any) -> str:
        if isinstance(value, str) and len(value) <= max_len:
            return value
        raise _Bad(_("text of at most {n} characters").format(n=max_len))
    return check


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad(_("true or false"))
    return value


def _optional_text(max_len: int) -> Check:
    inner = _text(max_len)

    def check(value: Any) -> str | None:
        text = inner(value)
        return text.strip() or None
    return check


def _wedge_suffix(value: Any) -> str:
    if isinstance(value, str) and (len(value) <= 1 or value in ("\r\n", "\n\r")):
        return value
    raise _Bad(_('one key such as "\\r" (Enter) or "\\t" (Tab), "\\r\\n", or "" for none'))


def _server_url(value: Any) -> str | None:
    if not isinstance(value, str):
        raise _Bad(_("a URL such as https://loyalty.example.com"))
    if not value.strip():
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Bad(_("a URL such as https://loyalty.example.com"))
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise _Bad(_("a URL such as https://loyalty.example.com")) from None
    return value.strip().rstrip("/")


def _camera_source(value: Any) -> int | str:
    if _is_int(value) and 0 <= value <= 63:
        return int(value)
    if isinstance(value, str) and value.strip():
        return value
    raise _Bad(_("a camera index (0, 1, ...) or the path of a video file or a folder of images"))


def _public_key(value: Any) -> str | None:
    import base64
    import binascii

    if not isinstance(value, str):
        raise _Bad(_("the base64 public key printed by 'loyalty-server release keygen', or \"\" for none"))
    if not value.strip():
        return None
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise _Bad(_("the base64 public key printed by 'loyalty-server release keygen', or \"\" for none"))
    return value.strip()


def _channel(value: Any) -> str:
    import re

    if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9-]{0,31}", value):
        return value
    raise _Bad(_("a channel name of lowercase letters, digits and dashes, e.g. stable"))


_SECTIONS: dict[str, tuple[type[Any], dict[str, Check]]] = {
    "terminal": (TerminalSection, {"language": _one_of(LANGUAGES), "idle_lock_seconds": _int_range(0, 86400),
                                   "void_window_minutes": _int_range(1, 1440)}),
    "sync": (SyncSection, {"server_url": _server_url, "interval_seconds": _int_range(1, 3600)}),
    "printer": (PrinterSection, {
        "kind": _one_of(PRINTER_KINDS),
        "address": _optional_text(255),
        "paper_mm": _one_of(PAPER_WIDTHS_MM),
    }),
    "camera": (CameraSection, {
        "source": _camera_source,
        "width": _int_range(160, 7680),
        "height": _int_range(120, 4320),
        "fps": _int_range(1, 120),
    }),
    "scanner": (ScannerSection, {
        "wedge_prefix": _text(8),
        "wedge_suffix": _wedge_suffix,
        "serial_port": _optional_text(255),
        "baud": _one_of(BAUD_RATES),
    }),
    "backup": (BackupSection, {"every_hours": _int_range(1, 168), "keep": _int_range(1, 1000)}),
    "pins": (PinsSection, {
        "delay_after": _int_range(1, 100),
        "lock_after": _int_range(1, 1000),
        "base_delay_seconds": _int_range(0, 3600),
        "max_delay_seconds": _int_range(0, 86400),
        "quiet_reset_minutes": _int_range(1, 10080),
        "allow_self_approval": _bool,
    }),
    "update": (UpdateSection, {"public_key": _public_key, "channel": _channel}),
}


def _bad_value(path: Path | None, key: str, value: Any, reason: str) -> ConfigError:
    return ConfigError("bad_value", _("Bad value {value} for {key} in {file}: expected {reason}.").format(
        value=_show(value), key=key, file=path or _("the configuration"), reason=reason), path, key)


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, bool) else str(value).lower()
    return text if len(text) <= 60 else text[:57] + "..."


def parse_config(data: Mapping[str, Any], path: Path | None = None) -> TerminalConfig:
    """Check already-parsed TOML data and build the configuration (defaults for what is absent)."""
    where = path or _("the configuration")
    sections: dict[str, Any] = {}
    for name, table in data.items():
        if name not in _SECTIONS:
            raise ConfigError("unknown_section", _("Unknown section [{section}] in {file} (known: {known}).").format(
                section=name, file=where, known=", ".join(_SECTIONS)), path, name)
        cls, checks = _SECTIONS[name]
        if not isinstance(table, Mapping):
            raise ConfigError("bad_value", _("{key} in {file} must be a section: write [{key}] on its own line.")
                              .format(key=name, file=where), path, name)
        values: dict[str, Any] = {}
        for key, value in table.items():
            dotted = f"{name}.{key}"
            if key not in checks:
                raise ConfigError("unknown_key", _("Unknown key {key} in {file} (known in [{section}]: {known}).")
                                  .format(key=dotted, file=where, section=name, known=", ".join(checks)), path, dotted)
            try:
                values[key] = checks[key](value)
            except _Bad as bad:
                raise _bad_value(path, dotted, value, bad.reason) from None
        sections[name] = cls(**values)
    cfg = TerminalConfig(**sections, source=path)
    _check_printer(cfg.printer, path)
    _check_camera(cfg.camera, path)
    return cfg


def _check_printer(printer: PrinterSection, path: Path | None) -> None:
    address = (printer.address or "").strip()
    if printer.kind == "none" or (printer.kind == "pdf" and not address):  # pdf: a default folder
        return
    if not address:
        raise ConfigError("bad_value", _("printer.address is required in {file} when printer.kind is {kind}.")
                          .format(file=path or _("the configuration"), kind=printer.kind), path, "printer.address")
    if printer.kind == "network":
        host, _sep, port = address.rpartition(":") if ":" in address else (address, "", "9100")
        if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
            raise _bad_value(path, "printer.address", printer.address,
                             _("host or host:port of a network printer, e.g. 192.168.1.50:9100"))
    elif printer.kind == "usb":
        vid, _sep, pid = address.partition(":")
        if not (_hex16(vid) and _hex16(pid)):
            raise _bad_value(path, "printer.address", printer.address,
                             _("the USB vendor:product id of the printer, e.g. 04b8:0202"))


def _hex16(text: str) -> bool:
    text = text.lower().removeprefix("0x")
    return 1 <= len(text) <= 4 and all(c in "0123456789abcdef" for c in text)


def _check_camera(camera: CameraSection, path: Path | None) -> None:
    if camera.width < camera.height:
        raise _bad_value(path, "camera.width", camera.width,
                         _("a width not smaller than camera.height ({height})").format(height=camera.height))


# ------------------------------------------------------------------------------------------------ loading
def candidate_paths(data_dir: Path | None, environ: Mapping[str, str] | None = None,
                    system_path: Path = SYSTEM_CONFIG) -> list[Path]:
    """The files looked at, in order (``$POS_CONFIG`` first when set)."""
    env = os.environ if environ is None else environ
    paths: list[Path] = []
    if env.get(CONFIG_ENV):
        paths.append(Path(env[CONFIG_ENV]))
    if data_dir is not None:
        paths.append(Path(data_dir) / CONFIG_FILENAME)
    paths.append(system_path)
    return paths


def find_config_file(data_dir: Path | None, environ: Mapping[str, str] | None = None,
                     system_path: Path = SYSTEM_CONFIG) -> Path | None:
    """The file in effect, or None for the defaults. ``$POS_CONFIG`` naming a missing file is refused."""
    env = os.environ if environ is None else environ
    explicit = env.get(CONFIG_ENV)
    if explicit and not Path(explicit).is_file():
        raise ConfigError("missing", _("The configuration file {file} named by {env} does not exist.").format(
            file=explicit, env=CONFIG_ENV), Path(explicit), None)
    for path in candidate_paths(data_dir, env, system_path):
        if path.is_file():
            return path
    return None


def load_file(path: Path) -> TerminalConfig:
    """Read and check one ``terminal.toml``."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError("unreadable", _("Cannot read the configuration file {file}: {error}.").format(
            file=path, error=exc.strerror or exc), path) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("syntax", _("The configuration file {file} is not UTF-8 text.").format(file=path),
                          path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("syntax", _("The configuration file {file} is not valid TOML: {error}.").format(
            file=path, error=str(exc).splitlines()[0]), path) from None
    return parse_config(data, path)


def load_config(data_dir: Path | None = None, environ: Mapping[str, str] | None = None,
                system_path: Path = SYSTEM_CONFIG) -> TerminalConfig:
    """The terminal's configuration: the first file found (see the module doc), else the defaults."""
    path = find_config_file(data_dir, environ, system_path)
    return TerminalConfig() if path is None else load_file(path)


def known_keys() -> dict[str, tuple[str, ...]]:
    """Every section and its keys (for the template test and for IT tooling)."""
    return {name: tuple(f.name for f in fields(cls)) for name, (cls, _checks) in _SECTIONS.items()}


# ------------------------------------------------------------------------------------------------ config show
LANGUAGE_ENV = "POS_LANG"


@dataclass(frozen=True)
class Setting:
    key: str  # section.key
    value: Any
    source: str  # "default", "file", or "environment"
    where: str | None  # the file or the environment variable it came from


def effective_settings(data_dir: Path | None, environ: Mapping[str, str] | None = None,
                       system_path: Path = SYSTEM_CONFIG) -> list[Setting]:
    """Every setting in effect and where it came from (``pos-terminal config show``). A broken file raises
    :class:`ConfigError` like at start."""
    env = os.environ if environ is None else environ
    path = find_config_file(data_dir, env, system_path)
    cfg = TerminalConfig() if path is None else load_file(path)
    in_file: dict[str, set[str]] = {}
    if path is not None:
        raw = tomllib.loads(path.read_bytes().decode("utf-8"))
        in_file = {name: set(table) for name, table in raw.items() if isinstance(table, Mapping)}
    out: list[Setting] = []
    for name in _SECTIONS:
        section = getattr(cfg, name)
        for f in fields(section):
            key = f"{name}.{f.name}"
            value = getattr(section, f.name)
            if key == "terminal.language" and env.get(LANGUAGE_ENV) in LANGUAGES:
                out.append(Setting(key, env[LANGUAGE_ENV], "environment", LANGUAGE_ENV))
            elif f.name in in_file.get(name, ()):
                out.append(Setting(key, value, "file", str(path)))
            else:
                out.append(Setting(key, value, "default", None))
    return out
