"""Member codes: what a scanner reads at the counter, and whether to trust it.

Three kinds of code name a member (see ``docs/member-codes.md`` for the design and the threat model):

* **Member QR** (printed cards): ``LM1:<key id>:<member id>:<issued>:<expires>:<signature>``, signed by
  the chain's Ed25519 issuing key. Terminals hold only public keys (several, for rotation) and verify
  offline.
* **Rotating app code** (the member's phone): the app holds its own Ed25519 key, certified by the chain
  (``LC1:`` credential, issued when the app is online), and signs the current 30-second time step with it:
  ``LA1:<key id>:<member id>:<credential expiry>:<member public key>:<chain signature>:<step>:<signature>``.
  Verified offline, accepted within one step either side, refused if replayed within that window.
* **Card number**: 16 digits with a Luhn check digit (:mod:`pos_app.core.cardno`), printed as Code128.

Encoding choices keep the QR small so it reads at card size: times are UTC epoch seconds in base 36, and
signatures and keys are base32 (upper case, no padding), so apart from the member id the whole payload
fits the QR *alphanumeric* mode (5.5 bits a character instead of 8). Every field is validated with a
strict pattern before it is decoded; every failure is a :class:`MemberCodeError` with a stable
``reason`` and a translated, cashier-readable ``message``: nothing else ever escapes the parsers.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from pos_app.core.cardno import CARD_NUMBER_LENGTH, is_valid_card_number
from pos_app.core.errors import PhoneError, RuleError
from pos_app.core.i18n import _
from pos_app.core.phone import normalize_phone

__all__ = [
    "MEMBER_QR_PREFIX",
    "APP_CODE_PREFIX",
    "CREDENTIAL_PREFIX",
    "DEFAULT_STEP_SECONDS",
    "MemberCode",
    "MemberCodeError",
    "Reason",
    "ReplayGuard",
    "ScanKind",
    "app_code",
    "classify_scan",
    "issue_app_credential",
    "issue_terminal_certificate",
    "sign_member_code_as_terminal",
    "terminal_key_id",
    "parse_card_number",
    "public_key_bytes",
    "sign_member_code",
    "verify_app_code",
    "verify_member_code",
]

MEMBER_QR_PREFIX: Final = "LM1"
APP_CODE_PREFIX: Final = "LA1"
CREDENTIAL_PREFIX: Final = "LC1"
TERMINAL_QR_PREFIX: Final = "LT1"
TERMINAL_CERT_PREFIX: Final = "LK1"
DEFAULT_STEP_SECONDS: Final = 30
#: A code issued slightly "in the future" is still accepted (terminal clocks drift).
CLOCK_SKEW: Final = timedelta(minutes=5)
#: Longest text a parser looks at; anything longer is garbage (a QR of ours is far shorter).
MAX_CODE_LENGTH: Final = 1024

Reason = Literal[
    "forged",
    "expired",
    "unknown_key",
    "truncated",
    "garbage",
    "replayed",
    "not_yet_valid",
    "bad_check_digit",
    "unsupported_version",
]
ScanKind = Literal["member_qr", "app_code", "card_number", "phone", "unknown"]

_SIGNATURE_LENGTH: Final = 64
_PUBLIC_KEY_LENGTH: Final = 32
_SIG_B32_LENGTH: Final = 103  # ceil(64 * 8 / 5)
_KEY_B32_LENGTH: Final = 52  # ceil(32 * 8 / 5)
_MAX_EPOCH: Final = 253402300799  # 9999-12-31T23:59:59Z

_KEY_ID = re.compile(r"[A-Z0-9]{1,8}")
_MEMBER_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_EPOCH36 = re.compile(r"[0-9A-Z]{1,8}")
_B32 = re.compile(r"[A-Z2-7]*")
_VERSIONED = re.compile(r"L([A-Z])([0-9]{1,3}):")
_PAYLOAD = re.compile(r"[A-Za-z0-9._:-]+")
_SEPARATORS = re.compile(r"[\s().-]")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class MemberCodeError(RuleError):
    """A scanned or typed code that must not identify a member.

    ``reason`` is a stable code for programs and logs (``code`` is ``"member_code.<reason>"``, in the
    style of the other rule errors); ``message`` is one translated line for the cashier.
    """

    default_code = "member_code"

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message, f"member_code.{reason}")
        self.reason: Reason = reason


@dataclass(frozen=True, slots=True)
class MemberCode:
    """A verified code. For an app code, ``issued_at`` is the start of its time step, ``expires_at`` the
    end of its acceptance window, and ``step`` the step number."""

    member_id: str
    key_id: str
    issued_at: datetime
    expires_at: datetime
    kind: Literal["member_qr", "app_code"] = "member_qr"
    step: int | None = None


# --------------------------------------------------------------------------------------------- errors


def _forged() -> MemberCodeError:
    return MemberCodeError(
        "forged",
        _("This member code is not genuine (its signature does not match). "
          "Do not award points; look the member up by phone number instead."),
    )


def _garbage() -> MemberCodeError:
    return MemberCodeError(
        "garbage", _("This is not a member code. Scan the member's card or the code in the member app."))


def _truncated() -> MemberCodeError:
    return MemberCodeError(
        "truncated", _("Only part of the member code was read. Scan it again and hold it steady."))


def _unknown_key(key_id: str) -> MemberCodeError:
    return MemberCodeError(
        "unknown_key",
        _("This member code was signed with a key this terminal does not know ({key_id}). "
          "Sync the terminal, then scan again.").format(key_id=key_id),
    )


def _unsupported_version() -> MemberCodeError:
    return MemberCodeError(
        "unsupported_version",
        _("This member code comes from a newer system version. Update the terminal software."),
    )


def _expired(when: datetime) -> MemberCodeError:
    return MemberCodeError(
        "expired",
        _("This member code expired on {date}. Ask the member for a new card, "
          "or look them up by phone number.").format(date=when.date().isoformat()),
    )


def _not_yet_valid() -> MemberCodeError:
    return MemberCodeError(
        "not_yet_valid",
        _("This member code is not valid yet. Check the date and time of this terminal."),
    )


def _app_code_expired() -> MemberCodeError:
    return MemberCodeError(
        "expired",
        _("This app code is too old. Ask the member to open the app and show the current code "
          "(and to check the time on their phone)."),
    )


def _app_credential_expired() -> MemberCodeError:
    return MemberCodeError(
        "expired",
        _("The member app needs renewing: ask the member to connect the app to the internet once, "
          "or look them up by phone number."),
    )


def _revoked_terminal() -> MemberCodeError:
    return MemberCodeError(
        "forged",
        _("This member card was printed by a terminal that has been revoked. Look the member up by the card "
          "number or phone number and print a new card."),
    )


def _replayed() -> MemberCodeError:
    return MemberCodeError(
        "replayed",
        _("This app code was already used. Ask the member to show the current code in the app."),
    )


# ------------------------------------------------------------------------------------------ encoding


# The signed codes' shared encoding (member codes here, vouchers in ``pos_app.core.vouchers``): unpadded base32
# signatures and keys, base-36 UTC epoch seconds, scanned text trimmed to ASCII.


def b32(data: bytes) -> str:
    """Unpadded base32: the one spelling of ``data`` a code may carry."""
    return base64.b32encode(data).decode("ascii").rstrip("=")


def _unb32(text: str, length: int, encoded_length: int) -> bytes:
    """Decode a canonical unpadded base32 field of exactly ``length`` bytes.

    Shorter valid text means the scan was cut short; anything else (wrong alphabet, too long,
    non-canonical trailing bits) is garbage.
    """
    if _B32.fullmatch(text) is None:
        raise _garbage()
    if len(text) < encoded_length:
        raise _truncated()
    if len(text) > encoded_length:
        raise _garbage()
    try:
        data = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        raise _garbage() from None
    if len(data) != length or b32(data) != text:  # one text per value: no malleable spellings
        raise _garbage()
    return data


def b36(number: int) -> str:
    """``number`` (>= 0) in base 36, upper case, no leading zeros."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if number == 0:
        return "0"
    out: list[str] = []
    while number:
        number, rest = divmod(number, 36)
        out.append(digits[rest])
    return "".join(reversed(out))


