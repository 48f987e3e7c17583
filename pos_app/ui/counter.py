"""The first counter window: sign in by PIN, identify a member, award points for a bill, redeem points.

Every service call runs on the window's single :class:`~pos_app.ui.worker.Worker` thread. A handler captures
plain values from the widgets, submits a function that only talks to the services, and updates the widgets in
the callback that comes back on the UI thread. The widgets are never the source of truth: the member shown is
the ``MemberView`` the services returned, and "done" appears only once the service returned after its commit.

Each award or redemption carries an operation id created when the cashier presses the button and reused when
they press again for the same thing (a double press, a retry after an error, a manager approving): the
services answer a repeated id with the first result, so points are never given or taken twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import uuid6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hardware.wedge import MIXED_LAYOUT, THAI_LAYOUT, detect_layout
from pos_app.config import ConfigError, TerminalConfig, load_config
from pos_app.core.errors import RuleError
from pos_app.core.i18n import N_, _, get_language, set_language
from pos_app.core.member_codes import classify_scan
from pos_app.core.money import format_baht, parse_purchase_amount
from pos_app.core.rules import points_start_text, zero_points_text
from pos_app.services import Approval, MemberView, ServiceError, StaffView, open_terminal, sync_glue
from pos_app.services.errors import ApprovalRequired, PinLocked, Unavailable
from pos_app.services.reports import range_report, report_csv
from pos_app.services.returns import ReturnPreview, preview_return
from pos_app.ui.camera import CameraPanel
from pos_app.ui.currency_picker import CurrencyPicker, amount_row
from pos_app.ui.dialogs import (
    ChangePinDialog,
    EnrollDialog,
    ManagerDialog,
    ManagerPinDialog,
    ReportDialog,
    ReturnDialog,
)
from pos_app.ui.presenters import HISTORY_LINES, HistoryLine, history_lines, return_summary
from pos_app.ui.slips import (
    PrintOutcome,
    make_slip_printer,
    print_slip_job,
    printer_message,
    slip_data,
    slip_labels,
)
from pos_app.ui.wedge import WedgeFilter
from pos_app.ui.worker import Worker

PREVIEW_DELAY_MS = 150
BACKUP_CHECK_MS = 10 * 60 * 1000  # how often the window asks the services whether a backup is due
# hardware reports stable codes in English; the cashier reads them here, translated
LAYOUT_WARNINGS = {
    THAI_LAYOUT: N_("The keyboard is set to Thai, so the scanner typed Thai letters; it was read anyway. "
                    "Switch the keyboard to English (Grave or Alt+Shift) or set the scanner to serial mode."),
    MIXED_LAYOUT: N_("The scanner's keys arrived in a mix of Thai and English. Switch the keyboard to English "
                     "(Grave or Alt+Shift) or set the scanner to serial mode, then scan again."),
}
STYLE = """
QWidget { font-size: 18px; }
QPushButton { min-height: 48px; min-width: 64px; padding: 2px 12px; border-radius: 8px;
              background: #e8eef7; border: 1px solid #8aa3c7; }
QPushButton:disabled { color: #999; background: #f0f0f0; border-color: #ccc; }
QPushButton#awardButton, QPushButton#redeemButton, QPushButton#signInButton, QPushButton#approveButton,
QPushButton#enrollButton, QPushButton#returnConfirm { background: #1f6f43; color: white; font-weight: bold; border: none; }
QPushButton#awardButton, QPushButton#redeemButton { min-height: 104px; font-size: 20px; }
QPushButton#awardButton:disabled, QPushButton#redeemButton:disabled, QPushButton#signInButton:disabled,
QPushButton#approveButton:disabled, QPushButton#enrollButton:disabled,
QPushButton#returnConfirm:disabled { background: #9bbfa9; }
QLineEdit, QComboBox { min-height: 48px; padding: 0px 8px; }
QGroupBox { font-weight: bold; }
QLabel#title { font-weight: bold; }
QLabel#memberName { font-size: 26px; font-weight: bold; }
QLabel#memberBalance { font-size: 30px; color: #1f6f43; font-weight: bold; }
QLabel#memberExpiring { color: #8a4b00; }
QLabel#amountError, QLabel#redeemError { color: #b00020; }
QLabel#status { min-height: 40px; }
QLabel#status[kind="error"] { color: white; background: #b00020; padding: 4px 8px; border-radius: 6px; }
QLabel#status[kind="done"] { color: white; background: #1f6f43; padding: 4px 8px; border-radius: 6px; }
QLabel#status[kind="info"] { color: #333; background: #eef; padding: 4px 8px; border-radius: 6px; }
QLabel#preview { color: #1f4f8f; }
QFrame#stateStrip QLabel { font-size: 16px; color: #333; }
QFrame#stateStrip { border-top: 1px solid #ccc; }
"""


def new_op_id() -> str:
    """A terminal-born, time-ordered id (UUIDv7), the same kind the ledger uses."""
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


class SyncBridge(QObject):
    """Carries the sync worker's status (reported on its own thread) to the UI thread as a queued signal."""

    changed = Signal(object)  # sync.client.SyncStatus
    pulled = Signal(int)      # a sync round applied this many changes from the server


class _SyncClientHolder:
    """The redeem path's sync client, made lazily and used only on the service worker thread."""

    def __init__(self, client_kwargs: dict[str, Any]) -> None:
        self.client_kwargs = client_kwargs
        self.client: Any = None
        self.lock = threading.Lock()

    def get(self, services: Any) -> Any:
        from sync.client import NotEnrolled

        with self.lock:
            if self.client is None:
                try:
                    self.client = sync_glue.make_client(services, **self.client_kwargs)
                except NotEnrolled:
                    return None
            return self.client

    def close(self) -> None:
        with self.lock:
            client, self.client = self.client, None
        close = getattr(client, "close", None)
        if close is not None:
            close()


def _clock_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000).strftime("%H:%M")


def _with_key(text: str, key: str) -> str:
    """A button's text with its keyboard key printed on it ("Award  [F2]")."""
    return f"{text}  [{key}]"


class NoteLabel(QLabel):
    """A wrapping label that takes no room while it has nothing to say (errors, printer and offline notes):
    the counter page fits 768 pixels only if empty notes leave their line to the others."""

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.setText("")


def _wrapped_label(name: str, note: bool = False) -> QLabel:
    """A label that wraps instead of widening the window (Thai sentences are long; nothing may be cut off)."""
    label = NoteLabel() if note else QLabel()
    if note:
        label.setVisible(False)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def _big_button(name: str) -> QPushButton:
    button = QPushButton()
    button.setObjectName(name)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return button


class CounterWindow(QMainWindow):
    """The counter window. Its signals are for whoever drives it (tests, a camera scanner adapter)."""

    ready = Signal()                   # the ledger is open: signing in is possible
    signed_in = Signal(object)         # StaffView
    member_shown = Signal(object)      # MemberView
    preview_shown = Signal(int)        # points the current bill would earn
    operation_done = Signal(object)    # AwardResult or RedeemResult, after commit
    error_shown = Signal(str)          # a refusal or failure, as shown to the cashier
    approval_requested = Signal(object)  # the ManagerPinDialog just opened
    enroll_requested = Signal(object)    # the EnrollDialog just opened
    report_shown = Signal(object)        # the ReportDialog just opened
    language_changed = Signal(str)
    sync_status_shown = Signal(object)   # the SyncStatus just shown in the status bar
    offline_remaining_shown = Signal(int)  # points the member can still redeem offline (shown when offline)
    backup_checked = Signal(object)      # BackupInfo, None (not due) or the ServiceError of a failed backup
    slip_printed = Signal(object)        # PrintOutcome of a slip (or reprint) the print thread finished
    camera_scanned = Signal(str)         # a code the camera accepted (then identified like a typed one)
    change_pin_requested = Signal(object)  # the ChangePinDialog just opened
    pin_changed = Signal(object)         # StaffView after a PIN change was saved
    manager_area_shown = Signal(object)  # the ManagerDialog, each time its state was (re)drawn
    manager_sign_in_offered = Signal()   # PIN-only sign-in is locked: the manager list is shown
    pulled_refreshed = Signal(object)    # after a sync pull: the member shown (MemberView or None), re-read
    history_shown = Signal(object)       # list[HistoryLine] just shown on the member panel
    report_exported = Signal(object)     # Path of the CSV file just written
    return_requested = Signal(object)    # the ReturnDialog just opened
    return_previewed = Signal(object)    # ReturnPreview shown in the ReturnDialog

    def __init__(self, data_dir: Path, *, seed_demo: bool = False, demo_hint: bool = False,
                 config: TerminalConfig | None = None, sync_client_kwargs: dict[str, Any] | None = None,
                 printer: Any = None, parent: QWidget | None = None) -> None:
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
        self._sync_clients = _SyncClientHolder(self._sync_client_kwargs)
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
        self._services: Any = None
        self._staff: StaffView | None = None
        self._member: MemberView | None = None
        self._tier_names: dict[str, tuple[str, str]] = {}
        self._rewards: list[dict[str, Any]] = []
        self._preview_points: int | None = None
        self._preview_start: int | None = None  # when the preview is 0 points: the bill from which points start
        self._preview_generation = 0
        self._status_text: Callable[[], str] | None = None
        self._status_kind = "info"
        self.approval_dialog: ManagerPinDialog | None = None
        self.enroll_dialog: EnrollDialog | None = None
        self.report_dialog: ReportDialog | None = None
        self.change_pin_dialog: ChangePinDialog | None = None
        self.manager_dialog: ManagerDialog | None = None
        self.return_dialog: ReturnDialog | None = None
        self._history: list[Any] = []
        self._history_generation = 0
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
        self.retranslate()
        self._set_enabled_for_state()
        self._open_services(seed_demo)

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.pages = QStackedWidget()

        # top bar, shared by both pages
        self.title = QLabel()
        self.title.setObjectName("title")
        self.who = QLabel()
        self.who.setObjectName("who")
        self.lang_button = _big_button("langButton")
        self.sign_out_button = _big_button("signOutButton")
        self.report_button = _big_button("reportButton")
        self.manager_button = _big_button("managerButton")
        self.change_pin_button = _big_button("changePinButton")

        # ---- sign-in page
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
        self.keypad_buttons: list[QPushButton] = []
        for i, digit in enumerate("123456789"):
            button = _big_button(f"key{digit}")
            button.setText(digit)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, d=digit: self.pin.insert(d))
            keypad.addWidget(button, i // 3, i % 3)
            self.keypad_buttons.append(button)
        self.key_clear = _big_button("keyClear")
        self.key_clear.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.key_clear.clicked.connect(self.pin.clear)
        key0 = _big_button("key0")
        key0.setText("0")
        key0.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        key0.clicked.connect(lambda: self.pin.insert("0"))
        self.sign_in_button = _big_button("signInButton")
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

        # ---- counter page: two columns that fit 1024x768 (docs/user-guide.md, tests/ui/test_fit.py)
        #   left: the member panel (identify, then who they are, balance, what expires, offline allowance)
        #   right: the actions (award, redeem), each with its primary button; the result line under both
        counter = QWidget()
        counter.setObjectName("counterPage")
        counter_layout = QHBoxLayout(counter)
        counter_layout.setContentsMargins(0, 0, 0, 0)

        self.member_box = QGroupBox()
        self.member_box.setObjectName("memberBox")
        member_layout = QVBoxLayout(self.member_box)
        self.member_field = QLineEdit()
        self.member_field.setObjectName("memberField")
        self.member_field.setClearButtonEnabled(True)
        self.find_button = _big_button("findButton")
        self.enroll_button = _big_button("newMemberButton")
        self.camera_button = _big_button("cameraButton")
        self.camera_button.setCheckable(True)
        self.member_name = _wrapped_label("memberName")
        self.member_tier = _wrapped_label("memberTier")
        self.member_balance = _wrapped_label("memberBalance")
        self.member_expiring = _wrapped_label("memberExpiring", note=True)
        self.offline_label = _wrapped_label("offlineRemaining", note=True)
        member_buttons = QHBoxLayout()
        member_buttons.addWidget(self.find_button)
        member_buttons.addWidget(self.enroll_button)
        member_buttons.addWidget(self.camera_button)
        member_layout.addWidget(self.member_field)
        member_layout.addLayout(member_buttons)
        self.camera_panel = CameraPanel(self.config.camera)
        self.camera_panel.setVisible(False)
        self.camera_panel.scanned.connect(self._on_camera_scan)
        self.camera_button.toggled.connect(self._camera_toggled)
        member_layout.addWidget(self.camera_panel)
        member_layout.addWidget(self.member_name)
        member_layout.addWidget(self.member_balance)
        member_layout.addWidget(self.member_tier)
        member_layout.addWidget(self.member_expiring)
        member_layout.addWidget(self.offline_label)
        # the last entries (newest first): when, what, points
        self.history_title = _wrapped_label("historyTitle", note=True)
        member_layout.addWidget(self.history_title)
        history = QGridLayout()
        history.setVerticalSpacing(0)
        history.setColumnStretch(1, 1)
        self.history_rows: list[tuple[QLabel, QLabel, QLabel]] = []
        for row in range(HISTORY_LINES):
            when, what, points = (_wrapped_label("historyWhen", note=True), _wrapped_label("historyWhat", note=True),
                                  _wrapped_label("historyPoints", note=True))
            when.setWordWrap(False)
            points.setWordWrap(False)
            points.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            history.addWidget(when, row, 0, Qt.AlignmentFlag.AlignTop)
            history.addWidget(what, row, 1)
            history.addWidget(points, row, 2, Qt.AlignmentFlag.AlignTop)
            self.history_rows.append((when, what, points))
        member_layout.addLayout(history)
        member_layout.addStretch(1)

        self.award_box = QGroupBox()
        self.award_box.setObjectName("awardBox")
        award_outer = QVBoxLayout(self.award_box)
        award_layout = QGridLayout()
        self.amount_label = _wrapped_label("amountLabel")
        self.amount_field = QLineEdit()
        self.amount_field.setObjectName("amountField")
        self.amount_field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.currency_picker = CurrencyPicker()  # the branch's currencies (hidden while it takes baht only)
        self.receipt_label = _wrapped_label("receiptLabel")
        self.receipt_field = QLineEdit()
        self.receipt_field.setObjectName("receiptField")
        self.receipt_field.setMaxLength(64)
        self.amount_error = _wrapped_label("amountError", note=True)
        self.preview = _wrapped_label("preview", note=True)
        self.award_button = _big_button("awardButton")
        self.amount_label.setBuddy(self.amount_field)
        self.receipt_label.setBuddy(self.receipt_field)
        award_layout.addWidget(self.amount_label, 0, 0)
        award_layout.addLayout(amount_row(self.amount_field, self.currency_picker), 0, 1)
        award_layout.addWidget(self.receipt_label, 1, 0)
        award_layout.addWidget(self.receipt_field, 1, 1)
        # the primary button beside the two fields, as tall as both: the largest control, and the column
        # keeps room under the fields for the preview and the errors at 768 pixels
        award_layout.addWidget(self.award_button, 0, 2, 2, 1)
        award_layout.setColumnStretch(1, 1)
        # notes under the grid, in a box layout: it gives a wrapped note the height its width needs
        award_outer.addLayout(award_layout)
        award_outer.addWidget(self.amount_error)
        award_outer.addWidget(self.preview)

        self.redeem_box = QGroupBox()
        self.redeem_box.setObjectName("redeemBox")
        redeem_outer = QVBoxLayout(self.redeem_box)
        redeem_layout = QGridLayout()
        self.reward_label = _wrapped_label("rewardLabel")
        self.reward_combo = QComboBox()
        self.reward_combo.setObjectName("rewardCombo")
        # a long reward name must not widen the window: the combo takes the column's width, its list shows all
        self.reward_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.reward_combo.setMinimumContentsLength(8)
        self.points_label = _wrapped_label("pointsLabel")
        self.points_field = QLineEdit()
        self.points_field.setObjectName("pointsField")
        self.points_field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.points_field.setValidator(QRegularExpressionValidator(r"[0-9]{0,9}"))
        self.redeem_error = _wrapped_label("redeemError", note=True)
        self.redeem_button = _big_button("redeemButton")
        self.reward_label.setBuddy(self.reward_combo)
        self.points_label.setBuddy(self.points_field)
        redeem_layout.addWidget(self.reward_label, 0, 0)
        redeem_layout.addWidget(self.reward_combo, 0, 1)
        redeem_layout.addWidget(self.points_label, 1, 0)
        redeem_layout.addWidget(self.points_field, 1, 1)
        redeem_layout.addWidget(self.redeem_button, 0, 2, 2, 1)
        redeem_layout.setColumnStretch(1, 1)
        redeem_outer.addLayout(redeem_layout)
        redeem_outer.addWidget(self.redeem_error)

        actions = QWidget()
        actions.setObjectName("actionsColumn")
        actions_layout = QVBoxLayout(actions)
        actions_layout.setContentsMargins(0, 0, 0, 0)
        actions_layout.addWidget(self.award_box)
        actions_layout.addWidget(self.redeem_box)
        self.return_button = _big_button("returnButton")
        actions_layout.addWidget(self.return_button)
        actions_layout.addStretch(1)
        counter_layout.addWidget(self.member_box, 1)
        counter_layout.addWidget(actions, 1)

        self.status = _wrapped_label("status")
        self.status.setFrameShape(QFrame.Shape.NoFrame)

        self.pages.addWidget(login_wrap)
        self.pages.addWidget(counter)
        self.login_page = login_wrap
        self.counter_page = counter

        top = QWidget()
        top.setObjectName("topBar")
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.title)
        top_layout.addWidget(self.who, 1)
        top_layout.addWidget(self.manager_button)
        top_layout.addWidget(self.change_pin_button)
        top_layout.addWidget(self.report_button)
        top_layout.addWidget(self.sign_out_button)
        top_layout.addWidget(self.lang_button)

        # the counter's state, always visible at the bottom (a strip of our own rather than QStatusBar, whose
        # labels cannot wrap: a long sync or printer message would widen the window past the screen)
        self.sync_label = _wrapped_label("syncStatus")
        self.backup_label = _wrapped_label("backupStatus")
        self.config_label = _wrapped_label("configStatus", note=True)
        self.printer_label = _wrapped_label("printerStatus", note=True)
        self.reprint_button = QPushButton()
        self.reprint_button.setObjectName("reprintButton")
        self.reprint_button.clicked.connect(self.reprint_last_slip)
        self.reprint_button.setVisible(False)
        state = QFrame()
        state.setObjectName("stateStrip")
        state_layout = QGridLayout(state)
        state_layout.setContentsMargins(4, 2, 4, 2)
        state_layout.setVerticalSpacing(0)
        state_layout.addWidget(self.sync_label, 0, 0)
        state_layout.addWidget(self.backup_label, 0, 1)
        state_layout.addWidget(self.printer_label, 1, 0)
        state_layout.addWidget(self.reprint_button, 1, 1, 2, 1)
        state_layout.addWidget(self.config_label, 2, 0)
        state_layout.setColumnStretch(0, 3)
        state_layout.setColumnStretch(1, 1)
        self.state_strip = state

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

        # keyboard first: Enter confirms the field's step, Esc clears
        self.pin.returnPressed.connect(self.sign_in)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.sign_out_button.clicked.connect(self.sign_out)
        self.report_button.clicked.connect(self.show_report)
        self.manager_button.clicked.connect(self.show_manager_area)
        self.change_pin_button.clicked.connect(lambda: self.open_change_pin(forced=False))
        self.lang_button.clicked.connect(self.toggle_language)
        self.member_field.returnPressed.connect(self.identify)
        self.find_button.clicked.connect(self.identify)
        self.enroll_button.clicked.connect(self.open_enroll)
        self.return_button.clicked.connect(self.open_return)
        self.amount_field.textChanged.connect(self._amount_changed)
        self.currency_picker.currentIndexChanged.connect(self._amount_changed)
        self.amount_field.returnPressed.connect(self._amount_entered)
        self.receipt_field.returnPressed.connect(self.award)
        self.award_button.clicked.connect(self.award)
        self.reward_combo.currentIndexChanged.connect(self._reward_changed)
        self.points_field.returnPressed.connect(lambda: self.redeem())
        self.redeem_button.clicked.connect(lambda: self.redeem())  # not `checked` as the approval
        self.wedge = WedgeFilter([self.amount_field, self.receipt_field, self.points_field],
                                 accept=lambda text: classify_scan(text) in ("member_qr", "app_code"),
                                 parent=self)
        self.wedge.scanned.connect(self._on_wedge_scan)
        self.escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.escape.activated.connect(self.clear)
        # the frequent actions on F-keys; the key is printed on its button (see _with_key)
        self.fkeys: dict[str, QShortcut] = {}
        for key, button in (("F2", self.award_button), ("F3", self.redeem_button),
                            ("F4", self.enroll_button), ("F5", self.camera_button), ("F6", self.return_button)):
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
        self.login_prompt.setText(_("Type your PIN and press Enter"))
        self.pin.setPlaceholderText(_("PIN"))
        self.key_clear.setText(_("Clear"))
        self.sign_in_button.setText(_("Sign in"))
        self.demo_label.setText(_("Demo only: cashier PIN 1111, manager PIN 9999. Never use these PINs on a "
                                  "real counter."))
        self.manager_button.setText(_("Manager"))
        self.manager_button.setToolTip(_("Lockouts, security events, reset a cashier's PIN"))
        self.change_pin_button.setText(_("Change PIN"))
        self.member_box.setTitle(_("Member"))
        self.member_field.setPlaceholderText(_("Scan the card, or type a code, card no. or phone"))
        self.find_button.setText(_with_key(_("Find"), "Enter"))
        self.enroll_button.setText(_with_key(_("New member"), "F4"))
        self.camera_button.setText(_with_key(_("Camera"), "F5"))
        self.camera_button.setToolTip(_("Show the camera to scan member cards"))
        self.camera_panel.retranslate()
        self.award_box.setTitle(_("Award points"))
        self.amount_label.setText(_("Bill amount (baht)"))
        self.amount_field.setPlaceholderText("1,234.50")
        self.receipt_label.setText(_("Receipt no."))
        self.receipt_field.setPlaceholderText(_("e.g. R-000123"))
        self.award_button.setText(_with_key(_("Award"), "F2"))
        self.redeem_box.setTitle(_("Redeem points"))
        self.reward_label.setText(_("Reward"))
        self.points_label.setText(_("Points"))
        self.redeem_button.setText(_with_key(_("Redeem"), "F3"))
        self.return_button.setText(_with_key(_("Return a receipt"), "F6"))
        self._fill_rewards()
        self._show_staff()
        self._show_member()
        self._show_preview()
        self._refresh_amount_error()
        self._show_status()
        self._show_sync_status()
        self._show_offline_remaining()
        self.backup_label.setText(self._backup_text() if self._backup_text else "")
        self.printer_label.setText(self._printer_text() if self._printer_text else "")
        self.reprint_button.setText(_("Reprint last slip"))
        self.config_label.setText(_("Configuration not used, running on defaults: {error}").format(
            error=self.config_error) if self.config_error else "")

    def toggle_language(self) -> None:
        set_language("en" if get_language() == "th" else "th")
        self.retranslate()
        self.language_changed.emit(get_language())

    # ------------------------------------------------------------------ state
    def _set_enabled_for_state(self) -> None:
        busy = self.worker.busy
        ready = self._services is not None
        self.sign_in_button.setEnabled(ready and not busy)
        self.pin.setEnabled(ready)
        signed_in = self._staff is not None
        self.sign_out_button.setVisible(signed_in)
        is_manager = signed_in and self._staff is not None and self._staff.role != "cashier"
        self.report_button.setVisible(is_manager)
        self.report_button.setEnabled(not busy)
        self.manager_button.setVisible(is_manager)
        self.manager_button.setEnabled(not busy)
        self.change_pin_button.setVisible(signed_in)
        self.change_pin_button.setEnabled(not busy)
        self.find_button.setEnabled(signed_in and not busy)
        self.enroll_button.setEnabled(signed_in and not busy)
        self.return_button.setEnabled(signed_in and not busy)
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
        self.status.setProperty("kind", self._status_kind if text else "none")
        self.status.setText(text)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def show_error(self, message: str) -> None:
        self._set_status("error", lambda: message)
        self.error_shown.emit(message)

    def _submit(self, fn: Callable[[], Any], on_success: Callable[[Any], None],
                on_error: Callable[[ServiceError], None] | None = None) -> None:
        self._set_status("info", None)
        self.worker.submit(fn, on_success, on_error or self._failed)

    def _failed(self, error: ServiceError) -> None:
        self.show_error(error.message)

    # ------------------------------------------------------------------ open
    def _open_services(self, seed: bool) -> None:
        data_dir = self.data_dir

        def work() -> tuple[Any, bool, str]:
            services = open_terminal(data_dir)
            if seed:
                from pos_app.services.demo import seed_demo

                seed_demo(services)
            enrolled, branch = sync_glue.counter_identity(services)  # the UI never reads the ledger itself
            return services, enrolled, branch

        self.worker.submit(work, self._opened, self._failed)

    def _opened(self, opened: tuple[Any, bool, str]) -> None:
        services, enrolled, branch = opened
        if self._closed:
            services.close()
            return
        services.pin_policy = self.config.pins  # wrong-PIN delays and lockouts ([pins])
        self._services = services
        self._enrolled = enrolled
        self._branch_name = branch
        self._set_enabled_for_state()
        self.pin.setFocus()
        self.check_backup()
        self._backup_timer.start()
        if enrolled:
            self._start_sync(services)
        self._show_sync_status()
        self.currency_picker.refresh(self.worker, services)
        self.ready.emit()

    # ------------------------------------------------------------------ backups
    def check_backup(self) -> None:
        """Ask the services (on the worker, never here) for a backup when one is due; a failure is shown in
        the status bar and never blocks the counter."""
        svc = self._services
        if svc is None:
            return
        hours, keep = self.config.backup.every_hours, self.config.backup.keep

        def work() -> Any:
            return svc.backup_if_due(hours, keep)

        def done(info: Any) -> None:
            if info is not None:
                when = _clock_time(int(info.created_at * 1000))
                self._backup_failed = False
                self._backup_text = lambda: _("Backup done at {time}").format(time=when)
                self.backup_label.setText(self._backup_text())
            self.backup_checked.emit(info)

        def failed(error: ServiceError) -> None:
            message = error.message
            self._backup_failed = True
            self._backup_text = lambda: _("Backup failed: {error}").format(error=message)
            self.backup_label.setText(self._backup_text())
            self.backup_checked.emit(error)

        self.worker.submit(work, done, failed, busy=False)

    # ------------------------------------------------------------------ slips
    def _print_slip(self, result: Any, member: MemberView | None) -> None:
        """After a committed award/redeem: render and print the slip on the print thread. A printing
        problem is shown with a reprint action; it never blocks the counter or undoes the operation."""
        slips, worker = self.slip_printer, self.print_worker
        if slips is None or worker is None or member is None:
            return
        data = slip_data(result, member, branch=self._branch_name, labels=slip_labels())
        paper = "58mm" if self.config.printer.paper_mm == 58 else "80mm"
        worker.submit(lambda: print_slip_job(slips, data, paper), self._slip_done, self._slip_failed, busy=False)

    def reprint_last_slip(self) -> None:
        """Print the last slip again, marked as a copy (after paper was loaded or the printer fixed)."""
        slips, worker = self.slip_printer, self.print_worker
        if slips is None or worker is None:
            return
        self.reprint_button.setEnabled(False)
        worker.submit(lambda: print_slip_job(slips, None, "", reprint=True), self._slip_done, self._slip_failed,
                      busy=False)

    def _slip_done(self, outcome: PrintOutcome) -> None:
        self.reprint_button.setEnabled(True)
        if outcome.error_code is None:
            self._printer_text = None
            self.printer_label.setText("")
        else:
            code = outcome.error_code
            self._printer_text = lambda: _("The slip did not print: {reason}").format(reason=printer_message(code))
            self.printer_label.setText(self._printer_text())
        if self.slip_printer is not None and self.slip_printer.last_slip is not None:
            self.reprint_button.setVisible(True)
        self.slip_printed.emit(outcome)

    def _slip_failed(self, error: ServiceError) -> None:
        self._slip_done(PrintOutcome(None, "error", error.message))

    # ------------------------------------------------------------------ sync
    def _start_sync(self, services: Any) -> None:
        worker = sync_glue.make_worker(services, interval=float(self.config.sync.interval_seconds),
                                       client_kwargs=self._sync_client_kwargs,
                                       on_change=self.sync_bridge.changed.emit,
                                       on_pulled=self.sync_bridge.pulled.emit)
        self.sync_worker = worker
        self.sync_status = worker.status
        worker.start()
        worker.trigger()

    def _sync_trigger(self) -> None:
        if self.sync_worker is not None:
            self.sync_worker.trigger()

    def _on_sync_status(self, status: Any) -> None:
        if self._closed:
            return
        was_online = self.sync_status.online if self.sync_status is not None else None
        self.sync_status = status
        self._show_sync_status()
        if status.syncing:
            return
        if was_online != status.online:
            self._refresh_offline_remaining()
        self.sync_status_shown.emit(status)

    def _on_sync_pulled(self, _count: int) -> None:
        """The server sent changes (points earned at another counter, a reward added or out of stock, a
        flag): re-read the member shown and the rewards, on the worker, and show them."""
        svc = self._services
        if self._closed or svc is None or self._staff is None:
            return
        member_id = self._member.id if self._member is not None else None
        self.currency_picker.refresh(self.worker, svc)  # new rules may bring other currencies

        def work() -> tuple[MemberView | None, list[dict[str, Any]], dict[str, tuple[str, str]]]:
            fresh = _fresh_member(svc, member_id) if member_id is not None else None
            tiers = {t.code: (t.name_th, t.name_en) for t in svc.active_rules().tiers.tiers}
            return fresh, svc.rewards(), tiers

        def done(outcome: tuple[MemberView | None, list[dict[str, Any]], dict[str, tuple[str, str]]]) -> None:
            fresh, rewards, tiers = outcome
            self._tier_names = tiers
            self._rewards = [r for r in rewards if r.get("active", True)]
            chosen = self.reward_combo.currentData()
            self._fill_rewards()
            if chosen is not None and self.reward_combo.currentData() is None:
                self.points_field.clear()  # the reward chosen was withdrawn: nothing is half-chosen
            self._reward_changed_quietly()
            shown = self._member
            if fresh is not None and shown is not None and fresh.id == shown.id:
                self._member = fresh
                self._show_member()
                self._refresh_offline_remaining()
                self._load_history()
            self.pulled_refreshed.emit(self._member)

        self.worker.submit(work, done, lambda _error: None, busy=False)

    def _reward_changed_quietly(self) -> None:
        """After the rewards list was refilled: the points field follows the reward still chosen."""
        code = self.reward_combo.currentData()
        if code is not None:
            cost = next((int(r["points_cost"]) for r in self._rewards if r["code"] == code), None)
            self.points_field.setText(str(cost) if cost is not None else "")
        self._set_enabled_for_state()

    def _show_sync_status(self) -> None:
        status = self.sync_status
        if not self._enrolled or status is None:
            self.sync_label.setText(_("Standalone: not connected to a loyalty server") if self._services else "")
            self.sync_label.setProperty("online", "none")
            return
        parts = [_("Online") if status.online else _("Offline")]
        if status.queued:
            parts.append(_("{count} records waiting to be sent").format(count=f"{status.queued:,}"))
        else:
            parts.append(_("all records sent"))
        if status.last_success_ms is not None:
            parts.append(_("last sync {time}").format(time=_clock_time(status.last_success_ms)))
        else:
            parts.append(_("never synced yet"))
        if not status.online and status.error_code:
            parts.append(sync_glue.describe(status.error_code, status.last_error or ""))
        if status.clock_skewed:
            minutes = abs(status.clock_offset_ms) // 60_000
            parts.append(_("Warning: this terminal's clock differs from the server's by {minutes} minutes; "
                           "check the date and time.").format(minutes=minutes))
        self.sync_label.setText(" · ".join(parts))
        self.sync_label.setProperty("online", "yes" if status.online else "no")

    def _offline_now(self) -> bool:
        return self._enrolled and (self.sync_status is None or not self.sync_status.online)

    def _refresh_offline_remaining(self) -> None:
        """When offline, how many points the member shown can still redeem here (asked on the worker)."""
        member, svc = self._member, self._services
        if member is None or svc is None or not self._offline_now():
            self._offline_remaining = None
            self._show_offline_remaining()
            return
        member_id = member.id

        def work() -> int:
            return int(sync_glue.offline_remaining(svc, member_id))

        def done(points: int) -> None:
            if self._member is None or self._member.id != member_id or not self._offline_now():
                return
            self._offline_remaining = points
            self._show_offline_remaining()
            self.offline_remaining_shown.emit(points)

        self.worker.submit(work, done, lambda _error: None, busy=False)

    def _show_offline_remaining(self) -> None:
        points = self._offline_remaining
        if points is None or self._member is None:
            self.offline_label.setText("")
            return
        self.offline_label.setText(_("Offline: this member can redeem up to {points} points here until the "
                                     "terminal syncs again.").format(points=f"{points:,}"))

    # ------------------------------------------------------------------ sign in / out
    def sign_in(self) -> None:
        if self._services is None or self.worker.busy:
            return
        pin = self.pin.text().strip()
        if not pin:
            self.show_error(_("Type your PIN first."))
            return
        svc = self._services
        # while PIN-only sign-in is locked here, a manager names themselves (to sign in and unlock it)
        manager_id = self.manager_choice.currentData() if self.manager_choice.isVisible() else None

        def work() -> tuple[StaffView, dict[str, tuple[str, str]], list[dict[str, Any]]]:
            staff = svc.login(manager_id, pin) if manager_id else svc.login_by_pin(pin)
            tiers = {t.code: (t.name_th, t.name_en) for t in svc.active_rules().tiers.tiers}
            return staff, tiers, svc.rewards()

        self._submit(work, self._signed_in, self._sign_in_failed)

    def _sign_in_failed(self, error: ServiceError) -> None:
        self.pin.clear()
        self.show_error(error.message)
        if isinstance(error, PinLocked) and not self.manager_choice.isVisible():
            self._offer_manager_sign_in()

    def _offer_manager_sign_in(self) -> None:
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

    def _signed_in(self, result: tuple[StaffView, dict[str, tuple[str, str]], list[dict[str, Any]]]) -> None:
        staff, tiers, rewards = result
        self._tier_names = tiers
        self._rewards = [r for r in rewards if r.get("active", True)]
        self.pin.clear()
        self.manager_choice.setVisible(False)
        if staff.must_change_pin:  # a manager reset this PIN: the staff member chooses their own first
            self.open_change_pin(forced=True, staff=staff)
            return
        self._enter_counter(staff)

    def _enter_counter(self, staff: StaffView) -> None:
        self._staff = staff
        self._fill_rewards()
        self._show_staff()
        self.pages.setCurrentWidget(self.counter_page)
        self._set_status("info", None)
        self._set_enabled_for_state()
        self.member_field.setFocus()
        self.signed_in.emit(staff)

    # ------------------------------------------------------------------ PINs
    def open_change_pin(self, forced: bool = False, staff: StaffView | None = None) -> None:
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

    def show_manager_area(self) -> None:
        """Managers: wrong PINs and lockouts here (Unlock), security events, reset a cashier's PIN."""
        if self._services is None or self._staff is None or self.worker.busy:
            return
        svc = self._services
        manager = self._staff

        def load() -> tuple[list[dict[str, Any]], list[Any], list[StaffView]]:
            svc.require(manager, "manager")
            return svc.pin_guard_status(), svc.audit_log(limit=100), svc.staff("cashier")

        def render(state: tuple[list[dict[str, Any]], list[Any], list[StaffView]]) -> None:
            dialog = self.manager_dialog
            if dialog is None:
                dialog = ManagerDialog(self)
                self.manager_dialog = dialog
                dialog.unlock.clicked.connect(unlock)
                dialog.reset.clicked.connect(reset)
                dialog.finished.connect(closed)
                dialog.open()
            dialog.show_state(*state)
            self.manager_area_shown.emit(dialog)

        def closed(_result: int = 0) -> None:
            if self.manager_dialog is not None:
                self.manager_dialog.deleteLater()
                self._back_to_counter()
                self.manager_dialog = None

        def act(fn: Callable[[], Any], message: Callable[[Any], str]) -> None:
            def work() -> tuple[Any, tuple[list[dict[str, Any]], list[Any], list[StaffView]]]:
                return fn(), load()

            def done(outcome: tuple[Any, tuple[list[dict[str, Any]], list[Any], list[StaffView]]]) -> None:
                value, state = outcome
                if self.manager_dialog is not None:
                    self.manager_dialog.message.setText(message(value))
                render(state)

            def failed(error: ServiceError) -> None:
                if self.manager_dialog is not None:
                    self.manager_dialog.message.setText(error.message)
                self.error_shown.emit(error.message)

            self.worker.submit(work, done, failed)

        def unlock() -> None:
            dialog = self.manager_dialog
            lock = dialog.selected_lock() if dialog is not None else None
            if lock is None:
                return
            staff_id, purpose = lock["staff_id"], lock["purpose"]
            act(lambda: svc.unlock(staff_id, purpose, by=manager), lambda _n: _("Unlocked."))

        def reset() -> None:
            dialog = self.manager_dialog
            if dialog is None or dialog.cashier.currentData() is None:
                return
            cashier_id, pin = dialog.cashier.currentData(), dialog.reset_pin.text().strip()
            dialog.reset_pin.clear()
            act(lambda: svc.reset_pin(cashier_id, pin, by=manager),
                lambda s: _("PIN of {name} reset: they choose a new one at their next sign-in.").format(name=s.name))

        self._submit(load, render)

    def sign_out(self) -> None:
        self.clear()
        self._staff = None
        self._show_staff()
        self.pages.setCurrentWidget(self.login_page)
        self._set_enabled_for_state()
        self.pin.setFocus()

    def _show_staff(self) -> None:
        staff = self._staff
        if staff is None:
            self.who.setText("")
            return
        roles = {"cashier": _("cashier"), "manager": _("manager"), "admin": _("admin")}
        self.who.setText(_("{name} ({role})").format(name=staff.name, role=roles.get(staff.role, staff.role)))

    # ------------------------------------------------------------------ member
    def identify(self) -> None:
        if self._services is None or self._staff is None or self.worker.busy:
            return
        text = self.member_field.text().strip()
        # a keyboard-wedge scanner on a Thai keyboard layout types Thai letters for digits: read it back
        layout, sent = detect_layout(text)
        warning = {"thai": THAI_LAYOUT, "mixed": MIXED_LAYOUT}.get(layout)
        if layout == "thai" and classify_scan(sent) != "unknown":
            text = sent  # it reads as a code, card number or phone once mapped back
        elif layout == "thai":
            warning = None  # Thai text that is no code either way: let the services say what it is
        self._identify(text, warning)

    def _on_wedge_scan(self, text: str, warning: str | None) -> None:
        """A member code scanned while the cursor was in another field: identify, confirm nothing else."""
        if self._services is None or self._staff is None or self.worker.busy:
            return
        self.member_field.setText(text)
        self._identify(text, warning)

    # ------------------------------------------------------------------ camera
    def _camera_toggled(self, on: bool) -> None:
        if on:
            self.start_camera()
        else:
            self.stop_camera()

    def start_camera(self) -> None:
        """Show the camera panel and start scanning from the [camera] source."""
        self.camera_panel.setVisible(True)
        self.camera_panel.start()
        if not self.camera_button.isChecked():
            self.camera_button.blockSignals(True)
            self.camera_button.setChecked(True)
            self.camera_button.blockSignals(False)

    def stop_camera(self) -> None:
        self.camera_panel.stop()
        self.camera_panel.setVisible(False)
        if self.camera_button.isChecked():
            self.camera_button.blockSignals(True)
            self.camera_button.setChecked(False)
            self.camera_button.blockSignals(False)

    def _on_camera_scan(self, text: str) -> None:
        """A code the camera accepted: identified exactly like a code typed in the member field."""
        self.camera_scanned.emit(text)
        if self._services is None or self._staff is None:
            return
        if self.worker.busy:
            self._pending_scan = text  # identified as soon as the current operation has finished
            return
        self.member_field.setText(text)
        self._identify(text, None)

    def _identify(self, text: str, warning: str | None) -> None:
        svc = self._services

        def work() -> MemberView:
            member: MemberView = svc.identify(text)
            return member

        self._submit(work, lambda member: self._identified(member, warning),
                     lambda error: self._identify_failed(error, warning))

    def _identify_failed(self, error: ServiceError, warning: str | None = None) -> None:
        self._set_member(None)
        self.member_field.selectAll()
        self.member_field.setFocus()
        if warning is not None:
            self.show_error(f"{error.message} {_(LAYOUT_WARNINGS[warning])}")
        else:
            self.show_error(error.message)

    def _identified(self, member: MemberView, warning: str | None = None) -> None:
        self._set_member(member)
        self.member_field.clear()
        self.amount_field.setFocus()
        if warning is not None:
            self._set_status("info", lambda: _(LAYOUT_WARNINGS[warning]))
        self.member_shown.emit(member)

    def _set_member(self, member: MemberView | None) -> None:
        changed = member is None or self._member is None or member.id != self._member.id
        self._member = member
        if changed:
            self.ops.clear()
            self.amount_field.clear()
            self.receipt_field.clear()
            self.points_field.clear()
            self.reward_combo.setCurrentIndex(0)
            self.redeem_error.clear()
            self._preview_points = None
            self._offline_remaining = None
            self._refresh_offline_remaining()
            self._history = []
            self._load_history()
        self._show_member()
        self._show_preview()
        self._set_enabled_for_state()

    def _show_member(self) -> None:
        member = self._member
        self._show_history()
        if member is None:
            self.member_name.setText(_("No member yet"))
            self.member_tier.setText("")
            self.member_balance.setText("")
            self.member_expiring.setText("")
            return
        names = self._tier_names.get(member.tier)
        tier = (names[0] if get_language() == "th" else names[1]) if names else member.tier
        self.member_name.setText(member.name)
        self.member_tier.setText(_("Tier: {tier}").format(tier=tier))
        self.member_balance.setText(_("{points} points").format(points=f"{member.balance:,}"))
        notes = []
        if member.expiring_soon > 0:
            notes.append(_("{points} points expire within 30 days").format(points=f"{member.expiring_soon:,}"))
        if member.flagged:
            notes.append(_("Flagged for a manager: {reason}").format(reason=member.flagged))
        self.member_expiring.setText(" · ".join(notes))

    # ------------------------------------------------------------------ history
    def _load_history(self) -> None:
        """Read the shown member's entries on the worker; the member panel shows the last few."""
        member, svc = self._member, self._services
        self._history_generation += 1
        if member is None or svc is None:
            return
        generation, member_id = self._history_generation, member.id

        def work() -> list[Any]:
            entries: list[Any] = svc.history(member_id)
            return entries

        def done(entries: list[Any]) -> None:
            if generation != self._history_generation or self._member is None or self._member.id != member_id:
                return  # another member (or a newer read) meanwhile
            self._history = entries
            lines = self._show_history()
            self.history_shown.emit(lines)

        self.worker.submit(work, done, lambda _error: None, busy=False)

    def _reward_names(self) -> dict[str, str]:
        th = get_language() == "th"
        return {str(r["code"]): str(r["name_th"] if th else r["name_en"]) for r in self._rewards}

    def _show_history(self) -> list[HistoryLine]:
        lines = history_lines(self._history, self._reward_names()) if self._member is not None else []
        self.history_title.setText(_("Last entries") if lines else "")
        for i, (when, what, points) in enumerate(self.history_rows):
            line = lines[i] if i < len(lines) else None
            when.setText(line.when if line else "")
            what.setText(line.what if line else "")
            points.setText(line.points if line else "")
            points.setStyleSheet("color: #b00020;" if line and line.negative else "color: #1f6f43;")
        return lines

    # ------------------------------------------------------------------ returns
    def open_return(self) -> None:
        """A return: the receipt number, what the return will do, a manager's approval, the slip."""
        if self._services is None or self._staff is None or self.return_dialog is not None or self.worker.busy:
            return
        dialog = ReturnDialog(self)
        self.return_dialog = dialog
        dialog.look_up.clicked.connect(self.preview_return)
        dialog.confirm.clicked.connect(lambda: self.do_return())

        def closed() -> None:
            self.return_dialog = None
            dialog.deleteLater()
            self._back_to_counter()
            self.member_field.setFocus()

        dialog.finished.connect(closed)
        dialog.open()
        self.return_requested.emit(dialog)

    def _return_request(self) -> tuple[str, int | None] | None:
        dialog = self.return_dialog
        if dialog is None:
            return None
        receipt = dialog.receipt.text().strip()
        if not receipt:
            message = _("Type the receipt number.")
            dialog.show_error(message)
            dialog.receipt.setFocus()
            self.error_shown.emit(message)
            return None
        amount: int | None = None
        if dialog.amount.text().strip():
            try:
                amount = parse_purchase_amount(dialog.amount.text())
            except RuleError as exc:
                dialog.show_error(exc.message)
                dialog.amount.setFocus()
                self.error_shown.emit(exc.message)
                return None
        return receipt, amount

    def preview_return(self) -> None:
        dialog, svc = self.return_dialog, self._services
        request = self._return_request()
        if dialog is None or svc is None or request is None or self.worker.busy:
            return
        receipt, amount = request

        def work() -> ReturnPreview:
            return preview_return(svc, receipt, amount)

        def done(preview: ReturnPreview) -> None:
            if self.return_dialog is dialog and self._return_request() == request:
                dialog.show_preview(return_summary(preview))
                self.return_previewed.emit(preview)

        def failed(error: ServiceError) -> None:
            if self.return_dialog is dialog:
                dialog.forget_preview()
                dialog.show_error(error.message)
            self.error_shown.emit(error.message)

        self.worker.submit(work, done, failed)

    def do_return(self, approval: Approval | None = None) -> None:
        dialog, svc, staff = self.return_dialog, self._services, self._staff
        request = self._return_request()
        if dialog is None or svc is None or staff is None or request is None or self.worker.busy:
            return
        receipt, amount = request
        staff_id = staff.id
        op_id = self.ops.for_request("return", (receipt, amount, staff_id))

        def work() -> tuple[Any, MemberView | None]:
            result = svc.return_receipt(receipt_ref=receipt, operator_id=staff_id, refund_satang=amount,
                                        approval=approval, op_id=op_id)
            return result, _fresh_member(svc, result.member_id)

        def failed(error: ServiceError) -> None:
            if isinstance(error, ApprovalRequired):
                self._ask_manager(error.message, lambda pin: self.do_return(Approval(pin=pin)),
                                  lambda: _("Not returned: no manager approval."))
                return
            if self.return_dialog is dialog:
                dialog.show_error(error.message)
            self.show_error(error.message)

        self._submit(work, self._returned, failed)

    def _returned(self, outcome: tuple[Any, MemberView | None]) -> None:
        result, fresh = outcome
        self.ops.confirmed("return", result.op_id)
        if self.return_dialog is not None:
            self.return_dialog.accept()
        if fresh is not None and self._member is not None and fresh.id == self._member.id:
            self._member = fresh
            self._show_member()
            self._load_history()
        receipt, taken, given, balance = (result.receipt_ref, result.points_clawed_back, result.points_restored,
                                          result.balance_after)

        def text() -> str:
            done = _("Done: receipt {receipt} returned, {points} points taken back.").format(
                receipt=receipt, points=f"{taken:,}")
            if given:
                done += " " + _("{points} points given back.").format(points=f"{given:,}")
            return done + " " + _("New balance {balance} points.").format(balance=f"{balance:,}")

        self._set_status("done", text)
        self._sync_trigger()
        self._print_slip(result, fresh)
        self.operation_done.emit(result)

    # ------------------------------------------------------------------ enroll
    def open_enroll(self) -> None:
        """Open the new-member dialog (the phone typed in the member field, if any, is carried over)."""
        if self._staff is None or self.enroll_dialog is not None:
            return
        typed = self.member_field.text().strip()
        phone = typed if typed and classify_scan(typed) == "phone" else ""
        dialog = EnrollDialog(phone, self)
        self.enroll_dialog = dialog
        dialog.enroll.clicked.connect(self.enroll)
        dialog.phone.returnPressed.connect(self.enroll)

        def closed() -> None:
            self.enroll_dialog = None
            dialog.deleteLater()
            self._back_to_counter()

        dialog.finished.connect(closed)
        dialog.open()
        if phone:
            dialog.name.setFocus()
        self.enroll_requested.emit(dialog)

    def enroll(self) -> None:
        dialog = self.enroll_dialog
        if dialog is None or self._services is None or self._staff is None or self.worker.busy:
            return
        name, phone, consent = dialog.values()
        if not name:
            dialog.error.setText(_("Type the member's name."))
            dialog.name.setFocus()
            self.error_shown.emit(dialog.error.text())
            return
        staff_id = self._staff.id
        op_id = self.ops.for_request("enroll", (name, phone, consent, staff_id))
        svc = self._services

        def work() -> MemberView:
            member: MemberView = svc.members.enroll(name=name, phone=phone, operator_id=staff_id,
                                                    consent=consent, op_id=op_id)
            return member

        def done(member: MemberView) -> None:
            self.ops.confirmed("enroll", op_id)
            if self.enroll_dialog is dialog:
                dialog.accept()
            self.member_field.clear()
            self._set_member(member)
            self.amount_field.setFocus()
            name_now = member.name
            self._set_status("done", lambda: _("Done: {name} is now a member.").format(name=name_now))
            self._sync_trigger()
            self.member_shown.emit(member)

        def failed(error: ServiceError) -> None:
            if self.enroll_dialog is dialog:
                dialog.error.setText(error.message)
            self.show_error(error.message)

        dialog.error.clear()
        self._submit(work, done, failed)

    # ------------------------------------------------------------------ award
    def _amount_changed(self, _text: str = "") -> None:
        self._preview_points = None
        self._refresh_amount_error(quiet_when_empty=True)
        self._show_preview()
        if self._member is not None and self._parsed_amount() is not None:
            self._preview_timer.start()

    def _amount_entered(self) -> None:
        if self._refresh_amount_error():
            self.receipt_field.setFocus()

    def _parsed_amount(self) -> int | None:
        if self.currency_picker.foreign():  # no baht preview of a foreign amount: the award says the points
            return None
        try:
            return parse_purchase_amount(self.amount_field.text())
        except RuleError:
            return None

    def _refresh_amount_error(self, quiet_when_empty: bool = False) -> bool:
        """Show the inline error for the amount field; True when the amount is usable."""
        text = self.amount_field.text()
        if quiet_when_empty and not text.strip():
            self.amount_error.clear()
            return False
        if not text.strip() and self._member is None:
            self.amount_error.clear()
            return False
        try:
            self.currency_picker.sale(text)
        except RuleError as exc:
            self.amount_error.setText(exc.message)
            return False
        self.amount_error.clear()
        return True

    def _request_preview(self) -> None:
        member = self._member
        amount = self._parsed_amount()
        if member is None or amount is None or self._services is None:
            return
        self._preview_generation += 1
        generation = self._preview_generation
        svc = self._services
        member_id = member.id

        def work() -> tuple[int, int | None]:
            breakdown = svc.preview_award(member_id, amount)
            return breakdown.points, breakdown.points_start_satang

        def done(outcome: tuple[int, int | None]) -> None:
            if generation != self._preview_generation or self._parsed_amount() != amount:
                return  # the cashier typed on meanwhile
            points, self._preview_start = outcome
            self._preview_points = points
            self._show_preview()
            self.preview_shown.emit(points)

        def failed(error: ServiceError) -> None:
            if generation == self._preview_generation:
                self._preview_points = None
                self.amount_error.setText(error.message)

        self.worker.submit(work, done, failed, busy=False)

    def _show_preview(self) -> None:
        amount = self._parsed_amount()
        if self._member is None or amount is None or self._preview_points is None:
            self.preview.setText("")
            return
        if self._preview_points == 0:  # still a sale: the award button records it with 0 points
            self.preview.setText(_("{amount} earns 0 points: {why}").format(
                amount=format_baht(amount), why=points_start_text(self._preview_start)))
            return
        self.preview.setText(_("{amount} earns {points} points").format(
            amount=format_baht(amount), points=f"{self._preview_points:,}"))

    def award(self) -> None:
        """Award points for the bill: captured values go to the worker; "done" shows after the commit."""
        if self._services is None or self._staff is None or self.worker.busy:
            return
        member = self._member
        if member is None:
            self.show_error(_("Find the member first."))
            return
        try:
            sale = self.currency_picker.sale(self.amount_field.text())
        except RuleError as exc:
            self.amount_error.setText(exc.message)
            self.amount_field.setFocus()
            self.error_shown.emit(exc.message)
            return
        receipt = self.receipt_field.text().strip()
        if not receipt:
            message = _("Type the receipt number.")
            self.show_error(message)
            self.receipt_field.setFocus()
            return
        staff_id = self._staff.id
        key = (member.id, tuple(sale.items()), receipt, staff_id)
        op_id = self.ops.for_request("award", key)
        svc = self._services
        member_id = member.id

        def work() -> tuple[Any, MemberView | None]:
            result = svc.award(member_id=member_id, receipt_ref=receipt, operator_id=staff_id, op_id=op_id, **sale)
            return result, _fresh_member(svc, member_id)

        self._submit(work, self._awarded)

    def _awarded(self, outcome: tuple[Any, MemberView | None]) -> None:
        result, fresh = outcome
        self.ops.confirmed("award", result.op_id)
        if fresh is not None and self._member is not None and fresh.id == self._member.id:
            self._member = fresh
            self._show_member()
        self.amount_field.clear()
        self.receipt_field.clear()
        self.amount_error.clear()
        points, balance, start = result.points, result.balance_after, result.points_start_satang

        def text() -> str:
            if points == 0:
                return _("Done: sale recorded. {why}. Balance {balance} points.").format(
                    why=zero_points_text(start), balance=f"{balance:,}")
            return _("Done: {points} points awarded. New balance {balance} points.").format(
                points=f"{points:,}", balance=f"{balance:,}")

        self._set_status("done", text)
        self.amount_field.setFocus()
        self._load_history()
        self._sync_trigger()
        self._print_slip(result, fresh if fresh is not None else self._member)
        self.operation_done.emit(result)

    # ------------------------------------------------------------------ redeem
    def _fill_rewards(self) -> None:
        current = self.reward_combo.currentData()
        self.reward_combo.blockSignals(True)
        self.reward_combo.clear()
        self.reward_combo.addItem(_("Points as a discount"), None)
        for reward in self._rewards:
            name = reward["name_th"] if get_language() == "th" else reward["name_en"]
            self.reward_combo.addItem(_("{reward} ({points} points)").format(
                reward=name, points=f"{int(reward['points_cost']):,}"), reward["code"])
        index = self.reward_combo.findData(current)
        self.reward_combo.setCurrentIndex(max(index, 0))
        self.reward_combo.blockSignals(False)

    def _reward_changed(self, _index: int = 0) -> None:
        code = self.reward_combo.currentData()
        if code is not None:
            cost = next((int(r["points_cost"]) for r in self._rewards if r["code"] == code), None)
            self.points_field.setText(str(cost) if cost is not None else "")
        else:
            self.points_field.clear()
        self.redeem_error.clear()
        self._set_enabled_for_state()

    def redeem(self, approval: Approval | None = None) -> None:
        if self._services is None or self._staff is None or self.worker.busy:
            return
        member = self._member
        if member is None:
            self.show_error(_("Find the member first."))
            return
        reward_code: str | None = self.reward_combo.currentData()
        points: int | None = None
        if reward_code is None:
            text = self.points_field.text().strip()
            if not text.isdigit() or int(text) <= 0:
                message = _("Type how many points to redeem.")
                self.redeem_error.setText(message)
                self.points_field.setFocus()
                self.error_shown.emit(message)
                return
            points = int(text)
        self.redeem_error.clear()
        staff_id = self._staff.id
        key = (member.id, reward_code, points, staff_id)
        op_id = self.ops.for_request("redeem", key)
        svc = self._services
        member_id = member.id
        clients = self._sync_clients
        enrolled = self._enrolled

        def work() -> tuple[Any, MemberView | None]:
            client = clients.get(svc) if enrolled else None  # None: standalone, redeem locally
            result = sync_glue.redeem(svc, client, member_id=member_id, points=points, reward_code=reward_code,
                                      operator_id=staff_id, approval=approval, op_id=op_id)
            return result, _fresh_member(svc, member_id)

        def failed(error: ServiceError) -> None:
            if isinstance(error, ApprovalRequired):
                self._ask_manager(error.message, lambda pin: self.redeem(Approval(pin=pin)))
            else:
                self.show_error(error.message)

        self._submit(work, self._redeemed, failed)

    def _redeemed(self, outcome: tuple[Any, MemberView | None]) -> None:
        result, fresh = outcome
        self.ops.confirmed("redeem", result.op_id)
        if fresh is not None and self._member is not None and fresh.id == self._member.id:
            self._member = fresh
            self._show_member()
        self.points_field.clear()
        self.reward_combo.setCurrentIndex(0)
        points, balance, discount = result.points, result.balance_after, result.discount_satang
        code = result.reward_code
        reward = next((r for r in self._rewards if r["code"] == code), None)

        def text() -> str:
            if reward is not None:
                name = reward["name_th"] if get_language() == "th" else reward["name_en"]
                return _("Done: {points} points redeemed for {reward}. New balance {balance} points.").format(
                    points=f"{points:,}", reward=name, balance=f"{balance:,}")
            return _("Done: {points} points redeemed, discount {discount}. New balance {balance} points.").format(
                points=f"{points:,}", discount=format_baht(discount), balance=f"{balance:,}")

        self._set_status("done", text)
        self._load_history()
        self._sync_trigger()
        self._refresh_offline_remaining()
        self._print_slip(result, fresh if fresh is not None else self._member)
        self.operation_done.emit(result)

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

    # ------------------------------------------------------------------ report
    def show_report(self) -> None:
        """Managers: the report for a date range (today by cashier first), by cashier, reward or hour, with
        CSV export (the services check the role)."""
        if self._services is None or self._staff is None or self.worker.busy or self.report_dialog is not None:
            return
        svc = self._services
        staff = self._staff

        def work() -> Any:
            svc.require(staff, "manager")
            today = svc.today()
            return range_report(svc, today, today, "cashier")

        def done(report: Any) -> None:
            dialog = ReportDialog(report, self)
            self.report_dialog = dialog
            dialog.show_button.clicked.connect(self.refresh_report)
            dialog.export_button.clicked.connect(self.export_report)

            def closed() -> None:
                self.report_dialog = None
                dialog.deleteLater()
                self._back_to_counter()

            dialog.finished.connect(closed)
            dialog.open()
            self.report_shown.emit(dialog)

        self._submit(work, done)

    def refresh_report(self) -> None:
        """The report dialog's Show: the dates and grouping typed there, run on the worker."""
        dialog, svc, staff = self.report_dialog, self._services, self._staff
        if dialog is None or svc is None or staff is None or self.worker.busy:
            return
        date_from, date_to, by = dialog.values()

        def work() -> Any:
            svc.require(staff, "manager")
            return range_report(svc, date_from, date_to, by)

        def done(report: Any) -> None:
            if self.report_dialog is dialog:
                dialog.show_message("")
                dialog.show_report(report)
                self.report_shown.emit(dialog)

        def failed(error: ServiceError) -> None:
            if self.report_dialog is dialog:
                dialog.show_message(error.message)
            self.error_shown.emit(error.message)

        self.worker.submit(work, done, failed)

    def export_report(self) -> None:
        """The report shown, as CSV in the data folder's ``reports`` (written on the worker)."""
        dialog = self.report_dialog
        if dialog is None:
            return
        report = dialog.report
        text = report_csv(report)  # in the language shown (the "Total" line), captured here
        path = self.data_dir / "reports" / f"report-{report.date_from}-{report.date_to}-{report.by}.csv"

        def work() -> Path:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise Unavailable(_("Cannot write {path}: {error}").format(
                    path=path, error=exc.strerror or exc)) from exc
            return path

        def done(written: Path) -> None:
            if self.report_dialog is dialog:
                dialog.show_message(_("Saved {path}").format(path=written))
            self.report_exported.emit(written)

        def failed(error: ServiceError) -> None:
            if self.report_dialog is dialog:
                dialog.show_message(error.message)
            self.error_shown.emit(error.message)

        self.worker.submit(work, done, failed)

    def _back_to_counter(self) -> None:
        """After a dialog closed: the counter window takes the keys again (Esc, F-keys, the scanner). A kiosk
        has no window manager to give it back its activation, and shortcuts only work in the active window."""
        if not self._closed and self.isVisible():
            self.activateWindow()

    # ------------------------------------------------------------------ clear / close
    def clear(self) -> None:
        """Esc: forget the member and everything typed, ready for the next customer."""
        if (self.approval_dialog is not None or self.enroll_dialog is not None or self.return_dialog is not None
                or self.report_dialog is not None
                or self.change_pin_dialog is not None or self.manager_dialog is not None):
            return  # the dialog handles its own Esc
        self.pin.clear()
        self.member_field.clear()
        self._set_member(None)
        self.amount_field.clear()
        self.receipt_field.clear()
        self.amount_error.clear()
        self._set_status("info", None)
        (self.member_field if self._staff is not None else self.pin).setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Finish queued work, close the ledger on the worker thread, stop the thread. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._preview_timer.stop()
        self.camera_panel.stop()
        self._backup_timer.stop()
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


def _fresh_member(svc: Any, member_id: str) -> MemberView | None:
    """The member as the ledger now has them (runs on the worker, after the operation committed)."""
    try:
        member: MemberView = svc.members.get(member_id)
        return member
    except ServiceError:
        return None


__all__ = ["CounterWindow", "OperationIds", "new_op_id"]
