"""A member card right away, on any terminal: each terminal signs its new members' codes with its own key.

* The key is an Ed25519 private key in the data folder (``terminal-signing-key.pem``, mode 0600; not in the
  ledger, so copies and backups of the ledger do not carry it), made on first use.
* A **standalone** terminal is its own root: its public key is one of the keys it trusts (``signing_keys``,
  key id ``T`` + 7 characters of the key's hash) and it signs ordinary member QRs (``LM1``) with it.
* An **enrolled** terminal has the key certified by the server once (``ensure_certificate``, at enrollment
  and at each sync until done; the certificate is kept in meta ``terminal_certificate``) and signs
  ``LT1`` codes that carry the certificate, so any terminal of the chain verifies them offline. Until it
  holds a certificate it signs nothing: the member's code comes with the next sync, as before.

The server's own code for the member, when it arrives with sync, replaces the terminal's: both verify.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pos_app.core.member_codes import (
    public_key_bytes,
    sign_member_code,
    sign_member_code_as_terminal,
    terminal_key_id,
)

KEY_FILENAME = "terminal-signing-key.pem"
CERTIFICATE_META = "terminal_certificate"
CARD_DAYS = 3 * 365


def terminal_key(data_dir: Path) -> Ed25519PrivateKey:
    """This terminal's signing key, created (0600, written durably) on first use."""
    path = data_dir / KEY_FILENAME
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} does not hold an Ed25519 key")
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, pem)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return key


def sign_for(services: Any, conn: Any, member_id: str, now: datetime) -> str | None:
    """A member code for ``member_id`` signed by this terminal, or None when it cannot sign yet (enrolled,
    not certified). Runs inside the caller's write transaction."""
    ledger = services.ledger
    mode = ledger.get_meta(conn, "mode") or "standalone"
    expires = now + timedelta(days=CARD_DAYS)
    if mode == "enrolled":
        certificate = ledger.get_meta(conn, CERTIFICATE_META)
        if not certificate:
            return None
        return sign_member_code_as_terminal(terminal_key(services.data_dir), certificate, member_id, now, expires)
    key = terminal_key(services.data_dir)
    public = public_key_bytes(key)
    key_id = terminal_key_id(public)
    ledger.put_signing_key(conn, key_id, public)  # the standalone terminal is its own root
    return sign_member_code(key, key_id, member_id, now, expires)


def ensure_certificate(services: Any, client: Any) -> bool:
    """On an enrolled terminal, have the server certify this terminal's key once. True when the terminal
    holds a certificate afterwards. Network failures and older servers leave it as it was (False)."""
    from sync.client.errors import SyncError
    from sync.client.terminal_key import certify

    ledger = services.ledger
    with ledger.read() as conn:
        if ledger.get_meta(conn, "mode") != "enrolled":
            return False
        if ledger.get_meta(conn, CERTIFICATE_META):
            return True
    public = public_key_bytes(terminal_key(services.data_dir))
    try:
        answer = certify(client, public)
    except SyncError:
        return False
    if answer.key_id != terminal_key_id(public) or public_key_bytes(terminal_key(services.data_dir)) != public:
        return False
    with ledger.write() as conn:
        ledger.set_meta(conn, CERTIFICATE_META, answer.certificate)
    return True