def epoch_seconds(moment: datetime) -> int:
    """Whole UTC seconds since 1970 of an aware ``moment`` up to the year 9999; ValueError otherwise."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetimes must be timezone-aware")
    seconds = (moment - _EPOCH) // timedelta(seconds=1)
    if not 0 <= seconds <= _MAX_EPOCH:
        raise ValueError("datetime out of range")
    return seconds


def parse_epoch36(text: str) -> datetime | None:
    """The moment a base-36 time field names (1 to 8 of ``0-9A-Z``, at most the year 9999); None if it is not
    one."""
    if _EPOCH36.fullmatch(text) is None:
        return None
    seconds = int(text, 36)
    if seconds > _MAX_EPOCH:
        return None
    return _EPOCH + timedelta(seconds=seconds)


def _parse_epoch(text: str) -> datetime:
    moment = parse_epoch36(text)
    if moment is None:
        raise _garbage()
    return moment


def _check_now(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")


def public_key_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    """The raw 32-byte public key, as terminals store it (``key_id -> bytes``)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _load_public_key(public_keys: Mapping[str, bytes], key_id: str) -> Ed25519PublicKey:
    raw = public_keys.get(key_id)
    if raw is None:
        raise _unknown_key(key_id)
    try:
        return Ed25519PublicKey.from_public_bytes(bytes(raw))
    except (ValueError, TypeError):  # a misconfigured key is as good as none
        raise _unknown_key(key_id) from None


