"""Value types shared by every decoder backend and the camera pipeline (no Qt, nothing of pos_app)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

QR = "qr"
CODE128 = "code128"
EAN13 = "ean13"
SYMBOLOGIES: tuple[str, ...] = (QR, CODE128, EAN13)
DEFAULT_SYMBOLOGIES: tuple[str, ...] = (QR, CODE128)

Point = tuple[int, int]


@dataclass(frozen=True)
class Scan:
    """One decoded code in one frame.

    ``corners`` are the symbol's corners in frame pixels (top-left, top-right, bottom-right, bottom-left,
    as the backend reports them); ``backend`` names what produced it ("zxing", "zxing+crop", "pyzbar").
    """

    text: str
    symbology: str
    corners: tuple[Point, Point, Point, Point]
    backend: str = ""

    @property
    def center(self) -> tuple[float, float]:
        xs = [p[0] for p in self.corners]
        ys = [p[1] for p in self.corners]
        return (sum(xs) / 4.0, sum(ys) / 4.0)


class DecoderError(Exception):
    """A backend cannot be used or failed. ``code`` is stable; ``str()`` is English (the app translates)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@runtime_checkable
class Decoder(Protocol):
    """``decode(frame) -> scans``: frame is a BGR (HxWx3) or grey (HxW) uint8 array, never modified."""

    name: str

    def decode(self, frame: np.ndarray) -> list[Scan]: ...

    def close(self) -> None: ...


def check_symbologies(symbologies: Iterable[str]) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(s.strip().lower() for s in symbologies))
    bad = [s for s in out if s not in SYMBOLOGIES]
    if bad or not out:
        raise DecoderError(
            "bad_symbology",
            f"unknown symbology {', '.join(bad) or '(none)'}; choose from {', '.join(SYMBOLOGIES)}",
        )
    return out


def to_gray(frame: np.ndarray) -> np.ndarray:
    """A contiguous 8-bit grey view of ``frame`` (BGR, BGRA or grey)."""
    import cv2

    if not isinstance(frame, np.ndarray) or frame.ndim not in (2, 3) or frame.size == 0:
        raise DecoderError("bad_frame", "a frame must be a non-empty HxW or HxWxC image array")
    if frame.dtype != np.uint8:
        frame = np.clip(frame, 0, 255).astype(np.uint8)
    if frame.ndim == 3:
        channels = frame.shape[2]
        if channels == 3:
            return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        if channels == 4:
            return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
        if channels == 1:
            frame = frame[:, :, 0]
        else:
            raise DecoderError("bad_frame", f"a frame with {channels} channels is not an image")
    return np.ascontiguousarray(frame)
