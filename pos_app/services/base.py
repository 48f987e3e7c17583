"""The ground the use-case families stand on (``ServicesBase``): ledger and clock, rules, the one idempotency
helper, the one error translation, approvals, and the helpers several families share.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pos_app.core.errors import RuleError
from pos_app.core.expiry import LedgerMove, due_expiries, expiring_within
from pos_app.core.i18n import _
from pos_app.core.phone import format_phone
from pos_app.core.pins import GuardPolicy
from pos_app.core.rules import RulesBundle, default_rules
from pos_app.core.text import check_text
from pos_app.core.tiers import tier_for
from pos_app.ledger.canonical import ms_to_dt
from pos_app.ledger.db import DATABASE_ERRORS, LedgerError, one_line
from pos_app.ledger.repository import (
    TERMINAL_SCOPE,
    Ledger,
    MemberRow,
    NewEntry,
    OperationConflict,
    staff_scope,
)
from pos_app.services.errors import (
    ApprovalRequired,
    Conflict,
    InvalidInput,
    NotAllowed,
    NotFound,
    ServiceError,
    Unavailable,
)
from pos_app.services.pins import MANAGER_ROLES, DeferredRefusal, PinGuard
from pos_app.services.staff import Approval, StaffView, pin_matches, validate_pin
from pos_app.services.voids import DEFAULT_VOID_WINDOW_MINUTES
from sync.records import MAX_ENTRY_POINTS, check_points

BANGKOK = ZoneInfo("Asia/Bangkok")
DEFAULT_REDEEM_APPROVAL_THRESHOLD = 1000
MAX_NAME_LENGTH = 120
MAX_RECEIPT_LENGTH = 64
_RECEIPT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-]*$")

@dataclass(frozen=True)
class MemberView:
    id: str
    card_no: str
    name: str
    phone: str
    tier: str
    balance: int
    member_code: str | None
    expiring_soon: int = 0
    flagged: str | None = None

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone) if self.phone else ""


def _record(result: Any) -> dict[str, Any]:
    """The stored answer of an operation (a shallow copy: the fields are plain values; dataclasses.asdict's
    deep copy was a tenth of an award's time)."""
    data = dict(vars(result))
    data.pop("replayed")
    return data


def _result(cls: type[Any], data: dict[str, Any], replayed: bool) -> Any:
    data = dict(data)
    data["replayed"] = replayed
    if "entry_ids" in data:
        data["entry_ids"] = tuple(data["entry_ids"])
    return cls(**data)

def _checked(text: str, what: str) -> str:
    """Free text without control characters (the same check as the server's: ``pos_app.core.text``)."""
    try:
        return check_text(text, what)
    except RuleError as exc:
        raise InvalidInput(exc.message) from exc


def _check_points(points: Any) -> None:
    """The one points limit (``sync.records``) for every value a cashier or manager types."""
    if check_points(points) is not None:
        raise InvalidInput(_("Points must be a whole number between -{limit:,} and {limit:,}.").format(
            limit=MAX_ENTRY_POINTS))


def run_translated(fn: Callable[[], Any]) -> Any:
    """The one error translation: ledger, database and rule failures become refusals (``ServiceError``) with one
    translated line; nothing of the storage below reaches a caller raw. A wrong PIN found inside an operation
    that then rolled back (:class:`DeferredRefusal`) is recorded in its own transaction before it is raised."""
    try:
        return fn()
    except DeferredRefusal as deferred:  # the operation rolled back; its wrong-PIN audit must not be lost
        refusal = run_translated(deferred.record)
        raise refusal from None
    except ServiceError:
        raise
    except OperationConflict as exc:
        raise Conflict(exc.message) from exc
    except LedgerError as exc:
        raise Unavailable(exc.message) from exc
    except RuleError as exc:
        raise InvalidInput(exc.message) from exc
    except DATABASE_ERRORS as exc:  # a failure the ledger had no words for: never raw, never a traceback
        raise Unavailable(_("The ledger could not be used ({error}); nothing was recorded.").format(
            error=one_line(str(exc)))) from exc


def translated(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` (a use case) running under :func:`run_translated`."""
    if getattr(fn, "__translated__", False):
        return fn

    @functools.wraps(fn)
    def use_case(*args: Any, **kwargs: Any) -> Any:
        return run_translated(lambda: fn(*args, **kwargs))

    use_case.__translated__ = True  # type: ignore[attr-defined]
    return use_case


def translate_public_methods(cls: type[Any]) -> type[Any]:
    """Wrap every public method ``cls`` defines in :func:`translated` (the class decorator of the use-case
    families; ``ServicesBase`` applies it to each subclass by itself, so no family can forget it)."""
    for name, attr in list(vars(cls).items()):
        if name.startswith("_") or isinstance(attr, (staticmethod, classmethod, property, type)) or not callable(attr):
            continue
        setattr(cls, name, translated(attr))
    return cls


def erased_refusal() -> NotAllowed:
    """The one line for a card, code or id of a member whose personal data was erased (PDPA)."""
    return NotAllowed(_("This member's personal data was erased at their request: the card and codes can no longer "
                        "be used. They may enroll again as a new member."), code="member_erased")


class ServicesBase:
    """What every use-case family stands on: the ledger, the clock, the rules, the one idempotency helper
    (:meth:`_once`), the one error translation (every public method of a subclass runs under
    :func:`run_translated`), the manager's approval and the member's view."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        translate_public_methods(cls)

    """Use cases on one terminal's ledger. ``clock`` returns milliseconds since the epoch (UTC)."""

    def __init__(self, ledger: Ledger, clock: Callable[[], int] | None = None) -> None:
        self.ledger = ledger
        self.clock = clock or ledger.clock
        self._rules_cache: dict[int, RulesBundle] = {}
        # Wrong-PIN delays and lockouts (the CLI and the window set it from terminal.toml's [pins]).
        self.pin_policy = GuardPolicy()
        self.pins = PinGuard(self)
        # How long after an operation a cashier may void it (terminal.toml [terminal] void_window_minutes).
        self.void_window_ms = DEFAULT_VOID_WINDOW_MINUTES * 60_000

    @property
    def terminal_id(self) -> str:
        """This terminal's id (born with its ledger)."""
        return self.ledger.terminal_id

    @property
    def data_dir(self) -> Path:
        return self.ledger.path.parent

    def close(self) -> None:
        self.ledger.close()

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _call(fn: Callable[[], Any]) -> Any:
        """Run ``fn`` under the one error translation (:func:`run_translated`)."""
        return run_translated(fn)

    def _once(self, kind: str, op_id: str, request: dict[str, Any], result_type: type[Any],
              work: Callable[[Any], Any], *, stored: Callable[[Any], dict[str, Any]] | None = None,
              replay: Callable[[Any, dict[str, Any]], Any] | None = None) -> Any:
        """The one idempotent write: in one write transaction, answer a retry of ``op_id`` (same ``kind`` and
        ``request``) from what was stored; else run ``work(conn)``, store its result under ``op_id`` and return
        it. A different request under the same id is refused (``Conflict``). By default the result record is
        stored and a retry gets it back marked ``replayed``; ``stored``/``replay`` store less and rebuild the
        answer (enroll stores the member id and answers with the member as they are now)."""
        def run() -> Any:
            with self.ledger.write() as conn:
                prior = self.ledger.find_operation(conn, op_id, kind, request)
                if prior is not None:
                    return replay(conn, prior) if replay is not None else _result(result_type, prior, True)
                result = work(conn)
                self.ledger.record_operation(conn, op_id, kind, request,
                                             stored(result) if stored is not None else _record(result))
                return result

        return self._call(run)

    def active_rules(self, conn: Any = None) -> RulesBundle:
        def load(c: Any) -> RulesBundle:
            version = int(self.ledger.get_meta(c, "rules_version") or 0)
            if version == 0:
                return default_rules(1)
            return self.rules(c, version)

        if conn is not None:
            return load(conn)
        with self.ledger.read() as c:
            return load(c)

    def rules(self, conn: Any, version: int) -> RulesBundle:
        """Rules version ``version`` (read in ``conn``, or in a read transaction of its own when None; a version
        never changes once stored, so it is kept after the first read)."""
        if version not in self._rules_cache:
            if conn is None:
                with self.ledger.read() as c:
                    return self.rules(c, version)
            text = self.ledger.get_rules_json(conn, version)
            if text is None:
                raise ServiceError(_("Rules version {version} is not on this terminal.").format(version=version))
            self._rules_cache[version] = RulesBundle.from_json(text)
        return self._rules_cache[version]
    def setting_int(self, conn: Any, key: str, default: int) -> int:
        """A whole-number setting of this terminal (``conn`` None: read in a transaction of its own)."""
        if conn is None:
            with self.ledger.read() as c:
                return self.setting_int(c, key, default)
        value = self.ledger.get_meta(conn, key)
        return int(value) if value is not None else default

    def _member(self, conn: Any, member_id: str, *, erased_ok: bool = False) -> MemberRow:
        """The member, or NotFound; a member whose personal data was erased is refused (``member_erased``)
        unless ``erased_ok`` (a return or void of an earlier sale still corrects the points)."""
        member = self.ledger.get_member(conn, member_id)
        if member is None:
            raise NotFound(_("No member with id {member_id}.").format(member_id=member_id))
        if member.erased and not erased_ok:
            raise erased_refusal()
        return member

    def _view(self, conn: Any, member: MemberRow, now_ms: int | None = None) -> MemberView:
        soon = 0
        if member.points > 0:
            rules = self.active_rules(conn)
            moves = self._moves(conn, member.id)
            soon = expiring_within(moves, rules.expiry, ms_to_dt(now_ms or self.clock()), days=30)
        return MemberView(
            id=member.id, card_no=member.card_no, name=member.name, phone=member.phone or "",
            tier=member.tier, balance=member.points, member_code=member.member_code,
            expiring_soon=soon, flagged=member.flagged,
        )

    def _moves(self, conn: Any, member_id: str) -> list[LedgerMove]:
        return [
            LedgerMove(entry_id=e.id, kind=e.kind, points=e.points, at=ms_to_dt(e.sale_at_ms),
                       corrects_id=e.corrects_id)
            for e in self.ledger.entries_for_member(conn, member_id)
        ]

    def _approve(self, conn: Any, approval: Approval | None, why: str, *, operation: str = "",
                 operator_id: str | None = None, op_id: str | None = None,
                 subject: str | None = None) -> StaffView:
        """The manager whose PIN approves this operation (inside the operation's transaction). A wrong PIN is
        counted and audited after the operation rolled back (:class:`DeferredRefusal`); a right one clears the
        manager's count and records who approved which operation on this terminal (an ``approval`` audit
        event, next to ``approved_by`` on the entries)."""
        if approval is None:
            raise ApprovalRequired(_("Manager approval needed: {why}").format(why=why))
        pin = validate_pin(approval.pin)
        now = self.clock()
        named = self.ledger.get_staff(conn, approval.manager_id) if approval.manager_id else None
        if named is not None:
            self.pins.check_open(conn, staff_scope(named.id), "approval", now, named.name)
            self.pins.check_open(conn, TERMINAL_SCOPE, "approval", now, ignore_lock=True)
        else:
            self.pins.check_open(conn, TERMINAL_SCOPE, "approval", now)
        managers = [r for r in self.ledger.list_staff(conn) if r.role in MANAGER_ROLES]
        candidates = [r for r in managers if not approval.manager_id or r.id == approval.manager_id]
        match = next((r for r in candidates if pin_matches(r.pin_hash, pin)), None)
        details = {"operation": operation, "operator_id": operator_id}
        if subject is not None:  # whom the approved change is about (a staff member added or disabled)
            details["subject"] = subject
        if match is None:
            target = named if named is not None and named.active else None

            def record_failure() -> ServiceError:
                with self.ledger.write() as c:
                    return self.pins.failure(c, "approval", self.clock(), target, details)

            raise DeferredRefusal(record_failure)
        if named is None:
            self.pins.check_open(conn, staff_scope(match.id), "approval", now, match.name)
        others = [r for r in managers if r.id != match.id]
        if match.id == operator_id and others and not self.pin_policy.allow_self_approval:
            def record_self() -> ServiceError:
                with self.ledger.write() as c:
                    self.ledger.append_audit(c, event="self_approval_refused", at_ms=self.clock(),
                                             staff_id=match.id, purpose="approval", details=details)
                return NotAllowed(_("You cannot approve your own operation: ask another manager."))

            raise DeferredRefusal(record_self)
        self.pins.success(conn, match.id, "approval")
        self.ledger.append_audit(conn, event="approval", at_ms=now, staff_id=match.id, purpose="approval",
                                 details={**details, "op_id": op_id})
        return StaffView(match.id, match.name, match.role)

    def _check_receipt(self, receipt_ref: str) -> str:
        receipt_ref = receipt_ref.strip()
        if not receipt_ref or len(receipt_ref) > MAX_RECEIPT_LENGTH or not _RECEIPT_RE.match(receipt_ref):
            raise InvalidInput(_("A receipt number is 1 to 64 letters, digits, '.', '/' or '-'."))
        return receipt_ref

    def _sale_ms(self, sale_at: datetime | None) -> int:
        if sale_at is None:
            return self.clock()
        if sale_at.tzinfo is None:
            raise InvalidInput(_("The sale time needs a time zone."))
        from pos_app.ledger.canonical import dt_to_ms

        return dt_to_ms(sale_at)

    def _clock_offset(self, conn: Any) -> int:
        return self.setting_int(conn, "clock_offset_ms", 0)

    @staticmethod
    def _tier_may_change(member: MemberRow, rules: RulesBundle, points: int) -> bool:
        """Whether the rolling-period query is needed after this award. A member above the first tier may
        have dropped (old earnings left the period); one in the first tier can only rise, and only if
        lifetime earnings (never less than the period's) reach the next threshold."""
        tiers = rules.tiers.tiers
        if member.tier != tiers[0].code:
            return True
        return len(tiers) > 1 and member.earned_total + points >= tiers[1].threshold_points

    def _retier(self, conn: Any, member: MemberRow, rules: RulesBundle, at_ms: int) -> tuple[str, bool]:
        since = at_ms - rules.tiers.period_days * 86_400_000
        earned = self.ledger.earned_since(conn, member.id, since)
        tier = tier_for(max(earned, 0), rules.tiers).code
        if tier != member.tier:
            self.ledger.set_member_tier(conn, member.id, tier)
            return tier, True
        return tier, False

    def _expire_member(self, conn: Any, member_id: str, rules: RulesBundle, now_ms: int) -> int:
        """Append one ``expire`` entry per grant that has expired (standalone terminals only: an enrolled
        terminal receives the server's expiry entries with sync, so a grant is never expired twice)."""
        if self.ledger.get_meta(conn, "mode") == "enrolled":
            return 0
        total = 0
        for grant_id, points in due_expiries(self._moves(conn, member_id), rules.expiry, ms_to_dt(now_ms)):
            self.ledger.append_entry(conn, NewEntry(
                member_id=member_id, kind="expire", points=-points, sale_at_ms=now_ms, operator_id="system",
                corrects_id=grant_id, reason="expiry", clock_offset_ms=self._clock_offset(conn)))
            total += points
        return total


translate_public_methods(ServicesBase)
