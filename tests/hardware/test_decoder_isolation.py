"""A decoder that aborts its process must not take the counter down: it runs in a worker that restarts."""

from __future__ import annotations

import numpy as np
from frames import ABORT_MARK, make_frame

from hardware.scanner import make_decoder
from hardware.scanner.isolated import IsolatedDecoder


def test_abort_in_the_decoder_is_survived_reported_and_the_next_frame_reads():
    events: list[tuple[str, str]] = []
    d = IsolatedDecoder("frames:make_aborting_decoder", on_event=lambda c, m: events.append((c, m)))
    try:
        good = make_frame("clean", (640, 480), seed=1)
        assert [s.text for s in d.decode(good.image)] == [good.text]
        first_pid = d._proc.pid
        poison = good.image.copy()
        poison[0, 0] = ABORT_MARK
        assert d.decode(poison) == []  # the worker died on this frame; we are still here
        assert events and events[0][0] == "decoder_crashed"
        assert "restarted" in events[0][1]
        assert d.crashes == 1 and d._proc.pid != first_pid
        # the restarted worker reads the next frame
        assert [s.text for s in d.decode(good.image)] == [good.text]
        # and survives repeated crashes
        for _ in range(3):
            assert d.decode(poison) == []
        assert d.crashes == 4
        assert [s.text for s in d.decode(good.image)] == [good.text]
    finally:
        d.close()
    # (this process outlived four aborts of the worker: it is the one that read the good frame above)


def test_pyzbar_runs_isolated_by_default_and_reads():
    d = make_decoder("pyzbar")
    try:
        assert isinstance(d, IsolatedDecoder)
        f = make_frame("clean", (1280, 720), seed=2)
        scans = d.decode(f.image)
        assert [(s.text, s.symbology) for s in scans] == [(f.text, "qr")]
        assert d.decode(np.full((480, 640), 255, np.uint8)) == []
    finally:
        d.close()


def test_zxing_default_runs_in_process():
    assert not isinstance(make_decoder("zxing"), IsolatedDecoder)
