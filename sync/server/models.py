"""Tables of the central loyalty server (SQLAlchemy Core; PostgreSQL in production, SQLite for the demo).

Every row a terminal downloads carries ``change_id``, the order of the change feed. On PostgreSQL it is derived
from the writing transaction's id, and readers stop below the oldest transaction still open, so uploads commit in
parallel and the ``/v1/changes`` cursor can still never skip a row that committed late (``sync/server/db.py``;
docs/sync-protocol.md, "Why the cursor never skips"). The embedded SQLite demo uses the ``counters`` row named
``change``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on both PostgreSQL (timestamptz) and SQLite (text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)


counters = Table(
    "counters",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

branches = Table(
    "branches",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

enrollment_codes = Table(
    "enrollment_codes",
    metadata,
    Column("code_sha256", String(64), primary_key=True),
    Column("branch_id", String(64), ForeignKey("branches.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
    Column("terminal_id", String(64)),
)

terminals = Table(
    "terminals",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("branch_id", String(64), ForeignKey("branches.id"), nullable=False),
    Column("name", String(100), nullable=False, server_default=""),
    Column("app_version", String(40), nullable=False, server_default=""),
    Column("credential_sha256", String(64), nullable=False),
    Column("credential_expires_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
    Column("applied_seq", BigInteger, nullable=False, server_default="0"),
    Column("enrolled_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime),
    # A standalone terminal that joined the chain with records: its records up to this seq were made before it
    # joined and are judged as such (docs/sync-protocol.md, "A standalone terminal joins the chain").
    Column("takeover_seq", BigInteger),
)

# Every outbox record a terminal sent, keyed by (terminal, seq) and by record id. ``payload`` is kept only
# while the record waits for a lower seq (reordered delivery); applied records live in entries/members.
received = Table(
    "received",
    metadata,
    Column("terminal_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("record_id", String(36), nullable=False, unique=True),
    Column("record_type", String(8), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("payload", Text),
    Column("received_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("terminal_id", "seq"),
)

upload_batches = Table(
    "upload_batches",
    metadata,
    Column("terminal_id", String(64), nullable=False),
    Column("batch_id", String(36), nullable=False),
    Column("records_sha256", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("terminal_id", "batch_id"),
)

members = Table(
    "members",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("card_no", String(16), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("phone", String(10), index=True),
    # The one member that owns a phone number chain-wide; a second member enrolled offline with the same
    # phone is kept (never lose points) with phone_primary false and flagged for a manager merge.
    Column("phone_primary", Boolean, nullable=False),
    Column("tier", String(32), nullable=False),
    Column("consent", Boolean, nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("terminal_id", String(64)),
    Column("content_hash", String(64)),
    Column("balance", BigInteger, nullable=False, server_default="0"),
    Column("member_code", String(400)),
    Column("offline_blocked", Boolean, nullable=False, server_default=text("false")),
    # head office blocked offline redemption from the console (service.set_offline_block): resolving the member's
    # overdraft flags then leaves the block in place; only an unblock lifts it
    Column("offline_blocked_by_hq", Boolean, nullable=False, server_default=text("false")),
    Column("merged_into", String(36)),
    Column("placeholder", Boolean, nullable=False, server_default=text("false")),
    Column("change_id", BigInteger, nullable=False, index=True),
    # PDPA erasure (docs/privacy.md): name emptied, phone and member code gone; id, card number and balance stay
    Column("erased_at", UtcDateTime),
    # the newest consent record for marketing messages (table consents); NULL: never asked
    Column("marketing_consent", Boolean),
    Index("uq_members_primary_phone", "phone", unique=True,
          postgresql_where=text("phone_primary"), sqlite_where=text("phone_primary")),
)

# Consent records from the counters (PDPA): appended, never changed; the newest per member and purpose counts.
consents = Table(
    "consents",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("terminal_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("member_id", String(36), nullable=False, index=True),
    Column("purpose", String(16), nullable=False),
    Column("granted", Boolean, nullable=False),
    Column("text_version", String(32), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("branch_id", String(64)),
    Column("staff_id", String(64)),
    Column("content_hash", String(64), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
)

# Who erased which member's personal data, when and why (the erasure itself holds no personal data).
member_erasures = Table(
    "member_erasures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("member_id", String(36), nullable=False, index=True),
    Column("at", UtcDateTime, nullable=False),
    Column("by", String(100), nullable=False),
    Column("reason", Text, nullable=False),
)

entries = Table(
    "entries",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("terminal_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("member_id", String(36), nullable=False, index=True),
    Column("kind", String(12), nullable=False),
    Column("points", BigInteger, nullable=False),
    Column("sale_at", String(40), nullable=False),
    Column("reservation_id", String(36)),
    # Terminal whose upload wrote the row (NULL for server-made entries): not sent back to that terminal.
    Column("origin_terminal_id", String(64)),
    # canonical JSON of the entry WITHOUT content_hash (exactly what the hash covers), and the hash itself
    Column("payload", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("change_id", BigInteger, nullable=False, index=True),
    Column("received_at", UtcDateTime, nullable=False),
    # The entry this one corrects (reverses, compensations): the server checks corrections against it.
    Column("corrects_id", String(36)),
    # A record that failed the server's checks, and the server's compensation of it: they net to zero, never
    # count in rules (expiry, tiers) and are not sent to other terminals.
    Column("quarantined", Boolean, nullable=False, server_default=false()),
    # Sent only to this terminal (the compensation of its own quarantined record); NULL = to every terminal.
    Column("for_terminal_id", String(64)),
    UniqueConstraint("terminal_id", "seq", name="uq_entries_terminal_seq"),
    # partial: most entries correct nothing, and an upload of earns should not pay for indexing NULLs
    Index("ix_entries_corrects_id", "corrects_id", postgresql_where=text("corrects_id IS NOT NULL"),
          sqlite_where=text("corrects_id IS NOT NULL")),
)

# Which branches' terminals mirror which members (the branch-scoped change feed, docs/sync-protocol.md "Branch
# scope"): a link is made when a terminal of the branch enrolls the member, uploads an entry of theirs or follows
# them, and a merge gives the target the source's links. Links are never removed. ``change_id``: a new link reaches
# the branch's terminals with the member's whole history (the backfill).
member_branches = Table(
    "member_branches",
    metadata,
    Column("member_id", String(36), primary_key=True),
    Column("branch_id", String(64), primary_key=True),
    Column("linked_at", UtcDateTime, nullable=False),
    Column("change_id", BigInteger, nullable=False, index=True),
    Index("ix_member_branches_branch_member", "branch_id", "member_id"),
)

reservations = Table(
    "reservations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("terminal_id", String(64), nullable=False),
    Column("member_id", String(36), nullable=False),
    Column("points", BigInteger, nullable=False),
    Column("reward_code", String(64)),
    Column("status", String(8), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("entry_id", String(36)),
    # A hold a counter took to buy a voucher with the points (``ReservationRequest.for_voucher``): its redemption
    # is expected to be of a voucher reward, and is not flagged ``voucher_reward_redeemed`` (migration 0016).
    Column("for_voucher", Boolean, nullable=False, server_default=text("false")),
    Index("ix_reservations_member_status", "member_id", "status"),
    # the holds on a reward, counted against its stock by each new hold (service._check_reward_left; migration 0020)
    Index("ix_reservations_held_reward", "reward_code", "expires_at", postgresql_where=text("status = 'held'"),
          sqlite_where=text("status = 'held'")),
)

flags = Table(
    "flags",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("member_id", String(36), index=True),
    Column("terminal_id", String(64)),
    Column("entry_id", String(36)),
    Column("details", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("resolved_at", UtcDateTime),
    Column("resolved_by", String(100)),
    Column("note", Text),
    # every sync round of every counter asks for its branch's open flags (GET /v1/flags, POST /v1/sync): partial,
    # so the question costs the open flags, not the years of resolved ones
    Index("ix_flags_open_terminal", "terminal_id", "id", postgresql_where=text("resolved_at IS NULL"),
          sqlite_where=text("resolved_at IS NULL")),
)

rules = Table(
    "rules",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("bundle_json", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("change_id", BigInteger, nullable=False, index=True),
    # Published from the console with a later effective time: inactive and ``pending`` until then, when the
    # server activates it (service.activate_due_rules); terminals pull it in advance and switch when it is.
    Column("effective_at", UtcDateTime),
    Column("pending", Boolean, nullable=False, server_default=text("false")),
    Column("published_by", String(64)),
)

rewards = Table(
    "rewards",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name_th", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("points_cost", BigInteger, nullable=False),
    Column("stock", BigInteger),
    Column("active", Boolean, nullable=False),
    Column("change_id", BigInteger, nullable=False, index=True),
    # The console's catalogue (migration 0015). ``active`` false: retired. ``active_from``/``active_until``: the
    # dates it may be redeemed; ``in_window`` is what the terminals were last told (the server flips it, with a
    # new change id, when a date passes: service.refresh_reward_windows). ``per_branch_stock``: counted per
    # branch in ``reward_stock`` (``stock`` is then unused); otherwise ``stock`` is the chain's (None: not counted).
    Column("active_from", UtcDateTime),
    Column("active_until", UtcDateTime),
    Column("in_window", Boolean, nullable=False, server_default=text("true")),
    Column("per_branch_stock", Boolean, nullable=False, server_default=text("false")),
    Column("updated_by", String(64)),
)

# What is left of a reward at one branch (rewards counted per branch). A redemption at a terminal of the branch
# takes one when the server records it; its change id makes the branch's terminals pull the reward again with
# this stock (docs/sync-protocol.md, "Reward stock per branch").
reward_stock = Table(
    "reward_stock",
    metadata,
    Column("reward_code", String(64), primary_key=True),
    Column("branch_id", String(64), primary_key=True),
    Column("stock", BigInteger, nullable=False),
    Column("change_id", BigInteger, nullable=False, index=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

staff = Table(
    "staff",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("pin_hash", String(200), nullable=False),
    Column("branch_id", String(64), ForeignKey("branches.id")),
    Column("active", Boolean, nullable=False),
    Column("change_id", BigInteger, nullable=False, index=True),
    # head office's last unlock of this PIN: terminals clear older failed attempts and lockouts (migration 0003)
    Column("unlocked_at", UtcDateTime),
)

audit_records = Table(
    "audit_records",
    metadata,
    # Security events uploaded by terminals (wrong PINs, lockouts, unlocks, PIN changes, approvals).
    Column("id", String(36), primary_key=True),
    Column("terminal_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("staff_id", String(64), index=True),
    Column("event", String(32), nullable=False),
    Column("purpose", String(16)),
    Column("at", UtcDateTime, nullable=False),
    Column("details", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Index("ix_audit_records_terminal_at", "terminal_id", "at"),
)

policies = Table(
    "policies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
    Column("policy_json", Text, nullable=False),
    Column("change_id", BigInteger, nullable=False, index=True),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("key_id", String(8), primary_key=True),
    Column("public_key", LargeBinary(32), nullable=False),
    # PKCS#8 PEM encrypted with the server's key passphrase (BestAvailableEncryption); NULL when the private
    # key lives in a file outside the database (``private_key_path``) or on another machine.
    Column("private_key_pem", Text),
    Column("private_key_path", Text),
    Column("active", Boolean, nullable=False),
    Column("revoked", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("change_id", BigInteger, nullable=False, index=True),
)

# Terminal health: the latest heartbeat of each terminal, and a short history of changes (sync/server/health.py).
terminal_health = Table(
    "terminal_health",
    metadata,
    Column("terminal_id", String(64), ForeignKey("terminals.id"), primary_key=True),
    Column("received_at", UtcDateTime, nullable=False),
    Column("app_version", String(40), nullable=False),
    Column("records_waiting", BigInteger, nullable=False),
    Column("printer", String(8), nullable=False),
    Column("camera", String(8), nullable=False),
    Column("doctor", String(8), nullable=False),
    Column("free_disk_mb", BigInteger),
    Column("last_backup", String(40)),
    Column("payload", Text, nullable=False),
)

terminal_health_log = Table(
    "terminal_health_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("terminal_id", String(64), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("payload", Text, nullable=False),
    Index("ix_terminal_health_log_terminal", "terminal_id", "id"),
)

# Points per day (Bangkok), branch and kind, kept from the change feed by sync/server/summaries.py (the
# dashboard's source: a few rows per day instead of a scan of the entries).
entry_totals = Table(
    "entry_totals",
    metadata,
    Column("day", Date, primary_key=True),
    Column("branch", String(32), primary_key=True),
    Column("kind", String(12), primary_key=True),
    Column("points", BigInteger, nullable=False),
    Column("entries", BigInteger, nullable=False),
)

# ---------------------------------------------------------------- the head-office console (sync/server/console)
console_users = Table(
    "console_users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),  # stored lower-case
    Column("display_name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),  # argon2id (argon2-cffi PasswordHasher)
    Column("role", String(16), nullable=False),
    Column("branches", Text, nullable=False, server_default=""),  # area manager: comma-separated branch codes
    Column("active", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

console_sessions = Table(
    "console_sessions",
    metadata,
    Column("token_sha256", String(64), primary_key=True),  # the cookie holds the token; the database its hash
    Column("user_id", Integer, ForeignKey("console_users.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
)

console_login_failures = Table(
    "console_login_failures",
    metadata,
    Column("username", String(64), primary_key=True),  # as typed (lower-case), known or not: no enumeration
    Column("failures", Integer, nullable=False),
    Column("locked_until", UtcDateTime),
    Column("last_at", UtcDateTime, nullable=False),
)

console_audit = Table(
    "console_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False, index=True),
    Column("username", String(64), nullable=False),
    Column("action", String(40), nullable=False),
    Column("target", String(200), nullable=False),
    Column("before", Text),
    Column("after", Text),
)

# Drafts of the rules edited in the console: the form as typed (JSON), validated when saved and when published.
# Publishing makes a new immutable ``rules`` version and records it here; the draft is then read-only.
rules_drafts = Table(
    "rules_drafts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("base_version", Integer, nullable=False),
    Column("form_json", Text, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("published_version", Integer),
)

# Failed sign-ins per client address (in addition to per user name): many names tried from one address.
console_ip_failures = Table(
    "console_ip_failures",
    metadata,
    Column("address", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_start", UtcDateTime, nullable=False),
    Column("locked_until", UtcDateTime),
)

# The update channel (docs/installing-terminals.md "Update channel"): packages of the terminal program that head
# office signed. The file lives in the server's release folder (LOYALTY_RELEASE_DIR), the row says what it is.
# Never updated except ``current``: the one release a channel's terminals are offered (a new publish, or going
# back to an older row by ``release publish`` of that version again, moves it).
releases = Table(
    "releases",
    metadata,
    Column("channel", String(32), nullable=False),
    Column("kind", String(8), nullable=False, server_default="tar"),  # sync.release.KINDS: tar (kit) or deb
    Column("version", String(40), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("signature", String(200), nullable=False),
    Column("filename", String(200), nullable=False),
    Column("published_at", UtcDateTime, nullable=False),
    Column("current", Boolean, nullable=False),
    PrimaryKeyConstraint("channel", "kind", "version"),
)

# When terminals may install: one server-wide row (branch_id "") and optional per-branch rows; minutes after
# local midnight at the terminal.
update_windows = Table(
    "update_windows",
    metadata,
    Column("branch_id", String(64), primary_key=True),
    Column("start_minute", Integer, nullable=False),
    Column("end_minute", Integer, nullable=False),
)

# Vouchers and coupons (docs/vouchers.md). A batch is what marketing issued at once (one campaign, one benefit);
# a voucher is one signed code. ``status`` is issued / reserved / used / void ("expired" is read from
# ``valid_until``); the row is locked while it changes, so one voucher is used once online.
voucher_batches = Table(
    "voucher_batches",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("campaign", String(100), nullable=False),
    Column("benefit", String(48), nullable=False),
    Column("valid_from", UtcDateTime, nullable=False),
    Column("valid_until", UtcDateTime, nullable=False),
    Column("branch_id", String(64)),
    Column("min_spend_satang", BigInteger, nullable=False),
    Column("count", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("voided_at", UtcDateTime),
    Column("voided_by", String(100)),
)

vouchers = Table(
    "vouchers",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("batch_id", String(36), index=True),
    Column("code", Text, nullable=False),
    Column("kind", String(12), nullable=False),
    Column("face_value_satang", BigInteger, nullable=False),
    Column("owner_member_id", String(64)),
    Column("valid_until", UtcDateTime, nullable=False),
    Column("status", String(10), nullable=False),
    Column("operation_id", String(36)),
    Column("terminal_id", String(64)),
    Column("reserved_until", UtcDateTime),
    Column("used_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
)

# Every use the server accepted or recorded (one per operation id: the idempotency key), for the reports; a
# second use of one voucher (two offline counters) is a row with ``conflict`` true and a flag for a manager.
voucher_uses = Table(
    "voucher_uses",
    metadata,
    Column("operation_id", String(36), primary_key=True),
    Column("voucher_id", String(24), nullable=False, index=True),
    Column("terminal_id", String(64), nullable=False),
    Column("operator_id", String(64)),
    Column("member_id", String(36)),
    Column("receipt_ref", String(200)),
    Column("value_satang", BigInteger, nullable=False),
    Column("sale_at", UtcDateTime, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("offline", Boolean, nullable=False),
    Column("conflict", Boolean, nullable=False),
)

# The one sale a points-multiplier voucher multiplied (the first earn the server received with it): a later earn
# with the same voucher id is judged at factor 1 (its bonus taken back and flagged), so one voucher multiplies
# one sale however many counters or uploads claim it (docs/vouchers.md, "Multiplier vouchers").
voucher_multiplied = Table(
    "voucher_multiplied",
    metadata,
    Column("voucher_id", String(24), primary_key=True),
    Column("entry_id", String(36), nullable=False),
    Column("terminal_id", String(64), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
)

# Rewards of the catalog that are bought with points as a voucher (a member's "฿50 off next time"): the counter
# reserves the reward's points, then asks for the voucher; one voucher per reservation (its batch id).
voucher_rewards = Table(
    "voucher_rewards",
    metadata,
    Column("reward_code", String(64), primary_key=True),
    Column("benefit", String(48), nullable=False),
    Column("valid_days", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
