"""``pos-terminal doctor --bundle FILE``: one archive for support, safe to send.

It holds ``doctor.json`` / ``doctor.txt`` (the doctor's checks), ``versions.json`` (app, Python, SQLite, OS),
``config/effective.json`` (every setting and where it came from), ``config/terminal.toml`` (the file in
effect, with secret-looking values and URL passwords masked) and ``logs/`` (the rotated log files). Never the
ledger, its backups, the sync credential or any key: member data and secrets stay on the terminal.
"""

from __future__ import annotations

import io
import json
import os
import platform
import re
import sqlite3
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

MASK = "***"
_SECRET_KEY = re.compile(r"^(\s*[A-Za-z0-9_.-]*(secret|token|password|passphrase|pin|key)[A-Za-z0-9_.-]*\s*=\s*)(.+)$",
                         re.IGNORECASE)
_URL_PASSWORD = re.compile(r"(://[^/\s:@\"']+):[^@\s\"']*@")


def mask_secrets(text: str) -> str:
    """``key = value`` lines whose key looks secret get ``***``; ``scheme://user:password@`` loses the password."""
    out = []
    for line in text.splitlines():
        match = _SECRET_KEY.match(line)
        if match:
            line = match.group(1) + f'"{MASK}"'
        out.append(_URL_PASSWORD.sub(rf"\1:{MASK}@", line))
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def versions() -> dict[str, Any]:
    from pos_app.core.version import app_version

    return {"app": app_version(), "python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(), "frozen": bool(getattr(sys, "frozen", False))}


def write_bundle(target: Path, data_dir: Path, doctor: dict[str, Any], doctor_text: str) -> Path:
    """Write the archive to ``target`` (atomically, mode 0600) and return its path."""
    from pos_app.config import ConfigError, effective_settings, find_config_file
    from pos_app.logfile import log_dir

    members: list[tuple[str, bytes]] = [
        ("doctor.json", json.dumps(doctor, ensure_ascii=False, indent=2, default=str).encode()),
        ("doctor.txt", (doctor_text + "\n").encode()),
        ("versions.json", json.dumps(versions(), indent=2).encode()),
    ]
    try:
        settings = [{"key": s.key, "value": s.value, "source": s.source, "where": s.where}
                    for s in effective_settings(data_dir)]
        members.append(("config/effective.json", mask_secrets(json.dumps(settings, ensure_ascii=False, indent=2,
                                                                       default=str)).encode()))
    except ConfigError as exc:
        members.append(("config/effective.json", json.dumps({"error": exc.message}, ensure_ascii=False).encode()))
    try:
        source = find_config_file(data_dir)
        if source is not None:
            members.append(("config/terminal.toml", mask_secrets(source.read_text("utf-8", "replace")).encode()))
    except (ConfigError, OSError):
        pass
    logs = log_dir(data_dir)
    if logs.is_dir():
        for path in sorted(logs.iterdir()):
            if path.is_file() and not path.is_symlink():
                try:
                    members.append((f"logs/{path.name}", path.read_bytes()))
                except OSError:
                    pass
    tmp = target.with_name(target.name + ".partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            now = time.time()
            for name, data in members:
                info = tarfile.TarInfo(f"pos-terminal-support/{name}")
                info.size, info.mtime, info.mode = len(data), now, 0o600
                tar.addfile(info, io.BytesIO(data))
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
