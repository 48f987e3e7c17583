"""pyzbar (ZBar) backend: the alternative. Needs the system library ``libzbar0`` (apt) on Linux.

ZBar can hit a C ``assert`` on some inputs and abort the whole process: the factory runs this backend in an
isolated worker process by default (see ``isolated.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .types import (
    CODE128,
    DEFAULT_SYMBOLOGIES,
    EAN13,
    QR,
    DecoderError,
    Point,
    Scan,
    check_symbologies,
    to_gray,
)


def _load() -> object:
    try:
        from pyzbar import pyzbar
    except (ImportError, OSError) as exc:  # OSError/ImportError: libzbar0 missing
        raise DecoderError(
            "backend_unavailable",
            "the pyzbar decoder needs the system library libzbar0 (apt install libzbar0): " + str(exc),
        ) from exc
    return pyzbar


class PyzbarDecoder:
    name = "pyzbar"

    def __init__(self, symbologies: Sequence[str] = DEFAULT_SYMBOLOGIES, try_invert: bool = True) -> None:
        """``try_invert``: when nothing is found, look again at the inverted frame (ZBar reads only dark
        codes on a light ground; phones in dark mode show the opposite). Doubles the time of empty frames."""
        self.symbologies = check_symbologies(symbologies)
        self.try_invert = try_invert
        self._pyzbar = _load()
        zs = self._pyzbar.ZBarSymbol  # type: ignore[attr-defined]
        table = {QR: zs.QRCODE, CODE128: zs.CODE128, EAN13: zs.EAN13}
        self._symbols = [table[s] for s in self.symbologies]
        self._names = {"QRCODE": QR, "CODE128": CODE128, "EAN13": EAN13}

    def close(self) -> None:
        return None

    def decode(self, frame: np.ndarray) -> list[Scan]:
        gray = to_gray(frame)
        out = self._decode(gray)
        if not out and self.try_invert:
            out = self._decode(255 - gray)
        return out

    def _decode(self, gray: np.ndarray) -> list[Scan]:
        out: list[Scan] = []
        for r in self._pyzbar.decode(gray, symbols=self._symbols):  # type: ignore[attr-defined]
            sym = self._names.get(str(r.type))
            if sym is None:
                continue
            try:
                text = r.data.decode("utf-8")
            except UnicodeDecodeError:
                text = r.data.decode("latin-1")
            pts = list(r.polygon) or [(r.rect.left, r.rect.top)]
            xs = [p[0] for p in pts]
            ys = [p[1] for p in pts]
            c: tuple[Point, Point, Point, Point] = (
                (min(xs), min(ys)), (max(xs), min(ys)), (max(xs), max(ys)), (min(xs), max(ys)))
            out.append(Scan(text, sym, c, self.name))
        return out
