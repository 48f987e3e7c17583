"""The staff admin page's state (manager role): the staff list, who is selected, what each action may do and
what the page says. The rules (PIN policy, who may change whom, approvals and their audit) are the services'
(``pos_app.services.approvals``: the same ones ``pos-terminal staff`` uses); this only decides what to offer
and what to say, and refuses an empty form before it reaches them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pos_app.core.i18n import _
from pos_app.ui.presenters.session import role_text

ROLE_RANK = {"cashier": 0, "manager": 1, "admin": 2}


@dataclass(frozen=True)
class StaffRowText:
    name: str
    role: str
    state: str


def state_text(member: Any) -> str:
    if not member.active:
        return _("disabled")
    parts = []
    if member.locked:
        parts.append(_("PIN locked"))
    if member.must_change_pin:
        parts.append(_("chooses a new PIN at sign-in"))
    if member.head_office:
        parts.append(_("head office"))
    return ", ".join(parts) or _("active")


class StaffPresenter:
    """``manager`` is the signed-in ``StaffView``; ``members`` the services' ``StaffMember`` list."""

    def __init__(self) -> None:
        self.manager: Any = None
        self.members: list[Any] = []
        self.selected_id: str | None = None
        self.message = ""
        self.message_kind = "info"  # "info", "done" or "error"

    # ------------------------------------------------------------------ state
    def load(self, manager: Any, members: list[Any]) -> None:
        self.manager = manager
        self.members = list(members)
        if self.selected_id not in {m.id for m in self.members}:
            self.selected_id = self.members[0].id if self.members else None

    def select(self, staff_id: str | None) -> None:
        self.selected_id = staff_id

    @property
    def selected(self) -> Any:
        return next((m for m in self.members if m.id == self.selected_id), None)

    def rows(self) -> list[StaffRowText]:
        return [StaffRowText(m.name, role_text(m.role), state_text(m)) for m in self.members]

    def add_roles(self) -> list[tuple[str, str]]:
        """The roles the signed-in manager may add: those below their own."""
        rank = ROLE_RANK.get(getattr(self.manager, "role", ""), -1)
        return [(role, role_text(role)) for role in ("cashier", "manager") if ROLE_RANK[role] < rank]

    def _manages(self, member: Any) -> bool:
        return (member is not None and self.manager is not None and member.id != self.manager.id
                and not member.head_office
                and ROLE_RANK.get(member.role, 3) < ROLE_RANK.get(self.manager.role, -1))

    @property
    def can_toggle(self) -> bool:
        return self._manages(self.selected)

    def toggle_text(self) -> str:
        member = self.selected
        return _("Enable") if member is not None and not member.active else _("Disable")

    @property
    def can_reset(self) -> bool:
        member = self.selected
        return self._manages(member) and member.active and member.role == "cashier"

    def why_not(self) -> str:
        """Why the selected member cannot be changed here (empty when they can)."""
        member = self.selected
        if member is None or self.manager is None or self._manages(member):
            return ""
        if member.id == self.manager.id:
            return _("This is you: change your own PIN with Change PIN.")
        if member.head_office:
            return _("{name} is managed by head office: change them there.").format(name=member.name)
        return _("Managers are added, disabled and reset by an admin or head office.")

    # ------------------------------------------------------------------ forms
    def check_add(self, name: str, pin: str, my_pin: str) -> str:
        """What is missing from the add form (empty: send it to the services, which check the rest)."""
        if not name.strip():
            return _("Type the new staff member's name.")
        if not pin.strip():
            return _("Type their first PIN (they choose their own at their first sign-in).")
        return self._check_my_pin(my_pin)

    def check_reset(self, pin: str, my_pin: str) -> str:
        if not pin.strip():
            return _("Type the temporary PIN.")
        return self._check_my_pin(my_pin)

    def check_toggle(self, my_pin: str) -> str:
        return self._check_my_pin(my_pin)

    @staticmethod
    def _check_my_pin(my_pin: str) -> str:
        return "" if my_pin.strip() else _("Type your own PIN to confirm the change.")

    # ------------------------------------------------------------------ messages
    def say(self, kind: str, text: str) -> None:
        self.message_kind, self.message = kind, text

    def added_text(self, staff: Any) -> str:
        return _("{name} added as {role}: they choose their own PIN at their first sign-in.").format(
            name=staff.name, role=role_text(staff.role))

    def toggled_text(self, member: Any) -> str:
        if member.active:
            return _("{name} can sign in again.").format(name=member.name)
        return _("{name} is disabled: they can no longer sign in.").format(name=member.name)

    def reset_text(self, staff: Any) -> str:
        return _("PIN of {name} reset: they choose a new one at their next sign-in.").format(name=staff.name)


__all__ = ["StaffPresenter", "StaffRowText", "state_text"]
