"""Small dialogs of the counter window."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
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
from pos_app.ui.screens.style import DIALOG_STYLE, EnterButton


def _fit_to_window(dialog: QDialog) -> None:
    """Resize a dialog to what its content needs, never larger than the counter window it belongs to.
    (``adjustSize`` would cap it at 2/3 of the screen, cutting columns off on a 1024x768 counter.)"""
    layout = dialog.layout()
    if layout is not None:
        layout.activate()
    wanted = dialog.sizeHint().expandedTo(dialog.minimumSizeHint())
    if layout is not None and layout.hasHeightForWidth():  # wrapped text: as tall as it is at this width
        wanted.setHeight(max(wanted.height(), layout.totalHeightForWidth(wanted.width())))
    owner = dialog.parentWidget()
    if owner is not None:
        wanted = wanted.boundedTo(owner.window().size())
    dialog.resize(wanted)


class KioskDialog(QDialog):
    """A dialog that draws its own frame and title bar. A kiosk runs without a window manager, so a plain
    QDialog appears bare at the screen's corner, with no title saying what it is: this one has a border, its
    title on a bar at the top (following ``setWindowTitle``), and opens centred over the counter window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint)
        self.setStyleSheet(DIALOG_STYLE)
        self.title_bar = QLabel()
        self.title_bar.setObjectName("dialogTitle")
        self.title_bar.setWordWrap(True)
        self._framed = False

    def _frame(self) -> None:
        """Put the title bar on top of the layout the subclass built (once, before the first show)."""
        layout = self.layout()
        if self._framed or not isinstance(layout, QBoxLayout):
            return
        self._framed = True
        self.title_bar.setText(self.windowTitle())
        layout.insertWidget(0, self.title_bar)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.WindowTitleChange:
            self.title_bar.setText(self.windowTitle())
        super().changeEvent(event)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self._frame()
        super().showEvent(event)
        self.refit()
        QTimer.singleShot(0, self.refit)  # again once the show's own layout pass has run

    def refit(self) -> None:
        """As tall as the content needs in the fonts now applied (the style sheet's apply at show), centred
        over the counter window (nothing else places a dialog on a kiosk)."""
        layout = self.layout()
        if layout is not None:
            layout.invalidate()
        _fit_to_window(self)
        owner = self.parentWidget()
        if owner is not None:
            window = owner.window()
            centre = window.mapToGlobal(window.rect().center())
            top = window.mapToGlobal(window.rect().topLeft()).y()
            self.move(centre.x() - self.width() // 2, max(top, centre.y() - self.height() // 2))


class ManagerPinDialog(KioskDialog):
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


class EnrollDialog(KioskDialog):
    """A new member: name, phone, consent to the program and, separately, to marketing messages. The window
    submits it; errors are shown here until it succeeds."""

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
        # asked separately and never ticked for the member (PDPA: marketing is a purpose of its own)
        self.marketing = QCheckBox(_("The member agrees to receive marketing messages (optional)"))
        self.marketing.setObjectName("enrollMarketing")
        self.marketing.setChecked(False)
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
        for widget in (self.name_label, self.name, self.phone_label, self.phone, self.consent, self.marketing,
                       self.error):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.cancel.clicked.connect(self.reject)
        self.name.returnPressed.connect(self.phone.setFocus)
        self.setMinimumWidth(560)
        self.name.setFocus()

    def values(self) -> tuple[str, str, bool]:
        return self.name.text().strip(), self.phone.text().strip(), self.consent.isChecked()


def _pin_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(8)
    field.setValidator(QRegularExpressionValidator(r"[0-9]{0,8}"))
    return field


class ChangePinDialog(KioskDialog):
    """A staff member changes their own PIN (current PIN, new PIN twice). The window submits it on its worker and
    shows refusals here until it succeeds. ``forced``: after a manager's reset, before anything else."""

    def __init__(self, name: str, forced: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePinDialog")
        self.setWindowTitle(_("Change PIN"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = _("{name}, a manager reset your PIN: choose your own PIN now.") if forced else \
            _("{name}, choose a new PIN.")
        self.intro = QLabel(intro.format(name=name))
        self.intro.setWordWrap(True)
        self.rules = QLabel(_("4 to 8 digits (managers at least 6); not one digit repeated, not a run such as "
                              "1234, not your phone number."))
        self.rules.setWordWrap(True)
        form = QFormLayout()
        self.old_pin = _pin_field("oldPin")
        self.new_pin = _pin_field("newPin")
        self.repeat_pin = _pin_field("repeatPin")
        form.addRow(_("Current PIN"), self.old_pin)
        form.addRow(_("New PIN"), self.new_pin)
        form.addRow(_("New PIN again"), self.repeat_pin)
        self.error = QLabel()
        self.error.setObjectName("changePinError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.save = QPushButton(_("Save PIN"))
        self.save.setObjectName("savePinButton")
        self.save.setDefault(True)
        self.cancel = QPushButton(_("Sign out") if forced else _("Cancel"))
        self.cancel.setObjectName("cancelPinButton")
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.save)
        for widget in (self.intro, self.rules):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.cancel.clicked.connect(self.reject)
        self.old_pin.returnPressed.connect(self.new_pin.setFocus)
        self.new_pin.returnPressed.connect(self.repeat_pin.setFocus)
        self.setMinimumWidth(520)
        self.old_pin.setFocus()

    def values(self) -> tuple[str, str, str]:
        return self.old_pin.text().strip(), self.new_pin.text().strip(), self.repeat_pin.text().strip()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        _fit_to_window(self)


class ManagerDialog(KioskDialog):
    """The store manager's area: failed PINs and lockouts on this terminal (with Unlock), recent security
    events, and resetting a cashier's PIN. It renders what the window fetched and forwards the manager's
    actions to the window (signals), which runs them on its worker and calls :meth:`show_state` again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("managerDialog")
        self.setWindowTitle(_("Manager area"))
        layout = QVBoxLayout(self)
        self.locks_box = QGroupBox(_("Wrong PINs and lockouts on this terminal"))
        locks_layout = QVBoxLayout(self.locks_box)
        self.locks = QTableWidget(0, 3)
        self.locks.setObjectName("lockTable")
        self.locks.setHorizontalHeaderLabels([_("Who"), _("For"), _("State")])
        self.locks.verticalHeader().setVisible(False)
        self.locks.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.locks.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.locks.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.unlock = QPushButton(_("Unlock"))
        self.unlock.setObjectName("unlockButton")
        locks_layout.addWidget(self.locks)
        locks_layout.addWidget(self.unlock)
        self.events_box = QGroupBox(_("Security events (newest first)"))
        events_layout = QVBoxLayout(self.events_box)
        self.events = QTableWidget(0, 3)
        self.events.setObjectName("eventTable")
        self.events.setHorizontalHeaderLabels([_("Time"), _("Event"), _("Staff")])
        self.events.verticalHeader().setVisible(False)
        self.events.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        events_layout.addWidget(self.events)
        self.reset_box = QGroupBox(_("Reset a cashier's PIN"))
        reset_layout = QHBoxLayout(self.reset_box)
        self.cashier = QComboBox()
        self.cashier.setObjectName("resetCashier")
        self.reset_pin = _pin_field("resetPin")
        self.reset_pin.setPlaceholderText(_("Temporary PIN"))
        self.reset = QPushButton(_("Reset PIN"))
        self.reset.setObjectName("resetPinButton")
        reset_layout.addWidget(self.cashier, 2)
        reset_layout.addWidget(self.reset_pin, 1)
        reset_layout.addWidget(self.reset)
        self.message = QLabel()
        self.message.setObjectName("managerMessage")
        self.message.setWordWrap(True)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.accept)
        for widget in (self.locks_box, self.events_box, self.reset_box, self.message, self.close_button):
            layout.addWidget(widget)
        self._locks: list[dict[str, Any]] = []
        self.setMinimumSize(760, 560)

    def show_state(self, locks: list[dict[str, Any]], events: list[Any], cashiers: list[Any]) -> None:
        purposes = {"sign_in": _("sign-in"), "approval": _("approval")}
        self._locks = locks
        self.locks.setRowCount(len(locks))
        for row, lock in enumerate(locks):
            who = lock["name"] or _("this terminal (PIN only)")
            state = _("LOCKED") if lock["locked"] else _("{n} wrong").format(n=lock["failures"])
            for column, text in enumerate((who, purposes.get(lock["purpose"], lock["purpose"]), state)):
                item = QTableWidgetItem(text)
                if lock["locked"]:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.locks.setItem(row, column, item)
        if locks:
            self.locks.selectRow(0)
        self.unlock.setEnabled(bool(locks))
        self.locks.resizeColumnsToContents()
        names = {
            "pin_failed": _("wrong PIN"), "pin_lockout": _("locked"), "pin_unlocked": _("unlocked"),
            "pin_changed": _("PIN changed"), "pin_reset": _("PIN reset"), "approval": _("approved"),
            "self_approval_refused": _("self-approval refused"),
        }
        self.events.setRowCount(len(events))
        for row, event in enumerate(events):
            when = datetime.fromtimestamp(event.at_ms / 1000).strftime("%d/%m %H:%M")
            cells = (when, names.get(event.event, event.event), event.staff_id or "-")
            for column, text in enumerate(cells):
                self.events.setItem(row, column, QTableWidgetItem(text))
        self.events.resizeColumnsToContents()
        current = self.cashier.currentData()
        self.cashier.clear()
        for cashier in cashiers:
            self.cashier.addItem(cashier.name, cashier.id)
        if current is not None and self.cashier.findData(current) >= 0:
            self.cashier.setCurrentIndex(self.cashier.findData(current))
        self.reset.setEnabled(bool(cashiers))

    def selected_lock(self) -> dict[str, Any] | None:
        row = self.locks.currentRow()
        return self._locks[row] if 0 <= row < len(self._locks) else None


class ReturnDialog(KioskDialog):
    """A return: scan or type the receipt number (Enter shows what the return will do), optionally a part of
    the bill, then Return (a manager approves). The window does the work; this only shows and forwards."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returnDialog")
        self.setWindowTitle(_("Return a receipt"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.receipt = QLineEdit()
        self.receipt.setObjectName("returnReceipt")
        self.receipt.setMaxLength(64)
        self.receipt.setPlaceholderText(_("Scan or type the receipt number"))
        self.amount = QLineEdit()
        self.amount.setObjectName("returnAmount")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount.setPlaceholderText(_("Whole receipt"))
        form.addRow(_("Receipt no."), self.receipt)
        self.amount_label = QLabel(_("Refund (baht)"))  # the receipt's currency once it was looked up
        self.amount_label.setObjectName("returnAmountLabel")
        self.amount_label.setBuddy(self.amount)
        form.addRow(self.amount_label, self.amount)
        self.summary = QLabel()
        self.summary.setObjectName("returnSummary")
        self.summary.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("returnError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.look_up = QPushButton(_("Show  [Enter]"))
        self.look_up.setObjectName("returnLookUp")
        self.confirm = QPushButton(_("Return"))
        self.confirm.setObjectName("returnConfirm")
        self.confirm.setEnabled(False)
        self.cancel = QPushButton(_("Cancel"))
        self.cancel.setObjectName("returnCancel")
        for button in (self.cancel, self.look_up, self.confirm):
            button.setAutoDefault(False)  # Enter presses the default button only: Show, then Return
        self.look_up.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.look_up)
        buttons.addWidget(self.confirm)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.cancel.clicked.connect(self.reject)
        # anything typed again must be looked up again before it can be returned
        self.receipt.textChanged.connect(self.forget_preview)
        self.amount.textChanged.connect(self.forget_preview)
        self.setMinimumWidth(600)
        self.receipt.setFocus()

    def forget_preview(self) -> None:
        self.summary.clear()
        self.confirm.setEnabled(False)
        self.confirm.setDefault(False)
        self.look_up.setDefault(True)

    def show_preview(self, text: str) -> None:
        self.error.clear()
        self.summary.setText(text)
        _fit_to_window(self)  # as tall as the summary needs (it is never cut off)
        self.confirm.setEnabled(True)
        self.look_up.setDefault(False)
        self.confirm.setDefault(True)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        _fit_to_window(self)


class VoidDialog(KioskDialog):
    """Void one of the counter's last operations: the operations as choices (Tab/arrows, Enter or a touch),
    what will happen, Void (the window then asks a manager's approval). Shown with ``open()``."""

    chosen = Signal(int)  # the index of the operation chosen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("voidDialog")
        self.setWindowTitle(_("Void an operation"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        self.prompt = QLabel()
        self.prompt.setObjectName("voidPrompt")
        self.prompt.setWordWrap(True)
        layout.addWidget(self.prompt)
        self.options: list[QPushButton] = []
        for i in range(5):
            option = EnterButton()
            option.setObjectName("voidOption")
            option.setCheckable(True)
            option.setAutoExclusive(True)
            option.setVisible(False)
            option.clicked.connect(lambda _checked=False, index=i: self.chosen.emit(index))
            layout.addWidget(option)
            self.options.append(option)
        self.message = QLabel()
        self.message.setObjectName("voidMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.confirm = QPushButton(_("Void"))
        self.confirm.setObjectName("voidConfirm")
        self.cancel = QPushButton(_("Close"))  # not "Cancel": in Thai it is the same word as "Void"
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.confirm)
        layout.addLayout(buttons)
        self.cancel.clicked.connect(self.reject)
        self.setMinimumWidth(620)

    def show_operations(self, prompt: str, lines: list[str], chosen: int | None) -> None:
        self.prompt.setText(prompt)
        for i, option in enumerate(self.options):
            option.setVisible(i < len(lines))
            option.setText(lines[i] if i < len(lines) else "")
            option.setChecked(i == chosen)
        self.confirm.setEnabled(chosen is not None)
        if chosen is not None:
            self.options[chosen].setFocus()
        if self.isVisible():
            self.refit()

    def show_error(self, message: str) -> None:
        self.message.setText(message)
        self.message.setVisible(bool(message))
        if self.isVisible():
            self.refit()
