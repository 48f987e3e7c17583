"""The counter's look: the stylesheet and the small widget helpers every screen builds with.

Sizes are chosen for the screens counters have (1024x768 and 1366x768; tests/ui/test_fit.py): text at least
16 px, touch targets at least 48 px, the primary buttons the largest controls."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QPushButton

STYLE = """
QWidget { font-size: 18px; }
QPushButton { min-height: 48px; min-width: 64px; padding: 2px 12px; border-radius: 8px;
              background: #e8eef7; border: 1px solid #8aa3c7; }
QPushButton:disabled { color: #999; background: #f0f0f0; border-color: #ccc; }
QPushButton#awardButton, QPushButton#redeemButton, QPushButton#signInButton, QPushButton#approveButton,
QPushButton#enrollButton, QPushButton#returnConfirm, QPushButton#voidConfirm { background: #1f6f43; color: white; font-weight: bold; border: none; }
QPushButton#awardButton, QPushButton#redeemButton { min-height: 104px; font-size: 20px; }
QPushButton#awardButton:disabled, QPushButton#redeemButton:disabled, QPushButton#signInButton:disabled,
QPushButton#approveButton:disabled, QPushButton#enrollButton:disabled,
QPushButton#returnConfirm:disabled, QPushButton#voidConfirm:disabled { background: #9bbfa9; }
QPushButton#rewardTile { text-align: left; padding: 2px 8px; font-size: 16px; min-height: 64px; }
QPushButton#rewardTile[affordable="no"] { color: #777; background: #f4f4f4; border-color: #ccc; }
QPushButton#rewardTile:checked { background: #1f4f8f; color: white; border: 2px solid #0d2c55; }
QPushButton#rewardTile:focus { border: 3px solid #d08a00; }
QPushButton#memberResult, QPushButton#voidOption { text-align: left; padding: 2px 8px; }
QPushButton#voidOption:checked { background: #1f4f8f; color: white; }
QLabel#searchTitle { color: #1f4f8f; }
QLineEdit, QComboBox { min-height: 48px; padding: 0px 8px; }
QGroupBox { font-weight: bold; }
QLabel#title { font-weight: bold; }
QLabel#memberName { font-size: 26px; font-weight: bold; }
QLabel#memberBalance { font-size: 30px; color: #1f6f43; font-weight: bold; }
QLabel#memberPending { color: #1f4f8f; font-size: 16px; }
QLabel#memberExpiring { color: #8a4b00; }
QProgressBar#tierProgress { max-height: 10px; border: 1px solid #8aa3c7; border-radius: 4px; background: #eef; }
QProgressBar#tierProgress::chunk { background: #1f6f43; }
QLabel#amountError, QLabel#redeemError { color: #b00020; }
QLabel#status { min-height: 40px; }
QLabel#status[kind="error"] { color: white; background: #b00020; padding: 4px 8px; border-radius: 6px; }
QLabel#status[kind="done"] { color: white; background: #1f6f43; padding: 4px 8px; border-radius: 6px; }
QLabel#status[kind="info"] { color: #333; background: #eef; padding: 4px 8px; border-radius: 6px; }
QLabel#preview { color: #1f4f8f; }
QFrame#stateStrip QLabel { font-size: 16px; color: #333; }
QFrame#stateStrip { border-top: 1px solid #ccc; }
"""

#: dialogs on a kiosk have no window manager to draw their frame and title: they draw their own
DIALOG_STYLE = """
QDialog { background: #fafbfd; border: 2px solid #1f4f8f; }
QLabel#dialogTitle { font-size: 20px; font-weight: bold; color: white; background: #1f4f8f;
                     padding: 6px 10px; }
"""


def clock_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000).strftime("%H:%M")


def with_key(text: str, key: str, below: bool = False) -> str:
    """A button's text with its keyboard key printed on it ("Award  [F2]"); ``below``: on a line of its own,
    for the tall primary buttons whose text says what they will do (it keeps them narrow)."""
    return f"{text}\n[{key}]" if below else f"{text}  [{key}]"


class NoteLabel(QLabel):
    """A wrapping label that takes no room while it has nothing to say (errors, printer and offline notes):
    the counter page fits 768 pixels only if empty notes leave their line to the others."""

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.setText("")


def wrapped_label(name: str, note: bool = False) -> QLabel:
    """A label that wraps instead of widening the window (Thai sentences are long; nothing may be cut off)."""
    label = NoteLabel() if note else QLabel()
    if note:
        label.setVisible(False)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class EnterButton(QPushButton):
    """A button that Enter presses too (in a main window only Space does): result lists and choices that the
    keyboard walks with Tab and confirms with Enter."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.isEnabled():
            self.click()
            return
        super().keyPressEvent(event)


def big_button(name: str) -> QPushButton:
    button = QPushButton()
    button.setObjectName(name)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return button


__all__ = ["DIALOG_STYLE", "STYLE", "EnterButton", "NoteLabel", "big_button", "clock_time", "with_key", "wrapped_label"]
