"""One held card must never trigger two awards; a card shown again later counts again."""

from __future__ import annotations

import pytest

from hardware.scanner import Debouncer, Scan

A = Scan("MEMBER-A", "qr", ((0, 0), (10, 0), (10, 10), (0, 10)))
B = Scan("MEMBER-B", "qr", ((0, 0), (10, 0), (10, 10), (0, 10)))


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def run(deb: Debouncer, clock: Clock, frames: list[list[Scan]], dt: float = 1 / 30) -> list[str]:
    out = []
    for scans in frames:
        out += [s.text for s in deb.feed(scans)]
        clock.t += dt
    return out


def test_accepts_after_n_frames_not_before():
    clock = Clock()
    deb = Debouncer(n_frames=2, clock=clock)
    assert deb.feed([A]) == []
    assert [s.text for s in deb.feed([A])] == ["MEMBER-A"]


def test_one_missed_read_in_between_still_accepts():
    clock = Clock()
    assert run(Debouncer(n_frames=2, clock=clock), clock, [[A], [], [A]]) == ["MEMBER-A"]


def test_single_glimpse_is_not_accepted():
    clock = Clock()
    assert run(Debouncer(n_frames=2, clock=clock), clock, [[A], [], [], [], [], [A], [], [], [], []]) == []


def test_card_held_for_a_minute_counts_once():
    clock = Clock()
    frames = [[A] if i % 3 else [] for i in range(30 * 60)]  # seen in 2 of every 3 frames for 60 s
    assert run(Debouncer(n_frames=2, hold_s=3.0, clock=clock), clock, frames) == ["MEMBER-A"]


def test_same_card_shown_again_after_the_hold_counts_again():
    clock = Clock()
    deb = Debouncer(n_frames=2, hold_s=3.0, clock=clock)
    frames = [[A]] * 10 + [[]] * (30 * 4) + [[A]] * 10
    assert run(deb, clock, frames) == ["MEMBER-A", "MEMBER-A"]


def test_same_card_back_within_the_hold_is_ignored():
    clock = Clock()
    deb = Debouncer(n_frames=2, hold_s=3.0, clock=clock)
    frames = [[A]] * 10 + [[]] * 30 + [[A]] * 10  # away for 1 s only
    assert run(deb, clock, frames) == ["MEMBER-A"]


def test_two_members_one_after_the_other_both_count():
    clock = Clock()
    assert run(Debouncer(clock=clock), clock, [[A], [A], [B], [B], [A, B]]) == ["MEMBER-A", "MEMBER-B"]


def test_duplicate_reads_in_one_frame_count_as_one_frame():
    clock = Clock()
    deb = Debouncer(n_frames=2, clock=clock)
    assert deb.feed([A, A]) == []


def test_n_frames_must_be_positive():
    with pytest.raises(ValueError, match='n_frames\\ must\\ be\\ >=\\ 1'):
        Debouncer(n_frames=0)
