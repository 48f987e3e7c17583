"""Wire types of the terminal <-> central server sync protocol (version 1).

Both ends import this module: the terminal's sync client (``sync.client``) and the central loyalty server
(``sync.server``). It depends on pydantic and the standard library only. See ``docs/sync-protocol.md``.

Conventions
-----------
* Every request carries the header ``X-Loyalty-Protocol: <major>[.<minor>]``. A server refuses a major version it
  does not speak with HTTP 400 and error code ``unsupported_protocol`` (listing what it supports). A missing header
  means version 1. Minor versions only ever add optional fields, so they are accepted.
* Every response (success or error) carries ``server_time`` (ISO-8601 UTC) in the body and the header
  ``X-Server-Time``; terminals measure their clock offset (terminal minus server) from it.
* Terminal endpoints authenticate with ``Authorization: Bearer <terminal_id>.<secret>``. The secret is 32 random
  bytes generated on the terminal at enrollment (hex encoded); the server stores only its SHA-256.
* Errors are ``ErrorResponse``: a stable machine ``code`` plus an English ``message``; the counter app translates
  by ``code``.
* Timestamps are ISO-8601 strings in UTC (``...Z`` or ``+00:00``). Records that carry a ``content_hash`` keep their
  strings exactly as the terminal wrote them, because the hash is computed over those exact strings.
* Money is integer satang, points are integers. There are no floats anywhere in the protocol.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

PROTOCOL_VERSION = 1
SUPPORTED_MAJOR_VERSIONS: tuple[int, ...] = (1,)
PROTOCOL_HEADER = "X-Loyalty-Protocol"
SERVER_TIME_HEADER = "X-Server-Time"
MAX_BATCH_RECORDS = 1000
MAX_PAGE_LIMIT = 1000
DEFAULT_PAGE_LIMIT = 500
CLOCK_SKEW_LIMIT_MS = 5 * 60 * 1000
SERVER_TERMINAL_ID = "server"
"""``terminal_id`` of entries the server itself creates (overdrafts, merges, manual adjustments)."""

EntryKind = Literal["earn", "redeem", "reverse", "adjust", "expire", "overdraft"]
RecordType = Literal["entry", "member"]
StaffRole = Literal["cashier", "manager"]


# --------------------------------------------------------------------------------------------- helpers


def canonical_json(data: Any) -> bytes:
    """The canonical form hashed by ``content_hash``: sorted keys, compact separators, UTF-8, no ASCII escaping."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_hash(record: dict[str, Any]) -> str:
    """Hex SHA-256 of the canonical JSON of ``record`` without its ``content_hash`` key."""
    body = {k: v for k, v in record.items() if k != "content_hash"}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def parse_utc(text: str) -> datetime:
    """Parse an ISO-8601 UTC timestamp of the protocol; raises ValueError for anything else."""
    if not isinstance(text, str) or not text:
        raise ValueError("timestamp must be an ISO-8601 string")
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError as exc:
        raise ValueError(f"not an ISO-8601 timestamp: {text!r}") from exc
    if value.tzinfo is None or value.utcoffset() != UTC.utcoffset(None):
        raise ValueError(f"timestamp must be in UTC: {text!r}")
    return value.astimezone(UTC)


