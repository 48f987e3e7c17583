"""Identify and enroll: find the member named by a scan, a card number, a phone or part of a name; enroll new
members; a member's card code, history and open lots.
"""

from __future__ import annotations

import re
from typing import Any

from pos_app.core.cardno import is_valid_card_number, new_card_number, normalize_card_number
from pos_app.core.errors import RuleError
from pos_app.core.expiry import open_lots
from pos_app.core.i18n import _
from pos_app.core.phone import format_phone, normalize_phone
from pos_app.ledger.canonical import ms_to_dt
from pos_app.ledger.repository import EntryRow, MemberRow
from pos_app.services import member_cards, member_search
from pos_app.services.base import (
    MAX_NAME_LENGTH,
    MemberView,
    ServicesBase,
    _checked,
    erased_refusal,
    translate_public_methods,
)
from pos_app.services.errors import Conflict, InvalidInput, NotFound
from pos_app.services.member_search import MemberSummary

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

CONSENT_TEXT_VERSION = "2026-11"
"""The version of the consent wording the enrollment dialog and the CLI show (docs/privacy.md); every consent
record names it. Change it together with the wording."""


class IdentifyUseCases(ServicesBase):
    # ------------------------------------------------------------------ identify
    def identify(self, text: str) -> MemberView:
        """Find the member named by a scanned or typed code: signed member QR, app code, card number or phone."""
        raw = text.strip()
        if not raw:
            raise InvalidInput(_("Scan a member card or type a phone number."))

        def run() -> MemberView:
            with self.ledger.read() as conn:
                member = self._identify(conn, raw)
                if member.erased:
                    raise erased_refusal()
                return self._view(conn, member)

        result: MemberView = self._call(run)
        return result

    def _identify(self, conn: Any, raw: str) -> MemberRow:
        from pos_app.core import member_codes

        kind = member_codes.classify_scan(raw)
        if kind in ("member_qr", "app_code"):
            keys = self.ledger.public_keys(conn)
            try:
                if kind == "member_qr":
                    code = member_codes.verify_member_code(raw, keys, ms_to_dt(self.clock()),
                                                           self.ledger.revoked_key_ids(conn))
                else:
                    code = member_codes.verify_app_code(raw, keys, ms_to_dt(self.clock()), self._replay_guard())
            except member_codes.MemberCodeError as exc:
                raise InvalidInput(exc.message) from exc
            member = self.ledger.get_member(conn, code.member_id)
            if member is None:
                raise NotFound(_("The card is genuine but this member is not on this terminal yet: sync, then scan again."))
            return member
        digits = normalize_card_number(raw)
        if len(digits) == 16 and digits.isascii() and digits.isdigit():
            if not is_valid_card_number(digits):
                raise InvalidInput(_("That card number has a wrong check digit: check it and type it again."))
            member = self.ledger.find_member_by_card_no(conn, digits)
            if member is None:
                raise NotFound(_("No member with card number {card_no}.").format(card_no=digits))
            return member
        member = self.ledger.get_member(conn, raw)
        if member is not None:
            return member
        try:
            phone = normalize_phone(raw)
        except RuleError as exc:
            raise InvalidInput(_("Not a member code, card number or phone number we can read.")) from exc
        member = self.ledger.find_member_by_phone(conn, phone)
        if member is None:
            raise NotFound(_("No member with phone {phone}.").format(phone=format_phone(phone)))
        return member

    def lookup_key(self, text: str) -> dict[str, str] | None:
        """What the server can find the member by, for a scan or typed text that names no member here: a genuine
        member code's member id, a card number, a phone, or a member id; None when the text names none of them
        (a forged code, a wrong check digit, a name)."""
        from pos_app.core import member_codes

        raw = text.strip()
        kind = member_codes.classify_scan(raw)
        if kind in ("member_qr", "app_code"):
            with self.ledger.read() as conn:
                keys, revoked = self.ledger.public_keys(conn), self.ledger.revoked_key_ids(conn)
            try:
                if kind == "member_qr":
                    code = member_codes.verify_member_code(raw, keys, ms_to_dt(self.clock()), revoked)
                else:  # checked, not consumed: the identify that follows uses it once
                    code = member_codes.verify_app_code(raw, keys, ms_to_dt(self.clock()), member_codes.ReplayGuard())
            except member_codes.MemberCodeError:
                return None
            return {"member_id": code.member_id}
        digits = normalize_card_number(raw)
        if len(digits) == 16 and digits.isascii() and digits.isdigit():
            return {"card_no": digits} if is_valid_card_number(digits) else None
        if _UUID.fullmatch(raw):
            return {"member_id": raw.lower()}
        try:
            return {"phone": normalize_phone(raw)}
        except RuleError:
            return None

    def search_members(self, text: str, limit: int = 10) -> list[MemberSummary]:
        """Members whose name contains ``text`` (partial, any case; Thai or English), best matches first."""
        return member_search.search_members(self, text, limit)

    def _replay_guard(self) -> Any:
        from pos_app.core import member_codes

        if not hasattr(self, "_guard"):
            self._guard = member_codes.ReplayGuard()
        return self._guard

    def public_keys(self) -> dict[str, bytes]:
        with self.ledger.read() as conn:
            return self.ledger.public_keys(conn)

    def revoked_key_ids(self) -> frozenset[str]:
        with self.ledger.read() as conn:
            return self.ledger.revoked_key_ids(conn)

    def member_card_code(self, member_id: str) -> MemberView:
        """The member, with a signed member code: the stored one, else one this terminal signs now (a card
        right away; None left when an enrolled terminal is not certified yet)."""
        def run() -> MemberView:
            with self.ledger.write() as conn:
                member = self._member(conn, member_id)
                if member.member_code is None:
                    code = member_cards.sign_for(self, conn, member_id, ms_to_dt(self.clock()))
                    if code is not None:
                        self.ledger.set_member_code(conn, member_id, code)
                        member = self._member(conn, member_id)
                return self._view(conn, member)

        result: MemberView = self._call(run)
        return result

    # ------------------------------------------------------------------ history
    def history(self, member_id: str) -> list[EntryRow]:
        def run() -> list[EntryRow]:
            with self.ledger.read() as conn:
                self._member(conn, member_id)
                return self.ledger.entries_for_member(conn, member_id)

        result: list[EntryRow] = self._call(run)
        return result

    def lots(self, member_id: str) -> list[Any]:
        with self.ledger.read() as conn:
            return open_lots(self._moves(conn, member_id), self.active_rules(conn).expiry)


