"""Accept a code once it was seen in N frames; then ignore that same code while it stays in view and for
``hold_s`` seconds after, so one card held in front of the camera can never trigger two awards."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .types import Scan


@dataclass
class _Seen:
    frames: deque[int]
    last_seen: float
    accepted_at: float | None = None


class Debouncer:
    """``feed(scans)`` once per decoded frame returns the scans accepted *now* (each code at most once
    per hold period).

    * a code is accepted when it was read in ``n_frames`` of the last ``window`` decoded frames
      (default 2 of 4: one missed read in between does not reset it);
    * after acceptance the same text is ignored until it has been out of sight for ``hold_s`` seconds
      *and* ``hold_s`` seconds have passed since the acceptance (a card held for a minute counts once).
    """

    def __init__(self, n_frames: int = 2, hold_s: float = 3.0, window: int | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if n_frames < 1:
            raise ValueError("n_frames must be >= 1")
        self.n_frames = n_frames
        self.window = max(window or 2 * n_frames, n_frames)
        self.hold_s = hold_s
        self.clock = clock
        self._frame = 0
        self._seen: dict[str, _Seen] = {}

    def reset(self) -> None:
        self._seen.clear()

    def feed(self, scans: Iterable[Scan]) -> list[Scan]:
        now = self.clock()
        self._frame += 1
        accepted: list[Scan] = []
        texts_this_frame: set[str] = set()
        for scan in scans:
            if scan.text in texts_this_frame:
                continue
            texts_this_frame.add(scan.text)
            st = self._seen.get(scan.text)
            if st is None:
                st = self._seen[scan.text] = _Seen(deque(maxlen=self.window), now)
            elif st.accepted_at is not None:
                quiet = now - st.last_seen >= self.hold_s and now - st.accepted_at >= self.hold_s
                if quiet:  # gone long enough: a new presentation of the card
                    st.accepted_at = None
                    st.frames.clear()
            st.last_seen = now
            if st.accepted_at is not None:
                continue
            st.frames.append(self._frame)
            recent = [f for f in st.frames if f > self._frame - self.window]
            if len(recent) >= self.n_frames:
                st.accepted_at = now
                st.frames.clear()
                accepted.append(scan)
        # forget codes not seen for a while (bounded memory)
        horizon = max(self.hold_s, 1.0) * 2
        for text in [t for t, s in self._seen.items() if now - s.last_seen > horizon]:
            del self._seen[text]
        return accepted
