"""The chain's member-code signing keys (Ed25519), several at once for rotation.

A private key is kept either
* in the database as encrypted PKCS#8 PEM (``BestAvailableEncryption`` with the server passphrase from
  ``LOYALTY_KEY_PASSPHRASE`` / ``LOYALTY_KEY_PASSPHRASE_FILE``), or
* in a file outside the database (``--key-file PATH``: PKCS#8 PEM, encrypted with the same passphrase when one
  is configured), and only its path is stored.
Terminals receive only public keys (and which keys are revoked).
"""

from __future__ import annotations

import re
import threading
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)
from sqlalchemy import Connection, select, update

from sync.server.db import take_change_ids
from sync.server.errors import ApiError
from sync.server.models import signing_keys

_cache_lock = threading.Lock()
_private_cache: dict[tuple[str, bytes], Ed25519PrivateKey] = {}


def _pem(key: Ed25519PrivateKey, passphrase: bytes | None) -> bytes:
    encryption = BestAvailableEncryption(passphrase) if passphrase else NoEncryption()
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, encryption)


def add_key(conn: Connection, key_id: str, now: datetime, passphrase: bytes | None,
            key_file: Path | None = None, activate: bool = True) -> bytes:
    """Generate a key, store it, and (by default) make it the one that signs new member codes."""
    if re.fullmatch(r"[A-Z0-9]{1,8}", key_id) is None:
        raise ApiError(422, "bad_key_id", "key id must be 1-8 characters A-Z or 0-9")
    if conn.execute(select(signing_keys.c.key_id).where(signing_keys.c.key_id == key_id)).first():
        raise ApiError(409, "key_exists", f"signing key {key_id} already exists")
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    pem_text: str | None = None
    path_text: str | None = None
    if key_file is not None:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.touch(mode=0o600, exist_ok=False)
        key_file.write_bytes(_pem(key, passphrase))
        path_text = str(key_file)
    else:
        if not passphrase:
            raise ApiError(422, "no_passphrase",
                           "set LOYALTY_KEY_PASSPHRASE (or LOYALTY_KEY_PASSPHRASE_FILE) to store signing keys "
                           "encrypted in the database, or give a key file")
        pem_text = _pem(key, passphrase).decode("ascii")
    rows = 2 if activate else 1
    existing_active = conn.execute(
        select(signing_keys.c.key_id).where(signing_keys.c.active.is_(True))).scalars().all()
    first = take_change_ids(conn, rows + len(existing_active))
    if activate:
        for i, old in enumerate(existing_active):
            conn.execute(update(signing_keys).where(signing_keys.c.key_id == old)
                         .values(active=False, change_id=first + rows + i))
    conn.execute(signing_keys.insert().values(
        key_id=key_id, public_key=public, private_key_pem=pem_text, private_key_path=path_text,
        active=activate, revoked=False, created_at=now, change_id=first,
    ))
    return public


def activate_key(conn: Connection, key_id: str) -> None:
    """Make ``key_id`` the key that signs new member codes (the others stay valid for verification)."""
    row = conn.execute(select(signing_keys.c.revoked, signing_keys.c.private_key_path)
                       .where(signing_keys.c.key_id == key_id)).first()
    if row is None:
        raise ApiError(404, "unknown_key", f"no signing key {key_id}")
    if (row.private_key_path or "").startswith("terminal:"):  # see sync.server.terminal_keys
        raise ApiError(409, "terminal_key", f"{key_id} is a terminal's own key: it cannot sign for the chain")
    if row.revoked:
        raise ApiError(409, "key_revoked", f"signing key {key_id} is revoked")
    others = conn.execute(select(signing_keys.c.key_id).where(
        signing_keys.c.active.is_(True), signing_keys.c.key_id != key_id)).scalars().all()
    first = take_change_ids(conn, 1 + len(others))
    for i, old in enumerate(others):
        conn.execute(update(signing_keys).where(signing_keys.c.key_id == old)
                     .values(active=False, change_id=first + 1 + i))
    conn.execute(update(signing_keys).where(signing_keys.c.key_id == key_id).values(active=True, change_id=first))


def revoke_key(conn: Connection, key_id: str) -> None:
    row = conn.execute(select(signing_keys.c.key_id).where(signing_keys.c.key_id == key_id)).first()
    if row is None:
        raise ApiError(404, "unknown_key", f"no signing key {key_id}")
    change = take_change_ids(conn, 1)
    conn.execute(update(signing_keys).where(signing_keys.c.key_id == key_id)
                 .values(revoked=True, active=False, change_id=change))


def active_signing_key(conn: Connection, passphrase: bytes | None) -> tuple[str, Ed25519PrivateKey] | None:
    """The key that signs new member codes, or None when there is none (or it cannot be opened here)."""
    row = conn.execute(
        select(signing_keys.c.key_id, signing_keys.c.public_key, signing_keys.c.private_key_pem,
               signing_keys.c.private_key_path)
        .where(signing_keys.c.active.is_(True), signing_keys.c.revoked.is_(False))
        .order_by(signing_keys.c.created_at.desc())
    ).first()
    if row is None:
        return None
    cache_key = (row.key_id, bytes(row.public_key))  # the public key pins exactly one private key
    with _cache_lock:
        cached = _private_cache.get(cache_key)
    if cached is not None:
        return row.key_id, cached
    try:
        if row.private_key_pem is not None:
            data = row.private_key_pem.encode("ascii")
        elif row.private_key_path is not None:
            data = Path(row.private_key_path).read_bytes()
        else:
            return None
        key = load_pem_private_key(data, password=passphrase if b"ENCRYPTED" in data else None)
    except (OSError, ValueError, TypeError):
        return None
    if not isinstance(key, Ed25519PrivateKey):
        return None
    if key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw) != bytes(row.public_key):
        return None  # a key file that does not match the published public key: never sign with it
    with _cache_lock:
        _private_cache[cache_key] = key
    return row.key_id, key
