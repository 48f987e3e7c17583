"""Staff admin page (manager role): the staff of this terminal, add a cashier, disable or enable, reset a PIN.

Each change is confirmed with the manager's own PIN and goes through the same services as ``pos-terminal
staff`` (the PIN policy, who may change whom, the approval and its audit event). State and wording:
:class:`pos_app.ui.presenters.staff.StaffPresenter`. Every call runs on the window's worker.

Keyboard: Tab walks the list, the selected member's actions, the add form and the confirming PIN; Enter in
a field runs its action; Esc goes back to the counter. Touch: every control is at least 48 px tall."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.i18n import _
from pos_app.services.errors import ServiceError
from pos_app.services.staff import Approval
from pos_app.ui.presenters.staff import StaffPresenter
from pos_app.ui.screens.style import big_button, with_key, wrapped_label

ROW_PX = 48  # list rows are touch targets too


def pin_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(8)
    field.setValidator(QRegularExpressionValidator(r"[0-9]{0,8}"))
    return field


def page_header(name: str) -> tuple[QHBoxLayout, QLabel, Any]:
    """A back-office page's title and its way back to the counter (Esc)."""
    row = QHBoxLayout()
    title = QLabel()
    title.setObjectName(f"{name}Title")
    title.setStyleSheet("font-size: 22px; font-weight: bold;")
    back = big_button(f"{name}Back")
    row.addWidget(title, 1)
    row.addWidget(back)
    return row, title, back


