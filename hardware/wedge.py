"""Keyboard-wedge scanners: tell a scanner's burst of keys from a person typing, and catch the Thai layout.

A USB scanner in keyboard mode "types" its code: many keys a few milliseconds apart, usually ended by
Enter (and sometimes started by a configured prefix). A person types tens to hundreds of milliseconds
apart. :class:`WedgeDetector` is pure logic fed ``(char, timestamp_ms)`` key events; the Qt adapter in
``pos_app.ui`` feeds it and turns its events into signals (no Qt here).

If the counter PC's keyboard layout is Thai (Kedmanee), the scanner's digit keys come out as Thai
letters: ``1234567890`` becomes ``ๅ/-ภถุึคตจ``. The detector maps a burst typed that way back to what the
scanner sent and reports :data:`THAI_LAYOUT` so the app can tell the cashier to switch the layout or
put the scanner in serial mode.

    detector = WedgeDetector(WedgeConfig(suffix="\\r", max_interval_ms=30, min_length=6))
    for event in detector.feed(char, timestamp_ms):
        if isinstance(event, WedgeScan): ...        # event.text, event.layout, event.warning
        elif isinstance(event, TypedText): ...      # a person typed event.text
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Layout = Literal["ascii", "thai", "mixed"]

#: Stable codes of warnings (the app translates them).
THAI_LAYOUT = "thai_layout"
MIXED_LAYOUT = "mixed_layout"
WARNINGS: dict[str, str] = {
    THAI_LAYOUT: ("keyboard layout is Thai: switch to English (Grave/Alt+Shift) "
                  "or set the scanner to serial mode"),
    MIXED_LAYOUT: ("the scanner's keys arrived in a mix of Thai and English: switch the keyboard layout "
                   "to English (Grave/Alt+Shift) or set the scanner to serial mode"),
}

# Thai Kedmanee (TIS 820-2538) layout: US key -> character produced, unshifted then shifted keys.
_US_UNSHIFTED = "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./"
_TH_UNSHIFTED = "_ๅ/-ภถุึคตจขชๆไำพะัีรนยบลฃฟหกดเ้่าสวงผปแอิืทมใฝ"
_US_SHIFTED = '~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:"ZXCVBNM<>?'
_TH_SHIFTED = '%+๑๒๓๔ู฿๕๖๗๘๙๐"ฎฑธํ๊ณฯญฐ,ฅฤฆฏโฌ็๋ษศซ.()ฉฮฺ์?ฒฬฦ'

US_TO_THAI: dict[str, str] = dict(zip(_US_UNSHIFTED + _US_SHIFTED, _TH_UNSHIFTED + _TH_SHIFTED, strict=True))
THAI_TO_US: dict[str, str] = {thai: us for us, thai in US_TO_THAI.items()}
# a space bar is a space in both layouts
US_TO_THAI[" "] = " "
THAI_TO_US[" "] = " "


def _is_thai(char: str) -> bool:
    return "\u0e00" <= char <= "\u0e7f"


def thai_to_ascii(text: str) -> str | None:
    """What a scanner sent, from what a Thai-layout keyboard turned it into; None if it cannot have come
    through that layout (contains characters the Thai layout never produces)."""
    out: list[str] = []
    for char in text:
        us = THAI_TO_US.get(char)
        if us is None:
            return None
        out.append(us)
    return "".join(out)


def ascii_to_thai(text: str) -> str:
    """What a scanner sending ``text`` types on a Thai-layout keyboard (for demos and the UI's hints)."""
    return "".join(US_TO_THAI.get(char, char) for char in text)


def detect_layout(text: str) -> tuple[Layout, str]:
    """``(layout, text as the scanner sent it)``: Thai-layout bursts are mapped back."""
    if not any(_is_thai(char) for char in text):
        return "ascii", text
    mapped = thai_to_ascii(text)
    if mapped is None:
        return "mixed", text
    return "thai", mapped


@dataclass(frozen=True, slots=True)
class WedgeConfig:
    """``prefix``/``suffix``: what the scanner is set to send around each code (suffix ``"\\r"`` is Enter;
    empty suffix: a burst ends after ``end_gap_ms`` of silence, see :meth:`WedgeDetector.flush`).
    ``max_interval_ms``: the longest gap between two keys of one burst; ``min_length``: shortest code."""

    prefix: str = ""
    suffix: str = "\r"
    max_interval_ms: int = 30
    min_length: int = 6
    end_gap_ms: int = 80

    def __post_init__(self) -> None:
        if self.max_interval_ms <= 0 or self.min_length < 1:
            raise ValueError("max_interval_ms and min_length must be positive")
        if self.end_gap_ms <= self.max_interval_ms:
            raise ValueError("end_gap_ms must be longer than max_interval_ms")
        if len(self.suffix) > 1 and self.suffix not in ("\r\n", "\n\r"):
            raise ValueError("suffix must be one key (e.g. Enter or Tab) or empty")


@dataclass(frozen=True, slots=True)
class WedgeScan:
    """A code a scanner typed. ``text`` is what the scanner sent (mapped back from a Thai layout);
    ``raw`` what arrived; ``warning`` a code of :data:`WARNINGS` or None."""

    text: str
    raw: str
    layout: Layout
    started_ms: int
    duration_ms: int
    warning: str | None = None

    @property
    def warning_message(self) -> str | None:
        return WARNINGS.get(self.warning) if self.warning else None


@dataclass(frozen=True, slots=True)
class TypedText:
    """Keys a person typed (or a too-slow/too-short burst): the UI treats them as ordinary typing."""

    text: str


WedgeEvent = WedgeScan | TypedText


@dataclass
class WedgeDetector:
    config: WedgeConfig = field(default_factory=WedgeConfig)
    _chars: list[str] = field(default_factory=list, init=False)
    _times: list[int] = field(default_factory=list, init=False)
    _swallow_newline_until: int | None = field(default=None, init=False)

    @property
    def pending(self) -> str:
        """Keys held while deciding whether they are a scanner burst."""
        return "".join(self._chars)

    def feed(self, char: str, timestamp_ms: int) -> list[WedgeEvent]:
        """One key (its text: a character, ``"\\r"`` for Enter, ``"\\t"`` for Tab) at ``timestamp_ms``."""
        events: list[WedgeEvent] = []
        if not char:
            return events
        if self._times:
            gap = timestamp_ms - self._times[-1]
            if gap < 0 or gap > self.config.max_interval_ms:  # a pause (or clock jump): not one burst
                events.extend(self._close_after_silence(self._times[-1] + self.config.end_gap_ms))
        swallow_until, self._swallow_newline_until = self._swallow_newline_until, None
        if swallow_until is not None and char in "\r\n" and not self._chars and timestamp_ms <= swallow_until:
            return events  # the LF of a scanner's CR LF suffix
        if self._is_suffix(char):
            events.extend(self._end_burst(char, timestamp_ms))
            return events
        self._chars.append(char)
        self._times.append(timestamp_ms)
        return events

    def flush(self, now_ms: int) -> list[WedgeEvent]:
        """Call from a timer (every ~20 ms while :attr:`pending` is not empty): releases a person's held
        keys once the pause shows they are not a burst, and closes a burst of a scanner set to send no
        suffix after ``end_gap_ms`` of silence."""
        if not self._times:
            return []
        idle = now_ms - self._times[-1]
        if self.config.suffix:
            return self._give_up() if idle > self.config.max_interval_ms or idle < 0 else []
        if 0 <= idle < self.config.end_gap_ms:
            return []
        return self._close_after_silence(now_ms)

    def reset(self) -> list[WedgeEvent]:
        """Drop the state (e.g. focus moved); held keys come back as typing."""
        return self._give_up()

    # internals ---------------------------------------------------------------------------------
    def _is_suffix(self, char: str) -> bool:
        suffix = self.config.suffix
        if not suffix:
            return False
        if suffix in ("\r\n", "\n\r"):
            return char in "\r\n"
        return char == suffix

    def _reset(self) -> None:
        self._chars.clear()
        self._times.clear()

    def _give_up(self) -> list[WedgeEvent]:
        if not self._chars:
            return []
        text = "".join(self._chars)
        self._reset()
        return [TypedText(text)]

    def _close_after_silence(self, now_ms: int) -> list[WedgeEvent]:
        if not self.config.suffix:
            scan = self._as_scan(None, now_ms)
            if scan is not None:
                self._reset()
                return [scan]
        return self._give_up()

    def _end_burst(self, suffix_char: str, timestamp_ms: int) -> list[WedgeEvent]:
        scan = self._as_scan(suffix_char, timestamp_ms)
        if scan is not None:
            self._reset()
            if len(self.config.suffix) == 2:
                self._swallow_newline_until = timestamp_ms + self.config.max_interval_ms
            return [scan]
        held = "".join(self._chars)
        self._reset()
        return [TypedText(held + suffix_char)]

    def _as_scan(self, suffix_char: str | None, end_ms: int) -> WedgeScan | None:
        if not self._chars:
            return None
        raw = "".join(self._chars)
        payload = self._strip_prefix(raw)
        if payload is None or len(payload) < self.config.min_length:
            return None
        layout, text = detect_layout(payload)
        warning = {"ascii": None, "thai": THAI_LAYOUT, "mixed": MIXED_LAYOUT}[layout]
        last = end_ms if suffix_char is not None else self._times[-1]
        return WedgeScan(text=text, raw=raw, layout=layout, started_ms=self._times[0],
                         duration_ms=last - self._times[0], warning=warning)

    def _strip_prefix(self, raw: str) -> str | None:
        prefix = self.config.prefix
        if not prefix:
            return raw
        for spelling in (prefix, ascii_to_thai(prefix)):
            if raw.startswith(spelling):
                return raw[len(spelling) :]
        return None
