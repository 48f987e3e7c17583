"""The terminal's own log file: ``<data folder>/logs/pos-terminal.log``, rotated by size, private.

Every ``pos-terminal`` command (the counter window, the sync service and the jobs included) writes its
warnings and errors here as well as to stderr (the journal, under systemd). The file is capped: at
``MAX_BYTES`` it rotates, keeping ``BACKUPS`` older files (``pos-terminal.log.1`` ...), so the folder never
holds more than ``MAX_BYTES * (BACKUPS + 1)``. The folder is 0700 and the files 0600 (names and phones can
appear in messages). Pure standard library, no Qt.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

LOG_DIRNAME = "logs"
LOG_FILENAME = "pos-terminal.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 4
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"

_installed: dict[str, logging.Handler] = {}


class _PrivateRotatingHandler(logging.handlers.RotatingFileHandler):
    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, self.mode.replace("w", "a") or "a", encoding=self.encoding or "utf-8",
                         errors=self.errors)


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Warnings to whatever ``sys.stderr`` is now (the journal under systemd), like logging's last resort."""

    def __init__(self) -> None:
        super().__init__()
        self.setLevel(logging.WARNING)

    @property  # type: ignore[override]
    def stream(self):  # type: ignore[no-untyped-def]
        import sys

        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:  # type: ignore[no-untyped-def]
        pass


def log_dir(data_dir: Path) -> Path:
    return data_dir / LOG_DIRNAME


def install(data_dir: Path, level: int = logging.INFO) -> Path | None:
    """Send the process's log records (INFO and above) to the data folder's log file as well. Returns the
    file, or None when the data folder does not exist (yet) or cannot be written (nothing is refused for a log).
    Installing again for another folder replaces the handler (one file per process)."""
    if not data_dir.is_dir():
        return None
    folder = log_dir(data_dir)
    path = folder / LOG_FILENAME
    if str(path) in _installed:
        return path
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        handler = _PrivateRotatingHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8",
                                          delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(level)
    root = logging.getLogger()
    for old in _installed.values():
        root.removeHandler(old)
        old.close()
    _installed.clear()
    _installed[str(path)] = handler
    root.addHandler(handler)
    if not any(isinstance(h, _CurrentStderr) for h in root.handlers):
        root.addHandler(_CurrentStderr())  # warnings still reach stderr/the journal (logging's fallback no longer runs)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    return path


def uninstall() -> None:
    root = logging.getLogger()
    for handler in _installed.values():
        root.removeHandler(handler)
        handler.close()
    _installed.clear()