@translate_public_methods
class MemberService:
    """``services.members``: enroll and look up members."""

    def __init__(self, services: ServicesBase) -> None:
        self._s = services

    def enroll(self, *, name: str, phone: str, operator_id: str, consent: bool = True, marketing: bool = False,
               op_id: str | None = None) -> MemberView:
        """A new member. The phone is the unique key: a duplicate is refused, naming the existing member. Two
        consent records go with the enrollment (PDPA): the loyalty program (``consent``) and marketing messages
        (``marketing``, asked separately), with the consent text version, time, terminal, branch and cashier."""
        s = self._s
        name = _checked(" ".join(name.split()), _("The name"))
        if not name or len(name) > MAX_NAME_LENGTH:
            raise InvalidInput(_("A member's name is 1 to 120 characters."))
        try:
            normalized = normalize_phone(phone)
        except RuleError as exc:
            raise InvalidInput(exc.message) from exc
        op_id = op_id or s.ledger.new_id()
        request = {"name": name, "phone": normalized, "consent": consent, "operator_id": operator_id}
        if marketing:
            request["marketing"] = True  # absent when false: an older request hashes as it did

        def work(conn: Any) -> MemberView:
            existing = s.ledger.find_member_by_phone(conn, normalized)
            if existing is not None:
                raise Conflict(_("Phone {phone} already belongs to {name} (card {card_no}).").format(
                    phone=format_phone(normalized), name=existing.name, card_no=existing.card_no),
                    code="phone_taken", log_message=f"the phone already belongs to member {existing.id}")
            member_id = s.ledger.new_id()
            for _attempt in range(5):
                card_no = new_card_number(s.ledger.randbelow)
                if s.ledger.find_member_by_card_no(conn, card_no) is None:
                    break
            rules = s.active_rules(conn)
            s.ledger.add_member(conn, member_id=member_id, card_no=card_no, name=name, phone=normalized,
                                tier=rules.tiers.tiers[0].code, consent=consent, created_at_ms=s.clock())
            for purpose, granted in (("loyalty", consent), ("marketing", marketing)):
                s.ledger.add_consent(conn, member_id=member_id, purpose=purpose, granted=granted,
                                     text_version=CONSENT_TEXT_VERSION, at_ms=s.clock(), staff_id=operator_id)
            code = member_cards.sign_for(s, conn, member_id, ms_to_dt(s.clock()))
            if code is not None:  # a card right away (see pos_app.services.member_cards)
                s.ledger.set_member_code(conn, member_id, code)
            return s._view(conn, s._member(conn, member_id))

        def replay(conn: Any, prior: dict[str, Any]) -> MemberView:
            return s._view(conn, s._member(conn, prior["member_id"]))

        result: MemberView = s._once("enroll", op_id, request, MemberView, work,
                                     stored=lambda m: {"member_id": m.id}, replay=replay)
        return result

    def set_marketing_consent(self, member_id: str, *, granted: bool, operator_id: str) -> bool:
        """Record the member's choice about marketing messages (given or withdrawn) as a consent record that
        syncs to the server and from there to every terminal. Returns the choice recorded."""
        s = self._s

        def run() -> bool:
            with s.ledger.write() as conn:
                s._member(conn, member_id)
                s.ledger.add_consent(conn, member_id=member_id, purpose="marketing", granted=granted,
                                     text_version=CONSENT_TEXT_VERSION, at_ms=s.clock(), staff_id=operator_id)
            return granted

        result: bool = s._call(run)
        return result

    def consents(self, member_id: str) -> list[dict[str, Any]]:
        """The consent records made at this terminal for the member, oldest first."""
        s = self._s
        with s.ledger.read() as conn:
            s._member(conn, member_id)
            return s.ledger.consents_for_member(conn, member_id)

    def get(self, member_id: str) -> MemberView:
        s = self._s

        def run() -> MemberView:
            with s.ledger.read() as conn:
                return s._view(conn, s._member(conn, member_id))

        result: MemberView = s._call(run)
        return result

    def find_by_phone(self, phone: str) -> MemberView | None:
        s = self._s
        try:
            normalized = normalize_phone(phone)
        except RuleError as exc:
            raise InvalidInput(exc.message) from exc
        with s.ledger.read() as conn:
            row = s.ledger.find_member_by_phone(conn, normalized)
            return s._view(conn, row) if row else None

    def find_by_card_no(self, card_no: str) -> MemberView | None:
        s = self._s
        with s.ledger.read() as conn:
            row = s.ledger.find_member_by_card_no(conn, normalize_card_number(card_no))
            return s._view(conn, row) if row else None
