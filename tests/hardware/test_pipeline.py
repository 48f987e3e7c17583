"""The camera pipeline end to end on real pixels: fake camera, video file, image folder, reconnection,
dropped frames, crash isolation. Waits on events (with a generous safety timeout), never on timings."""

from __future__ import annotations

import threading
import time

import cv2
import numpy as np
import pytest
from frames import ABORT_MARK, held_card_frames, make_frame

from hardware.scanner import (
    Debouncer,
    FakeCamera,
    ImageFilesSource,
    ScanPipeline,
    make_decoder,
    open_source,
)
from hardware.scanner.isolated import IsolatedDecoder

TEXT = "LM1.k1.0123456789abcdef0123456789abcdef.20261123.20281123.SIGNATURE-PLACEHOLDER"
SAFETY = 60.0  # seconds; only guards against a hang, never asserted as a speed


def wait_until(condition, what: str, timeout: float = SAFETY) -> None:  # type: ignore[no-untyped-def]
    """Poll ``condition`` until it holds; fail naming ``what`` if it has not after ``timeout`` (a hang guard)."""
    deadline = time.monotonic() + timeout
    tick = threading.Event()
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout:.0f} s for {what}"
        tick.wait(0.01)


def empty_frames(n: int, size=(640, 480), seed: int = 0) -> list[np.ndarray]:
    return [make_frame("no_code", size, seed=seed + i).image for i in range(n)]


def card_session(n_card: int = 40, seed: int = 7) -> list[np.ndarray]:
    """Empty counter, a card held up for ``n_card`` frames, empty again."""
    e = empty_frames(3, seed=seed)
    card = list(held_card_frames(TEXT, n_card, seed=seed, size=(640, 480), hard=False))
    return e[:2] + card + e[2:]


class Recorder:
    def __init__(self) -> None:
        self.scans: list[str] = []
        self.status: list[str] = []
        self.previews = 0
        self.results: list[tuple[int, list[str]]] = []
        self.lock = threading.Lock()

    def on_scan(self, scan, info) -> None:
        with self.lock:
            self.scans.append(scan.text)

    def on_status(self, ev) -> None:
        with self.lock:
            self.status.append(ev.code)

    def on_preview(self, frame, info) -> None:
        self.previews += 1

    def on_result(self, scans, info) -> None:
        self.results.append((info.index, [s.text for s in scans]))


def pipeline(source, rec: Recorder, decoder=None, **kw) -> ScanPipeline:
    return ScanPipeline(source, decoder or make_decoder("zxing"), on_scan=rec.on_scan, on_status=rec.on_status,
                        on_preview=rec.on_preview, on_result=rec.on_result, **kw)


def test_held_card_is_accepted_exactly_once():
    rec = Recorder()
    frames = card_session(40)
    p = pipeline(FakeCamera(frames), rec, drop_frames=False)
    p.run(timeout=SAFETY)
    assert rec.scans == [TEXT]
    assert rec.previews == len(frames) == p.stats.decoded
    assert sum(1 for _, texts in rec.results if TEXT in texts) >= 30  # read in most card frames
    assert rec.status[0] == "camera_ready" and "end_of_stream" in rec.status


def _two_cards(n: int, first_at: tuple[int, int], second_at: tuple[int, int]) -> tuple[list[np.ndarray], str, str]:
    """Frames with two members' cards in view, their top-left corners at ``first_at`` and ``second_at``."""
    from frames import _render_code, qr_modules

    first, second = TEXT.replace("0123", "aaaa"), TEXT.replace("0123", "bbbb")
    frames = []
    for i in range(n):
        img = np.full((480, 640), 200 + i % 3, np.uint8)
        for text, (x, y) in ((first, first_at), (second, second_at)):
            code = _render_code(qr_modules(text), 3)
            img[y:y + code.shape[0], x:x + code.shape[1]] = code
        frames.append(cv2.cvtColor(img, cv2.COLOR_GRAY2BGR))
    return frames, first, second


def test_with_two_cards_in_view_the_counter_takes_the_one_held_up_in_the_middle():
    """Two members' codes in one frame: the counter's pipeline passes on only the one nearest the centre (the
    card held up), never one after the other (which would leave the counter on whichever came last)."""
    centre, corner = (246, 166), (485, 325)
    frames, first, second = _two_cards(6, centre, corner)
    rec = Recorder()
    pipeline(FakeCamera(frames), rec, drop_frames=False, one_per_frame=True).run(timeout=SAFETY)
    assert rec.scans == [first]
    assert all(set(texts) == {first, second} for _, texts in rec.results)  # the decoder read both, every frame
    # the card in the middle decides, not the order the decoder reports them in
    frames, first, second = _two_cards(6, corner, centre)
    rec = Recorder()
    pipeline(FakeCamera(frames), rec, drop_frames=False, one_per_frame=True).run(timeout=SAFETY)
    assert rec.scans == [second]
    # without the rule (the pipeline's default, as `pos-terminal scan` uses it) both are passed on
    rec = Recorder()
    pipeline(FakeCamera(frames), rec, drop_frames=False).run(timeout=SAFETY)
    assert sorted(rec.scans) == sorted([first, second])


def test_busy_decoder_drops_old_frames_and_decodes_the_newest():
    gate = threading.Event()
    seen: list[int] = []

    class SlowDecoder:
        name = "slow"

        def decode(self, frame):
            gate.wait(SAFETY)  # busy until the camera has delivered everything
            seen.append(int(frame[0, 0, 0]))
            return []

        def close(self):
            pass

    frames = [np.full((48, 64, 3), i, np.uint8) for i in range(60)]
    rec = Recorder()
    p = pipeline(FakeCamera(frames), rec, decoder=SlowDecoder())  # live camera: drop_frames by default
    p.start()
    try:
        wait_until(lambda: p.stats.captured >= 60, "the camera to deliver all 60 frames")
        gate.set()
        assert p.wait(SAFETY)
    finally:
        p.stop()
    assert p.stats.captured == 60
    assert len(seen) <= 3  # the first frame it was busy with, then only the newest
    assert seen[-1] == 59
    assert p.stats.dropped >= 57
    assert rec.previews == 60  # the preview still saw every frame


