"""Server configuration, from the environment (the process is stateless: everything else is in the database).

LOYALTY_DATABASE_URL        SQLAlchemy URL, e.g. ``postgresql+psycopg://loyalty:pw@db/loyalty`` (required, except demo)
LOYALTY_ADMIN_TOKEN         bearer token for the admin HTTP endpoints (unset = admin endpoints refuse everything)
LOYALTY_KEY_PASSPHRASE      passphrase that decrypts member-code signing keys stored in the database
LOYALTY_KEY_PASSPHRASE_FILE the same, read from a file (e.g. a mounted secret); wins over the variable
LOYALTY_CREDENTIAL_DAYS     lifetime of a terminal credential (default 365)
LOYALTY_ENROLL_CODE_HOURS   lifetime of an enrollment code (default 24)
LOYALTY_MEMBER_CODE_DAYS    validity of a signed member code (default 3650)
LOYALTY_DB_POOL_SIZE        connections per server process (default 10)
LOYALTY_EXPIRY_INTERVAL     seconds between points-expiry runs inside ``serve`` (default 3600; 0 = off)
LOYALTY_PIN_WAVE_FAILURES   wrong PINs on one terminal within LOYALTY_PIN_WAVE_MINUTES that raise a
                            ``pin_failures`` flag (default 10, within 15 minutes)
LOYALTY_MAX_BODY_BYTES      largest request body the server reads (default 8 MiB; larger: 413)
LOYALTY_RELEASE_DIR         folder of the update channel's packages (``release publish`` writes there, the download
                            endpoint reads there; shared by every server process). Unset: no update channel.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import uuid6


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uuid7() -> str:
    return str(uuid6.uuid7())


MAX_BODY_BYTES = 8 * 1024 * 1024
"""Default cap on a request body (a 1000-record upload batch of ordinary entries is about 1 MB)."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    admin_token_sha256: str | None = None
    key_passphrase: bytes | None = None
    credential_days: int = 365
    enroll_code_hours: int = 24
    member_code_days: int = 3650
    pool_size: int = 10
    # the periodic points-expiry job inside ``serve``; 0 (the default when built in code, e.g. tests) = off
    expiry_interval_seconds: int = 0
    # The server's clock and id source (server entries, terminal ids): the wall clock and UUIDv7, injected by
    # tests and the deterministic simulation so that a seed reproduces the same database.
    clock: Callable[[], datetime] = field(default=utcnow, compare=False, repr=False)
    new_id: Callable[[], str] = field(default=new_uuid7, compare=False, repr=False)
    # a wave of wrong PINs on one terminal (audit records) raises a ``pin_failures`` flag
    pin_wave_failures: int = 10
    pin_wave_minutes: int = 15
    max_body_bytes: int = MAX_BODY_BYTES
    release_dir: Path | None = None
    # ``Server-Timing`` on /v1 responses (time in the credential check, in each database transaction, in the whole
    # request): for the load benchmark and for diagnosing a slow chain; off by default (it tells a caller how long
    # the server's queries take)
    server_timing: bool = False

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    @classmethod
    def from_env(cls, database_url: str | None = None) -> Settings:
        url = database_url or os.environ.get("LOYALTY_DATABASE_URL")
        if not url:
            raise ValueError("LOYALTY_DATABASE_URL is not set (or pass --database-url)")
        token = os.environ.get("LOYALTY_ADMIN_TOKEN")
        passphrase: bytes | None = None
        path = os.environ.get("LOYALTY_KEY_PASSPHRASE_FILE")
        if path:
            passphrase = Path(path).read_bytes().strip()
        elif os.environ.get("LOYALTY_KEY_PASSPHRASE"):
            passphrase = os.environ["LOYALTY_KEY_PASSPHRASE"].encode("utf-8")
        def number(name: str, default: int, low: int, high: int) -> int:
            text = os.environ.get(name, "").strip() or str(default)
            if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
                raise ValueError(f"{name} must be a whole number from {low} to {high} (got {text[:40]!r})")
            return int(text)

        return cls(
            database_url=url,
            admin_token_sha256=cls.hash_token(token) if token else None,
            key_passphrase=passphrase,
            credential_days=number("LOYALTY_CREDENTIAL_DAYS", 365, 1, 3650),
            enroll_code_hours=number("LOYALTY_ENROLL_CODE_HOURS", 24, 1, 24 * 30),
            member_code_days=number("LOYALTY_MEMBER_CODE_DAYS", 3650, 1, 36500),
            pool_size=number("LOYALTY_DB_POOL_SIZE", 10, 1, 1000),
            expiry_interval_seconds=number("LOYALTY_EXPIRY_INTERVAL", 3600, 0, 10**7),
            max_body_bytes=number("LOYALTY_MAX_BODY_BYTES", MAX_BODY_BYTES, 64 * 1024, 256 * 1024 * 1024),
            pin_wave_failures=number("LOYALTY_PIN_WAVE_FAILURES", 10, 1, 10_000),
            pin_wave_minutes=number("LOYALTY_PIN_WAVE_MINUTES", 15, 1, 24 * 60),
            release_dir=Path(os.environ["LOYALTY_RELEASE_DIR"]) if os.environ.get("LOYALTY_RELEASE_DIR") else None,
            server_timing=number("LOYALTY_SERVER_TIMING", 0, 0, 1) == 1,
        )
