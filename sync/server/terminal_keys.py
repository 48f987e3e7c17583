"""Terminal signing keys certified by the chain (see docs/member-codes.md, "Cards printed at the counter").

Every terminal holds its own Ed25519 signing key so it can give a new member a card right away, offline.
An enrolled terminal sends its public key once (``POST /v1/terminal-key``); the server answers with a
certificate signed by the chain's active member-code key (``LK1:...``). The terminal embeds that certificate
in every card it signs (``LT1:...``), so any terminal that holds the chain's public keys verifies the card
offline, even one that never heard of the printing terminal.

The terminal's public key is also kept in ``signing_keys`` (never active for signing, the private key is on
the terminal: ``private_key_path`` holds the marker ``terminal:<id>``), so that revoking the terminal revokes
its key and every terminal learns it with the ordinary key changes of the pull: from then on its cards are
refused everywhere that has synced.

This module only adds functions and its own request/response models; the sync protocol module is unchanged.
"""

from __future__ import annotations

import base64
import binascii
import logging
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, select, update

from sync.server import models as m
from sync.server.db import take_change_ids
from sync.server.errors import ApiError
from sync.server.keys import active_signing_key

log = logging.getLogger("sync.server.terminal_keys")

CERTIFICATE_DAYS = 5 * 365
TERMINAL_MARKER = "terminal:"


class TerminalKeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    public_key_b64: str = Field(min_length=40, max_length=64)
    """The terminal's raw 32-byte Ed25519 public key, standard base64."""


class TerminalKeyResponse(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key_id: str
    certificate: str
    """``LK1:<chain key id>:<terminal key id>:<expires>:<terminal public key>:<chain signature>``"""


def _marker(terminal_id: str) -> str:
    return TERMINAL_MARKER + terminal_id


def certify_terminal_key(conn: Connection, terminal_id: str, public_key_b64: str, now: datetime,
                         passphrase: bytes | None) -> TerminalKeyResponse:
    """Certify the (already authenticated) terminal's key with the chain's active member-code key.
    Idempotent: the same key of the same terminal gets a fresh certificate; a key held by another terminal,
    or a revoked one, is refused."""
    from pos_app.core.member_codes import issue_terminal_certificate, terminal_key_id

    try:
        public = base64.b64decode(public_key_b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ApiError(422, "bad_public_key", "public_key_b64 must be standard base64") from exc
    if len(public) != 32:
        raise ApiError(422, "bad_public_key", "an Ed25519 public key is 32 bytes")
    signing = active_signing_key(conn, passphrase)
    if signing is None:
        raise ApiError(409, "no_signing_key", "no active signing key can be opened here (passphrase / key file?)")
    chain_key_id, chain_key = signing
    key_id = terminal_key_id(public)
    row = conn.execute(select(m.signing_keys).where(m.signing_keys.c.key_id == key_id)).first()
    if row is not None:
        if bytes(row.public_key) != public or row.private_key_path != _marker(terminal_id):
            raise ApiError(409, "key_exists", f"signing key {key_id} belongs to someone else")
        if row.revoked:
            raise ApiError(403, "terminal_revoked", "this terminal's key was revoked")
    else:
        conn.execute(m.signing_keys.insert().values(
            key_id=key_id, public_key=public, private_key_pem=None, private_key_path=_marker(terminal_id),
            active=False, revoked=False, created_at=now, change_id=take_change_ids(conn, 1)))
        log.info("terminal %s key %s certified by %s", terminal_id, key_id, chain_key_id)
    certificate = issue_terminal_certificate(chain_key, chain_key_id, public, now + timedelta(days=CERTIFICATE_DAYS))
    return TerminalKeyResponse(key_id=key_id, certificate=certificate)


def revoke_terminal_keys(conn: Connection, terminal_id: str) -> list[str]:
    """Revoke the keys of a revoked terminal: terminals refuse its cards once they have pulled the change."""
    keys = conn.execute(select(m.signing_keys.c.key_id).where(
        m.signing_keys.c.private_key_path == _marker(terminal_id),
        m.signing_keys.c.revoked.is_(False))).scalars().all()
    if keys:
        first = take_change_ids(conn, len(keys))
        for i, key_id in enumerate(keys):
            conn.execute(update(m.signing_keys).where(m.signing_keys.c.key_id == key_id)
                         .values(revoked=True, active=False, change_id=first + i))
        log.warning("terminal %s: keys %s revoked", terminal_id, ", ".join(keys))
    return list(keys)
