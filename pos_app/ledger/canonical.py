"""Canonical JSON and hashes: the exact bytes the terminal and the server hash to compare content."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(record: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of ``record`` without its own ``content_hash`` key."""
    return sha256_hex(canonical_json({k: v for k, v in record.items() if k != "content_hash"}))


def chain_hash(previous: str, content: str) -> str:
    return hashlib.sha256(f"{previous}:{content}".encode("ascii")).hexdigest()


def ms_to_iso(ms: int) -> str:
    """Milliseconds since the epoch -> ``2026-11-23T08:15:00.123Z``."""
    return datetime.fromtimestamp(ms // 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def iso_to_ms(text: str) -> int:
    return dt_to_ms(datetime.fromisoformat(text.replace("Z", "+00:00")))


def dt_to_ms(value: datetime) -> int:
    if value.tzinfo is None:
        raise ValueError("timestamp without a time zone")
    return int(value.replace(microsecond=0).timestamp()) * 1000 + value.microsecond // 1000


def ms_to_dt(ms: int) -> datetime:
    return datetime.fromtimestamp(ms // 1000, UTC).replace(microsecond=(ms % 1000) * 1000)
