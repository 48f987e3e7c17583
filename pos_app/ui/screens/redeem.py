"""Redeem screen: reward tiles (cost, stock, whether the member can afford it) beside the full reward list,
points as a discount, the primary button, manager approval when the rules ask for it. State:
:class:`pos_app.ui.presenters.redeem.RedeemPresenter`; re-rendered when the member or the rewards change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLineEdit, QPushButton, QVBoxLayout, QWidget

from pos_app.core.i18n import _
from pos_app.core.money import format_baht
from pos_app.services.errors import ApprovalRequired, ServiceError
from pos_app.services.staff import Approval
from pos_app.ui.presenters.changes import Change
from pos_app.ui.presenters.redeem import RewardTile, reward_name
from pos_app.ui.screens.style import big_button, with_key, wrapped_label

if TYPE_CHECKING:
    from pos_app.services.base import MemberView

TILES = 4          # tiles shown (two rows of two: what fits the column at 768 pixels); the list has them all
TILE_COLUMNS = 2


class RedeemScreen:
    """Mixin of :class:`pos_app.ui.counter.CounterWindow`: redeeming points."""

    def _build_redeem(self: Any) -> QGroupBox:
        self.redeem_box = QGroupBox()
        self.redeem_box.setObjectName("redeemBox")
        redeem_outer = QVBoxLayout(self.redeem_box)
        redeem_outer.setContentsMargins(6, 2, 6, 4)  # the actions column fits 768 pixels with the reward tiles
        redeem_outer.setSpacing(4)
        redeem_layout = QGridLayout()
        self.reward_label = wrapped_label("rewardLabel")
        self.reward_combo = QComboBox()
        self.reward_combo.setObjectName("rewardCombo")
        # a long reward name must not widen the window: the combo takes the column's width, its list shows all
        self.reward_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.reward_combo.setMinimumContentsLength(8)
        self.points_label = wrapped_label("pointsLabel")
        self.points_field = QLineEdit()
        self.points_field.setObjectName("pointsField")
        self.points_field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.points_field.setValidator(QRegularExpressionValidator(r"[0-9]{0,9}"))
        self.redeem_error = wrapped_label("redeemError", note=True)
        self.redeem_button = big_button("redeemButton")
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
        self.reward_combo.currentIndexChanged.connect(self._reward_changed)
        self.points_field.returnPressed.connect(lambda: self.redeem())
        self.points_field.textChanged.connect(lambda _text: self._show_redeem_button())
        self.redeem_button.clicked.connect(lambda: self.redeem())  # not `checked` as the approval
        self.changes.subscribe(Change.MEMBER_SHOWN, self._redeem_member_shown)
        self.changes.subscribe(Change.MEMBER_UPDATED, self._redeem_member_updated)
        self.changes.subscribe(Change.REWARDS_CHANGED, self._rewards_changed)
        return self.redeem_box

    def _build_reward_tiles(self: Any) -> QWidget:
        """The reward tiles, shown on the member panel under the balance ("what can I get?" answered before it
        is asked) while a member is shown; choosing one fills the redeem form on the right."""
        box = QWidget()
        box.setObjectName("rewardTiles")
        # the tiles: the rewards the cashier picks most, with cost and stock, greyed when the member cannot
        # afford them; Tab moves between them, Space picks one (again: back to points as a discount)
        tiles = QGridLayout(box)
        tiles.setContentsMargins(0, 0, 0, 0)
        tiles.setSpacing(4)
        self.reward_tiles: list[QPushButton] = []
        for i in range(TILES):
            tile = QPushButton()
            tile.setObjectName("rewardTile")
            tile.setCheckable(True)
            tile.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            tile.setMinimumHeight(48)
            tile.setVisible(False)
            tile.clicked.connect(lambda _checked=False, index=i: self._tile_clicked(index))
            tiles.addWidget(tile, i // TILE_COLUMNS, i % TILE_COLUMNS)
            self.reward_tiles.append(tile)
        self.reward_tiles_box = box
        box.setVisible(False)
        return box

    def _retranslate_redeem(self: Any) -> None:
        self.redeem_box.setTitle(_("Redeem points"))
        self.reward_label.setText(_("Reward"))
        self.points_label.setText(_("Points"))
        self._fill_rewards()

    # ------------------------------------------------------------------ notifications
    def _redeem_member_shown(self: Any, member: MemberView | None) -> None:
        self.redeem_state.balance = member.balance if member is not None else None
        self.redeem_state.select(None)
        self.points_field.clear()
        self.redeem_error.clear()
        self._fill_rewards()

    def _redeem_member_updated(self: Any, member: MemberView | None) -> None:
        self.redeem_state.balance = member.balance if member is not None else None
        self._show_tiles()

    def _rewards_changed(self: Any, rewards: list[dict[str, Any]]) -> None:
        chosen = self.redeem_state.selected
        withdrawn = self.redeem_state.set_rewards(rewards)
        self._fill_rewards()
        if withdrawn or (chosen is not None and self.reward_combo.currentData() is None):
            self.points_field.clear()  # the reward chosen was withdrawn: nothing is half-chosen
        self._reward_changed_quietly()

    # ------------------------------------------------------------------ rendering
    def _fill_rewards(self: Any) -> None:
        state = self.redeem_state
        self.reward_combo.blockSignals(True)
        self.reward_combo.clear()
        self.reward_combo.addItem(_("Points as a discount"), None)
        for reward in state.rewards:
            self.reward_combo.addItem(_("{reward} ({points} points)").format(
                reward=reward_name(reward), points=f"{int(reward['points_cost']):,}"), reward["code"])
        index = self.reward_combo.findData(state.selected)
        self.reward_combo.setCurrentIndex(max(index, 0))
        self.reward_combo.blockSignals(False)
        self._show_tiles()

    def _shown_tiles(self: Any) -> list[RewardTile]:
        return self.redeem_state.tiles()[:TILES]

    def _show_tiles(self: Any) -> None:
        tiles = self._shown_tiles()
        has_member = self._member is not None
        # not while the camera preview takes the panel's room (it is for identifying the next member)
        self.reward_tiles_box.setVisible(has_member and bool(tiles) and not self.camera_panel.isVisibleTo(self))
        for i, button in enumerate(self.reward_tiles):
            tile = tiles[i] if i < len(tiles) else None
            button.setVisible(tile is not None)
            if tile is None:
                continue
            button.setText(f"{tile.name}\n{tile.caption}")
            button.setToolTip(" · ".join(part for part in (tile.name, tile.caption, tile.hint) if part))
            button.setChecked(tile.selected)
            button.setEnabled(has_member and tile.affordable)
            affordable = "yes" if tile.affordable else "no"
            if button.property("affordable") != affordable:  # re-polish (slow) only when the look changes
                button.setProperty("affordable", affordable)
                button.style().unpolish(button)
                button.style().polish(button)
        self._show_redeem_button()

    def _show_redeem_button(self: Any) -> None:
        self.redeem_button.setText(with_key(self.redeem_state.button_text(self.points_field.text()), "F3", below=True))

    # ------------------------------------------------------------------ choosing
    def _tile_clicked(self: Any, index: int) -> None:
        tiles = self._shown_tiles()
        if index >= len(tiles):
            return
        code = None if tiles[index].selected else tiles[index].code  # the chosen tile again: unchoose
        self.reward_combo.setCurrentIndex(max(self.reward_combo.findData(code), 0))
        self.reward_tile_chosen.emit(code)

    def _reward_changed(self: Any, _index: int = 0) -> None:
        self.redeem_state.select(self.reward_combo.currentData())
        cost = self.redeem_state.cost()
        if cost is not None:
            self.points_field.setText(str(cost))
        else:
            self.points_field.clear()
        self.redeem_error.clear()
        self._show_tiles()
        self._set_enabled_for_state()

    def _reward_changed_quietly(self: Any) -> None:
        """After the rewards list was refilled: the points field follows the reward still chosen."""
        cost = self.redeem_state.cost()
        if self.reward_combo.currentData() is not None:
            self.points_field.setText(str(cost) if cost is not None else "")
        self._show_tiles()
        self._set_enabled_for_state()

    # ------------------------------------------------------------------ redeem
    def redeem(self: Any, approval: Approval | None = None) -> None:
        if self._services is None or self._staff is None or self.worker.busy:
            return
        member = self._member
        if member is None:
            self.show_error(_("Find the member first."))
            return
        reward_code: str | None = self.reward_combo.currentData()
        if reward_code is not None and self.redeem_state.voucher(reward_code):
            self._buy_voucher(member, reward_code)
            return
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
            from pos_app.services import sync_glue
            result = sync_glue.redeem(svc, client, member_id=member_id, points=points, reward_code=reward_code,
                                      operator_id=staff_id, approval=approval, op_id=op_id)
            return result, self._fresh_member(svc, member_id)

        def failed(error: ServiceError) -> None:
            if isinstance(error, ApprovalRequired):
                self._ask_manager(error.message, lambda pin: self.redeem(Approval(pin=pin)))
            else:
                self.show_error(error.message)

        self._submit(work, self._redeemed, failed)

    def _buy_voucher(self: Any, member: MemberView, reward_code: str) -> None:
        """A reward that buys a voucher: the member's points for a voucher the server signs (online only). A retry
        of the same purchase (its answer was lost, or the voucher could not be fetched) reuses the operation id:
        the points are spent once and the same voucher comes back."""
        self.redeem_error.clear()
        buy = self.voucher_buys.for_request(member.id, reward_code, self._staff.id)
        op_id, staff_id = buy.op_id, buy.operator_id  # a retry is the same operation, whoever presses again
        svc, member_id, clients, enrolled = self._services, member.id, self._sync_clients, self._enrolled

        def work() -> tuple[Any, MemberView | None]:
            from pos_app.services import sync_glue
            client = clients.get(svc) if enrolled else None  # None: standalone, refused (no server to sign it)
            result = sync_glue.buy_voucher(svc, client, member_id=member_id, reward_code=reward_code,
                                           operator_id=staff_id, op_id=op_id)
            return result, self._fresh_member(svc, member_id)

        def failed(error: ServiceError) -> None:
            message = error.message
            if error.code == "voucher.fetch_again":  # the points are spent: the same button fetches the voucher
                self.voucher_buys.mark_spent(op_id)
                message = _("The points were redeemed but the voucher could not be fetched: press the button again "
                            "when the terminal is online (no more points are spent).")
            self.redeem_error.setText(message)
            self.show_error(message)

        self._submit(work, self._voucher_bought, failed)

    def _leave_voucher_buys(self: Any, previous: MemberView) -> None:
        """The cashier moved on from ``previous``: each of their unfinished voucher purchases that spent nothing is
        abandoned on the worker (a points hold it left on the server is released, not left to lapse); one whose
        points were spent stays, and the status line says how to fetch its voucher."""
        abandon, owed = self.voucher_buys.member_left(previous.id)
        svc, clients, enrolled = self._services, self._sync_clients, self._enrolled
        for buy in abandon:
            def work(buy: Any = buy) -> bool:
                from pos_app.services import sync_glue
                client = clients.get(svc) if enrolled else None
                return sync_glue.abandon_voucher_buy(svc, client, op_id=buy.op_id, member_id=buy.member_id,
                                                     reward_code=buy.reward_code, operator_id=buy.operator_id)

            def settled(released: bool, buy: Any = buy) -> None:
                if not released:
                    self.voucher_buys.keep(buy)
                    self._tell_voucher_owed(previous, buy)
                self.voucher_buy_let_go.emit(buy.op_id, released)

            def failed(error: ServiceError, buy: Any = buy) -> None:
                self.voucher_buys.keep(buy)  # not known to be unspent: keep it for the retry
                self._tell_voucher_owed(previous, buy)
                self.voucher_buy_let_go.emit(buy.op_id, False)

            self.worker.submit(work, settled, failed, busy=False)
        for buy in owed:
            self._tell_voucher_owed(previous, buy)

    def _tell_voucher_owed(self: Any, member: MemberView, buy: Any) -> None:
        reward = self.redeem_state.reward(buy.reward_code)
        name = reward_name(reward) if reward is not None else buy.reward_code
        self._set_status("info", lambda: _(
            "{member}'s voucher ({reward}) is paid for but was not fetched: find the member again and press Buy "
            "voucher (no more points are spent; operation {op_id}).").format(
            member=member.name, reward=name, op_id=buy.op_id))

    def _voucher_bought(self: Any, outcome: tuple[Any, MemberView | None]) -> None:
        result, fresh = outcome
        self.voucher_buys.confirmed(result.op_id)
        self._member_refreshed(fresh)
        self.points_field.clear()
        self.reward_combo.setCurrentIndex(0)

        def text() -> str:
            return _("Done: voucher {id} bought for {points} points: {what}, valid until {date}. It is printed on "
                     "the slip. New balance {balance} points.").format(
                id=result.voucher_id, points=f"{result.points:,}", what=result.description, date=result.valid_until,
                balance=f"{result.balance_after:,}")

        self._redemption_recorded(result, fresh, text)

    def _redeemed(self: Any, outcome: tuple[Any, MemberView | None]) -> None:
        result, fresh = outcome
        self.ops.confirmed("redeem", result.op_id)
        self._member_refreshed(fresh)
        self.points_field.clear()
        self.reward_combo.setCurrentIndex(0)
        points, balance, discount = result.points, result.balance_after, result.discount_satang
        reward = self.redeem_state.reward(result.reward_code)

        def text() -> str:
            if reward is not None:
                return _("Done: {points} points redeemed for {reward}. New balance {balance} points.").format(
                    points=f"{points:,}", reward=reward_name(reward), balance=f"{balance:,}")
            return _("Done: {points} points redeemed, discount {discount}. New balance {balance} points.").format(
                points=f"{points:,}", discount=format_baht(discount), balance=f"{balance:,}")

        self._redemption_recorded(result, fresh, text)

    def _redemption_recorded(self: Any, result: Any, fresh: MemberView | None, text: Any) -> None:
        """What follows every redemption the ledger recorded (points for a reward or a discount, or a voucher
        bought): the status line, the notification, a sync, the offline allowance, the slip and the signal."""
        self._set_status("done", text)
        self.changes.publish(Change.OPERATION_COMMITTED, result)
        self._sync_trigger()
        self._refresh_offline_remaining()
        self._print_slip(result, fresh if fresh is not None else self._member)
        self.operation_done.emit(result)


__all__ = ["TILES", "RedeemScreen"]