class StaffPage(QWidget):
    """Rendered from a :class:`StaffPresenter`; ``host`` is the counter window (its worker, services and the
    signed-in staff member)."""

    shown = Signal(object)      # the presenter, each time the page was (re)drawn
    changed = Signal(object)    # what a change returned (StaffView or StaffMember), after its commit
    refused = Signal(str)       # a refusal, as shown on the page

    def __init__(self, host: Any, back: Callable[[], None]) -> None:
        super().__init__()
        self.setObjectName("staffPage")
        self.host = host
        self.state = StaffPresenter()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header, self.title, self.back_button = page_header("staff")
        self.back_button.clicked.connect(back)
        layout.addLayout(header)

        body = QHBoxLayout()
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("staffTable")
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(ROW_PX)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        body.addWidget(self.table, 1)

        side = QVBoxLayout()
        self.selected_box = QGroupBox()
        selected = QVBoxLayout(self.selected_box)
        self.selected_name = wrapped_label("staffSelected")
        self.why_not = wrapped_label("staffWhyNot", note=True)
        self.toggle_button = big_button("staffToggle")
        actions = QHBoxLayout()  # one row: the page must fit 768 px with the add form under it
        self.reset_pin = pin_field("staffResetPin")
        self.reset_button = big_button("staffReset")
        actions.addWidget(self.toggle_button)
        actions.addWidget(self.reset_pin, 1)
        actions.addWidget(self.reset_button)
        selected.addWidget(self.selected_name)
        selected.addWidget(self.why_not)
        selected.addLayout(actions)
        side.addWidget(self.selected_box)

        self.add_box = QGroupBox()
        add = QGridLayout(self.add_box)
        self.name_label, self.role_label, self.first_pin_label = QLabel(), QLabel(), QLabel()
        self.add_name = QLineEdit()
        self.add_name.setObjectName("staffAddName")
        self.add_name.setMaxLength(60)
        self.add_role = QComboBox()
        self.add_role.setObjectName("staffAddRole")
        self.add_pin = pin_field("staffAddPin")
        self.add_button = big_button("staffAdd")
        add.addWidget(self.name_label, 0, 0)
        add.addWidget(self.add_name, 0, 1, 1, 3)
        add.addWidget(self.role_label, 1, 0)
        add.addWidget(self.add_role, 1, 1)
        add.addWidget(self.first_pin_label, 1, 2)
        add.addWidget(self.add_pin, 1, 3)
        add.addWidget(self.add_button, 2, 0, 1, 4)
        add.setColumnStretch(1, 1)
        add.setColumnStretch(3, 1)
        side.addWidget(self.add_box)
        side.addStretch(1)
        body.addLayout(side, 1)
        layout.addLayout(body, 1)

        confirm = QHBoxLayout()
        self.my_pin_label = QLabel()
        self.my_pin = pin_field("staffMyPin")
        confirm.addWidget(self.my_pin_label)
        confirm.addWidget(self.my_pin, 1)
        layout.addLayout(confirm)
        self.message = wrapped_label("staffMessage", note=True)
        layout.addWidget(self.message)

        self.toggle_button.clicked.connect(self.toggle_selected)
        self.reset_button.clicked.connect(self.reset_selected)
        self.reset_pin.returnPressed.connect(self.reset_selected)
        self.add_button.clicked.connect(self.add_member)
        self.add_name.returnPressed.connect(self.add_pin.setFocus)
        self.add_pin.returnPressed.connect(self.add_member)
        for first, second in ((self.table, self.toggle_button), (self.toggle_button, self.reset_pin),
                              (self.reset_pin, self.reset_button), (self.reset_button, self.add_name),
                              (self.add_name, self.add_role), (self.add_role, self.add_pin),
                              (self.add_pin, self.add_button), (self.add_button, self.my_pin),
                              (self.my_pin, self.back_button)):
            QWidget.setTabOrder(first, second)
        self.retranslate()

    # ------------------------------------------------------------------ texts and drawing
    def retranslate(self) -> None:
        self.title.setText(_("Staff"))
        self.back_button.setText(with_key(_("Back to the counter"), "Esc"))
        self.table.setHorizontalHeaderLabels([_("Name"), _("Role"), _("State")])
        self.selected_box.setTitle(_("Selected"))
        self.reset_pin.setPlaceholderText(_("Temporary PIN"))
        self.reset_button.setText(_("Reset PIN"))
        self.add_box.setTitle(_("Add a staff member"))
        self.name_label.setText(_("Name"))
        self.role_label.setText(_("Role"))
        self.first_pin_label.setText(_("First PIN"))
        self.add_button.setText(_("Add"))
        self.my_pin_label.setText(_("Your PIN (confirms each change)"))
        self.render()

    def render(self) -> None:
        state = self.state
        rows = state.rows()
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate((row.name, row.role, row.state)):
                item = QTableWidgetItem(text)
                if not state.members[r].active:
                    item.setForeground(Qt.GlobalColor.darkGray)
                self.table.setItem(r, c, item)
        selected_row = next((i for i, m in enumerate(state.members) if m.id == state.selected_id), None)
        if selected_row is not None:
            self.table.selectRow(selected_row)
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()
        member = state.selected
        self.selected_name.setText(member.name if member is not None else _("Nobody selected"))
        self.why_not.setText(state.why_not())
        self.toggle_button.setText(state.toggle_text())
        self.toggle_button.setEnabled(state.can_toggle)
        self.reset_pin.setEnabled(state.can_reset)
        self.reset_button.setEnabled(state.can_reset)
        current = self.add_role.currentData()
        self.add_role.clear()
        for role, text in state.add_roles():
            self.add_role.addItem(text, role)
        if current is not None and self.add_role.findData(current) >= 0:
            self.add_role.setCurrentIndex(self.add_role.findData(current))
        can_add = bool(state.add_roles())
        for widget in (self.add_name, self.add_role, self.add_pin, self.add_button):
            widget.setEnabled(can_add)
        self.message.setProperty("kind", state.message_kind)
        self.message.setText(state.message)

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self.state.members):
            self.state.select(self.state.members[rows[0].row()].id)
            self.render()

    # ------------------------------------------------------------------ flows (on the window's worker)
    def open(self) -> None:
        """Load the staff list (the services check the role) and draw it."""
        self.state.say("info", "")
        self._run(None, None)
        self.table.setFocus()

    def _run(self, change: Callable[[], Any] | None, done: Callable[[Any], str] | None) -> None:
        """On the worker: ``change`` (if any), then the staff list again; the page redrawn from both."""
        svc, manager = self.host._services, self.host._staff
        if svc is None or manager is None:
            return

        def work() -> tuple[Any, list[Any]]:
            value = change() if change is not None else None
            return value, svc.staff_members(by=manager)

        def shown(outcome: tuple[Any, list[Any]]) -> None:
            value, members = outcome
            if done is not None:
                self.state.say("done", done(value))
                self.my_pin.clear()
            self.state.load(manager, members)
            self.render()
            if change is not None:
                self.changed.emit(value)
            self.shown.emit(self.state)

        def failed(error: ServiceError) -> None:
            self.my_pin.clear()
            self.state.say("error", error.message)
            self.render()
            self.refused.emit(error.message)
            self.host.error_shown.emit(error.message)

        self.host.worker.submit(work, shown, failed)

    def _refuse(self, text: str, focus: QWidget) -> bool:
        if not text:
            return False
        self.state.say("error", text)
        self.render()
        focus.setFocus()
        self.refused.emit(text)
        return True

    def _approval(self) -> Approval:
        return Approval(self.my_pin.text().strip(), manager_id=self.host._staff.id)

    def add_member(self) -> None:
        name, pin, role = self.add_name.text(), self.add_pin.text(), self.add_role.currentData() or "cashier"
        problem = self.state.check_add(name, pin, self.my_pin.text())
        if self._refuse(problem, self.my_pin if name.strip() and pin.strip() else
                        (self.add_pin if name.strip() else self.add_name)):
            return
        svc, manager, approval = self.host._services, self.host._staff, self._approval()
        self.add_pin.clear()

        def added(staff: Any) -> str:
            self.add_name.clear()
            self.state.select(staff.id)
            return self.state.added_text(staff)

        self._run(lambda: svc.add_staff_member(name=name, role=role, pin=pin, by=manager, approval=approval),
                  added)

    def toggle_selected(self) -> None:
        member = self.state.selected
        if member is None or not self.state.can_toggle:
            return
        if self._refuse(self.state.check_toggle(self.my_pin.text()), self.my_pin):
            return
        svc, manager, approval = self.host._services, self.host._staff, self._approval()
        staff_id, active = member.id, not member.active
        self._run(lambda: svc.set_staff_active(staff_id, active, by=manager, approval=approval),
                  self.state.toggled_text)

    def reset_selected(self) -> None:
        member = self.state.selected
        if member is None or not self.state.can_reset:
            return
        pin = self.reset_pin.text()
        if self._refuse(self.state.check_reset(pin, self.my_pin.text()),
                        self.my_pin if pin.strip() else self.reset_pin):
            return
        svc, approval = self.host._services, self._approval()
        staff_id = member.id
        self.reset_pin.clear()
        self._run(lambda: svc.reset_pin(staff_id, pin, approval=approval), self.state.reset_text)


__all__ = ["StaffPage", "page_header", "pin_field"]
