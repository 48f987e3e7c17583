"""The terminal's credential: a random secret generated here; the server only ever sees its SHA-256.

Kept in a file next to the ledger (not in the ledger, so backups and copies of the ledger do not carry it),
created with mode 0600.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sync.client.errors import NotEnrolled

CREDENTIAL_FILENAME = "sync-credential.json"


@dataclass(frozen=True)
class Credential:
    terminal_id: str | None
    secret: str
    expires_at: str | None = None
    """When the server says this secret expires (UTC text of the protocol; None: not known yet)."""
    next_secret: str | None = None
    """A renewal under way: the new secret, written down BEFORE its hash is sent, so that a lost answer never
    leaves the terminal without the secret the server now holds."""
    reported_version: str | None = None
    """The app version the server last recorded for this terminal (asked again after an upgrade)."""

    @property
    def next_sha256(self) -> str | None:
        return hashlib.sha256(self.next_secret.encode("ascii")).hexdigest() if self.next_secret else None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.secret.encode("ascii")).hexdigest()

    @property
    def bearer(self) -> str:
        if not self.terminal_id:
            raise NotEnrolled("the credential file has no terminal id: enroll again")
        return f"Bearer {self.terminal_id}.{self.secret}"


def new_credential() -> Credential:
    return Credential(None, secrets.token_hex(32))


def save(path: Path, credential: Credential) -> None:
    """Write atomically with mode 0600 (never readable by other users, not even for an instant)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        data = {"terminal_id": credential.terminal_id, "secret": credential.secret}
        if credential.expires_at:
            data["expires_at"] = credential.expires_at
        if credential.next_secret:
            data["next_secret"] = credential.next_secret
        if credential.reported_version:
            data["reported_version"] = credential.reported_version
        os.write(fd, json.dumps(data).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def load(path: Path) -> Credential:
    try:
        data = json.loads(path.read_text("utf-8"))
        secret = data["secret"]
        terminal_id = data.get("terminal_id")
        expires_at = data.get("expires_at")
        next_secret = data.get("next_secret")
        reported = data.get("reported_version")
    except FileNotFoundError as exc:
        raise NotEnrolled(f"no terminal credential at {path}: enroll the terminal") from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NotEnrolled(f"the terminal credential {path} is unreadable: enroll again") from exc
    if not isinstance(secret, str) or len(secret) != 64:
        raise NotEnrolled(f"the terminal credential {path} is damaged: enroll again")
    if not (isinstance(next_secret, str) and len(next_secret) == 64):
        next_secret = None
    return Credential(terminal_id if isinstance(terminal_id, str) else None, secret,
                      expires_at if isinstance(expires_at, str) else None, next_secret,
                      reported if isinstance(reported, str) else None)
