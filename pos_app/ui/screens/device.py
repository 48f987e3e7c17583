"""Device page (manager or IT): sync state, printer test, camera test with live preview, scanner test, the
``doctor`` checks, backup now. Three tabs so that each fits a 1024x768 counter:

- *Sync and health*: server, records waiting, last success, clock skew; ``doctor``'s checks; back up now;
- *Printer and scanner*: print a test slip on the configured printer; scan into the test field and read back
  what the scanner typed (and whether the keyboard layout garbled it);
- *Camera*: the configured camera with its live preview, through the same pipeline the counter uses.

Every service call runs on the window's worker, the test slip on its print thread, the camera on the
pipeline's threads (nothing blocks the UI thread). State and wording:
:class:`pos_app.ui.presenters.device.DevicePresenter`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hardware.wedge import MIXED_LAYOUT, THAI_LAYOUT, detect_layout
from pos_app.core.i18n import _
from pos_app.services.errors import ServiceError
from pos_app.ui.camera import CameraPanel
from pos_app.ui.presenters.device import DevicePresenter, Line
from pos_app.ui.screens.member import LAYOUT_WARNINGS
from pos_app.ui.screens.staff import page_header
from pos_app.ui.screens.style import big_button, with_key, wrapped_label

TAB_STYLE = "QTabBar::tab { min-height: 44px; padding: 2px 16px; }"  # + the frame: a 48 px touch target


def _lines_into(grid: QGridLayout, lines: list[Line], labels: list[QLabel]) -> None:
    """Show ``lines`` as label/value rows in ``grid`` (re-using the labels already there)."""
    while len(labels) < 2 * len(lines):
        label = wrapped_label("deviceLine")
        grid.addWidget(label, len(labels) // 2, len(labels) % 2)
        labels.append(label)
    for i, label in enumerate(labels):
        line = lines[i // 2] if i // 2 < len(lines) else None
        label.setVisible(line is not None)
        if line is not None:
            label.setText(line.label if i % 2 == 0 else line.value)
            colour = {"error": "#b00020", "ok": "#1f6f43"}.get(line.kind, "#333")
            label.setStyleSheet(f"color: {colour};" if i % 2 else "font-weight: bold;")
    grid.setColumnStretch(1, 1)


class DevicePage(QWidget):
    """Rendered from a :class:`DevicePresenter`; ``host`` is the counter window."""

    shown = Signal(object)          # the presenter, after the sync state and doctor's checks were drawn
    test_printed = Signal(object)   # the PrintOutcome of a test slip
    scanner_read = Signal(str)      # the text the scanner typed into the test field
    backup_finished = Signal(object)  # BackupInfo, or the ServiceError of a failed backup

    def __init__(self, host: Any, back: Callable[[], None]) -> None:
        super().__init__()
        self.setObjectName("devicePage")
        self.host = host
        self.state = DevicePresenter()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header, self.title, self.back_button = page_header("device")
        self.back_button.clicked.connect(back)
        layout.addLayout(header)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("deviceTabs")
        self.tabs.setStyleSheet(TAB_STYLE)
        layout.addWidget(self.tabs, 1)

        # -- sync and backup
        health = QWidget()
        health_layout = QVBoxLayout(health)
        self.sync_box = QGroupBox()
        self.sync_grid = QGridLayout(self.sync_box)
        self._sync_labels: list[QLabel] = []
        health_layout.addWidget(self.sync_box)
        self.backup_box = QGroupBox()
        backup = QVBoxLayout(self.backup_box)
        self.backup_button = big_button("backupNow")
        self.backup_progress = QProgressBar()
        self.backup_progress.setObjectName("backupProgress")
        self.backup_progress.setRange(0, 0)  # busy: SQLite's online backup gives no fraction to show
        self.backup_progress.setVisible(False)
        self.backup_progress.setTextVisible(False)
        self.backup_result = wrapped_label("backupResult")
        backup.addWidget(self.backup_button)
        backup.addWidget(self.backup_progress)
        backup.addWidget(self.backup_result)
        health_layout.addWidget(self.backup_box)
        health_layout.addStretch(1)
        self.tabs.addTab(health, "")

        # -- doctor
        self.doctor_box = QWidget()
        doctor = QVBoxLayout(self.doctor_box)
        self.doctor_button = big_button("doctorButton")
        self.doctor_verdict = wrapped_label("doctorVerdict")
        self.doctor_grid = QGridLayout()
        self._doctor_labels: list[QLabel] = []
        doctor.addWidget(self.doctor_verdict)
        doctor.addLayout(self.doctor_grid)
        doctor.addWidget(self.doctor_button)
        doctor.addStretch(1)
        self.tabs.addTab(self.doctor_box, "")

        # -- printer and scanner
        devices = QWidget()
        devices_layout = QVBoxLayout(devices)
        self.printer_box = QGroupBox()
        printer = QVBoxLayout(self.printer_box)
        self.printer_button = big_button("printerTest")
        self.printer_result = wrapped_label("printerResult")
        printer.addWidget(self.printer_button)
        printer.addWidget(self.printer_result)
        devices_layout.addWidget(self.printer_box)
        self.scanner_box = QGroupBox()
        scanner = QVBoxLayout(self.scanner_box)
        self.scanner_hint = wrapped_label("scannerHint")
        self.scanner_field = QLineEdit()
        self.scanner_field.setObjectName("scannerTestField")
        self.scanner_result = wrapped_label("scannerResult")
        scanner.addWidget(self.scanner_hint)
        scanner.addWidget(self.scanner_field)
        scanner.addWidget(self.scanner_result)
        devices_layout.addWidget(self.scanner_box)
        devices_layout.addStretch(1)
        self.tabs.addTab(devices, "")

        # -- camera
        camera = QWidget()
        camera_layout = QVBoxLayout(camera)
        self.camera_button = big_button("cameraTest")
        self.camera_button.setCheckable(True)
        self.camera_panel = CameraPanel(host.config.camera)
        self.camera_panel.setObjectName("deviceCamera")
        self.camera_read = wrapped_label("cameraRead")
        camera_layout.addWidget(self.camera_button)
        camera_layout.addWidget(self.camera_panel)
        camera_layout.addWidget(self.camera_read)
        camera_layout.addStretch(1)
        self.tabs.addTab(camera, "")

        self.backup_button.clicked.connect(self.backup_now)
        self.doctor_button.clicked.connect(self.run_doctor)
        self.printer_button.clicked.connect(self.print_test_slip)
        self.scanner_field.returnPressed.connect(self._scanner_enter)
        self.camera_button.toggled.connect(self._camera_toggled)
        self.camera_panel.scanned.connect(self._camera_scanned)
        self.tabs.currentChanged.connect(lambda _i: self.stop_camera())
        self.retranslate()

    # ------------------------------------------------------------------ texts and drawing
    def retranslate(self) -> None:
        self.title.setText(_("Device"))
        self.back_button.setText(with_key(_("Back to the counter"), "Esc"))
        self.tabs.setTabText(0, _("Sync and backup"))
        self.tabs.setTabText(1, _("Health checks"))
        self.tabs.setTabText(2, _("Printer and scanner"))
        self.tabs.setTabText(3, _("Camera"))
        self.sync_box.setTitle(_("Sync"))
        self.backup_box.setTitle(_("Backup"))
        self.backup_button.setText(_("Back up now"))
        self.doctor_button.setText(_("Run the checks again"))
        self.printer_box.setTitle(_("Slip printer"))
        self.printer_button.setText(_("Print a test slip"))
        self.scanner_box.setTitle(_("Scanner"))
        self.scanner_hint.setText(_("Scan any barcode or member card into this field:"))
        self.scanner_field.setPlaceholderText(_("Scanned text appears here"))
        self.camera_button.setText(_("Stop the camera test") if self.camera_button.isChecked()
                                   else _("Start the camera test"))
        self.camera_panel.retranslate()
        self.render()

    def render(self) -> None:
        state = self.state
        _lines_into(self.sync_grid, state.sync_lines(), self._sync_labels)
        _lines_into(self.doctor_grid, state.doctor_lines(), self._doctor_labels)
        self.doctor_verdict.setText(state.doctor_verdict())
        self.backup_result.setText(state.backup_text())
        self.backup_progress.setVisible(state.backing_up)
        self.backup_button.setEnabled(not state.backing_up)
        self.printer_result.setText(state.printer_result)
        self.printer_button.setEnabled(self.host.slip_printer is not None)
        if self.host.slip_printer is None and not state.printer_result:
            self.printer_result.setText(_("No slip printer is configured ([printer] kind = \"none\")."))
        self.scanner_result.setText(state.scanner_result)

    # ------------------------------------------------------------------ flows
    def open(self) -> None:
        """Show the sync state and run ``doctor`` (on the worker)."""
        self.refresh()

    def refresh(self) -> None:
        svc = self.host._services
        if svc is None:
            return
        self.state.live = self.host.sync_status

        def work() -> tuple[Any, dict[str, Any]]:
            return svc.device_state(), svc.doctor()

        def done(outcome: tuple[Any, dict[str, Any]]) -> None:
            self.state.state, self.state.doctor = outcome
            self.render()
            self.shown.emit(self.state)

        self.host.worker.submit(work, done, self._failed, busy=False)

    def show_live_status(self, status: Any) -> None:
        """The sync worker reported (the window forwards it while this page is open)."""
        self.state.live = status
        self.render()

    def run_doctor(self) -> None:
        self.state.doctor = None
        self.doctor_verdict.setText(_("Checking…"))
        self.refresh()

    def _failed(self, error: ServiceError) -> None:
        self.doctor_verdict.setText(error.message)
        self.host.error_shown.emit(error.message)

    def backup_now(self) -> None:
        svc = self.host._services
        if svc is None or self.state.backing_up:
            return
        keep = self.host.config.backup.keep
        self.state.backup_started()
        self.render()

        def done(info: Any) -> None:
            self.state.backup_done(info)
            self.render()
            self.backup_finished.emit(info)

        def failed(error: ServiceError) -> None:
            self.state.backup_failed(error.message)
            self.render()
            self.backup_finished.emit(error)
            self.host.error_shown.emit(error.message)

        self.host.worker.submit(lambda: svc.backup(keep), done, failed, busy=False)

    def print_test_slip(self) -> None:
        slips, worker = self.host.slip_printer, self.host.print_worker
        if slips is None or worker is None:
            return
        from hardware.slips import SlipData, render_slip
        from pos_app.ui.slips import PrintOutcome, printer_message, slip_labels

        data = SlipData(title=_("Printer test"), branch=self.host._branch_name or "-", printed_at=datetime.now(),
                        receipt_no="TEST", member_name=_("Test slip: no points were given or taken"),
                        member_number="", points_change=0, balance_before=0, balance_after=0,
                        labels=slip_labels())
        paper = "58mm" if self.host.config.printer.paper_mm == 58 else "80mm"
        self.state.printer_result = _("Printing…")
        self.render()

        def job() -> Any:
            # straight to the printer: the test slip is not remembered as the last slip (Reprint stays the sale's)
            from hardware.printers import PrinterError, PrintResult

            try:
                slips.printer.print_image(render_slip(data, paper))
                return PrintOutcome(PrintResult(printer=slips.printer.name, attempts=1))
            except PrinterError as exc:
                return PrintOutcome(None, exc.code, exc.message)

        def done(outcome: Any) -> None:
            self.state.printed(outcome, printer_message)
            self.render()
            self.test_printed.emit(outcome)

        worker.submit(job, done, lambda error: done(PrintOutcome(None, "error", error.message)), busy=False)

    def _scanner_enter(self) -> None:
        text = self.scanner_field.text()
        self.scanner_field.clear()
        layout, read = detect_layout(text)  # a Thai keyboard layout garbles a wedge scan: read it back
        key = {"thai": THAI_LAYOUT, "mixed": MIXED_LAYOUT}.get(layout)
        warning = _(LAYOUT_WARNINGS[key]) if key is not None else ""
        self.state.scanned(read, warning)
        self.render()
        self.scanner_read.emit(text)

    def _camera_toggled(self, on: bool) -> None:
        if on:
            self.host.stop_camera()  # one camera: the counter's panel lets go of it first
            self.camera_read.clear()
            self.camera_panel.start()
        else:
            self.camera_panel.stop()
        self.retranslate()

    def _camera_scanned(self, text: str) -> None:
        self.state.scanned(text)
        self.camera_read.setText(self.state.scanner_result)

    def stop_camera(self) -> None:
        if self.camera_button.isChecked():
            self.camera_button.setChecked(False)
        self.camera_panel.stop()


__all__ = ["DevicePage"]
