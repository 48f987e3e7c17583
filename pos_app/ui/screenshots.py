"""Take the user guide's screenshots of the real window, offscreen, on a throwaway demo ledger.

    QT_QPA_PLATFORM=offscreen python -m pos_app.ui.screenshots docs/img

Writes sign-in.png, counter.png (a member found, a bill being typed with its points preview) and
approval.png (a large redemption waiting for a manager's PIN), return.png (a receipt looked up for a
return) and backoffice.png (a manager's report of the day), in Thai, at 1024x768 (the smallest counter screen).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer, SignalInstance
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from pos_app.core.i18n import set_language
from pos_app.ui.app import make_app
from pos_app.ui.counter import CounterWindow
from pos_app.ui.fonts import load_thai_font


def _wait(signal: SignalInstance, timeout_ms: int = 30_000) -> list[object]:
    loop = QEventLoop()
    got: list[object] = []

    def fired(*args: object) -> None:
        got.extend(args)
        loop.quit()

    signal.connect(fired)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(fired)
    return got


def _settle() -> None:
    """Let queued paints and layout run once."""
    loop = QEventLoop()
    QTimer.singleShot(50, loop.quit)
    loop.exec()


def _over(window: QWidget, dialog: QWidget) -> QPixmap:
    """A dialog is its own top-level window: draw it over the dimmed counter, as a cashier sees it."""
    shot = window.grab()
    painter = QPainter(shot)
    painter.fillRect(shot.rect(), QColor(0, 0, 0, 90))
    popup = dialog.grab()
    painter.drawPixmap((shot.width() - popup.width()) // 2, (shot.height() - popup.height()) // 2, popup)
    painter.end()
    return shot


def take(out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out_dir.mkdir(parents=True, exist_ok=True)
    set_language("th")
    app = make_app()
    load_thai_font(app)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        window = CounterWindow(Path(tmp), seed_demo=True, demo_hint=True)
        window.resize(1024, 768)  # the smallest counter screen: what fits here fits everywhere
        window.show()
        _wait(window.ready)
        _settle()
        path = out_dir / "sign-in.png"
        window.grab().save(str(path))
        written.append(path)

        window.pin.setText("1111")
        window.sign_in()
        _wait(window.signed_in)
        window.member_field.setText("081-234-5678")
        window.identify()
        _wait(window.member_shown)
        window.amount_field.setText("30,000")
        window.receipt_field.setText("R-000123")
        window.award()
        _wait(window.operation_done)
        window.amount_field.setText("1,234.50")
        _wait(window.preview_shown)
        window.receipt_field.setText("R-000124")
        _settle()
        path = out_dir / "counter.png"
        window.grab().save(str(path))
        written.append(path)

        window.amount_field.clear()
        window.receipt_field.clear()
        window.points_field.setText("1100")
        window.redeem()
        dialog = _wait(window.approval_requested)
        _settle()
        if dialog and isinstance(dialog[0], QWidget):
            path = out_dir / "approval.png"
            _over(window, dialog[0]).save(str(path))
            written.append(path)
            dialog[0].close()
            _settle()

        # a return: the receipt looked up, what it will take back, before the manager approves
        window.open_return()
        ret = window.return_dialog
        if ret is not None:
            ret.receipt.setText("R-000123")
            window.preview_return()
            _wait(window.return_previewed)
            _settle()
            path = out_dir / "return.png"
            _over(window, ret).save(str(path))
            written.append(path)
            ret.reject()
            _settle()

        # the back office: a manager's report of the day, by cashier, the chart above the table
        window.sign_out()
        window.pin.setText("9999")
        window.sign_in()
        _wait(window.signed_in)
        window.show_report()
        office = _wait(window.report_shown)
        _settle()
        if office and isinstance(office[0], QWidget):
            path = out_dir / "backoffice.png"
            office[0].grab().save(str(path))
            written.append(path)
            office[0].close()
        # the manager's staff and device pages
        for name, page in (("staff", window.staff_page), ("device", window.device_page)):
            window.show_back_office_page(page)
            _wait(page.shown)
            _settle()
            path = out_dir / f"{name}.png"
            window.grab().save(str(path))
            written.append(path)
            window.back_to_counter_page()
        window.close()
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else Path("docs/img")
    for path in take(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
