"""Small dialogs of the counter window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.i18n import _
from pos_app.core.money import format_baht


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
        self.setMinimumWidth(520)
        self.pin.setFocus()

    def pin_text(self) -> str:
        return self.pin.text().strip()


class EnrollDialog(QDialog):
    """A new member: name, phone, consent. The window submits it; errors are shown here until it succeeds."""

    def __init__(self, phone: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enrollDialog")
        self.setWindowTitle(_("New member"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        self.name_label = QLabel(_("Name"))
        self.name = QLineEdit()
        self.name.setObjectName("enrollName")
        self.name.setMaxLength(120)
        self.phone_label = QLabel(_("Phone"))
        self.phone = QLineEdit(phone)
        self.phone.setObjectName("enrollPhone")
        self.phone.setMaxLength(20)
        self.consent = QCheckBox(_("The member agrees to the loyalty terms and privacy notice"))
        self.consent.setObjectName("enrollConsent")
        self.consent.setChecked(True)
        self.error = QLabel()
        self.error.setObjectName("enrollError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.enroll = QPushButton(_("Enroll"))
        self.enroll.setObjectName("enrollButton")
        self.enroll.setDefault(True)
        self.cancel = QPushButton(_("Cancel"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.enroll)
        for widget in (self.name_label, self.name, self.phone_label, self.phone, self.consent, self.error):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.cancel.clicked.connect(self.reject)
        self.name.returnPressed.connect(self.phone.setFocus)
        self.setMinimumWidth(560)
        self.name.setFocus()

    def values(self) -> tuple[str, str, bool]:
        return self.name.text().strip(), self.phone.text().strip(), self.consent.isChecked()


class ReportDialog(QDialog):
    """Today's awards and redemptions, per cashier and in total (read-only)."""

    def __init__(self, report: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(_("Daily report {date}").format(date=report.date))
        layout = QVBoxLayout(self)
        headers = [_("Cashier"), _("Awards"), _("Points"), _("Sales"), _("Redeemed"), _("Points")]
        lines = [*report.per_cashier, report.totals]
        self.table = QTableWidget(len(lines), len(headers))
        self.table.setObjectName("reportTable")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, line in enumerate(lines):
            name = _("Total") if line is report.totals else line.key
            cells = [name, f"{line.awards:,}", f"{line.points_awarded:,}", format_baht(line.sales_satang),
                     f"{line.redemptions:,}", f"{line.points_redeemed:,}"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.accept)
        layout.addWidget(self.table)
        layout.addWidget(self.close_button)
        self.setMinimumSize(760, 360)