def _verify(public_key: Ed25519PublicKey, signature: bytes, message: str) -> None:
    try:
        public_key.verify(signature, message.encode("ascii"))
    except InvalidSignature:
        raise _forged() from None


def scanned_text(text: str | bytes, max_length: int) -> str | None:
    """The scanned text, trimmed of the scanner's CR/LF and spaces, if it is ASCII (bytes too) and at most
    ``max_length`` characters; None otherwise."""
    if isinstance(text, bytes | bytearray | memoryview):
        try:
            text = bytes(text).decode("ascii")
        except UnicodeDecodeError:
            return None
    if not isinstance(text, str):
        return None
    text = text.strip()
    if len(text) > max_length or not text.isascii():
        return None
    return text


def _text(text: str | bytes) -> str:
    trimmed = scanned_text(text, MAX_CODE_LENGTH)
    if not trimmed:
        raise _garbage()
    return trimmed


def _split(text: str, kind: str, fields: int) -> list[str]:
    """Check the version prefix of ``text`` for code ``kind`` (``M``/``A``/``C``) and split its fields."""
    match = _VERSIONED.match(text)
    if match is None:
        # "LM1" or "L" alone is a code cut short; anything else is not ours at all.
        if f"L{kind}1:".startswith(text):
            raise _truncated()
        raise _garbage()
    if match.group(1) != kind:
        raise _garbage()
    if match.group(2) != "1":
        raise _unsupported_version()
    if _PAYLOAD.fullmatch(text) is None:
        raise _garbage()
    parts = text.split(":")
    if len(parts) < fields:
        raise _truncated()
    if len(parts) > fields:
        raise _garbage()
    return parts


def _check_ids(key_id: str, member_id: str) -> None:
    if _KEY_ID.fullmatch(key_id) is None or _MEMBER_ID.fullmatch(member_id) is None:
        raise _garbage()


# ------------------------------------------------------------------------------------ printed member QR


def sign_member_code(
    private_key: Ed25519PrivateKey,
    key_id: str,
    member_id: str,
    issued_at: datetime,
    expires_at: datetime,
) -> str:
    """The member QR payload, signed with the chain's issuing key (runs on the server / demo tools).

    ``key_id``: 1-8 of ``A-Z0-9``; ``member_id``: 1-64 of ``A-Za-z0-9._-``; aware datetimes, whole
    seconds are kept.
    """
    if _KEY_ID.fullmatch(key_id) is None:
        raise ValueError("key_id must be 1-8 characters A-Z or 0-9")
    issued, expires = _member_window(member_id, issued_at, expires_at)
    body = f"{MEMBER_QR_PREFIX}:{key_id}:{member_id}:{b36(issued)}:{b36(expires)}:"
    return body + b32(private_key.sign(body.encode("ascii")))


def _member_window(member_id: str, issued_at: datetime, expires_at: datetime) -> tuple[int, int]:
    """The member id and validity window every member code carries, checked alike for each signer."""
    if _MEMBER_ID.fullmatch(member_id) is None:
        raise ValueError("member_id must be 1-64 characters A-Z, a-z, 0-9, '.', '_' or '-'")
    issued, expires = epoch_seconds(issued_at), epoch_seconds(expires_at)
    if expires <= issued:
        raise ValueError("expires_at must be after issued_at")
    return issued, expires