def test_camera_busy_then_unplugged_is_reported_and_reconnected():
    rec = Recorder()
    frames = card_session(30)
    cam = FakeCamera(frames, busy_opens=2, unplug_at={10}, unplugged_opens=2)
    p = pipeline(cam, rec, drop_frames=False, reconnect_delays=(0.01,))
    p.run(timeout=SAFETY)
    s = rec.status
    assert s[:4] == ["camera_unavailable", "reconnecting", "camera_unavailable", "reconnecting"]
    assert "camera_ready" in s and "camera_lost" in s
    lost = s.index("camera_lost")
    assert s[lost + 1:lost + 5] == ["camera_unavailable", "reconnecting", "camera_unavailable", "reconnecting"]
    assert s[lost + 5] == "camera_ready"
    assert rec.scans == [TEXT]  # scanning carried on after the reconnection
    assert p.stats.reconnects == 4


def test_camera_that_never_comes_back_keeps_retrying_until_stopped():
    rec = Recorder()
    cam = FakeCamera([], busy_opens=10**6)
    p = pipeline(cam, rec, reconnect_delays=(0.001,))
    p.start()
    try:
        wait_until(lambda: cam.opens >= 5, "five attempts to open the camera")
    finally:
        p.stop()
    assert cam.opens >= 5
    assert set(rec.status) <= {"camera_unavailable", "reconnecting", "stopped"}
    assert rec.scans == []


def test_missing_camera_device_reports_unplugged_or_busy():
    rec = Recorder()
    p = pipeline(open_source(57), rec, max_reconnects=0)
    p.run(timeout=SAFETY)
    assert rec.status[0] == "camera_unavailable"
    assert rec.scans == []


def test_video_file_goes_through_the_same_pipeline(tmp_path):
    path = tmp_path / "card.avi"
    frames = card_session(30, seed=11)
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15.0, (640, 480))
    for f in frames:
        w.write(f)
    w.release()
    rec = Recorder()
    src = open_source(path)
    assert not src.live
    p = pipeline(src, rec)
    p.run(timeout=SAFETY)
    assert rec.scans == [TEXT]
    assert p.stats.decoded == len(frames) and p.stats.dropped == 0  # a file: every frame decoded


def test_folder_of_images_goes_through_the_same_pipeline(tmp_path):
    shots = [make_frame("clean", (640, 480), seed=i) for i in range(3)]
    for i, f in enumerate(shots):
        cv2.imwrite(str(tmp_path / f"shot{i}.png"), f.image)
    (tmp_path / "notes.txt").write_text("not an image")
    rec = Recorder()
    p = pipeline(open_source(tmp_path), rec, debouncer=Debouncer(n_frames=1))
    p.run(timeout=SAFETY)
    assert sorted(rec.scans) == sorted(f.text for f in shots)
    assert [texts for _, texts in rec.results] == [[f.text] for f in shots]


def test_unreadable_single_image_is_reported(tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG not really")
    rec = Recorder()
    p = pipeline(ImageFilesSource(bad), rec)
    p.run(timeout=SAFETY)
    assert "source_error" in rec.status
    assert rec.scans == [] and rec.results == []


def test_decoder_crash_inside_the_pipeline_is_reported_and_scanning_continues():
    good = list(held_card_frames(TEXT, 12, seed=5, size=(640, 480), hard=False))
    poison = good[0].copy()
    poison[0, 0] = ABORT_MARK
    frames = [poison, *good]
    rec = Recorder()
    dec = IsolatedDecoder("frames:make_aborting_decoder")
    try:
        p = pipeline(FakeCamera(frames), rec, decoder=dec, drop_frames=False)
        p.run(timeout=SAFETY)
    finally:
        dec.close()
    assert "decoder_crashed" in rec.status
    assert rec.scans == [TEXT]


def test_a_failing_callback_does_not_stop_scanning():
    rec = Recorder()
    calls = []

    def bad_preview(frame, info):
        calls.append(info.index)
        raise RuntimeError("UI went away")

    p = ScanPipeline(FakeCamera(card_session(20)), make_decoder("zxing"), on_scan=rec.on_scan,
                     on_status=rec.on_status, on_preview=bad_preview, drop_frames=False)
    p.run(timeout=SAFETY)
    assert rec.scans == [TEXT]
    assert "callback_error" in rec.status and len(calls) == p.stats.captured


@pytest.mark.parametrize("spec,kind", [(0, "OpenCVSource"), ("2", "OpenCVSource"), ("x.avi", "OpenCVSource"),
                                       ("x.png", "ImageFilesSource")])
def test_open_source_picks_the_source_kind(spec, kind):
    src = open_source(spec)
    assert type(src).__name__ == kind
    assert src.live == (kind == "OpenCVSource" and str(spec).isdigit() or spec == 0)


def test_bundled_demo_video_is_small_and_scans_once():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "resources" / "demo" / "card_demo.avi"
    assert path.stat().st_size < 2 * 1024 * 1024
    rec = Recorder()
    p = pipeline(open_source(path), rec)
    p.run(timeout=SAFETY)
    assert len(rec.scans) == 1 and rec.scans[0].startswith("LM1.DEMO1.")
    assert sum(1 for _, t in rec.results if t) >= 50  # the card is read in most of its 60 frames
