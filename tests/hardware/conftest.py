"""Shared set-up for the scanner tests: ``tests/hardware`` on ``sys.path`` so tests and decoder worker
processes can import ``frames`` (seeded frames and the decoder that aborts on demand)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


@pytest.fixture(scope="session")
def frames_mod():
    import frames

    return frames