def verify_member_code(text: str | bytes, public_keys: Mapping[str, bytes], now: datetime,
                       revoked: Collection[str] = ()) -> MemberCode:
    """Verify a member QR offline. Raises :class:`MemberCodeError` (and nothing else) when it must be refused.

    Checks run in an order that gives the most useful answer: shape, known key, signature, then dates
    (a forged expired code is "forged", not "expired"). A card printed by a terminal (``LT1``) is checked
    through its embedded chain certificate; ``revoked`` holds key ids whose codes are refused.
    """
    _check_now(now)
    text = _text(text)
    if text.startswith(TERMINAL_QR_PREFIX[:2]):
        return _verify_terminal_code(text, public_keys, now, revoked)
    _, key_id, member_id, issued_text, expires_text, signature_text = _split(text, "M", 6)
    signature = _unb32(signature_text, _SIGNATURE_LENGTH, _SIG_B32_LENGTH)
    _check_ids(key_id, member_id)
    issued_at, expires_at = _parse_epoch(issued_text), _parse_epoch(expires_text)
    public_key = _load_public_key(public_keys, key_id)
    _verify(public_key, signature, text[: len(text) - len(signature_text)])
    if key_id in revoked:
        raise _revoked_terminal()
    return _dated(MemberCode(member_id=member_id, key_id=key_id, issued_at=issued_at, expires_at=expires_at), now)


def _dated(code: MemberCode, now: datetime) -> MemberCode:
    if code.expires_at <= code.issued_at:  # signed, so our own bug: refuse rather than guess
        raise _garbage()
    if now + CLOCK_SKEW < code.issued_at:
        raise _not_yet_valid()
    if now >= code.expires_at:
        raise _expired(code.expires_at)
    return code


# ------------------------------------------------------------------------ cards printed by a terminal


def terminal_key_id(public_key: bytes) -> str:
    """The key id of a terminal's own signing key: ``T`` + 7 base32 characters of its SHA-256 (bound to the
    key, so a certificate cannot name one terminal's key with another's id)."""
    if len(public_key) != _PUBLIC_KEY_LENGTH:
        raise ValueError("public_key must be 32 raw bytes")
    return "T" + b32(hashlib.sha256(public_key).digest())[:7]


def issue_terminal_certificate(chain_key: Ed25519PrivateKey, chain_key_id: str, terminal_public_key: bytes,
                               expires_at: datetime) -> str:
    """The chain's certificate for a terminal's signing key (the server issues it to an enrolled terminal):
    ``LK1:<chain key id>:<terminal key id>:<expires>:<terminal public key>:<chain signature>``."""
    if _KEY_ID.fullmatch(chain_key_id) is None:
        raise ValueError("chain_key_id must be 1-8 characters A-Z or 0-9")
    body = (f"{TERMINAL_CERT_PREFIX}:{chain_key_id}:{terminal_key_id(terminal_public_key)}:"
            f"{b36(epoch_seconds(expires_at))}:{b32(terminal_public_key)}:")
    return body + b32(chain_key.sign(body.encode("ascii")))


def sign_member_code_as_terminal(terminal_key: Ed25519PrivateKey, certificate: str, member_id: str,
                                 issued_at: datetime, expires_at: datetime) -> str:
    """A member QR signed by a terminal's own key, carrying the chain's certificate for that key, so that any
    terminal holding the chain's public keys verifies it offline (even one that never heard of this terminal):
    ``LT1:<chain key id>:<terminal key id>:<cert expires>:<terminal key>:<chain sig>:<member id>:<issued>:
    <expires>:<terminal sig>``."""
    parts = certificate.split(":")
    if len(parts) != 6 or parts[0] != TERMINAL_CERT_PREFIX:
        raise ValueError("not a terminal certificate")
    if parts[4] != b32(public_key_bytes(terminal_key)):
        raise ValueError("the certificate certifies another key")
    issued, expires = _member_window(member_id, issued_at, expires_at)
    body = f"{TERMINAL_QR_PREFIX}:{':'.join(parts[1:])}:{member_id}:{b36(issued)}:{b36(expires)}:"
    return body + b32(terminal_key.sign(body.encode("ascii")))


