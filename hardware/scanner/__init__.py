"""Camera scanning: decoders behind one small interface, the camera pipeline and the debouncer.

No Qt and nothing of ``pos_app``: status and errors carry stable codes and English text, the app
translates them and adapts the callbacks to Qt signals.

    from hardware.scanner import make_decoder, ScanPipeline, open_source
    decoder = make_decoder("zxing")                # or "pyzbar" (isolated in a worker process)
    scans = decoder.decode(frame)                  # -> list[Scan(text, symbology, corners, backend)]
"""

from __future__ import annotations

from .debounce import Debouncer
from .factory import BACKENDS, DEFAULT_BACKEND, make_decoder
from .pipeline import STATUS_MESSAGES, FrameInfo, LatestSlot, ScanPipeline, StatusEvent
from .sources import FakeCamera, FrameSource, ImageFilesSource, OpenCVSource, SourceError, open_source
from .types import CODE128, DEFAULT_SYMBOLOGIES, EAN13, QR, SYMBOLOGIES, Decoder, DecoderError, Scan

__all__ = [
    "BACKENDS",
    "CODE128",
    "DEFAULT_BACKEND",
    "DEFAULT_SYMBOLOGIES",
    "EAN13",
    "QR",
    "SYMBOLOGIES",
    "STATUS_MESSAGES",
    "Debouncer",
    "Decoder",
    "DecoderError",
    "FakeCamera",
    "FrameInfo",
    "FrameSource",
    "ImageFilesSource",
    "LatestSlot",
    "OpenCVSource",
    "Scan",
    "ScanPipeline",
    "SourceError",
    "StatusEvent",
    "make_decoder",
    "open_source",
]
