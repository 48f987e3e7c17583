"""Pick a decoder backend by name.

=============  ==============================================================  ==================
name           what                                                            isolated by default
=============  ==============================================================  ==================
``zxing``      the bare call, then budgeted extra passes when it read nothing  no (does not abort)
``zxing-bare`` zxing-cpp, the bare default call (baseline for benchmarks)       no
``pyzbar``     ZBar via pyzbar (needs ``libzbar0``)                            yes (can abort)
=============  ==============================================================  ==================
"""

from __future__ import annotations

from collections.abc import Sequence

from .isolated import EventCallback, IsolatedDecoder
from .types import DEFAULT_SYMBOLOGIES, Decoder, DecoderError, check_symbologies

BACKENDS: tuple[str, ...] = ("zxing", "zxing-bare", "pyzbar")
DEFAULT_BACKEND = "zxing"
_CAN_ABORT = {"pyzbar"}


def build_backend(name: str, symbologies: Sequence[str] = DEFAULT_SYMBOLOGIES) -> Decoder:
    """In-process construction (also what the isolated worker calls)."""
    syms = check_symbologies(symbologies)
    if name == "zxing":
        from .zxing_backend import ZxingDecoder

        return ZxingDecoder(syms, enhance=True)
    if name == "zxing-bare":
        from .zxing_backend import ZxingDecoder

        return ZxingDecoder(syms, enhance=False)
    if name == "pyzbar":
        from .pyzbar_backend import PyzbarDecoder

        return PyzbarDecoder(syms)
    raise DecoderError("unknown_backend", f"unknown decoder {name!r}; choose one of {', '.join(BACKENDS)}")


def make_decoder(name: str = DEFAULT_BACKEND, symbologies: Sequence[str] = DEFAULT_SYMBOLOGIES,
                 isolated: bool | None = None, on_event: EventCallback | None = None) -> Decoder:
    """A decoder by backend name. ``isolated=None`` isolates exactly the backends that can abort."""
    if name not in BACKENDS:
        raise DecoderError("unknown_backend", f"unknown decoder {name!r}; choose one of {', '.join(BACKENDS)}")
    syms = check_symbologies(symbologies)
    if isolated is None:
        isolated = name in _CAN_ABORT
    if not isolated:
        return build_backend(name, syms)
    return IsolatedDecoder("hardware.scanner.factory:build_backend", {"name": name, "symbologies": list(syms)},
                           name=name, on_event=on_event)