def format_utc(value: datetime) -> str:
    """Format an aware datetime the way both ends write timestamps: milliseconds, ``Z``
    (``2026-11-23T08:15:00.123Z``)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def parse_protocol_header(value: str | None) -> int:
    """Return the major version named by an ``X-Loyalty-Protocol`` header value (missing -> 1)."""
    if value is None or value.strip() == "":
        return PROTOCOL_VERSION
    match = re.fullmatch(r"\s*(\d{1,4})(?:\.(\d{1,4}))?\s*", value)
    if not match:
        raise ValueError(f"malformed protocol version {value!r}")
    return int(match.group(1))


def _utc_text(value: str) -> str:
    parse_utc(value)
    return value


def _check_hash_format(value: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise ValueError("content_hash must be 64 lowercase hex characters")
    return value


UtcText = Annotated[str, Field(min_length=10, max_length=40), AfterValidator(_utc_text)]
HashText = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$"), AfterValidator(_check_hash_format)]
Uuid = Annotated[str, Field(pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
TerminalId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
ShortText = Annotated[str, Field(max_length=200)]
Points = Annotated[int, Field(ge=-1_000_000_000, le=1_000_000_000)]
Satang = Annotated[int, Field(ge=-100_000_000_000, le=100_000_000_000)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --------------------------------------------------------------------------------------------- records


class Line(_Wire):
    category: Annotated[str, Field(min_length=1, max_length=64)]
    amount_satang: Satang


class Entry(_Wire):
    """One ledger entry, born on a terminal (or on the server for ``terminal_id == "server"``)."""

    id: Uuid
    terminal_id: TerminalId
    seq: Annotated[int, Field(ge=1, le=2**62)]
    member_id: Uuid
    kind: EntryKind
    points: Points
    amount_satang: Satang | None
    receipt_ref: ShortText | None
    reward_code: Annotated[str, Field(max_length=64)] | None
    corrects_id: Uuid | None
    rules_version: Annotated[int, Field(ge=0, le=2**31)] | None
    tier_code: Annotated[str, Field(max_length=32)] | None
    lines: Annotated[list[Line], Field(max_length=200)]
    sale_at: UtcText
    clock_offset_ms: Annotated[int, Field(ge=-(2**53), le=2**53)]
    operator_id: Annotated[str, Field(max_length=64)] | None
    approved_by: Annotated[str, Field(max_length=64)] | None
    reason: Annotated[str, Field(max_length=500)] | None
    offline: bool
    reservation_id: Uuid | None
    content_hash: HashText

    def hash_ok(self) -> bool:
        return content_hash(self.model_dump(mode="json")) == self.content_hash


class Member(_Wire):
    """A member enrolled on a terminal."""

    id: Uuid
    card_no: Annotated[str, Field(pattern=r"^\d{16}$")]
    name: Annotated[str, Field(max_length=200)]
    phone: Annotated[str, Field(pattern=r"^0\d{8,9}$")] | None
    tier: Annotated[str, Field(min_length=1, max_length=32)]
    consent: bool
    created_at: UtcText
    terminal_id: TerminalId
    content_hash: HashText

    def hash_ok(self) -> bool:
        return content_hash(self.model_dump(mode="json")) == self.content_hash


class OutboxRecord(_Wire):
    """One record of a terminal's outbox: ``seq`` is contiguous from 1 over all record types."""

    seq: Annotated[int, Field(ge=1, le=2**62)]
    type: RecordType
    entry: Entry | None = None
    member: Member | None = None

    @model_validator(mode="after")
    def _one_payload(self) -> OutboxRecord:
        if self.type == "entry":
            if self.entry is None or self.member is not None:
                raise ValueError("a record of type 'entry' carries exactly an entry")
            if self.entry.seq != self.seq:
                raise ValueError("entry.seq must equal the record's seq")
        else:
            if self.member is None or self.entry is not None:
                raise ValueError("a record of type 'member' carries exactly a member")
        return self

    @property
    def record_id(self) -> str:
        payload = self.entry if self.entry is not None else self.member
        assert payload is not None
        return payload.id

    @property
    def record_hash(self) -> str:
        payload = self.entry if self.entry is not None else self.member
        assert payload is not None
        return payload.content_hash

    @property
    def terminal_id(self) -> str:
        payload = self.entry if self.entry is not None else self.member
        assert payload is not None
        return payload.terminal_id


# --------------------------------------------------------------------------------------------- common


class ErrorBody(BaseModel):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorResponse(BaseModel):
    error: ErrorBody
    server_time: str


class HelloResponse(BaseModel):
    protocol_version: int = PROTOCOL_VERSION
    supported_versions: list[int] = Field(default_factory=lambda: list(SUPPORTED_MAJOR_VERSIONS))
    server_time: str


