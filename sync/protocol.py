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

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)

from sync import records as rec
from sync.records import canonical_json, content_hash, format_utc, parse_utc  # noqa: F401 - the protocol's names

PROTOCOL_VERSION = 1
SUPPORTED_MAJOR_VERSIONS: tuple[int, ...] = (1,)
PROTOCOL_HEADER = "X-Loyalty-Protocol"
SERVER_TIME_HEADER = "X-Server-Time"
APP_VERSION_HEADER = "X-App-Version"
"""The terminal app's version, sent with every request; the server records it (``GET /v1/status``) so head
office sees which version each terminal runs."""
RENEW_BEFORE_DAYS = 30
"""A terminal renews its credential (``POST /v1/credential``) once fewer days than this are left."""
MAX_BATCH_RECORDS = 1000
MAX_PAGE_LIMIT = 1000
DEFAULT_PAGE_LIMIT = 500
MAX_BODY_BYTES = 8 * 1024 * 1024
"""The largest request body the server reads (a full batch of 1,000 records is about 1 MB)."""
CLOCK_SKEW_LIMIT_MS = 5 * 60 * 1000
SERVER_TERMINAL_ID = rec.SERVER_TERMINAL_ID
"""``terminal_id`` of entries the server itself creates (overdrafts, compensations, merges, adjustments)."""

EntryKind = Literal[rec.ENTRY_KINDS]  # type: ignore[valid-type]
RecordType = Literal["entry", "member", "audit", "consent"]
StaffRole = Literal["cashier", "manager"]


# --------------------------------------------------------------------------------------------- helpers


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


