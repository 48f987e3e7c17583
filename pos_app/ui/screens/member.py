"""Member panel: identify (typed, USB scanner as keyboard wedge, camera), who the member is, tier and progress,
balance with pending points, what expires soon, the last entries; enrolling a new member. State:
:class:`pos_app.ui.presenters.member.MemberPresenter`; refreshed on change notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from hardware.wedge import MIXED_LAYOUT, THAI_LAYOUT, detect_layout
from pos_app.core.i18n import N_, _
from pos_app.core.member_codes import classify_scan
from pos_app.services.errors import ServiceError
from pos_app.ui.camera import CameraPanel
from pos_app.ui.dialogs import EnrollDialog
from pos_app.ui.presenters import HISTORY_LINES, HistoryLine
from pos_app.ui.presenters.changes import Change
from pos_app.ui.presenters.search import RESULTS_SHOWN, looks_like_a_name
from pos_app.ui.screens.style import EnterButton, big_button, with_key, wrapped_label

if TYPE_CHECKING:
    from pos_app.services.base import MemberView

# hardware reports stable codes in English; the cashier reads them here, translated
LAYOUT_WARNINGS = {
    THAI_LAYOUT: N_("The keyboard is set to Thai, so the scanner typed Thai letters; it was read anyway. "
                    "Switch the keyboard to English (Grave or Alt+Shift) or set the scanner to serial mode."),
    MIXED_LAYOUT: N_("The scanner's keys arrived in a mix of Thai and English. Switch the keyboard to English "
                     "(Grave or Alt+Shift) or set the scanner to serial mode, then scan again."),
}


class MemberScreen:
    """Mixin of :class:`pos_app.ui.counter.CounterWindow`: the member panel and identifying a member."""

    def _build_member_panel(self: Any) -> QGroupBox:
        self.member_box = QGroupBox()
        self.member_box.setObjectName("memberBox")
        member_layout = QVBoxLayout(self.member_box)
        member_layout.setSpacing(4)  # the full panel (tiles, notes, history) fits 768 pixels
        self.member_field = QLineEdit()
        self.member_field.setObjectName("memberField")
        self.member_field.setClearButtonEnabled(True)
        self.find_button = big_button("findButton")
        self.enroll_button = big_button("newMemberButton")
        self.camera_button = big_button("cameraButton")
        self.camera_button.setCheckable(True)
        self.member_name = wrapped_label("memberName")
        self.member_tier = wrapped_label("memberTier")
        self.tier_progress = QProgressBar()
        self.tier_progress.setObjectName("tierProgress")
        self.tier_progress.setTextVisible(False)
        self.tier_progress.setVisible(False)
        self.member_balance = wrapped_label("memberBalance")
        self.member_pending = wrapped_label("memberPending", note=True)
        self.member_expiring = wrapped_label("memberExpiring", note=True)
        self.offline_label = wrapped_label("offlineRemaining", note=True)
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
        # name search: the members whose name matches, as buttons (Tab/arrows and Enter, or a touch)
        self.search_box = QWidget()
        self.search_box.setObjectName("searchResults")
        search_layout = QVBoxLayout(self.search_box)
        search_layout.setContentsMargins(0, 0, 0, 0)
        search_layout.setSpacing(4)
        self.search_title = wrapped_label("searchTitle")
        search_layout.addWidget(self.search_title)
        self.search_buttons = []
        for i in range(RESULTS_SHOWN):
            button = EnterButton()
            button.setObjectName("memberResult")
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.clicked.connect(lambda _checked=False, index=i: self.choose_search_result(index))
            search_layout.addWidget(button)
            self.search_buttons.append(button)
        self.search_box.setVisible(False)
        member_layout.addWidget(self.search_box)
        # who and how much side by side (the balance right-aligned, as amounts are), then the tier with its
        # progress and the points still pending: the panel keeps room for the tiles and history at 768 px
        self.member_balance.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.member_pending.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        points = QVBoxLayout()
        points.setSpacing(0)
        points.addWidget(self.member_balance)
        points.addWidget(self.member_pending)
        who = QHBoxLayout()
        who.addWidget(self.member_name, 3)
        who.addLayout(points, 2)
        member_layout.addLayout(who)
        tier_row = QHBoxLayout()  # the tier and, beside it, how far to the next one
        tier_row.addWidget(self.member_tier, 1)
        tier_row.addWidget(self.tier_progress, 0, Qt.AlignmentFlag.AlignVCenter)
        self.tier_progress.setFixedWidth(120)
        member_layout.addLayout(tier_row)
        member_layout.addWidget(self.member_expiring)
        member_layout.addWidget(self.offline_label)
        member_layout.addWidget(self._build_reward_tiles())
        # the last entries (newest first): when, what, points
        self.history_title = wrapped_label("historyTitle", note=True)
        member_layout.addWidget(self.history_title)
        history = QGridLayout()
        history.setVerticalSpacing(0)
        history.setColumnStretch(1, 1)
        self.history_rows = []
        for row in range(HISTORY_LINES):
            when, what, points = (wrapped_label("historyWhen", note=True), wrapped_label("historyWhat", note=True),
                                  wrapped_label("historyPoints", note=True))
            when.setWordWrap(False)
            points.setWordWrap(False)
            points.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            history.addWidget(when, row, 0, Qt.AlignmentFlag.AlignTop)
            history.addWidget(what, row, 1)
            history.addWidget(points, row, 2, Qt.AlignmentFlag.AlignTop)
            self.history_rows.append((when, what, points))
        member_layout.addLayout(history)
        member_layout.addStretch(1)
        self.member_field.returnPressed.connect(self.identify)
        self.find_button.clicked.connect(self.identify)
        self.enroll_button.clicked.connect(self.open_enroll)
        # the panel re-renders on what changes it, never on a timer
        self.changes.subscribe(Change.OPERATION_COMMITTED, lambda _result: self._load_member_details())
        self.changes.subscribe(Change.RULES_CHANGED, lambda _none: self._show_member())
        self.changes.subscribe(Change.REWARDS_CHANGED, lambda _rewards: self._show_history())
        return self.member_box

    def _retranslate_member(self: Any) -> None:
        self.member_box.setTitle(_("Member"))
        self.member_field.setPlaceholderText(_("Scan the card, or type a card no., phone or name"))
        self.find_button.setText(with_key(_("Find"), "Enter"))
        self.enroll_button.setText(with_key(_("New member"), "F4"))
        self.camera_button.setText(with_key(_("Camera"), "F5"))
        self.camera_button.setToolTip(_("Show the camera to scan member cards"))
        self.camera_panel.retranslate()

    # ------------------------------------------------------------------ identify
    def identify(self: Any) -> None:
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

    def _on_wedge_scan(self: Any, text: str, warning: str | None) -> None:
        """A member code scanned while the cursor was in another field: identify, confirm nothing else."""
        if self._services is None or self._staff is None or self.worker.busy:
            return
        self.member_field.setText(text)
        self._identify(text, warning)

    def _camera_toggled(self: Any, on: bool) -> None:
        if on:
            self.start_camera()
        else:
            self.stop_camera()

    def start_camera(self: Any) -> None:
        """Show the camera panel and start scanning from the [camera] source."""
        self.reward_tiles_box.setVisible(False)  # first: the preview takes their room (showing both grows it)
        self.camera_panel.setVisible(True)
        self.camera_panel.start()
        if not self.camera_button.isChecked():
            self.camera_button.blockSignals(True)
            self.camera_button.setChecked(True)
            self.camera_button.blockSignals(False)

    def stop_camera(self: Any) -> None:
        self.camera_panel.stop()
        self.camera_panel.setVisible(False)
        self._show_tiles()
        if self.camera_button.isChecked():
            self.camera_button.blockSignals(True)
            self.camera_button.setChecked(False)
            self.camera_button.blockSignals(False)

    def _on_camera_scan(self: Any, text: str) -> None:
        """A code the camera accepted: identified exactly like a code typed in the member field."""
        self.camera_scanned.emit(text)
        if self._services is None or self._staff is None:
            return
        if self.worker.busy:
            self._pending_scan = text  # identified as soon as the current operation has finished
            return
        self.member_field.setText(text)
        self._identify(text, None)

    def _identify(self: Any, text: str, warning: str | None) -> None:
        if self.voucher_scanned(text):  # a voucher, not a member: shown with what it gives (screens/voucher.py)
            return
        svc = self._services
        if warning is None and looks_like_a_name(text):
            self._search_names(text)
            return

        clients, enrolled = self._sync_clients, self._enrolled

        def work() -> MemberView:
            from pos_app.services import sync_glue
            # a member of another branch, not on this terminal: followed on the server, pulled, identified
            member: MemberView = sync_glue.identify(svc, (lambda: clients.get(svc)) if enrolled else None, text)
            return member

        self._submit(work, lambda member: self._identified(member, warning),
                     lambda error: self._identify_failed(error, warning))

    # ------------------------------------------------------------------ name search
    def _search_names(self: Any, text: str) -> None:
        svc, query = self._services, " ".join(text.split())

        def work() -> list[Any]:
            results: list[Any] = svc.search_members(query, limit=RESULTS_SHOWN + 1)
            return results

        def done(results: list[Any]) -> None:
            if len(results) == 1:  # one match: as if their card was scanned
                self.search_state.show(query, results)
                self.choose_search_result(0)
                return
            self._set_member(None)
            if not results:
                self._show_search_results()
                self.member_field.selectAll()
                self.member_field.setFocus()
                self.show_error(_("No member's name contains “{query}”. Check the spelling, or scan the card or "
                                  "type the phone.").format(query=query))
                return
            self.search_state.show(query, results)
            self._show_search_results()
            self.search_buttons[0].setFocus()
            self.search_shown.emit(self.search_state.lines(self.member_state.tier_names))

        self._submit(work, done, lambda error: self._identify_failed(error))

    def _show_search_results(self: Any) -> None:
        state = self.search_state
        lines = state.lines(self.member_state.tier_names)
        self.search_title.setText(state.title())
        for i, button in enumerate(self.search_buttons):
            button.setVisible(i < len(lines))
            button.setText(lines[i] if i < len(lines) else "")
        self.search_box.setVisible(bool(lines))

    def choose_search_result(self: Any, index: int) -> None:
        """The cashier picked a member from the name search: shown like a scanned card."""
        member_id, svc = self.search_state.member_id(index), self._services
        if member_id is None or svc is None or self.worker.busy:
            return

        def work() -> MemberView:
            member: MemberView = svc.members.get(member_id)
            return member

        self._submit(work, self._identified, self._identify_failed)

    def _identify_failed(self: Any, error: ServiceError, warning: str | None = None) -> None:
        self._set_member(None)
        self.member_field.selectAll()
        self.member_field.setFocus()
        if warning is not None:
            self.show_error(f"{error.message} {_(LAYOUT_WARNINGS[warning])}")
        else:
            self.show_error(error.message)

    def _identified(self: Any, member: MemberView, warning: str | None = None) -> None:
        self._set_member(member)
        self.member_field.clear()
        self.amount_field.setFocus()
        if warning is not None:
            self._set_status("info", lambda: _(LAYOUT_WARNINGS[warning]))
        self.member_shown.emit(member)

    def _set_member(self: Any, member: MemberView | None) -> None:
        """Show ``member`` (None: nobody); the award and redeem screens follow the notification."""
        previous = self._member
        changed = self.member_state.show(member)
        if self.search_state.results:
            self.search_state.clear()
            self._show_search_results()
        if changed:
            if previous is not None:
                self._leave_voucher_buys(previous)
            self.ops.clear()
            self._offline_remaining = None
            self._refresh_offline_remaining()
            self._load_member_details()
        self._show_member()
        self.changes.publish(Change.MEMBER_SHOWN if changed else Change.MEMBER_UPDATED, member)
        self._set_enabled_for_state()

    def _member_refreshed(self: Any, fresh: MemberView | None) -> None:
        """A re-read of the member shown, after an operation committed or a sync pull."""
        if self.member_state.refreshed(fresh):
            self._show_member()
            self.changes.publish(Change.MEMBER_UPDATED, fresh)

    def _show_member(self: Any) -> None:
        state = self.member_state
        self._show_history()
        self.member_name.setText(state.name_text())
        self.member_tier.setText(state.tier_text())
        self.member_balance.setText(state.balance_text())
        self.member_pending.setText(state.pending_text())
        self.member_pending.setToolTip(state.pending_hint())
        self.member_expiring.setText(state.notes_text())
        progress = state.tier_progress()
        self.tier_progress.setVisible(progress is not None)
        if progress is not None and (self.tier_progress.maximum(), self.tier_progress.value()) != (
                progress[1], min(progress[0], progress[1])):  # a styled bar repaints slowly: only on a change
            self.tier_progress.setRange(0, progress[1])
            self.tier_progress.setValue(min(progress[0], progress[1]))

    # ------------------------------------------------------------------ history and standing
    def _load_history(self: Any) -> None:
        self._load_member_details()

    def _load_member_details(self: Any) -> None:
        """Read the shown member's entries and standing (tier progress, pending and expiring points) on the
        worker; the panel shows them when they come back (if the member is still the one shown)."""
        state, svc = self.member_state, self._services
        state.history_generation += 1
        if state.member is None or svc is None:
            return
        generation, member_id = state.history_generation, state.member.id

        def work() -> tuple[list[Any], Any]:
            entries: list[Any] = svc.history(member_id)
            try:
                from pos_app.services.standing import member_standing
                standing = member_standing(svc, member_id)
            except ServiceError:
                standing = None
            return entries, standing

        def done(outcome: tuple[list[Any], Any]) -> None:
            if generation != state.history_generation or not state.is_shown(member_id):
                return  # another member (or a newer read) meanwhile
            state.history, state.standing = outcome
            self._show_member()
            self.history_shown.emit(self._show_history())

        self.worker.submit(work, done, lambda _error: None, busy=False)

    def _show_history(self: Any) -> list[HistoryLine]:
        lines = self.member_state.history_lines(self.redeem_state.names())
        self.history_title.setText(_("Last entries") if lines else "")
        for i, (when, what, points) in enumerate(self.history_rows):
            line = lines[i] if i < len(lines) else None
            when.setText(line.when if line else "")
            what.setText(line.what if line else "")
            points.setText(line.points if line else "")
            colour = "color: #b00020;" if line and line.negative else "color: #1f6f43;"
            if points.styleSheet() != colour:  # a style sheet re-polishes the label: only when it changes
                points.setStyleSheet(colour)
        return lines

    # ------------------------------------------------------------------ enroll
    def open_enroll(self: Any) -> None:
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

    def enroll(self: Any) -> None:
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
        marketing = dialog.marketing.isChecked()
        op_id = self.ops.for_request("enroll", (name, phone, consent, marketing, staff_id))
        svc = self._services

        def work() -> MemberView:
            member: MemberView = svc.members.enroll(name=name, phone=phone, operator_id=staff_id,
                                                    consent=consent, marketing=marketing, op_id=op_id)
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


__all__ = ["LAYOUT_WARNINGS", "MemberScreen"]
