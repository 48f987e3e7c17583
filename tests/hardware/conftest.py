"""Shared fixtures for the scanner tests: seeded frames (tests/hardware/frames.py) and a decoder that
aborts its process on demand (to prove isolation keeps the counter alive)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

ABORT_MARK = 13  # a frame whose top-left pixel is 13 makes AbortingDecoder abort()


class AbortingDecoder:
    """Stands in for a C library that asserts on some inputs (pyzbar, OpenCV): a real ``abort()`` of the
    worker process on a marked frame, a real zxing decode otherwise."""

    name = "aborting"

    def __init__(self) -> None:
        from hardware.scanner.zxing_backend import ZxingDecoder

        self._inner = ZxingDecoder(enhance=False)

    def decode(self, frame: np.ndarray) -> list:
        if int(frame.reshape(-1)[0]) == ABORT_MARK:
            os.abort()
        return self._inner.decode(frame)

    def close(self) -> None:
        pass


def make_aborting_decoder() -> AbortingDecoder:
    return AbortingDecoder()


@pytest.fixture(scope="session")
def frames_mod():
    import frames

    return frames