def _verify_terminal_code(text: str, public_keys: Mapping[str, bytes], now: datetime,
                          revoked: Collection[str]) -> MemberCode:
    """Chain key -> certificate of the terminal key -> terminal's signature -> revocation -> dates. A card
    counts as long as it was signed while the certificate was valid; a revoked terminal's cards are refused."""
    parts = _split(text, "T", 10)
    (_, chain_key_id, term_key_id, cert_expires_text, term_key_text, cert_sig_text, member_id, issued_text,
     expires_text, sig_text) = parts
    signature = _unb32(sig_text, _SIGNATURE_LENGTH, _SIG_B32_LENGTH)
    cert_signature = _unb32(cert_sig_text, _SIGNATURE_LENGTH, _SIG_B32_LENGTH)
    term_key_raw = _unb32(term_key_text, _PUBLIC_KEY_LENGTH, _KEY_B32_LENGTH)
    _check_ids(chain_key_id, member_id)
    if _KEY_ID.fullmatch(term_key_id) is None or term_key_id != terminal_key_id(term_key_raw):
        raise _garbage()
    cert_expires = _parse_epoch(cert_expires_text)
    issued_at, expires_at = _parse_epoch(issued_text), _parse_epoch(expires_text)
    chain_key = _load_public_key(public_keys, chain_key_id)
    _verify(chain_key, cert_signature,
            f"{TERMINAL_CERT_PREFIX}:{chain_key_id}:{term_key_id}:{cert_expires_text}:{term_key_text}:")
    _verify(Ed25519PublicKey.from_public_bytes(term_key_raw), signature, text[: len(text) - len(sig_text)])
    if term_key_id in revoked or chain_key_id in revoked:
        raise _revoked_terminal()
    if issued_at >= cert_expires:  # signed after the terminal's certificate ran out
        raise _expired(cert_expires)
    return _dated(MemberCode(member_id=member_id, key_id=term_key_id, issued_at=issued_at,
                             expires_at=expires_at), now)


# --------------------------------------------------------------------------------- rotating app code


def issue_app_credential(
    chain_key: Ed25519PrivateKey,
    key_id: str,
    member_id: str,
    member_public_key: bytes,
    expires_at: datetime,
) -> str:
    """The chain's certificate for a member's app key (runs on the server when the app enrolls or renews).

    ``LC1:<key id>:<member id>:<expires>:<member public key>:<chain signature>``; the app stores it and
    embeds it in every app code.
    """
    if _KEY_ID.fullmatch(key_id) is None:
        raise ValueError("key_id must be 1-8 characters A-Z or 0-9")
    if _MEMBER_ID.fullmatch(member_id) is None:
        raise ValueError("member_id must be 1-64 characters A-Z, a-z, 0-9, '.', '_' or '-'")
    if len(member_public_key) != _PUBLIC_KEY_LENGTH:
        raise ValueError("member_public_key must be 32 raw bytes")
    body = f"{CREDENTIAL_PREFIX}:{key_id}:{member_id}:{b36(epoch_seconds(expires_at))}:{b32(member_public_key)}:"
    return body + b32(chain_key.sign(body.encode("ascii")))


def _step_of(now: datetime, step_seconds: int) -> int:
    return epoch_seconds(now) // step_seconds


def app_code(member_key: Ed25519PrivateKey, credential: str, now: datetime,
             step_seconds: int = DEFAULT_STEP_SECONDS) -> str:
    """The code the member app shows now: its chain credential plus its own signature over the time step.

    The member id is the one in ``credential``. Raises ``ValueError`` if the credential does not belong
    to ``member_key`` or is malformed.
    """
    if step_seconds < 1:
        raise ValueError("step_seconds must be positive")
    parts = credential.split(":")
    if len(parts) != 6 or parts[0] != CREDENTIAL_PREFIX:
        raise ValueError("not an app credential")
    if parts[4] != b32(public_key_bytes(member_key)):
        raise ValueError("the credential certifies another key")
    body = f"{APP_CODE_PREFIX}:{':'.join(parts[1:])}:{b36(_step_of(now, step_seconds))}:"
    return body + b32(member_key.sign(body.encode("ascii")))


class ReplayGuard:
    """Remembers app codes accepted recently, so the same code cannot identify a member twice.

    Bounded: at most ``max_entries`` codes are kept. Entries leave when their acceptance window has
    passed; if the guard is full of live entries, the oldest is dropped (a terminal sees a few codes a
    minute; the default bound is far beyond one window's worth). Thread-safe.
    """

    def __init__(self, max_entries: int = 4096) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be positive")
        self._max = max_entries
        self._seen: OrderedDict[bytes, datetime] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)

    def check_and_remember(self, token: str, now: datetime, valid_until: datetime) -> bool:
        """True the first time ``token`` is offered while valid; False for a replay."""
        digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()
        with self._lock:
            self._purge(now)
            if digest in self._seen:
                return False
            self._seen[digest] = valid_until
            while len(self._seen) > self._max:
                self._seen.popitem(last=False)
            return True

    def _purge(self, now: datetime) -> None:
        expired = [digest for digest, until in self._seen.items() if until <= now]
        for digest in expired:
            del self._seen[digest]