# --------------------------------------------------------------------------------------------- reference data


class BranchInfo(BaseModel):
    id: str
    code: str
    name: str


class RulesInfo(BaseModel):
    version: int
    bundle_json: str
    """``pos_app.core.rules.RulesBundle.to_json()`` of this version."""
    active: bool


class RewardInfo(BaseModel):
    code: str
    name_th: str
    name_en: str
    points_cost: int
    stock: int | None
    active: bool


class StaffInfo(BaseModel):
    id: str
    name: str
    role: StaffRole
    pin_hash: str
    """argon2id hash of the PIN (argon2-cffi ``PasswordHasher`` format)."""
    branch_id: str | None
    """None = valid in every branch."""
    active: bool


class OfflinePolicy(BaseModel):
    """The offline-redemption allowance a counter enforces while it cannot reach the server."""

    version: int = 1
    max_points_per_redemption: int = Field(default=500, ge=0)
    max_points_per_member_per_terminal: int = Field(default=1000, ge=0)
    """Cumulative offline redemptions of one member on one terminal since its last successful sync."""
    max_points_per_terminal: int = Field(default=5000, ge=0)
    """Cumulative offline redemptions on one terminal since its last successful sync."""
    max_hours_since_sync: int = Field(default=24, ge=0)
    """No offline redemption once the last successful sync is older than this."""


class PublicKeyInfo(BaseModel):
    key_id: str
    public_key_b64: str
    """Raw 32-byte Ed25519 public key, standard base64."""
    active: bool
    """True for the key that signs new member codes."""
    revoked: bool
    """A revoked key's codes must be refused."""


class MemberState(BaseModel):
    """A member as the server knows it (download)."""

    id: str
    card_no: str
    name: str
    phone: str | None
    tier: str
    consent: bool
    created_at: str
    terminal_id: str | None
    balance: int
    """Sum of all the member's entries held by the server."""
    member_code: str | None
    """Member QR payload signed by the chain's active key; None until signed."""
    offline_redeem_blocked: bool
    """True while an overdraft flag is unresolved: the member's offline allowance is zero."""
    merged_into: str | None
    """Set when a manager merged this member (e.g. a duplicate phone) into another one."""


class Snapshot(BaseModel):
    branch: BranchInfo
    rules: list[RulesInfo]
    rewards: list[RewardInfo]
    staff: list[StaffInfo]
    policy: OfflinePolicy
    public_keys: list[PublicKeyInfo]


# --------------------------------------------------------------------------------------------- enrollment


class EnrollRequest(BaseModel):
    code: Annotated[str, Field(min_length=4, max_length=64)]
    credential_sha256: HashText
    """SHA-256 (hex) of the secret the terminal generated; the secret itself never leaves the terminal."""
    device_name: Annotated[str, Field(max_length=100)] = ""
    app_version: Annotated[str, Field(max_length=40)] = ""


class EnrollResponse(BaseModel):
    terminal_id: str
    credential_expires_at: str
    snapshot: Snapshot
    cursor: int = 0
    """Start pulling ``/v1/changes`` from here (0 = everything)."""
    server_time: str


class RotateCredentialRequest(BaseModel):
    credential_sha256: HashText


class RotateCredentialResponse(BaseModel):
    terminal_id: str
    credential_expires_at: str
    server_time: str


# --------------------------------------------------------------------------------------------- upload


class UploadRequest(BaseModel):
    batch_id: Uuid
    """Idempotency key: reuse it when resending the same batch; a reused key with other records is refused."""
    records: Annotated[list[OutboxRecord], Field(min_length=1, max_length=MAX_BATCH_RECORDS)]


RecordStatus = Literal["stored", "duplicate", "pending"]
"""stored: newly stored now; duplicate: already held (identical); pending: held, but waits for a lower seq."""


class RecordResult(BaseModel):
    seq: int
    id: str
    status: RecordStatus


