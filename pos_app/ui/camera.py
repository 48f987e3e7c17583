"""The optional camera panel: hardware.scanner's pipeline with its callbacks adapted to queued Qt signals.

The pipeline (no Qt) captures and decodes on its own threads. Its callbacks only emit signals of a
:class:`CameraBridge` living on the UI thread, so widgets are touched on the UI thread only:

* every captured frame is shrunk *for display only* (decoding always sees the full frame) and at most one
  preview waits in the event queue at a time, so a slow screen never piles frames up;
* a code the debouncer accepted goes to the window, which identifies it exactly like a typed code;
* status codes (``camera_ready``, ``camera_unavailable`` ...) are shown translated; a camera that is unplugged
  or busy is shown clearly, and the pipeline keeps trying to reconnect.

OpenCV, NumPy and the decoders (``hardware.scanner``, ~0.5 s to import) are imported when the camera starts
or the first frame is shown, not with the window: the PIN screen does not wait for them (bench/bench_ui.py).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pos_app.config import CameraSection
from pos_app.core.i18n import N_, _

if TYPE_CHECKING:
    import numpy as np

    from hardware.scanner import ScanPipeline

PREVIEW_WIDTH = 256  # display only (small enough for the member panel at 768 px): decoding always gets the camera's full frame (shrinking loses codes)

#: hardware.scanner's status codes (English in STATUS_MESSAGES), as the cashier reads them
CAMERA_STATUS: dict[str, str] = {
    "camera_ready": N_("Camera ready: hold the member card up to it."),
    "camera_unavailable": N_("Camera unplugged or busy: check its cable. Trying again…"),
    "reconnecting": N_("Trying to reconnect to the camera…"),
    "camera_lost": N_("Camera unplugged or busy: check its cable. Trying again…"),
    "end_of_stream": N_("End of the video or images."),
    "decoder_crashed": N_("The code reader crashed and was restarted."),
    "decoder_error": N_("The code reader failed on a picture."),
    "source_error": N_("Cannot read the camera input: check the camera setting."),
    "callback_error": N_("A scan could not be handled."),
    "stopped": N_("Camera off."),
}
PROBLEM_CODES = {"camera_unavailable", "camera_lost", "reconnecting", "source_error", "decoder_crashed"}
# every scanner status has a translated text here: tests/ui/test_camera.py checks it against STATUS_MESSAGES


def status_text(code: str) -> str:
    template = CAMERA_STATUS.get(code)
    if template:
        return _(template)
    from hardware.scanner import STATUS_MESSAGES

    return _("Camera: {status}").format(status=STATUS_MESSAGES.get(code, code))


def preview_image(frame: np.ndarray, width: int = PREVIEW_WIDTH) -> QImage:
    """A small RGB copy of a BGR (or grey) frame for the screen."""
    import cv2
    import numpy as np

    h, w = frame.shape[:2]
    if w > width:
        frame = cv2.resize(frame, (width, max(1, round(h * width / w))), interpolation=cv2.INTER_AREA)
    if frame.ndim == 2:
        rgb = cv2.cvtColor(frame, cv2.COLOR_GRAY2RGB)
    else:
        rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()  # own the pixels


class CameraBridge(QObject):
    """Lives on the UI thread; the pipeline's threads emit these (queued to the UI thread)."""

    frame = Signal(object)          # QImage, already downscaled
    scanned = Signal(str)           # an accepted code
    status = Signal(str, object)    # code, detail dict


class CameraPanel(QWidget):
    """Preview + status line; ``start()`` opens the configured source, ``stop()`` releases it."""

    scanned = Signal(str)
    status_changed = Signal(str)    # the status code just shown
    preview_updated = Signal()

    def __init__(self, section: CameraSection, parent: QWidget | None = None, *, decoder: str = "zxing") -> None:
        super().__init__(parent)
        self.setObjectName("cameraPanel")
        self.section = section
        self.decoder_name = decoder
        self.pipeline: ScanPipeline | None = None
        self.status_code = "stopped"
        self._preview_waiting = threading.Event()
        self.bridge = CameraBridge(self)
        queued = Qt.ConnectionType.QueuedConnection
        self.bridge.frame.connect(self._show_frame, queued)
        self.bridge.scanned.connect(self.scanned, queued)
        self.bridge.status.connect(self._show_status, queued)
        self.preview = QLabel()
        self.preview.setObjectName("cameraPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setWordWrap(True)  # it says "unplugged" in words when there is no picture
        self.preview.setMinimumSize(PREVIEW_WIDTH, PREVIEW_WIDTH * 3 // 4)
        self.status = QLabel()
        self.status.setObjectName("cameraStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview)
        layout.addWidget(self.status)
        self.retranslate()

    @property
    def running(self) -> bool:
        return self.pipeline is not None

    def retranslate(self) -> None:
        self.status.setText(status_text(self.status_code) if self.status_code != "starting" else "")

    def start(self) -> None:
        if self.pipeline is not None:
            return
        s = self.section
        try:
            from hardware.scanner import Debouncer, ScanPipeline, make_decoder, open_source

            source = open_source(s.source, s.width, s.height, s.fps)
            decoder = make_decoder(self.decoder_name)
        except Exception as exc:  # noqa: BLE001 - bad setting or missing library: say so, the counter goes on
            self._show_status("source_error", {"error": str(exc)})
            return
        self.pipeline = ScanPipeline(source, decoder, Debouncer(),
                                     on_scan=lambda scan, _info: self.bridge.scanned.emit(scan.text),
                                     on_preview=self._on_preview,
                                     on_status=lambda event: self.bridge.status.emit(event.code, event.detail),
                                     one_per_frame=True)  # two cards in view: the one held up, in the middle
        self.status_code = "starting"
        self.status.clear()
        self.pipeline.start()

    def stop(self) -> None:
        pipeline, self.pipeline = self.pipeline, None
        if pipeline is None:
            return
        pipeline.stop()
        close = getattr(pipeline.decoder, "close", None)
        if close is not None:
            close()
        self.preview.clear()
        self._show_status("stopped", {})

    # ------------------------------------------------------------------ pipeline threads -> UI thread
    def _on_preview(self, frame: np.ndarray, _info: Any) -> None:
        if self._preview_waiting.is_set():
            return  # the screen has not shown the previous one yet: skip (display only)
        self._preview_waiting.set()
        self.bridge.frame.emit(preview_image(frame))

    def _show_frame(self, image: QImage) -> None:
        self._preview_waiting.clear()
        if self.pipeline is None:
            return
        self.preview.setPixmap(QPixmap.fromImage(image))
        self.preview_updated.emit()

    def _show_status(self, code: str, _detail: object) -> None:
        if code == "camera_ready" and self.pipeline is None:
            return
        if code == "reconnecting" and self.status_code in {"camera_unavailable", "camera_lost"}:
            return  # keep saying it is unplugged (that text already says it keeps trying)
        self.status_code = code
        self.status.setText(status_text(code))
        self.status.setProperty("kind", "error" if code in PROBLEM_CODES else "info")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        if code in {"camera_unavailable", "camera_lost"}:
            self.preview.clear()
            self.preview.setText(status_text(code))
        self.status_changed.emit(code)


__all__ = ["CAMERA_STATUS", "CameraPanel", "preview_image", "status_text"]
