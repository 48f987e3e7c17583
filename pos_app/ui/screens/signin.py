"""Sign-in screen: PIN keypad, the manager's sign-in while PIN-only sign-in is locked, own PIN change, sign
out (by the button or the idle lock). State: :class:`pos_app.ui.presenters.session.SessionPresenter` and
:class:`~pos_app.ui.presenters.session.IdleLock`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from pos_app.core.i18n import _
from pos_app.services.errors import PinLocked, ServiceError
from pos_app.services.staff import StaffView
from pos_app.ui.dialogs import ChangePinDialog
from pos_app.ui.presenters.changes import Change
from pos_app.ui.screens.style import big_button

#: input that counts as "the cashier is here" for the idle lock
_INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin,
                 QEvent.Type.Wheel}


class IdleWatcher(QObject):
    """Application-wide event filter: any key, click or touch restarts the idle lock's count."""

    def __init__(self, touch: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._touch = touch

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _INPUT_EVENTS:
            self._touch()
        return False


class SignInScreen:
    """Mixin of :class:`pos_app.ui.counter.CounterWindow`: the sign-in page and the session's flow."""

    def _build_sign_in(self: Any) -> QWidget:
        login = QWidget()
        login.setObjectName("loginPage")
        login_layout = QVBoxLayout(login)
        self.login_prompt = QLabel()
        self.login_prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin = QLineEdit()
        self.pin.setObjectName("pinField")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setValidator(QRegularExpressionValidator(r"[0-9]{0,8}"))
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        keypad = QGridLayout()
        self.keypad_buttons = []
        for i, digit in enumerate("123456789"):
            button = big_button(f"key{digit}")
            button.setText(digit)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, d=digit: self.pin.insert(d))
            keypad.addWidget(button, i // 3, i % 3)
            self.keypad_buttons.append(button)
        self.key_clear = big_button("keyClear")
        self.key_clear.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.key_clear.clicked.connect(self.pin.clear)
        key0 = big_button("key0")
        key0.setText("0")
        key0.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        key0.clicked.connect(lambda: self.pin.insert("0"))
        self.sign_in_button = big_button("signInButton")
        keypad.addWidget(self.key_clear, 3, 0)
        keypad.addWidget(key0, 3, 1)
        keypad.addWidget(self.sign_in_button, 3, 2)
        self.manager_choice = QComboBox()
        self.manager_choice.setObjectName("signInManager")
        self.manager_choice.setVisible(False)
        self.demo_label = QLabel()
        self.demo_label.setObjectName("demoHint")
        self.demo_label.setWordWrap(True)
        self.demo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_label.setVisible(self.demo_hint)
        login_layout.addStretch(1)
        login_layout.addWidget(self.login_prompt)
        login_layout.addWidget(self.manager_choice)
        login_layout.addWidget(self.pin)
        login_layout.addLayout(keypad)
        login_layout.addWidget(self.demo_label)
        login_layout.addStretch(1)
        login_wrap = QWidget()
        login_outer = QHBoxLayout(login_wrap)
        login_outer.addStretch(1)
        login_outer.addWidget(login, 2)
        login_outer.addStretch(1)
        self.pin.returnPressed.connect(self.sign_in)
        self.sign_in_button.clicked.connect(self.sign_in)
        return login_wrap

    def _retranslate_sign_in(self: Any) -> None:
        self.login_prompt.setText(_("Type your PIN and press Enter"))
        self.pin.setPlaceholderText(_("PIN"))
        self.key_clear.setText(_("Clear"))
        self.sign_in_button.setText(_("Sign in"))
        self.demo_label.setText(_("Demo only: cashier PIN 1111, manager PIN 9999. Never use these PINs on a "
                                  "real counter."))

    # ------------------------------------------------------------------ sign in / out
    def sign_in(self: Any) -> None:
        if self.worker.busy and self._services is not None:
            return
        pin = self.pin.text().strip()
        if not pin:
            self.show_error(_("Type your PIN first."))
            return
        if self._services is None:  # the ledger is still opening: sign in as soon as it is open
            self._sign_in_when_ready = True
            self._set_status("info", lambda: _("Opening the ledger…"))
            return
        svc = self._services
        # while PIN-only sign-in is locked here, a manager names themselves (to sign in and unlock it)
        manager_id = self.manager_choice.currentData() if self.manager_choice.isVisible() else None

        def work() -> tuple[StaffView, dict[str, tuple[str, str]], list[dict[str, Any]]]:
            staff = svc.login(manager_id, pin) if manager_id else svc.login_by_pin(pin)
            tiers = {t.code: (t.name_th, t.name_en) for t in svc.active_rules().tiers.tiers}
            return staff, tiers, svc.rewards()

        self._submit(work, self._signed_in, self._sign_in_failed)

    def _sign_in_failed(self: Any, error: ServiceError) -> None:
        self.pin.clear()
        self.show_error(error.message)
        if isinstance(error, PinLocked) and not self.manager_choice.isVisible():
            self._offer_manager_sign_in()

    def _offer_manager_sign_in(self: Any) -> None:
        svc = self._services
        if svc is None:
            return

        def work() -> list[StaffView]:
            return [s for s in svc.staff() if s.role != "cashier"]

        def done(managers: list[StaffView]) -> None:
            self.manager_choice.clear()
            for manager in managers:
                self.manager_choice.addItem(_("Manager: {name}").format(name=manager.name), manager.id)
            self.manager_choice.setVisible(bool(managers))
            self.pin.setFocus()
            self.manager_sign_in_offered.emit()

        self.worker.submit(work, done, self._failed)

    def _signed_in(self: Any, result: tuple[StaffView, dict[str, tuple[str, str]], list[dict[str, Any]]]) -> None:
        staff, tiers, rewards = result
        self.member_state.tier_names = tiers
        self.changes.publish(Change.RULES_CHANGED)
        self.changes.publish(Change.REWARDS_CHANGED, rewards)
        self.pin.clear()
        self.manager_choice.setVisible(False)
        if staff.must_change_pin:  # a manager reset this PIN: the staff member chooses their own first
            self.open_change_pin(forced=True, staff=staff)
            return
        self._enter_counter(staff)

    def _enter_counter(self: Any, staff: StaffView) -> None:
        self.session.staff = staff
        self._show_staff()
        self.pages.setCurrentWidget(self.counter_page)
        self._set_status("info", None)
        self._set_enabled_for_state()
        self.member_field.setFocus()
        self.idle.touch()
        self._arm_idle_timer()
        self.changes.publish(Change.SIGNED_IN, staff)
        self.signed_in.emit(staff)

    def sign_out(self: Any, reason: str = "user") -> None:
        self.clear()
        self.session.staff = None
        self._show_staff()
        self.pages.setCurrentWidget(self.login_page)
        self._set_enabled_for_state()
        self.pin.setFocus()
        self._idle_timer.stop()
        self.changes.publish(Change.SIGNED_OUT, reason)

    def _show_staff(self: Any) -> None:
        self.who.setText(self.session.who_text())
        self._fit_top_bar()

    def _fit_top_bar(self: Any) -> None:
        """Below 1280 px a manager's row of buttons leaves the name a narrow column ("Manee / Manager /
        (ผู้จัดการ)" on three lines at 1024 px): the window's own name steps aside while someone is signed in
        (it is on the sign-in page), so the name and role take at most two lines."""
        self.title.setVisible(not self.session.signed_in or self.width() >= 1280)

    # ------------------------------------------------------------------ idle lock
    def _arm_idle_timer(self: Any) -> None:
        """Wake up when the idle time would be over (no polling: input moves the deadline, checked then)."""
        if not self.idle.enabled or not self.session.signed_in or self._closed:
            self._idle_timer.stop()
            return
        self._idle_timer.start(max(50, int(self.idle.remaining_s() * 1000)))

    def check_idle(self: Any) -> bool:
        """Sign out when the idle time is over (the timer calls this; tests call it after moving the clock).
        True when it signed out. Never while a dialog or an operation is open: they finish first."""
        if not self.session.signed_in or self._closed:
            return False
        if not self.idle.due():
            self._arm_idle_timer()
            return False
        if self.worker.busy or self._open_dialog() is not None:
            self.idle.touch()  # busy is not idle: look again a full period later
            self._arm_idle_timer()
            return False
        self.sign_out(reason="idle")
        self._set_status("info", lambda: _("Signed out after {minutes} idle: type your PIN to go on.").format(
            minutes=_idle_text(self.idle.timeout_s)))
        self.idle_locked.emit()
        return True

    # ------------------------------------------------------------------ PINs
    def open_change_pin(self: Any, forced: bool = False, staff: StaffView | None = None) -> None:
        """Change one's own PIN (``forced``: right after signing in with a PIN a manager reset)."""
        who = staff or self._staff
        if self._services is None or who is None or self.change_pin_dialog is not None:
            return
        dialog = ChangePinDialog(who.name, forced, self)
        self.change_pin_dialog = dialog
        svc = self._services

        def save() -> None:
            old, new, again = dialog.values()
            if not new or new != again:
                dialog.show_error(_("The two new PINs differ: type the new PIN twice."))
                return
            dialog.save.setEnabled(False)

            def work() -> StaffView:
                return svc.change_pin(who.id, old, new)

            def done(changed: StaffView) -> None:
                self.change_pin_dialog = None
                dialog.accept()
                dialog.deleteLater()
                self._back_to_counter()
                self._set_status("done", lambda: _("Your new PIN is saved."))
                if forced:
                    self._enter_counter(changed)
                self.pin_changed.emit(changed)

            def failed(error: ServiceError) -> None:
                dialog.save.setEnabled(True)
                dialog.show_error(error.message)
                self.error_shown.emit(error.message)

            self.worker.submit(work, done, failed)

        def rejected() -> None:
            self.change_pin_dialog = None
            dialog.deleteLater()
            self._back_to_counter()
            if forced:
                self._set_status("info", lambda: _("Signed out: choose a new PIN at your next sign-in."))
                self.pin.setFocus()

        dialog.save.clicked.connect(save)
        dialog.repeat_pin.returnPressed.connect(save)
        dialog.rejected.connect(rejected)
        dialog.open()
        self.change_pin_requested.emit(dialog)


def _idle_text(seconds: int) -> str:
    if seconds % 60 == 0:
        return _("{count} min").format(count=seconds // 60)
    return _("{count} s").format(count=seconds)


__all__ = ["IdleWatcher", "SignInScreen"]
