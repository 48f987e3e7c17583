"""Small dialogs of the counter window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from pos_app.core.i18n import _


class ManagerPinDialog(QDialog):
    """Asks a manager to type their PIN to approve an operation. Shown with ``open()`` (never blocks)."""

    def __init__(self, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("managerPinDialog")
        self.setWindowTitle(_("Manager approval"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        self.reason = QLabel(reason)
        self.reason.setWordWrap(True)
        self.reason.setObjectName("approvalReason")
        self.prompt = QLabel(_("Manager, type your PIN to approve:"))
        self.pin = QLineEdit()
        self.pin.setObjectName("managerPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setValidator(QRegularExpressionValidator(r"[0-9]{0,8}"))
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.approve = QPushButton(_("Approve"))
        self.approve.setObjectName("approveButton")
        self.approve.setDefault(True)
        self.cancel = QPushButton(_("Cancel"))
        self.cancel.setObjectName("cancelApprovalButton")
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.approve)
        layout.addWidget(self.reason)
        layout.addWidget(self.prompt)
        layout.addWidget(self.pin)
        layout.addLayout(buttons)
        self.approve.clicked.connect(self.accept)
        self.cancel.clicked.connect(self.reject)
        self.pin.returnPressed.connect(self.accept)
        self.pin.setFocus()

    def pin_text(self) -> str:
        return self.pin.text().strip()
