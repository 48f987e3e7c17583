"""Keyboard-wedge scanners, on synthetic key timings: a scanner's burst is one scan; a person typing
(even fast) never is; a Thai keyboard layout is recognised, mapped back and reported."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.wedge import (
    MIXED_LAYOUT,
    THAI_LAYOUT,
    TypedText,
    WedgeConfig,
    WedgeDetector,
    WedgeEvent,
    WedgeScan,
    ascii_to_thai,
    thai_to_ascii,
)

CARD = "8123456789012345"
# What a scanner sending CARD types when Windows/Linux has the Thai Kedmanee layout active (by hand,
# from the keyboard: 8=ค 1=ๅ 2=/ 3=- 4=ภ 5=ถ 6=ุ 7=ึ 8=ค 9=ต 0=จ)
CARD_ON_THAI = "คๅ/-ภถุึคตจๅ/-ภถ"


def keys(text: str, start: int, gaps: list[int] | int) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    moment = start
    for index, char in enumerate(text):
        if index:
            moment += gaps if isinstance(gaps, int) else gaps[(index - 1) % len(gaps)]
        out.append((char, moment))
    return out


def run(detector: WedgeDetector, events: list[tuple[str, int]], flush_at: int | None = None) -> list[WedgeEvent]:
    out: list[WedgeEvent] = []
    for char, moment in events:
        out.extend(detector.feed(char, moment))
    if flush_at is not None:
        out.extend(detector.flush(flush_at))
    return out


def scans(events: list[WedgeEvent]) -> list[WedgeScan]:
    return [event for event in events if isinstance(event, WedgeScan)]


def typed(events: list[WedgeEvent]) -> str:
    return "".join(event.text for event in events if isinstance(event, TypedText))


def scanner_gaps(seed: int, count: int = 40) -> list[int]:
    rng = random.Random(seed)
    return [rng.randint(2, 25) for _ in range(count)]


def test_scanner_burst_is_one_scan() -> None:
    events = run(WedgeDetector(), keys(CARD + "\r", 1000, scanner_gaps(1)))
    (scan,) = scans(events)
    assert (scan.text, scan.layout, scan.warning) == (CARD, "ascii", None)
    assert typed(events) == ""


def test_person_typing_is_never_a_scan() -> None:
    rng = random.Random(2)
    slow = [rng.randint(90, 300) for _ in range(40)]
    detector = WedgeDetector()
    events = run(detector, keys(CARD + "\r", 1000, slow))
    assert scans(events) == []
    assert typed(events) == CARD + "\r"


def test_fast_typist_with_occasional_quick_pairs_is_not_a_scan() -> None:
    # rollover typing: some pairs of keys 15-25 ms apart, but never six in a row
    gaps = [20, 70, 18, 90, 25, 60, 15, 110, 22, 80]
    events = run(WedgeDetector(), keys(CARD + "\r", 0, gaps))
    assert scans(events) == []
    assert typed(events) == CARD + "\r"


def test_short_burst_is_typing() -> None:
    events = run(WedgeDetector(WedgeConfig(min_length=6)), keys("123\r", 0, 5))
    assert scans(events) == [] and typed(events) == "123\r"


def test_typing_then_a_scan() -> None:
    detector = WedgeDetector()
    events = run(detector, keys("ab", 0, 200)) + run(detector, keys(CARD + "\r", 500, 8))
    assert typed(events) == "ab"
    assert [scan.text for scan in scans(events)] == [CARD]


def test_thai_layout_digits_are_mapped_back_and_reported() -> None:
    events = run(WedgeDetector(), keys(CARD_ON_THAI + "\r", 0, scanner_gaps(3)))
    (scan,) = scans(events)
    assert scan.text == CARD
    assert scan.raw == CARD_ON_THAI
    assert scan.layout == "thai" and scan.warning == THAI_LAYOUT
    assert scan.warning_message is not None and "switch to English" in scan.warning_message
    assert "serial" in scan.warning_message


def test_thai_layout_member_qr_text_is_mapped_back() -> None:
    # "LM1:K1:ab-9" typed with Thai layout (Shift+L=ศ Shift+M=? 1=ๅ Shift+;=ซ Shift+K=ษ a=ฟ b=ิ -=ข 9=ต)
    events = run(WedgeDetector(), keys("ศ?ๅซษๅซฟิขต\r", 0, 6))
    (scan,) = scans(events)
    assert scan.text == "LM1:K1:ab-9" and scan.warning == THAI_LAYOUT


def test_mixed_layout_is_reported_as_is() -> None:
    events = run(WedgeDetector(), keys("12ภถ56€€\r", 0, 5))
    (scan,) = scans(events)
    assert scan.layout == "mixed" and scan.warning == MIXED_LAYOUT and scan.text == "12ภถ56€€"


def test_prefix_is_required_and_stripped() -> None:
    config = WedgeConfig(prefix="]C", min_length=6)
    events = run(WedgeDetector(config), keys("]C" + CARD + "\r", 0, 7))
    assert [scan.text for scan in scans(events)] == [CARD]
    # the prefix typed through a Thai layout is recognised too
    events = run(WedgeDetector(config), keys(ascii_to_thai("]C") + CARD_ON_THAI + "\r", 0, 7))
    assert [scan.text for scan in scans(events)] == [CARD]
    # a fast burst without the prefix is not our scanner
    events = run(WedgeDetector(config), keys(CARD + "\r", 0, 7))
    assert scans(events) == [] and typed(events) == CARD + "\r"


def test_no_suffix_scanner_ends_on_silence() -> None:
    config = WedgeConfig(suffix="", end_gap_ms=80)
    detector = WedgeDetector(config)
    burst = keys(CARD, 0, 9)
    last = burst[-1][1]
    assert run(detector, burst, flush_at=last + 40) == []  # still possibly mid-burst
    assert detector.pending == CARD
    (scan,) = scans(detector.flush(last + 80))
    assert scan.text == CARD and detector.pending == ""
    # if the timer was late, the next key closes the burst instead
    detector = WedgeDetector(config)
    events = run(detector, burst + [("x", last + 500)])
    assert [scan.text for scan in scans(events)] == [CARD] and detector.pending == "x"


def test_flush_releases_a_persons_keys() -> None:
    detector = WedgeDetector()
    assert detector.feed("7", 0) == []
    assert detector.flush(20) == []  # could still be the start of a burst
    assert detector.flush(31) == [TypedText("7")]


def test_crlf_suffix_gives_one_scan_and_a_later_enter_is_typing() -> None:
    detector = WedgeDetector(WedgeConfig(suffix="\r\n"))
    events = run(detector, keys(CARD + "\r\n", 0, 5))
    assert [scan.text for scan in scans(events)] == [CARD] and typed(events) == ""
    assert detector.feed("\r", 2000) == [TypedText("\r")]


def test_clock_going_backwards_breaks_the_burst() -> None:
    detector = WedgeDetector()
    events = run(detector, [("1", 1000), ("2", 1005), ("3", 10)] + keys("456789\r", 15, 5))
    assert typed(events) == "12"
    assert [scan.text for scan in scans(events)] == ["3456789"]


def test_config_is_validated() -> None:
    with pytest.raises(ValueError, match='max_interval_ms\\ and\\ min_length\\ must\\ be\\ positive'):
        WedgeConfig(max_interval_ms=0)
    with pytest.raises(ValueError, match='end_gap_ms\\ must\\ be\\ longer\\ than\\ max_interval_ms'):
        WedgeConfig(end_gap_ms=20, max_interval_ms=30)
    with pytest.raises(ValueError, match='suffix\\ must\\ be\\ one\\ key\\ \\(e\\.g\\.\\ Enter\\ or\\ Tab\\)\\ or\\ empty'):
        WedgeConfig(suffix="END")


def test_kedmanee_digit_row() -> None:
    assert ascii_to_thai("1234567890") == "ๅ/-ภถุึคตจ"
    assert thai_to_ascii("ๅ/-ภถุึคตจ") == "1234567890"
    assert thai_to_ascii("abc") is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=60))
def test_every_printable_ascii_code_survives_a_thai_layout(code: str) -> None:
    assert thai_to_ascii(ascii_to_thai(code)) == code


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ:-", min_size=6, max_size=40),
    st.lists(st.integers(1, 30), min_size=1, max_size=50),
    st.lists(st.integers(31, 400), min_size=1, max_size=50),
    st.booleans(),
)
def test_bursts_and_typing_are_told_apart(code: str, fast: list[int], slow: list[int], thai: bool) -> None:
    sent = ascii_to_thai(code) if thai else code
    detector = WedgeDetector()
    scanned = run(detector, keys(sent + "\r", 10_000, fast))
    assert [scan.text for scan in scans(scanned)] == [code]
    typed_events = run(detector, keys(code + "\r", 60_000, slow))
    assert scans(typed_events) == [] and typed(typed_events) == code + "\r"
