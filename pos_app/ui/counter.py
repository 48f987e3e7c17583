"""The counter window: sign in by PIN, identify a member, award points for a bill, redeem points, returns,
the manager's back office.

The window is a shell that composes the screens (each in its own module under :mod:`pos_app.ui.screens`,
each with a Qt-free presenter under :mod:`pos_app.ui.presenters` holding its state and flow):

- :mod:`~pos_app.ui.screens.signin` sign-in, PIN change, sign out and the idle lock;
- :mod:`~pos_app.ui.screens.member` identify, the member panel, history, enroll;
- :mod:`~pos_app.ui.screens.award` / :mod:`~pos_app.ui.screens.redeem` the two actions;
- :mod:`~pos_app.ui.screens.returns` returns; :mod:`~pos_app.ui.screens.backoffice` reports, manager area;
- :mod:`~pos_app.ui.screens.status` the state strip (sync, offline allowance, backups, printer);
- :mod:`~pos_app.ui.screens.style` the stylesheet and widget helpers.

Screens refresh from change notifications (:class:`~pos_app.ui.presenters.changes.ChangeBus`): an operation
committed, a sync pull applied, rules or rewards changed, another member shown; never from timers re-reading.

Every service call runs on the window's single :class:`~pos_app.ui.worker.Worker` thread. A handler captures
plain values from the widgets, submits a function that only talks to the services, and updates the widgets in
the callback that comes back on the UI thread. The widgets are never the source of truth: the member shown is
the ``MemberView`` the services returned, and "done" appears only once the service returned after its commit.

Each award or redemption carries an operation id created when the cashier presses the button and reused when
they press again for the same thing (a double press, a retry after an error, a manager approving): the
services answer a repeated id with the first result, so points are never given or taken twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.config import ConfigError, TerminalConfig, load_config
from pos_app.core.i18n import _, get_language, set_language
from pos_app.core.member_codes import classify_scan
from pos_app.core.version import app_version
from pos_app.core.vouchers import classify_scan as classify_voucher
from pos_app.services.errors import ServiceError
from pos_app.services.staff import StaffView
from pos_app.ui.dialogs import (
    ChangePinDialog,
    EnrollDialog,
    ManagerDialog,
    ManagerPinDialog,
    ReturnDialog,
    VoidDialog,
)
from pos_app.ui.presenters.award import AwardPresenter
from pos_app.ui.presenters.changes import Change, ChangeBus
from pos_app.ui.presenters.member import MemberPresenter
from pos_app.ui.presenters.redeem import RedeemPresenter, VoucherBuys
from pos_app.ui.presenters.returns import ReturnPresenter
from pos_app.ui.presenters.search import SearchPresenter
from pos_app.ui.presenters.session import IdleLock, SessionPresenter
from pos_app.ui.presenters.voids import VoidPresenter
from pos_app.ui.presenters.voucher import VoucherPresenter
from pos_app.ui.screens.award import PREVIEW_DELAY_MS, AwardScreen
from pos_app.ui.screens.backoffice import BackOfficeScreen
from pos_app.ui.screens.device import DevicePage
from pos_app.ui.screens.member import LAYOUT_WARNINGS, MemberScreen
from pos_app.ui.screens.redeem import RedeemScreen
from pos_app.ui.screens.reports import BackOfficeDialog
from pos_app.ui.screens.returns import ReturnsScreen
from pos_app.ui.screens.signin import IdleWatcher, SignInScreen
from pos_app.ui.screens.staff import StaffPage
from pos_app.ui.screens.status import BACKUP_CHECK_MS, StatusStrip, SyncBridge, SyncClientHolder
from pos_app.ui.screens.style import STYLE, big_button, with_key, wrapped_label
from pos_app.ui.screens.voids import VoidScreen
from pos_app.ui.screens.voucher import VoucherDialog, VoucherScreen
from pos_app.ui.slips import make_slip_printer, printer_message
from pos_app.ui.wedge import WedgeFilter
from pos_app.ui.worker import Worker

if TYPE_CHECKING:
    from pos_app.services.base import MemberView


def new_op_id() -> str:
    """A terminal-born, time-ordered id (UUIDv7), the same kind the ledger uses."""
    import uuid6  # ~70 ms (it loads importlib.metadata): not before the PIN screen

    return str(uuid6.uuid7())


@dataclass
class _PendingOp:
    key: tuple[Any, ...]
    op_id: str


class OperationIds:
    """Hands out operation ids: the same id again while the same operation is still unconfirmed."""

    def __init__(self) -> None:
        self._pending: dict[str, _PendingOp] = {}

    def for_request(self, kind: str, key: tuple[Any, ...]) -> str:
        pending = self._pending.get(kind)
        if pending is None or pending.key != key:
            pending = _PendingOp(key, new_op_id())
            self._pending[kind] = pending
        return pending.op_id

    def confirmed(self, kind: str, op_id: str) -> None:
        pending = self._pending.get(kind)
        if pending is not None and pending.op_id == op_id:
            del self._pending[kind]

    def clear(self) -> None:
        self._pending.clear()


UPDATE_CHECK_MS = 60_000
"""How often the window looks whether it should step aside for an update (two small files read on the worker)."""


class CounterWindow(SignInScreen, MemberScreen, AwardScreen, RedeemScreen, ReturnsScreen, VoidScreen,
                    VoucherScreen, BackOfficeScreen, StatusStrip, QMainWindow):
    """The counter window. Its signals are for whoever drives it (tests, a camera scanner adapter)."""

    pin_screen_shown = Signal()        # the window's first paint: the PIN screen is on screen and takes keys
    ready = Signal()                   # the ledger is open: signing in is possible
    signed_in = Signal(object)         # StaffView
    member_shown = Signal(object)      # MemberView
    preview_shown = Signal(int)        # points the current bill would earn
    operation_done = Signal(object)    # AwardResult or RedeemResult, after commit
    error_shown = Signal(str)          # a refusal or failure, as shown to the cashier
    approval_requested = Signal(object)  # the ManagerPinDialog just opened
    enroll_requested = Signal(object)    # the EnrollDialog just opened
    report_shown = Signal(object)        # the back office dialog, each time it drew a report
    language_changed = Signal(str)
    sync_status_shown = Signal(object)   # the SyncStatus just shown in the status bar
    offline_remaining_shown = Signal(int)  # points the member can still redeem offline (shown when offline)
    backup_checked = Signal(object)      # BackupInfo, None (not due) or the ServiceError of a failed backup
    slip_printed = Signal(object)        # PrintOutcome of a slip (or reprint) the print thread finished
    camera_scanned = Signal(str)         # a code the camera accepted (then identified like a typed one)
    voucher_buy_let_go = Signal(str, bool)  # op id of a voucher purchase left behind; True: nothing was spent
    change_pin_requested = Signal(object)  # the ChangePinDialog just opened
    pin_changed = Signal(object)         # StaffView after a PIN change was saved
    manager_area_shown = Signal(object)  # the ManagerDialog, each time its state was (re)drawn
    manager_sign_in_offered = Signal()   # PIN-only sign-in is locked: the manager list is shown
    pulled_refreshed = Signal(object)    # after a sync pull: the member shown (MemberView or None), re-read
    history_shown = Signal(object)       # list[HistoryLine] just shown on the member panel
    report_exported = Signal(object)     # Path of the CSV file just written
    return_requested = Signal(object)    # the ReturnDialog just opened
    return_previewed = Signal(object)    # ReturnPreview shown in the ReturnDialog
    search_shown = Signal(object)        # list[str]: the name search's result lines just shown
    void_requested = Signal(object)      # the VoidDialog just opened, with the operations that can be voided
    voucher_requested = Signal(object)   # the VoucherDialog just opened: what a scanned voucher gives
    reward_tile_chosen = Signal(object)  # the reward code a tile chose (None: back to points as a discount)
    idle_locked = Signal()               # the idle lock signed the cashier out
    update_restart = Signal(str)         # idle in the quiet time with an update waiting: the app exits to let it in

    def __init__(self, data_dir: Path, *, seed_demo: bool = False, demo_hint: bool = False,
                 config: TerminalConfig | None = None, sync_client_kwargs: dict[str, Any] | None = None,
                 printer: Any = None, clock: Callable[[], float] = time.monotonic,
                 update_clock: Callable[[], datetime] | None = None, restartable: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counterWindow")
        self.data_dir = Path(data_dir)
        self.demo_hint = demo_hint
        self.config_error: str | None = None
        if config is None:
            try:
                config = load_config(self.data_dir)
            except ConfigError as exc:  # a broken file: say so, carry on with the defaults
                self.config_error = exc.message
                config = TerminalConfig()
        self.config = config
        self._sync_client_kwargs = dict(sync_client_kwargs or {})
        self._sync_clients = SyncClientHolder(self._sync_client_kwargs)
        self.sync_worker: Any = None
        self.sync_status: Any = None
        self.sync_bridge = SyncBridge(self)
        self.sync_bridge.changed.connect(self._on_sync_status, Qt.ConnectionType.QueuedConnection)
        self.sync_bridge.pulled.connect(self._on_sync_pulled, Qt.ConnectionType.QueuedConnection)
        self._enrolled = False
        self._offline_remaining: int | None = None
        self._backup_text: Callable[[], str] | None = None
        self._backup_failed = False
        self._branch_name = ""
        self._pending_scan: str | None = None
        self._printer_text: Callable[[], str] | None = None
        self.slip_printer: Any = None
        self.print_worker: Worker | None = None
        try:
            self.slip_printer = make_slip_printer(config.printer, self.data_dir, printer)
        except Exception as exc:  # noqa: BLE001 - a printer problem never stops the counter
            problem = str(getattr(exc, "code", "") or "error")
            self._printer_text = lambda: _("The slip printer cannot be used: {reason}").format(
                reason=printer_message(problem))
        if self.slip_printer is not None:
            self.print_worker = Worker(self)
        self.worker = Worker(self)
        self.ops = OperationIds()
        self.voucher_buys = VoucherBuys(new_op_id)  # kept across members: a paid voucher is fetched later
        self._services: Any = None
        self._open_failed = False
        # the screens' state (Qt-free presenters) and the notifications they refresh from
        self.changes = ChangeBus()
        self.session = SessionPresenter()
        self.member_state = MemberPresenter()
        self.award_state = AwardPresenter()
        self.redeem_state = RedeemPresenter()
        self.search_state = SearchPresenter()
        self.void_state = VoidPresenter()
        self.idle = IdleLock(config.terminal.idle_lock_seconds, clock)
        self._status_text: Callable[[], str] | None = None
        self._status_kind = "info"
        self.approval_dialog: ManagerPinDialog | None = None
        self.enroll_dialog: EnrollDialog | None = None
        self.report_dialog: BackOfficeDialog | None = None
        self.change_pin_dialog: ChangePinDialog | None = None
        self.manager_dialog: ManagerDialog | None = None
        self.return_dialog: ReturnDialog | None = None
        self.return_state = ReturnPresenter()  # the return dialog's receipt and its currency
        self.void_dialog: VoidDialog | None = None
        self.voucher_state = VoucherPresenter()
        self.voucher_dialog: VoucherDialog | None = None
        self._closed = False

        self.setStyleSheet(STYLE)
        self._build()
        self.worker.busy_changed.connect(self._on_busy)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._request_preview)
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(BACKUP_CHECK_MS)
        self._backup_timer.timeout.connect(self.check_backup)
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.timeout.connect(self.check_idle)
        self.restartable = restartable  # run by 'pos-terminal counter', which starts it again after an update
        self._update_clock = update_clock or (lambda: datetime.now().astimezone())
        self._update_timer = QTimer(self)
        self._update_timer.setInterval(UPDATE_CHECK_MS)
        self._update_timer.timeout.connect(self.check_update_restart)
        self._idle_watcher = IdleWatcher(self.idle.touch, self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._idle_watcher)
        # a redemption changes a reward's stock: the tiles show it without anyone re-reading on a timer
        self.changes.subscribe(Change.OPERATION_COMMITTED, self._reread_rewards_after)
        self.changes.subscribe(Change.SIGNED_OUT, lambda _reason: self.device_page.stop_camera())
        self.retranslate()
        self._set_enabled_for_state()
        # The PIN screen first, then the ledger: opening it imports SQLAlchemy and reads the file (~1 s on a
        # loaded counter PC), which the cashier spends typing their PIN. A PIN confirmed before the ledger is
        # open is checked as soon as it is (bench/bench_ui.py measures both moments).
        self._seed_demo = seed_demo
        self._opening = False
        self._sign_in_when_ready = False
        self._painted = False
        QTimer.singleShot(0, self._open_unless_painting)

    # the screens read these two often; the presenters hold them
    @property
    def _staff(self) -> StaffView | None:
        staff: StaffView | None = self.session.staff
        return staff

    @property
    def _member(self) -> MemberView | None:
        member: MemberView | None = self.member_state.member
        return member

    @property
    def _rewards(self) -> list[dict[str, Any]]:
        return self.redeem_state.rewards

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.pages = QStackedWidget()

        # top bar, shared by both pages
        self.title = QLabel()
        self.title.setObjectName("title")
        self.who = QLabel()
        self.who.setObjectName("who")
        self.who.setWordWrap(True)  # "name (role)" on two lines when a manager's buttons need the room at 1024 px
        self.lang_button = big_button("langButton")
        self.sign_out_button = big_button("signOutButton")
        self.report_button = big_button("reportButton")
        self.manager_button = big_button("managerButton")
        self.change_pin_button = big_button("changePinButton")
        self.staff_button = big_button("staffButton")    # the staff admin page (screens/staff.py)
        self.device_button = big_button("deviceButton")  # the device page (screens/device.py)

        login_wrap = self._build_sign_in()

        # ---- counter page: two columns that fit 1024x768 (docs/user-guide.md, tests/ui/test_fit.py)
        #   left: the member panel (identify, then who they are, balance, what expires, offline allowance)
        #   right: the actions (award, redeem), each with its primary button; the result line under both
        counter = QWidget()
        counter.setObjectName("counterPage")
        counter_layout = QHBoxLayout(counter)
        counter_layout.setContentsMargins(0, 0, 0, 0)
        member_box = self._build_member_panel()
        actions = QWidget()
        actions.setObjectName("actionsColumn")
        actions_layout = QVBoxLayout(actions)
        actions_layout.setContentsMargins(0, 0, 0, 0)
        actions_layout.addWidget(self._build_award())
        actions_layout.addWidget(self._build_redeem())
        self.return_button = big_button("returnButton")
        self.void_button = big_button("voidButton")
        rare = QHBoxLayout()  # the rarer corrections, side by side under the two actions
        rare.addWidget(self.return_button, 3)
        rare.addWidget(self.void_button, 2)
        actions_layout.addLayout(rare)
        actions_layout.addStretch(1)
        counter_layout.addWidget(member_box, 1)
        counter_layout.addWidget(actions, 1)

        self.status = wrapped_label("status")

        self.pages.addWidget(login_wrap)
        self.pages.addWidget(counter)
        self.login_page = login_wrap
        self.counter_page = counter
        self.staff_page = StaffPage(self, back=self.back_to_counter_page)
        self.device_page = DevicePage(self, back=self.back_to_counter_page)
        self.pages.addWidget(self.staff_page)
        self.pages.addWidget(self.device_page)

        top = QWidget()
        top.setObjectName("topBar")
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.title)
        top_layout.addWidget(self.who, 1)
        top_layout.addWidget(self.manager_button)
        top_layout.addWidget(self.staff_button)
        top_layout.addWidget(self.device_button)
        top_layout.addWidget(self.change_pin_button)
        top_layout.addWidget(self.report_button)
        top_layout.addWidget(self.sign_out_button)
        top_layout.addWidget(self.lang_button)

        state = self._build_state_strip()

        root = QWidget()
        root_layout = QVBoxLayout(root)
        root_layout.setContentsMargins(8, 4, 8, 4)
        root_layout.setSpacing(4)
        root_layout.addWidget(top)
        root_layout.addWidget(self.pages, 1)
        root_layout.addWidget(self.status)
        root_layout.addWidget(state)
        self.setCentralWidget(root)
        self.statusBar().hide()
        self.resize(1024, 768)

        # Tab follows the flow: identify, award, then the reward tiles and the redeem form, returns
        chain = [self.member_field, self.find_button, self.enroll_button, self.camera_button, self.amount_field,
                 self.receipt_field, self.award_button, *self.reward_tiles, self.reward_combo, self.points_field,
                 self.redeem_button, self.return_button, self.void_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

        # keyboard first: Enter confirms the field's step, Esc clears
        self.sign_out_button.clicked.connect(lambda: self.sign_out())
        self.report_button.clicked.connect(self.show_report)
        self.manager_button.clicked.connect(self.show_manager_area)
        self.staff_button.clicked.connect(lambda: self.show_back_office_page(self.staff_page))
        self.device_button.clicked.connect(lambda: self.show_back_office_page(self.device_page))
        self.sync_status_shown.connect(self.device_page.show_live_status)
        self.change_pin_button.clicked.connect(lambda: self.open_change_pin(forced=False))
        self.lang_button.clicked.connect(self.toggle_language)
        self.return_button.clicked.connect(self.open_return)
        self.void_button.clicked.connect(self.open_void)
        self.wedge = WedgeFilter([self.amount_field, self.receipt_field, self.points_field],
                                 accept=lambda text: classify_scan(text) in ("member_qr", "app_code")
                                 or classify_voucher(text) == "voucher",
                                 parent=self)
        self.wedge.scanned.connect(self._on_wedge_scan)
        self.escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.escape.activated.connect(self._escape)
        # the frequent actions on F-keys; the key is printed on its button (see with_key)
        self.fkeys: dict[str, QShortcut] = {}
        for key, button in (("F2", self.award_button), ("F3", self.redeem_button),
                            ("F4", self.enroll_button), ("F5", self.camera_button), ("F6", self.return_button),
                            ("F7", self.void_button)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(lambda b=button: b.click() if b.isVisible() and b.isEnabled() else None)
            self.fkeys[key] = shortcut

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        """Set every visible text in the current language (called again by the TH/EN toggle)."""
        self.setWindowTitle(_("Loyalty counter"))
        self.title.setText(_("Loyalty counter"))
        # the toggle names the language it switches to, in that language
        self.lang_button.setText("EN" if get_language() == "th" else "ไทย")
        self.lang_button.setToolTip(_("Switch language"))
        self.sign_out_button.setText(_("Sign out"))
        self.report_button.setText(_("Reports"))
        self.manager_button.setText(_("Manager"))
        self.manager_button.setToolTip(_("Lockouts, security events, reset a cashier's PIN"))
        self.change_pin_button.setText(_("Change PIN"))
        self.staff_button.setText(_("Staff"))
        self.staff_button.setToolTip(_("Add a cashier, disable or enable, reset a PIN"))
        self.device_button.setText(_("Device"))
        self.device_button.setToolTip(_("Sync, printer, camera and scanner tests, health checks, backup"))
        self.return_button.setText(with_key(_("Return a receipt"), "F6"))
        self.void_button.setText(with_key(_("Void"), "F7"))
        self.void_button.setToolTip(_("Void one of this counter's last operations (a manager approves)"))
        self._retranslate_sign_in()
        self._retranslate_member()
        self._retranslate_award()
        self._retranslate_redeem()
        self._show_staff()
        self._show_member()
        self._show_status()
        self._retranslate_state_strip()
        self.staff_page.retranslate()
        self.device_page.retranslate()

    def toggle_language(self) -> None:
        set_language("en" if get_language() == "th" else "th")
        self.retranslate()
        self.language_changed.emit(get_language())

    # ------------------------------------------------------------------ state
    def _set_enabled_for_state(self) -> None:
        busy = self.worker.busy
        ready = self._services is not None
        # while the ledger opens a PIN may be typed and confirmed (checked once it is open); not if it failed
        self.sign_in_button.setEnabled(not busy if ready else not self._open_failed)
        self.pin.setEnabled(ready or not self._open_failed)
        signed_in = self.session.signed_in
        self.sign_out_button.setVisible(signed_in)
        back_office = self.session.back_office
        self.report_button.setVisible(back_office)
        self.report_button.setEnabled(not busy)
        self.manager_button.setVisible(back_office)
        self.manager_button.setEnabled(not busy)
        for button in (self.staff_button, self.device_button):
            button.setVisible(back_office)
            button.setEnabled(not busy)
        self.change_pin_button.setVisible(signed_in)
        self.change_pin_button.setEnabled(not busy)
        self.find_button.setEnabled(signed_in and not busy)
        self.enroll_button.setEnabled(signed_in and not busy)
        self.return_button.setEnabled(signed_in and not busy)
        self.void_button.setEnabled(signed_in and not busy)
        if self.enroll_dialog is not None:
            self.enroll_dialog.enroll.setEnabled(not busy)
        has_member = self._member is not None
        self.award_button.setEnabled(signed_in and has_member and not busy)
        self.redeem_button.setEnabled(signed_in and has_member and not busy)
        self.amount_field.setEnabled(has_member)
        self.receipt_field.setEnabled(has_member)
        self.reward_combo.setEnabled(has_member)
        self.points_field.setEnabled(has_member and self.reward_combo.currentData() is None)

    def _on_busy(self, busy: bool) -> None:
        self._set_enabled_for_state()
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
            if self._status_text is None:
                self.status.setText(_("Working…"))
        else:
            self.unsetCursor()
            self._show_status()
            pending, self._pending_scan = self._pending_scan, None
            if pending is not None and self.approval_dialog is None and self.enroll_dialog is None:
                self._on_camera_scan(pending)

    def _set_status(self, kind: str, text: Callable[[], str] | None) -> None:
        self._status_kind = kind
        self._status_text = text
        self._show_status()

    def _show_status(self) -> None:
        text = self._status_text() if self._status_text else ""
        kind = self._status_kind if text else "none"
        if self.status.property("kind") != kind:  # re-polish (slow) only when the colour changes
            self.status.setProperty("kind", kind)
            self.status.style().unpolish(self.status)
            self.status.style().polish(self.status)
        self.status.setText(text)

    def show_error(self, message: str) -> None:
        self._set_status("error", lambda: message)
        self.error_shown.emit(message)

    def _submit(self, fn: Callable[[], Any], on_success: Callable[[Any], None],
                on_error: Callable[[ServiceError], None] | None = None) -> None:
        self._set_status("info", None)
        self.worker.submit(fn, on_success, on_error or self._failed)

    def _failed(self, error: ServiceError) -> None:
        self.show_error(error.message)

    @staticmethod
    def _fresh_member(svc: Any, member_id: str) -> MemberView | None:
        """The member as the ledger now has them (runs on the worker, after the operation committed)."""
        try:
            member: MemberView = svc.members.get(member_id)
            return member
        except ServiceError:
            return None

    def _reread_rewards_after(self, result: Any) -> None:
        svc = self._services
        if svc is None or not (getattr(result, "reward_code", None) or getattr(result, "kind", "") == "redeem"):
            return
        self.worker.submit(svc.rewards, lambda rewards: self.changes.publish(Change.REWARDS_CHANGED, rewards),
                           lambda _error: None, busy=False)

    # ------------------------------------------------------------------ open
    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.pin_screen_shown.emit()
            QTimer.singleShot(0, self._start_opening)  # after this frame reached the screen

    def _open_unless_painting(self) -> None:
        """A window that is not shown (tests, a smoke run) opens the ledger now; a shown one after its first
        paint, or after 300 ms if no paint came (a platform that paints late)."""
        if self.isVisible() and not self._painted:
            QTimer.singleShot(300, self._start_opening)
            return
        self._start_opening()

    def _start_opening(self) -> None:
        if self._opening or self._closed:
            return
        self._opening = True
        self._open_services(self._seed_demo)

    def _open_services(self, seed: bool) -> None:
        data_dir = self.data_dir

        def work() -> tuple[Any, bool, str]:
            from pos_app.services import open_terminal, sync_glue
            services = open_terminal(data_dir)
            if seed:
                from pos_app.services.demo import seed_demo

                seed_demo(services)
            enrolled, branch = sync_glue.counter_identity(services)  # the UI never reads the ledger itself
            return services, enrolled, branch

        def failed(error: ServiceError) -> None:
            self._open_failed = True
            self._sign_in_when_ready = False
            self._set_enabled_for_state()
            self._failed(error)

        self.worker.submit(work, self._opened, failed)

    def _opened(self, opened: tuple[Any, bool, str]) -> None:
        services, enrolled, branch = opened
        if self._closed:
            services.close()
            return
        services.pin_policy = self.config.pins  # wrong-PIN delays and lockouts ([pins])
        services.void_window_ms = self.config.terminal.void_window_minutes * 60_000  # [terminal]
        self._services = services
        self._enrolled = enrolled
        self._branch_name = branch
        self._set_enabled_for_state()
        self.pin.setFocus()
        if self._sign_in_when_ready:
            self._sign_in_when_ready = False
            self.sign_in()
        self.check_backup()
        self._backup_timer.start()
        if self.restartable:
            self._update_timer.start()
        if enrolled:
            self._start_sync(services)
        self._show_sync_status()
        self.currency_picker.refresh(self.worker, services)
        self.ready.emit()

    # ------------------------------------------------------------------ unattended updates
    def check_update_restart(self) -> int | None:
        """Every minute: when an update waits (downloaded and verified by the sync service), it is head office's
        quiet time and the counter is idle (signed out: the PIN screen, so never in the middle of a sale; nothing
        running, no dialog), the window steps aside: ``update_restart`` is emitted and the app exits with
        :data:`pos_app.updates.EXIT_RESTART`; ``pos-terminal counter`` waits for the install and opens the window
        again, in the new version. The decision is :func:`pos_app.updates.restart_due`; the files are read on the
        worker. Only a window run by ``pos-terminal counter`` (``restartable``) steps aside: nothing would start a
        window opened otherwise again. Returns the worker ticket of the look (tests wait for it)."""
        if self._closed or not self.restartable:
            return None
        from pos_app import updates  # loads the ledger package (sqlalchemy): never before the PIN screen

        data_dir, running = self.data_dir, app_version()

        def read() -> tuple[Any, Any]:
            return updates.pending_update(data_dir, running), updates.read_stepped(data_dir)

        def decide(found: tuple[Any, Any]) -> None:
            pending, stepped = found
            now = self._update_clock()
            if self._closed or not updates.restart_due(
                    pending, signed_in=self.session.signed_in, busy=self.worker.busy,
                    dialog_open=self._open_dialog() is not None, now=now, stepped=stepped):
                return
            version = pending.version
            self.worker.submit(lambda: updates.note_stepped_aside(data_dir, version, now),
                               lambda _done: self._step_aside(version), lambda _error: None, busy=False)

        return self.worker.submit(read, decide, lambda _error: None, busy=False)

    def _step_aside(self, version: str) -> None:
        if self._closed or self.session.signed_in:  # someone signed in meanwhile: the next quiet minute
            return
        self._set_status("info", lambda: _("Updating to version {version}: the counter opens again in a few "
                                           "minutes.").format(version=version))
        self.update_restart.emit(version)

    # ------------------------------------------------------------------ approvals and dialogs
    def _ask_manager(self, reason: str, then: Callable[[str], None],
                     refused: Callable[[], str] | None = None) -> None:
        dialog = ManagerPinDialog(reason, self)
        self.approval_dialog = dialog

        def accepted() -> None:
            pin = dialog.pin_text()
            self.approval_dialog = None
            dialog.deleteLater()
            self._back_to_counter()
            then(pin)

        def rejected() -> None:
            self.approval_dialog = None
            dialog.deleteLater()
            self._back_to_counter()
            self._set_status("info", refused or (lambda: _("Not redeemed: no manager approval.")))

        dialog.accepted.connect(accepted)
        dialog.rejected.connect(rejected)
        dialog.open()
        self._set_status("info", lambda: reason)
        self.approval_requested.emit(dialog)

    def _open_dialog(self) -> Any:
        """The dialog open over the counter, if any (it handles its own Esc; the idle lock waits for it)."""
        for dialog in (self.approval_dialog, self.enroll_dialog, self.return_dialog, self.report_dialog,
                       self.change_pin_dialog, self.manager_dialog, self.void_dialog, self.voucher_dialog):
            if dialog is not None:
                return dialog
        return None

    def _back_to_counter(self) -> None:
        """After a dialog closed: the counter window takes the keys again (Esc, F-keys, the scanner). A kiosk
        has no window manager to give it back its activation, and shortcuts only work in the active window."""
        if not self._closed and self.isVisible():
            self.activateWindow()

    # ------------------------------------------------------------------ clear / close
    def show_back_office_page(self, page: Any) -> None:
        """The staff or device page in place of the counter (managers; the services check the role)."""
        if self._services is None or not self.session.back_office or self._open_dialog() is not None:
            return
        self.device_page.stop_camera()
        self.pages.setCurrentWidget(page)
        page.open()

    def back_to_counter_page(self) -> None:
        self.device_page.stop_camera()
        if self.pages.currentWidget() in (self.staff_page, self.device_page):
            self.pages.setCurrentWidget(self.counter_page if self.session.signed_in else self.login_page)
            self.member_field.setFocus()

    def _escape(self) -> None:
        """Esc: from a back-office page, back to the counter (the member and the bill stay); else clear."""
        if self._open_dialog() is None and self.pages.currentWidget() in (self.staff_page, self.device_page):
            self.back_to_counter_page()
            return
        self.clear()

    def clear(self) -> None:
        """Forget the member and everything typed, ready for the next customer (Esc on the counter)."""
        if self._open_dialog() is not None:
            return  # the dialog handles its own Esc
        self.back_to_counter_page()  # from a back-office page too (sign out and the idle lock come here)
        self.pin.clear()
        self.member_field.clear()
        self._set_member(None)
        self.amount_field.clear()
        self.receipt_field.clear()
        self.amount_error.clear()
        self._set_status("info", None)
        (self.member_field if self._staff is not None else self.pin).setFocus()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_top_bar()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Finish queued work, close the ledger on the worker thread, stop the thread. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._preview_timer.stop()
        self._idle_timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._idle_watcher)
        self.camera_panel.stop()
        self.device_page.stop_camera()
        self._backup_timer.stop()
        self._update_timer.stop()
        if self.sync_worker is not None:
            self.sync_worker.stop()
            self.sync_worker = None
        services = self._services
        self._services = None
        clients = self._sync_clients

        def final() -> None:
            try:
                clients.close()
            finally:
                if services is not None:
                    services.close()

        self.worker.shutdown(final)
        if self.print_worker is not None:
            slips = self.slip_printer
            self.print_worker.shutdown(slips.printer.close if slips is not None else None)


__all__ = ["LAYOUT_WARNINGS", "Change", "CounterWindow", "OperationIds", "new_op_id"]
