"""Vouchers and coupons: signed codes that any terminal verifies offline (see ``docs/vouchers.md``).

``LV1:<key id>:<voucher id>:<benefit>:<valid from>:<valid until>:<branch>:<min spend>:<owner>:<signature>``

* signed like member codes: Ed25519 by one of the chain's keys (``key id``), over the ASCII text up to and
  including the last ``:``; the prefix ``LV1`` is part of the signed text, so a member-code signature can
  never pass for a voucher's (domain separation);
* ``benefit``: ``F<satang>`` a fixed discount, ``P<percent>C<cap satang>`` a percentage with a cap,
  ``I<reward code>`` a free item, ``X<factor>`` a points multiplier on this sale;
* times are UTC epoch seconds in base 36, ``branch`` and ``owner`` are ``*`` for any branch / the bearer,
  ``min spend`` is in satang (``0``: none). Everything but a member owner id fits the QR alphanumeric mode.

Every field is matched with a strict pattern before it is decoded; the signature must be the canonical
base32 spelling. Every refusal is a :class:`VoucherError` with a stable ``reason`` and one translated line.
Order of checks: shape -> known key -> signature -> dates -> branch -> owner -> minimum spend, so a forged
expired voucher says *forged*. Whether a voucher was already used is decided by the server (and, offline,
by the terminal's own ledger): :func:`already_used` is the refusal they raise.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from pos_app.core import member_codes
from pos_app.core.errors import RuleError
from pos_app.core.i18n import _
from pos_app.core.money import format_baht

__all__ = [
    "VOUCHER_PREFIX",
    "BEARER",
    "ANY_BRANCH",
    "Benefit",
    "Voucher",
    "VoucherError",
    "already_used",
    "classify_scan",
    "discount_satang",
    "parse_benefit",
    "parse_voucher",
    "reward_voucher_line",
    "sign_voucher",
    "verify_voucher",
]

VOUCHER_PREFIX: Final = "LV1"
BEARER: Final = "*"
ANY_BRANCH: Final = "*"
#: A voucher whose validity starts slightly "in the future" is still accepted (terminal clocks drift).
CLOCK_SKEW: Final = timedelta(minutes=5)
MAX_CODE_LENGTH: Final = 512

Reason = Literal["forged", "expired", "not_yet_valid", "other_branch", "other_member", "below_minimum",
                 "unknown_key", "malformed", "already_used"]
Kind = Literal["fixed", "percent", "item", "multiplier"]

_KEY_ID = re.compile(r"[A-Z0-9]{1,8}")
_VOUCHER_ID = re.compile(r"[A-Z0-9]{1,24}")
_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
_SATANG = re.compile(r"0|[1-9][0-9]{0,12}")
_BENEFIT = re.compile(r"F([1-9][0-9]{0,12})|P([1-9][0-9]?|100)C([1-9][0-9]{0,12})|I([A-Za-z0-9._-]{1,32})|X([2-9]|10)")
_SIGNATURE = re.compile(r"[A-Z2-7]{103}")


class VoucherError(RuleError):
    """A voucher that must not be honoured: ``reason`` is stable (``code`` is ``voucher.<reason>``),
    ``message`` one translated line for the cashier."""

    default_code = "voucher"

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message, f"voucher.{reason}")
        self.reason: Reason = reason


@dataclass(frozen=True, slots=True)
class Benefit:
    """What a voucher gives: ``value`` is satang (fixed), the percentage (percent), the factor (multiplier);
    ``cap_satang`` caps a percentage; ``reward_code`` names the free item."""

    kind: Kind
    value: int = 0
    cap_satang: int = 0
    reward_code: str = ""

    def encode(self) -> str:
        if self.kind == "fixed":
            text = f"F{self.value}"
        elif self.kind == "percent":
            text = f"P{self.value}C{self.cap_satang}"
        elif self.kind == "item":
            text = f"I{self.reward_code}"
        else:
            text = f"X{self.value}"
        if _BENEFIT.fullmatch(text) is None:
            raise ValueError(f"not a valid voucher benefit: {self!r}")
        return text

    @property
    def face_value_satang(self) -> int:
        """The most this voucher can take off a bill (the fixed value, the percentage's cap; 0 for an item or
        a multiplier, which are counted, not valued, by the offline allowance)."""
        if self.kind == "fixed":
            return self.value
        if self.kind == "percent":
            return self.cap_satang
        return 0

    def describe(self) -> str:
        """One translated line for the cashier: what the voucher gives."""
        if self.kind == "fixed":
            return _("{amount} off the bill").format(amount=format_baht(self.value))
        if self.kind == "percent":
            return _("{percent}% off the bill (at most {cap})").format(
                percent=self.value, cap=format_baht(self.cap_satang))
        if self.kind == "item":
            return _("A free item: reward {code}").format(code=self.reward_code)
        return _("{factor}x points on this sale").format(factor=self.value)


def reward_voucher_line(benefit: str | None) -> str:
    """One translated line for a reward that buys a voucher: what that voucher gives, when this counter can read
    the benefit the server sent (``benefit``: its text, e.g. ``F5000``), else that it is a voucher bought online."""
    try:
        what = parse_benefit(benefit or "").describe()
    except VoucherError:
        return _("A voucher (bought online)")
    return _("A voucher: {what}").format(what=what)


def parse_benefit(text: str) -> Benefit:
    """A benefit from its text in a code (``F5000``, ``P10C10000``, ``ICOFFEE``, ``X2``); VoucherError if not."""
    match = _BENEFIT.fullmatch(text)
    if match is None:
        raise _malformed()
    fixed, percent, cap, item, factor = match.groups()
    if fixed is not None:
        return Benefit("fixed", int(fixed))
    if percent is not None:
        return Benefit("percent", int(percent), cap_satang=int(cap))
    if item is not None:
        return Benefit("item", reward_code=item)
    return Benefit("multiplier", int(factor))


@dataclass(frozen=True, slots=True)
class Voucher:
    """A verified voucher. ``branch`` None: any branch; ``owner`` None: whoever holds it."""

    voucher_id: str
    key_id: str
    benefit: Benefit
    valid_from: datetime
    valid_until: datetime
    branch: str | None
    min_spend_satang: int
    owner: str | None


# --------------------------------------------------------------------------------------------- errors


def _malformed() -> VoucherError:
    return VoucherError("malformed", _("This is not a voucher code, or only part of it was read. Scan it again."))


def _forged() -> VoucherError:
    return VoucherError("forged", _("This voucher is not genuine (its signature does not match). Do not accept it."))


def _unknown_key(key_id: str) -> VoucherError:
    return VoucherError(
        "unknown_key",
        _("This voucher was signed with a key this terminal does not know ({key_id}). "
          "Sync the terminal, then scan again.").format(key_id=key_id))


def _expired(when: datetime) -> VoucherError:
    return VoucherError("expired", _("This voucher expired on {date}.").format(date=when.date().isoformat()))


def _not_yet_valid(when: datetime) -> VoucherError:
    return VoucherError("not_yet_valid", _("This voucher is valid from {date}; it cannot be used yet.").format(
        date=when.date().isoformat()))


def _other_branch(branch: str) -> VoucherError:
    return VoucherError("other_branch", _("This voucher is valid only at branch {branch}.").format(branch=branch))


def _other_member() -> VoucherError:
    return VoucherError(
        "other_member", _("This voucher belongs to another member. Identify the member it was issued to."))


def _below_minimum(minimum: int) -> VoucherError:
    return VoucherError("below_minimum", _("This voucher needs a bill of at least {amount}.").format(
        amount=format_baht(minimum)))


def already_used() -> VoucherError:
    """The refusal for a voucher the server (or this terminal's ledger) has already seen used."""
    return VoucherError("already_used", _("This voucher has already been used."))


# ------------------------------------------------------------------------------------------ encoding


def _parse_epoch(text: str) -> datetime:
    moment = member_codes.parse_epoch36(text)
    if moment is None:
        raise _malformed()
    return moment


def _signature(text: str) -> bytes:
    """The 64 signature bytes from their one canonical spelling (unused trailing bits must be zero)."""
    if _SIGNATURE.fullmatch(text) is None:
        raise _malformed()
    try:
        data = base64.b32decode(text + "=")
    except binascii.Error:  # pragma: no cover - the pattern admits only the base32 alphabet
        raise _malformed() from None
    if member_codes.b32(data) != text:
        raise _malformed()
    return data


def _text(text: str | bytes) -> str:
    trimmed = member_codes.scanned_text(text, MAX_CODE_LENGTH)
    if trimmed is None:
        raise _malformed()
    return trimmed


# ------------------------------------------------------------------------------------------ signing


def sign_voucher(
    private_key: Ed25519PrivateKey,
    key_id: str,
    voucher_id: str,
    benefit: Benefit,
    valid_from: datetime,
    valid_until: datetime,
    *,
    branch: str | None = None,
    min_spend_satang: int = 0,
    owner: str | None = None,
) -> str:
    """The voucher code, signed with one of the chain's keys (runs on the server). Raises ValueError for a
    field that the verifier would refuse, so a bad voucher is never printed."""
    if _KEY_ID.fullmatch(key_id) is None:
        raise ValueError("key_id must be 1-8 characters A-Z or 0-9")
    if _VOUCHER_ID.fullmatch(voucher_id) is None:
        raise ValueError("voucher_id must be 1-24 characters A-Z or 0-9")
    for name, value in (("branch", branch), ("owner", owner)):
        if value is not None and _NAME.fullmatch(value) is None:
            raise ValueError(f"{name} must be 1-64 characters A-Z, a-z, 0-9, '.', '_' or '-'")
    if type(min_spend_satang) is not int or _SATANG.fullmatch(str(min_spend_satang)) is None:
        raise ValueError("min_spend_satang must be a whole number of satang, 0 or more")
    start, end = member_codes.epoch_seconds(valid_from), member_codes.epoch_seconds(valid_until)
    if end <= start:
        raise ValueError("valid_until must be after valid_from")
    body = (f"{VOUCHER_PREFIX}:{key_id}:{voucher_id}:{benefit.encode()}:{member_codes.b36(start)}:{member_codes.b36(end)}:"
            f"{branch or ANY_BRANCH}:{min_spend_satang}:{owner or BEARER}:")
    return body + member_codes.b32(private_key.sign(body.encode("ascii")))


# ------------------------------------------------------------------------------------------ verifying


def parse_voucher(text: str | bytes, public_keys: Mapping[str, bytes]) -> Voucher:
    """Shape, key and signature only (no dates, branch or owner): what a voucher says, if it is genuine."""
    text = _text(text)
    parts = text.split(":")
    if len(parts) != 10 or parts[0] != VOUCHER_PREFIX:
        raise _malformed()
    _, key_id, voucher_id, benefit_text, from_text, until_text, branch, min_text, owner, sig_text = parts
    if (_KEY_ID.fullmatch(key_id) is None or _VOUCHER_ID.fullmatch(voucher_id) is None
            or _SATANG.fullmatch(min_text) is None):
        raise _malformed()
    for name in (branch, owner):
        if name != "*" and _NAME.fullmatch(name) is None:
            raise _malformed()
    benefit = parse_benefit(benefit_text)
    valid_from, valid_until = _parse_epoch(from_text), _parse_epoch(until_text)
    signature = _signature(sig_text)
    raw = public_keys.get(key_id)
    try:
        public_key = Ed25519PublicKey.from_public_bytes(bytes(raw))  # type: ignore[arg-type]
    except (ValueError, TypeError):  # none, or a misconfigured key: as good as none
        raise _unknown_key(key_id) from None
    try:
        public_key.verify(signature, text[: -len(sig_text)].encode("ascii"))
    except InvalidSignature:
        raise _forged() from None
    if valid_until <= valid_from:  # signed, so the issuer's bug: refuse rather than guess
        raise _malformed()
    return Voucher(voucher_id=voucher_id, key_id=key_id, benefit=benefit, valid_from=valid_from,
                   valid_until=valid_until, branch=None if branch == ANY_BRANCH else branch,
                   min_spend_satang=int(min_text), owner=None if owner == BEARER else owner)


def verify_voucher(
    text: str | bytes,
    public_keys: Mapping[str, bytes],
    now: datetime,
    *,
    branch: str | None = None,
    member_id: str | None = None,
    spend_satang: int | None = None,
) -> Voucher:
    """Verify a scanned voucher offline for a sale at ``branch`` (None: the terminal does not know its branch,
    so a branch-scoped voucher is refused) by ``member_id`` for a bill of ``spend_satang`` (None: not known
    yet, the minimum spend is checked when it is). Raises :class:`VoucherError` and nothing else for any
    input; ValueError only for a naive ``now`` (a programming error)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    voucher = parse_voucher(text, public_keys)
    if now + CLOCK_SKEW < voucher.valid_from:
        raise _not_yet_valid(voucher.valid_from)
    if now >= voucher.valid_until:
        raise _expired(voucher.valid_until)
    if voucher.branch is not None and voucher.branch != branch:
        raise _other_branch(voucher.branch)
    if voucher.owner is not None and voucher.owner != member_id:
        raise _other_member()
    if spend_satang is not None and spend_satang < voucher.min_spend_satang:
        raise _below_minimum(voucher.min_spend_satang)
    return voucher


def discount_satang(benefit: Benefit, bill_satang: int) -> int:
    """What the voucher takes off a bill of ``bill_satang``: never more than the bill, a percentage rounded
    down to the satang and capped; 0 for a free item or a points multiplier (they give something else)."""
    if bill_satang < 0:
        raise ValueError("bill_satang must not be negative")
    if benefit.kind == "fixed":
        return min(benefit.value, bill_satang)
    if benefit.kind == "percent":
        return min(bill_satang * benefit.value // 100, benefit.cap_satang)
    return 0


def classify_scan(text: str | bytes) -> str:
    """``"voucher"`` for a text that starts like a voucher (by its prefix only), else what
    :func:`pos_app.core.member_codes.classify_scan` says it is. Never raises."""
    if isinstance(text, str) and text.lstrip().startswith("LV"):
        return "voucher"
    if isinstance(text, bytes) and text.lstrip().startswith(b"LV"):
        return "voucher"
    return member_codes.classify_scan(text)
