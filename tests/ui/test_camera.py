"""The camera panel through the real pipeline and the real zxing decoder on generated camera frames (a folder of
images is a camera source like a device index); only the device itself is replaced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import pytest
from PySide6.QtCore import Qt
from ui_steps import show, sign_in

from hardware.scanner import STATUS_MESSAGES
from pos_app.config import CameraSection, SyncSection, TerminalConfig
from pos_app.core.i18n import _
from pos_app.services import open_terminal
from pos_app.ui.camera import CAMERA_STATUS, PREVIEW_WIDTH, status_text
from pos_app.ui.counter import CounterWindow
from tests.hardware.frames import held_card_frames

TIMEOUT = 30_000
PHONE = "0812345678"


@pytest.fixture
def member_code(data_dir: Path) -> str:
    services = open_terminal(data_dir)
    try:
        code = services.members.find_by_phone(PHONE).member_code
    finally:
        services.close()
    assert code
    return str(code)


def frames_folder(folder: Path, text: str, n: int = 14) -> Path:
    folder.mkdir()
    for i, frame in enumerate(held_card_frames(text, n, size=(640, 480), hard=False)):
        cv2.imwrite(str(folder / f"frame-{i:03d}.png"), frame)
    return folder


def signed_in_window(qtbot: Any, data_dir: Path, source: int | str) -> CounterWindow:
    config = TerminalConfig(sync=SyncSection(interval_seconds=3600),
                            camera=CameraSection(source=source, width=640, height=480, fps=30))
    win = show(qtbot, CounterWindow(data_dir, config=config))
    sign_in(qtbot, win)
    return win


def test_a_card_held_to_the_camera_identifies_the_member_exactly_once(
        qtbot: Any, data_dir: Path, tmp_path: Path, member_code: str) -> None:
    folder = frames_folder(tmp_path / "frames", member_code)
    win = signed_in_window(qtbot, data_dir, str(folder))
    shown: list[Any] = []
    previews: list[int] = []
    win.member_shown.connect(shown.append)
    win.camera_panel.preview_updated.connect(lambda: previews.append(win.camera_panel.preview.pixmap().width()))
    try:
        with qtbot.waitSignal(win.camera_panel.status_changed, timeout=TIMEOUT,
                              check_params_cb=lambda code: code == "end_of_stream"):
            win.camera_button.click()  # the cashier opens the camera panel
        assert win.camera_panel.isVisible()
        pipeline = win.camera_panel.pipeline
        assert pipeline is not None
        qtbot.waitUntil(lambda: pipeline.wait(0), timeout=TIMEOUT)  # every frame decoded, every scan emitted
        qtbot.waitUntil(lambda: win.worker.idle and bool(shown), timeout=TIMEOUT)
        assert pipeline.stats.decoded == 14
        assert len(shown) == 1 and shown[0].name == "สมชาย ใจดี"
        assert win.member_name.text() == "สมชาย ใจดี"
        assert previews and max(previews) <= PREVIEW_WIDTH  # shown downscaled
        assert win.camera_panel.status.text() == status_text("end_of_stream")
    finally:
        win.shutdown()
    assert not win.camera_panel.running


def test_an_unplugged_camera_is_said_clearly_and_the_counter_keeps_working(qtbot: Any, data_dir: Path) -> None:
    win = signed_in_window(qtbot, data_dir, 63)  # no such device here
    try:
        with qtbot.waitSignal(win.camera_panel.status_changed, timeout=TIMEOUT,
                              check_params_cb=lambda code: code == "camera_unavailable"):
            win.start_camera()
        assert win.camera_panel.status.text() == _(CAMERA_STATUS["camera_unavailable"])
        assert win.camera_panel.preview.text() == _(CAMERA_STATUS["camera_unavailable"])
        qtbot.keyClicks(win.member_field, PHONE)
        with qtbot.waitSignal(win.member_shown, timeout=TIMEOUT):
            qtbot.keyClick(win.member_field, Qt.Key.Key_Return)
        win.stop_camera()
        assert not win.camera_panel.isVisible() and not win.camera_button.isChecked()
    finally:
        win.shutdown()


def test_every_scanner_status_has_a_thai_text() -> None:
    for code in STATUS_MESSAGES:
        assert status_text(code) != CAMERA_STATUS[code], code  # translated (tests run in Thai)
