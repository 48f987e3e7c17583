"""The ledger's hash chain over record content hashes. Canonical JSON, content hashes and the time format are
``sync.records``'s (one definition for the terminal, the sync client and the server); re-exported here for the
ledger's callers."""

from __future__ import annotations

import hashlib

from sync.records import (  # noqa: F401 - re-exported
    canonical_json,
    content_hash,
    dt_to_ms,
    iso_to_ms,
    ms_to_dt,
    ms_to_iso,
    sha256_hex,
)

GENESIS_HASH = "0" * 64


def chain_hash(previous: str, content: str) -> str:
    return hashlib.sha256(f"{previous}:{content}".encode("ascii")).hexdigest()