UtcText = Annotated[str, Field(min_length=24, max_length=24), AfterValidator(_utc_text)]
HashText = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Uuid = Annotated[str, Field(pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
TerminalId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
ShortText = Annotated[str, Field(max_length=200)]
Int64 = Annotated[int, Field(ge=-rec.INT64_MAX, le=rec.INT64_MAX)]
Points = Annotated[int, Field(ge=-rec.MAX_ENTRY_POINTS, le=rec.MAX_ENTRY_POINTS)]
"""A points value a request may carry (reservations, admin adjustments): within the entry limit."""


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --------------------------------------------------------------------------------------------- records


class Line(_Wire):
    category: Annotated[str, Field(min_length=1, max_length=64)]
    amount_satang: Int64


_WIRE_TYPES: dict[str, Any] = {
    "uuid": Uuid,
    "terminal_id": TerminalId,
    "seq": Annotated[int, Field(ge=1, le=2**62)],
    "kind": EntryKind,
    "int64": Int64,
    "text200": ShortText,
    "code32": Annotated[str, Field(min_length=1, max_length=32)],
    "code64": Annotated[str, Field(max_length=64)],
    "version": Annotated[int, Field(ge=0, le=2**31)],
    "lines": Annotated[list[Line], Field(max_length=200)],
    "time": UtcText,
    "offset_ms": Annotated[int, Field(ge=-(2**53), le=2**53)],
    "text500": Annotated[str, Field(max_length=500)],
    "bool": bool,
    "card_no": Annotated[str, Field(pattern=r"^\d{16}$")],
    "phone": Annotated[str, Field(pattern=r"^0\d{8,9}$")],
    "audit_event": Literal[rec.AUDIT_EVENTS],  # type: ignore[valid-type]
    "audit_purpose": Literal[rec.AUDIT_PURPOSES],  # type: ignore[valid-type]
    "consent_purpose": Literal[rec.CONSENT_PURPOSES],  # type: ignore[valid-type]
    "details": Annotated[dict[str, str | int | bool | None], Field(max_length=20)],
    "currency": Annotated[str, Field(pattern=r"^[A-Z]{3}$")],
    "decimal": Annotated[str, Field(min_length=1, max_length=32)],
    "voucher_id": Annotated[str, Field(pattern=r"^[A-Z0-9]{1,24}$")],
    "factor": Annotated[int, Field(ge=2, le=10)],
}
"""How each value type of ``sync.records`` is checked on the wire (``?`` = may be null). The wire accepts
structurally valid records; the business limits (``records.check_entry``) are applied by the server, which
quarantines a failing record instead of refusing the whole batch."""


def _wire_fields(fields: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, kind in fields.items():
        annotation = _WIRE_TYPES[kind.rstrip("?")]
        out[name] = (annotation | None, ...) if kind.endswith("?") else (annotation, ...)
    out["content_hash"] = (HashText, ...)
    return out


def _optional_wire_fields(fields: dict[str, str]) -> dict[str, Any]:
    """Fields a record may leave out (``sync.records.ENTRY_OPTIONAL_FIELDS``): absent, never null, on the wire;
    a dump leaves them out when they have no value, so it is the record that was hashed."""
    return {name: (_WIRE_TYPES[kind] | None, Field(None, exclude_if=_is_none)) for name, kind in fields.items()}


def _is_none(value: Any) -> bool:
    return value is None


class _Record(_Wire):
    def hash_ok(self) -> bool:
        return bool(content_hash(self.model_dump(mode="json")) == self.content_hash)  # type: ignore[attr-defined]


Entry = create_model("Entry", __base__=_Record, __module__=__name__,
                     **_wire_fields(rec.ENTRY_FIELDS), **_optional_wire_fields(rec.ENTRY_OPTIONAL_FIELDS))
"""One ledger entry, born on a terminal (or on the server for ``terminal_id == "server"``); fields:
``sync.records.ENTRY_FIELDS`` (always present) and ``sync.records.ENTRY_OPTIONAL_FIELDS`` (present only with a
value)."""
Member = create_model("Member", __base__=_Record, __module__=__name__, **_wire_fields(rec.MEMBER_FIELDS))
"""A member enrolled on a terminal; fields: ``sync.records.MEMBER_FIELDS``."""


AuditRecord = create_model("AuditRecord", __base__=_Record, __module__=__name__, **_wire_fields(rec.AUDIT_FIELDS))
"""A security event on a terminal: a wrong PIN, a lockout, an unlock, a PIN change or reset, an approval (who
approved which operation); ``details`` holds small facts (counts, operation, operator id). Fields:
``sync.records.AUDIT_FIELDS``."""


Consent = create_model("Consent", __base__=_Record, __module__=__name__, **_wire_fields(rec.CONSENT_FIELDS))
"""A member's consent for one purpose given or withdrawn at a counter; fields: ``sync.records.CONSENT_FIELDS``."""


class OutboxRecord(_Wire):
    """One record of a terminal's outbox: ``seq`` is contiguous from 1 over all record types."""

    seq: Annotated[int, Field(ge=1, le=2**62)]
    type: RecordType
    entry: Entry | None = None  # type: ignore[valid-type]
    member: Member | None = None  # type: ignore[valid-type]
    audit: AuditRecord | None = None  # type: ignore[valid-type]
    consent: Consent | None = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _one_payload(self) -> OutboxRecord:
        if self.type == "consent":
            if self.consent is None or self.entry is not None or self.member is not None or self.audit is not None:
                raise ValueError("a record of type 'consent' carries exactly a consent record")
            return self
        if self.consent is not None:
            raise ValueError("only a record of type 'consent' carries a consent record")
        if self.type == "audit":
            if self.audit is None or self.entry is not None or self.member is not None:
                raise ValueError("a record of type 'audit' carries exactly an audit record")
        elif self.audit is not None:
            raise ValueError("only a record of type 'audit' carries an audit record")
        elif self.type == "entry":
            if self.entry is None or self.member is not None:
                raise ValueError("a record of type 'entry' carries exactly an entry")
            if self.entry.seq != self.seq:
                raise ValueError("entry.seq must equal the record's seq")
        else:
            if self.member is None or self.entry is not None:
                raise ValueError("a record of type 'member' carries exactly a member")
        return self

    @property
    def payload(self) -> Any:
        payload = self.entry if self.entry is not None else self.member if self.member is not None else \
            self.audit if self.audit is not None else self.consent
        assert payload is not None
        return payload

    @property
    def record_id(self) -> str:
        return str(self.payload.id)

    @property
    def record_hash(self) -> str:
        return str(self.payload.content_hash)

    @property
    def terminal_id(self) -> str:
        return str(self.payload.terminal_id)


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


class RewardOffer(RewardInfo):
    """A reward as the terminals pull it (snapshot and ``reward`` changes): the catalog's fields, and for a reward
    that buys a voucher (``loyalty-server voucher reward``) what the voucher gives. An older terminal ignores the
    extra field (its ``RewardInfo`` takes no notice of unknown fields)."""

    voucher_benefit: str | None = None
    """Set when redeeming this reward buys a voucher: the voucher's benefit as in its code (``F5000`` = 50.00 THB
    off, ``P10C10000``, ``ICOFFEE``, ``X2``). A counter must then buy the voucher through the server
    (``POST /v1/vouchers/issue`` after the points' reservation), never record an ordinary redemption of it."""
    voucher_valid_days: int | None = None
    """How many days the bought voucher is valid (set with ``voucher_benefit``)."""


class StaffInfo(BaseModel):
    id: str
    name: str
    role: StaffRole
    pin_hash: str
    """argon2id hash of the PIN (argon2-cffi ``PasswordHasher`` format)."""
    branch_id: str | None
    """None = valid in every branch."""
    active: bool
    """False: disabled everywhere (terminals refuse their PIN for sign-in and approval)."""
    unlocked_at: str | None = None
    """When head office last unlocked this PIN (``loyalty-server staff unlock``): a terminal holding a lockout
    or failed attempts of this staff member from before then clears them."""


VoucherKind = Literal["fixed", "percent", "item", "multiplier"]


class VoucherAllowance(BaseModel):
    """What one terminal may accept offline of one voucher type between two successful syncs."""

    count: int = Field(default=0, ge=0, le=100_000)
    value_satang: int = Field(default=0, ge=0, le=rec.MAX_SATANG)
    """Sum of the face values (a fixed voucher's amount, a percentage's cap); items and multipliers count 0."""


class OfflinePolicy(BaseModel):
    """The offline-redemption allowance a counter enforces while it cannot reach the server."""

    version: int = 1
    max_points_per_redemption: int = Field(default=500, ge=0, le=rec.MAX_ENTRY_POINTS)
    max_points_per_member_per_terminal: int = Field(default=1000, ge=0, le=rec.MAX_ENTRY_POINTS)
    """Cumulative offline redemptions of one member on one terminal since its last successful sync."""
    max_points_per_terminal: int = Field(default=5000, ge=0, le=rec.MAX_ENTRY_POINTS)
    """Cumulative offline redemptions on one terminal since its last successful sync."""
    max_hours_since_sync: int = Field(default=24, ge=0, le=24 * 366)
    """No offline redemption once the last successful sync is older than this."""
    voucher_allowances: dict[VoucherKind, VoucherAllowance] = Field(default_factory=dict)
    """Per voucher type, how many vouchers (and how much of their face value) one terminal may accept while
    offline, since its last successful sync; a type not listed is not accepted offline (docs/vouchers.md)."""
    feed_scope: Literal["chain", "branch"] = Field(default="chain", exclude_if=lambda v: v == "chain")
    """(1.2) Which change feed the chain's terminals pull: ``chain`` (every member of the chain; left out of the
    JSON, so the policy reads as before) or ``branch`` (the members of the terminal's branch, docs/operations.md)."""


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
    marketing_consent: bool | None = None
    """The member's newest choice about marketing messages (a consent record), None when never asked."""
    erased: bool = False
    """The member's personal data was erased at their request (docs/privacy.md): ``name`` is empty and ``phone``
    null; a terminal erases its copy (member row and outbox record) and refuses the member's card and codes."""


class Snapshot(BaseModel):
    branch: BranchInfo
    rules: list[RulesInfo]
    rewards: list[RewardOffer]
    staff: list[StaffInfo]
    policy: OfflinePolicy
    public_keys: list[PublicKeyInfo]


# --------------------------------------------------------------------------------------------- enrollment


class Takeover(BaseModel):
    """What a standalone terminal with records sends at enrollment: its own id (kept), the last seq of the
    records it made before joining (judged as pre-enrollment records), and its card-signing key with a signature
    over :func:`takeover_challenge` (it holds the key that signed its cards: the server certifies that key)."""

    model_config = ConfigDict(extra="forbid")

    terminal_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{8,64}$")]
    last_seq: Annotated[int, Field(ge=1, le=2**62)]
    public_key_b64: Annotated[str, Field(min_length=40, max_length=64)]
    signature_b64: Annotated[str, Field(min_length=80, max_length=100)]


TAKEOVER_CHALLENGE_PREFIX = "LE1"


def takeover_challenge(code: str, credential_sha256: str, terminal_id: str, last_seq: int,
                       public_key_b64: str) -> bytes:
    """The bytes a joining standalone terminal signs with its card-signing key: bound to the one-time code, the
    credential it is about to hold, its id, its last pre-enrollment seq and the key itself (so the signature
    cannot be replayed for another code, terminal or credential)."""
    return (f"{TAKEOVER_CHALLENGE_PREFIX}:{code.strip()}:{credential_sha256}:{terminal_id}:{last_seq}:"
            f"{public_key_b64}").encode()


class EnrollRequest(BaseModel):
    code: Annotated[str, Field(min_length=4, max_length=64)]
    credential_sha256: HashText
    """SHA-256 (hex) of the secret the terminal generated; the secret itself never leaves the terminal."""
    device_name: Annotated[str, Field(max_length=100)] = ""
    app_version: Annotated[str, Field(max_length=40)] = ""
    # Re-enrollment of a terminal whose credential expired (or was lost), keeping its identity and ledger:
    # it names itself and proves it holds that terminal's ledger by the record at its acknowledged seq.
    terminal_id: Annotated[str, Field(max_length=64)] | None = None
    acked_seq: Annotated[int, Field(ge=0, le=2**62)] | None = None
    last_record_id: Annotated[str, Field(max_length=36)] | None = None
    last_record_hash: HashText | None = None
    # A standalone terminal that already holds members and entries joins the chain (protocol 1.2): it keeps its
    # own id and ledger, and the server takes its records over at its first upload (docs/sync-protocol.md).
    takeover: Takeover | None = None


class EnrollResponse(BaseModel):
    terminal_id: str
    credential_expires_at: str
    snapshot: Snapshot
    cursor: int = 0
    """Start pulling ``/v1/changes`` from here (0 = everything)."""
    server_time: str
    terminal_certificate: str | None = None
    """A takeover: the chain's ``LK1`` certificate of the terminal's existing card-signing key."""


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
    ``unknown_member``, ``reservation_mismatch``, ``content_conflict``, ``quarantined``,
    ``reward_price_mismatch``, ``allowance_exceeded``, ``reward_oversold``, ``pin_lockout``, ``pin_failures``,
    ``fx_mismatch``, ``voucher_reward_redeemed``."""
    member_id: str | None
    terminal_id: str | None
    entry_id: str | None
    details: dict[str, Any]
    created_at: str
    resolved_at: str | None
    resolved_by: str | None
    note: str | None


MAX_BRANCH_FLAGS = 500


class BranchFlagsResponse(BaseModel):
    """``GET /v1/flags``: the open flags of the calling terminal's branch (raised on any of its terminals), oldest
    first, at most :data:`MAX_BRANCH_FLAGS`. A flag missing from a later answer was resolved at head office."""

    flags: list[FlagInfo]
    truncated: bool = False
    """More open flags than were sent (the oldest are sent first)."""
    server_time: str


class QuarantinedRecord(BaseModel):
    """A record the server received and acknowledged but did not let move any balance (see the kinds table in
    ``docs/sync-protocol.md``): a compensating server entry undoes it on the terminal that made it."""

    seq: int
    id: str
    code: str
    """A stable reason code: ``kind_not_allowed``, ``wrong_sign``, ``points_out_of_range``, ``bad_time``,
    ``unknown_approver``, ``bad_correction``, ``balance_out_of_range``, ..."""
    reason: str


class UploadResponse(BaseModel):
    ack_seq: int
    """Highest seq such that the server holds every record 1..ack_seq of this terminal (applied)."""
    results: list[RecordResult]
    flags: list[FlagInfo] = Field(default_factory=list)
    """Flags raised by this batch (for information; a manager resolves them centrally)."""
    quarantined: list[QuarantinedRecord] = Field(default_factory=list)
    """Records of this batch that were acknowledged but quarantined (protocol 1.1; absent = none)."""
    server_time: str


class ConflictDetail(BaseModel):
    seq: int
    id: str
    reason: Literal["id_reused", "seq_reused", "foreign_terminal"]
    stored_hash: str | None
    sent_hash: str


# --------------------------------------------------------------------------------------------- follow


class FollowRequest(BaseModel):
    """``POST /v1/members/follow`` (1.2): exactly one of the three; the member is linked to the terminal's branch,
    so the branch-scoped feed brings them (and their whole history) with the next pull."""

    model_config = ConfigDict(strict=True, extra="forbid")

    member_id: Uuid | None = None
    phone: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    card_no: Annotated[str, Field(min_length=1, max_length=40)] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> FollowRequest:
        if sum(v is not None for v in (self.member_id, self.phone, self.card_no)) != 1:
            raise ValueError("give exactly one of member_id, phone, card_no")
        return self


FeedScope = Literal["chain", "branch"]
"""Which members a terminal mirrors: every member of the chain (the full feed), or the members of its branch."""


# --------------------------------------------------------------------------------------------- reservations


class ReservationRequest(BaseModel):
    model_config = ConfigDict(strict=True)  # "points": "5" or 5.0 is refused: the protocol says integers

    reservation_id: Uuid
    """Born on the terminal; retrying with the same id returns the same reservation."""
    member_id: Uuid
    points: Annotated[int, Field(gt=0, le=rec.MAX_ENTRY_POINTS)]
    reward_code: Annotated[str, Field(max_length=64)] | None = None
    ttl_seconds: Annotated[int, Field(ge=5, le=3600)] = 120
    for_voucher: bool = False
    """The points buy a voucher (``POST /v1/vouchers/issue`` follows). An older server ignores it; a redemption
    of a voucher reward without such a hold (and without a voucher issued for it) is flagged
    ``voucher_reward_redeemed``."""


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


# --------------------------------------------------------------------------------------------- vouchers


VoucherCode = Annotated[str, Field(min_length=1, max_length=512)]


class VoucherReserveRequest(BaseModel):
    """Hold a voucher for one sale (online use, step 1); the same ``operation_id`` again returns the same hold."""

    model_config = ConfigDict(strict=True)
    operation_id: Uuid
    code: VoucherCode
    bill_satang: Annotated[int, Field(ge=0, le=rec.MAX_SATANG)] | None = None
    member_id: Uuid | None = None
    ttl_seconds: Annotated[int, Field(ge=5, le=3600)] = 120


class VoucherCommitRequest(BaseModel):
    """The voucher was used on a sale (online: after a reservation; ``offline``: honoured while offline and
    uploaded at the next sync). Idempotent by ``operation_id``."""

    model_config = ConfigDict(strict=True)
    operation_id: Uuid
    code: VoucherCode
    value_satang: Annotated[int, Field(ge=0, le=rec.MAX_SATANG)]
    sale_at: Annotated[str, Field(max_length=40)]
    receipt_ref: ShortText | None = None
    operator_id: Annotated[str, Field(max_length=64)] | None = None
    member_id: Uuid | None = None
    offline: bool = False


class VoucherReleaseRequest(BaseModel):
    model_config = ConfigDict(strict=True)
    operation_id: Uuid


class VoucherIssueRequest(BaseModel):
    """A member bought a voucher with points: ``reservation_id`` holds (or posted) the reward's points."""

    model_config = ConfigDict(strict=True)
    member_id: Uuid
    reward_code: Annotated[str, Field(min_length=1, max_length=64)]
    reservation_id: Uuid


class VoucherIssued(BaseModel):
    voucher_id: str
    code: str
    valid_until: str
    server_time: str


VoucherStatus = Literal["issued", "reserved", "used", "expired", "void"]


class VoucherState(BaseModel):
    voucher_id: str
    status: VoucherStatus
    kind: VoucherKind
    face_value_satang: int
    reserved_until: str | None = None
    operation_id: str | None = None
    """The operation that holds or used it."""
    conflict: bool = False
    """This commit was a second use (offline on two counters): recorded and flagged for a manager."""
    server_time: str


MAX_VOUCHER_COMMIT_BATCH = 500


class VoucherCommitBatch(BaseModel):
    """Several uses at once (a sync round sending the uses honoured offline): each is judged exactly as by
    ``/v1/vouchers/commit``, in one transaction; a refusal of one is answered in its slot, the others stand."""

    model_config = ConfigDict(strict=True)
    uses: Annotated[list[VoucherCommitRequest], Field(min_length=1, max_length=MAX_VOUCHER_COMMIT_BATCH)]


class VoucherCommitOutcome(BaseModel):
    operation_id: str
    state: VoucherState | None = None
    """The use recorded (or found recorded: a retry); None when refused."""
    error: ErrorBody | None = None
    """Why this use was refused (the code ``/v1/vouchers/commit`` would have answered with)."""


class VoucherCommitBatchResponse(BaseModel):
    results: list[VoucherCommitOutcome]
    """One per use, in the order sent."""
    server_time: str


# --------------------------------------------------------------------------------------------- download


ChangeType = Literal["member", "entry", "rules", "reward", "staff", "policy", "public_key"]


class Change(BaseModel):
    change_id: int
    type: ChangeType
    member: MemberState | None = None
    entry: Entry | None = None
    rules: RulesInfo | None = None
    reward: RewardOffer | None = None
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


# --------------------------------------------------------------------------------------------- heartbeat


DeviceState = Literal["ok", "failing", "missing", "none", "unknown"]
DoctorState = Literal["ok", "warning", "failing", "unknown"]


class Heartbeat(BaseModel):
    """``POST /v1/heartbeat``, after each sync round: the terminal's health for head office. Small, and never a
    reason for a sync to fail (a terminal that cannot send it just syncs)."""

    model_config = ConfigDict(extra="forbid")

    app_version: str = Field(default="", max_length=40)
    records_waiting: int = Field(ge=0, le=10**9)
    """Records in the outbox not yet acknowledged by the server."""
    last_sync_ok: str | None = Field(default=None, max_length=40)
    clock_offset_ms: int | None = Field(default=None, ge=-(10**10), le=10**10)
    printer: DeviceState = "unknown"
    camera: DeviceState = "unknown"
    free_disk_mb: int | None = Field(default=None, ge=0, le=10**9)
    last_backup: str | None = Field(default=None, max_length=40)
    doctor: DoctorState = "unknown"
    doctor_at: str | None = Field(default=None, max_length=40)


# --------------------------------------------------------------------------------------------- one round (1.3)


class SyncPull(BaseModel):
    """The first page of the change feed, as ``GET /v1/changes?cursor=&limit=&scope=`` asks for it (integers as
    JSON numbers; an unknown field is ignored, as an unknown query parameter is, so a later minor version may add
    one)."""

    model_config = ConfigDict(strict=True)

    cursor: Annotated[int, Field(ge=0, le=2**62)] = 0
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE_LIMIT)] = DEFAULT_PAGE_LIMIT
    scope: FeedScope = "chain"


class SyncRequest(BaseModel):
    """``POST /v1/sync`` (1.3): a terminal's whole sync round in one request. Each part is what its own endpoint
    takes (``/v1/upload``, ``/v1/changes``, ``/v1/heartbeat``, ``/v1/flags``); a part left out is not done. The
    upload is applied and committed first, exactly as ``/v1/upload`` does; the pull page (read in a snapshot
    after that commit, so it follows the upload) and the flags come after it (docs/sync-protocol.md, "One
    request per round")."""

    upload: UploadRequest | None = None
    pull: SyncPull | None = None
    heartbeat: Heartbeat | None = None
    """Never a reason to refuse the round (its records must get through): fields this server does not know are
    left out, and a heartbeat still not valid is dropped (``_lenient_heartbeat``)."""
    flags: StrictBool = False
    """True: answer the open flags of the terminal's branch (``GET /v1/flags``). A JSON boolean: ``"yes"`` or ``1``
    is refused (422), as the pull's integers are, not read as true."""

    @field_validator("heartbeat", mode="wrap")
    @classmethod
    def _lenient_heartbeat(cls, value: Any, handler: Any) -> Any:
        try:
            return handler(value)
        except ValidationError:
            if isinstance(value, dict):  # a later client's heartbeat: keep what this version knows
                try:
                    return handler({k: v for k, v in value.items() if k in Heartbeat.model_fields})
                except ValidationError:
                    pass
            return None


class SyncResponse(BaseModel):
    upload: UploadResponse | None = None
    """The upload's answer, as ``/v1/upload`` gives it (None: no upload was sent)."""
    changes: ChangesResponse | None = None
    """The first page of the change feed, as ``/v1/changes`` gives it (None: no pull was asked)."""
    flags: BranchFlagsResponse | None = None
    """The branch's open flags, as ``/v1/flags`` gives them (None: not asked)."""
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


# --------------------------------------------------------------------------------------------- update channel


class UpdateWindow(BaseModel):
    """The quiet time head office set for installing updates, in the terminal's local time (``HH:MM``). ``start``
    after ``end`` spans midnight (``22:00``-``02:00``); equal means the whole day."""

    start: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    end: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    branch: str | None = None
    """The branch this window is set for (None: the server-wide window)."""


class ReleaseInfo(BaseModel):
    """A release head office signed (``sync.release``): the terminal checks the signature over (version, sha256,
    size) with its pinned key before it installs anything."""

    channel: str
    version: Annotated[str, Field(max_length=40)]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    size: Annotated[int, Field(ge=1, le=2**31)]
    signature: Annotated[str, Field(max_length=200)]
    """Base64 Ed25519 signature of ``sync.release.statement(version, sha256, size, kind)``."""
    kind: Annotated[str, Field(pattern=r"^(tar|deb)$")] = "tar"
    """``tar`` (the terminal kit, installed by its ``upgrade.sh``) or ``deb`` (installed by ``apt-get``)."""
    download_path: str
    """Where to ``GET`` the package (same server, same credential); range requests resume a download."""
    filename: str
    published_at: str


class ReleaseResponse(BaseModel):
    """``GET /v1/release?channel=stable&kind=tar``: the current release of that kind on the channel (None: nothing
    published) and the
    quiet-time window for the calling terminal's branch (None: head office set none, so nothing is installed
    unattended)."""

    release: ReleaseInfo | None
    window: UpdateWindow | None
    server_time: str