class FlagInfo(BaseModel):
    id: int
    kind: str
    """``points_mismatch``, ``clock_skew``, ``overdraft``, ``duplicate_phone``, ``unknown_rules_version``,
    ``unknown_member``, ``reservation_mismatch``, ``content_conflict``."""
    member_id: str | None
    terminal_id: str | None
    entry_id: str | None
    details: dict[str, Any]
    created_at: str
    resolved_at: str | None
    resolved_by: str | None
    note: str | None


class UploadResponse(BaseModel):
    ack_seq: int
    """Highest seq such that the server holds every record 1..ack_seq of this terminal (applied)."""
    results: list[RecordResult]
    flags: list[FlagInfo] = Field(default_factory=list)
    """Flags raised by this batch (for information; a manager resolves them centrally)."""
    server_time: str


class ConflictDetail(BaseModel):
    seq: int
    id: str
    reason: Literal["id_reused", "seq_reused", "foreign_terminal"]
    stored_hash: str | None
    sent_hash: str


# --------------------------------------------------------------------------------------------- reservations


class ReservationRequest(BaseModel):
    model_config = ConfigDict(strict=True)  # "points": "5" or 5.0 is refused: the protocol says integers

    reservation_id: Uuid
    """Born on the terminal; retrying with the same id returns the same reservation."""
    member_id: Uuid
    points: Annotated[int, Field(gt=0, le=1_000_000_000)]
    reward_code: Annotated[str, Field(max_length=64)] | None = None
    ttl_seconds: Annotated[int, Field(ge=5, le=3600)] = 120


ReservationStatus = Literal["held", "posted", "voided", "expired"]


class ReservationResponse(BaseModel):
    reservation_id: str
    member_id: str
    points: int
    status: ReservationStatus
    expires_at: str
    available_after: int
    """Member's balance minus all active holds, after this reservation."""
    server_time: str


# --------------------------------------------------------------------------------------------- download


ChangeType = Literal["member", "entry", "rules", "reward", "staff", "policy", "public_key"]


class Change(BaseModel):
    change_id: int
    type: ChangeType
    member: MemberState | None = None
    entry: Entry | None = None
    rules: RulesInfo | None = None
    reward: RewardInfo | None = None
    staff: StaffInfo | None = None
    policy: OfflinePolicy | None = None
    public_key: PublicKeyInfo | None = None


class ChangesResponse(BaseModel):
    changes: list[Change]
    """In change_id order, except that a page lists the current state of every member its entries refer to
    before those entries (so a terminal can apply a page front to back); a member may therefore appear again
    later with the same or a newer state. Applying a change twice must be harmless."""
    next_cursor: int
    """Store it in the same local transaction that applies ``changes``; pass it as ``cursor`` next time."""
    has_more: bool
    server_time: str
    ack_seq: int | None = None
    """(1.1) The server's ack for the calling terminal: above the terminal's last local seq, its ledger lost records
    the server holds (restored or copied back from an older file): it gets them back (``/v1/own-records``)."""


# --------------------------------------------------------------------------------------------- status


class TerminalStatus(BaseModel):
    terminal_id: str
    branch_id: str
    ack_seq: int
    credential_expires_at: str
    server_time: str


# --------------------------------------------------------------------------------------------- own records


class OwnRecordsResponse(BaseModel):
    """``GET /v1/own-records?after_seq=N&limit=L``: the calling terminal's own records that the server has
    applied, as the terminal sent them, so that a terminal restored from an older backup gets back every record
    of its own that the server acknowledged after the backup (and continues numbering after them)."""

    records: list[OutboxRecord]
    """This terminal's records with ``after_seq < seq <= ack_seq``, in seq order, contiguous, at most ``limit``."""
    members: list[MemberState]
    """The current state of every member the page's entries refer to that is not itself a record of the page
    (e.g. a member enrolled at another counter): apply them first, like a page of ``/v1/changes``."""
    ack_seq: int
    """The server's ack for this terminal (every record 1..ack_seq is held and applied)."""
    has_more: bool
    server_time: str