def verify_app_code(
    text: str | bytes,
    public_keys: Mapping[str, bytes],
    now: datetime,
    replay_guard: ReplayGuard,
    step_seconds: int = DEFAULT_STEP_SECONDS,
) -> MemberCode:
    """Verify a rotating app code offline: chain credential, member signature, time step (one step either
    side of ``now``), and that it was not used before in its window. Raises only :class:`MemberCodeError`."""
    _check_now(now)
    if step_seconds < 1:
        raise ValueError("step_seconds must be positive")
    text = _text(text)
    parts = _split(text, "A", 8)
    _, key_id, member_id, cred_expires_text, member_key_text, cred_sig_text, step_text, sig_text = parts
    signature = _unb32(sig_text, _SIGNATURE_LENGTH, _SIG_B32_LENGTH)
    cred_signature = _unb32(cred_sig_text, _SIGNATURE_LENGTH, _SIG_B32_LENGTH)
    member_key_raw = _unb32(member_key_text, _PUBLIC_KEY_LENGTH, _KEY_B32_LENGTH)
    _check_ids(key_id, member_id)
    cred_expires = _parse_epoch(cred_expires_text)
    if _EPOCH36.fullmatch(step_text) is None:
        raise _garbage()
    step = int(step_text, 36)
    chain_key = _load_public_key(public_keys, key_id)
    credential_body = (f"{CREDENTIAL_PREFIX}:{key_id}:{member_id}:{cred_expires_text}:{member_key_text}:")
    _verify(chain_key, cred_signature, credential_body)
    try:
        member_key = Ed25519PublicKey.from_public_bytes(member_key_raw)
    except ValueError:  # pragma: no cover - any 32 bytes load; kept for safety
        raise _forged() from None
    _verify(member_key, signature, text[: len(text) - len(sig_text)])
    if now >= cred_expires:
        raise _app_credential_expired()
    current = _step_of(now, step_seconds)
    if step > current + 1:
        raise _not_yet_valid()
    if step < current - 1:
        raise _app_code_expired()
    if step * step_seconds > _MAX_EPOCH:  # pragma: no cover - excluded by the window check above
        raise _garbage()
    issued_at = _EPOCH + timedelta(seconds=step * step_seconds)
    valid_until = _EPOCH + timedelta(seconds=(step + 2) * step_seconds)
    if not replay_guard.check_and_remember(f"{key_id}:{member_id}:{step}", now, valid_until):
        raise _replayed()
    return MemberCode(member_id=member_id, key_id=key_id, issued_at=issued_at, expires_at=valid_until,
                      kind="app_code", step=step)


# ------------------------------------------------------------------------------ card numbers, dispatch


def _digits_only(text: str) -> str:
    return _SEPARATORS.sub("", text)


def parse_card_number(text: str) -> str:
    """A typed or scanned card number (spaces and dashes allowed) as 16 digits, check digit verified."""
    if not isinstance(text, str):
        raise _garbage()
    digits = _digits_only(text.strip())
    if len(digits) != CARD_NUMBER_LENGTH or not digits.isascii() or not digits.isdigit():
        raise MemberCodeError(
            "garbage", _("A card number has 16 digits. Check the number and type it again."))
    if not is_valid_card_number(digits):
        raise MemberCodeError(
            "bad_check_digit",
            _("This card number is not valid (the check digit does not match). "
              "Check the number and type it again."),
        )
    return digits


def classify_scan(text: str | bytes) -> ScanKind:
    """What a scanned or typed text looks like, so ``identify()`` can dispatch. Never raises.

    Only the shape is checked: a ``card_number`` may still fail its check digit, a ``member_qr`` its
    signature. A newer-version code of ours still classifies as its kind so the verifier can say so.
    Thai digits count as digits for phone numbers (typed on a Thai keyboard).
    """
    if isinstance(text, str) and not text.isascii() and len(text) <= MAX_CODE_LENGTH:
        return "phone" if _is_phone(text) else "unknown"
    try:
        text = _text(text)
    except MemberCodeError:
        return "unknown"
    match = _VERSIONED.match(text)
    if match is not None:
        if match.group(1) in ("M", "T"):
            return "member_qr"
        if match.group(1) == "A":
            return "app_code"
        return "unknown"
    compact = _digits_only(text)
    if compact.isascii() and compact.isdigit() and len(compact) == CARD_NUMBER_LENGTH:
        return "card_number"
    return "phone" if _is_phone(text) else "unknown"


def _is_phone(text: str) -> bool:
    try:
        normalize_phone(text)
    except PhoneError:
        return False
    return True
