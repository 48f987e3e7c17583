"""Ids born on the terminal: time-ordered 128-bit UUIDv7, generated before the write and reused on retry."""

from __future__ import annotations

import uuid6


def new_id() -> str:
    return str(uuid6.uuid7())
