"""What this terminal tells head office in its heartbeat (sync/protocol.py ``Heartbeat``): the state of its
printer and camera, free disk, the newest backup and the last ``doctor`` result. Cheap checks only (it runs after
every sync round): no printing, no camera capture, no integrity check; ``doctor`` leaves its result in
``doctor-last.json`` for this to report."""

from __future__ import annotations

import json
import os
import shutil
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pos_app.config import ConfigError, TerminalConfig, load_config
from pos_app.ledger.backup import list_backups
from pos_app.ledger.files import write_private

DOCTOR_FILE = "doctor-last.json"


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def printer_state(cfg: TerminalConfig) -> str:
    kind, address = cfg.printer.kind, cfg.printer.address or ""
    if kind == "none":
        return "none"
    if kind == "network":
        host, _, port = address.partition(":")
        try:
            with socket.create_connection((host, int(port or 9100)), timeout=0.3):
                return "ok"
        except (OSError, ValueError):
            return "failing"
    if kind == "serial":
        return "ok" if address and os.path.exists(address) else "missing"
    if kind == "pdf" and not address:
        return "ok"  # the default folder in the data folder
    if kind in ("file", "pdf"):
        folder = Path(address).expanduser().parent if address else None
        return "ok" if folder is not None and os.access(folder, os.W_OK) else "failing"
    return "unknown"  # usb: only a print shows it; the app reports a failed print on screen


def camera_state(cfg: TerminalConfig) -> str:
    source = cfg.camera.source
    if isinstance(source, int):
        return "ok" if os.path.exists(f"/dev/video{source}") else "missing"
    if str(source).strip().lower() in ("", "none"):
        return "none"
    return "ok" if os.path.exists(str(source)) else "missing"


def record_doctor(data_dir: Path, ok: bool, warning: bool, now: datetime | None = None) -> None:
    """Called by ``pos-terminal doctor``: its verdict for the next heartbeats."""
    state = "failing" if not ok else "warning" if warning else "ok"
    at = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    try:
        write_private(data_dir / DOCTOR_FILE, json.dumps({"doctor": state, "at": at}).encode())
    except OSError:
        pass  # a read-only data folder: doctor has already said so


def device_health(data_dir: Path) -> dict[str, Any]:
    """The device part of the heartbeat."""
    try:
        cfg = load_config(data_dir)
    except ConfigError:
        cfg = TerminalConfig()
    out: dict[str, Any] = {"printer": printer_state(cfg), "camera": camera_state(cfg)}
    try:
        out["free_disk_mb"] = shutil.disk_usage(data_dir).free // (1024 * 1024)
    except OSError:
        out["free_disk_mb"] = None
    backups = list_backups(data_dir)
    out["last_backup"] = _iso(backups[0].created_at) if backups else None
    try:
        last = json.loads((data_dir / DOCTOR_FILE).read_text(encoding="utf-8"))
        if last.get("doctor") in ("ok", "warning", "failing"):
            out["doctor"], out["doctor_at"] = last["doctor"], str(last.get("at", ""))[:40] or None
    except (OSError, ValueError, AttributeError):
        pass
    return out
