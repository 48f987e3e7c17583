"""Tables of the local ledger (SQLAlchemy Core). The DDL itself lives in Alembic migrations; a test checks
that migrating an empty file to head yields exactly these tables and columns.

Entries are append-only: no code path issues UPDATE or DELETE on ``entries``, ``outbox`` or ``operations``
(triggers in the first migration refuse them). The ``balances`` row of a member is a cache of the sum of
their entries, written in the same transaction as each entry.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, LargeBinary, MetaData, Table, Text

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

members = Table(
    "members", metadata,
    Column("id", Text, primary_key=True),
    Column("card_no", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("phone", Text, unique=True),
    Column("tier", Text, nullable=False),
    Column("consent", Boolean, nullable=False),
    Column("created_at_ms", Integer, nullable=False),
    Column("terminal_id", Text, nullable=False),
    Column("member_code", Text),
    Column("flagged", Text),
    Column("origin", Text, nullable=False),
    Column("erased_at_ms", Integer),  # PDPA erasure: name '' and phone NULL since then (migration 0008)
    Column("marketing_consent", Boolean),  # the newest marketing choice; NULL: never asked (migration 0008)
)

consents = Table(  # consent records made here (PDPA): appended, never changed (migration 0008)
    "consents", metadata,
    Column("id", Text, primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),
    Column("member_id", Text, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("granted", Boolean, nullable=False),
    Column("text_version", Text, nullable=False),
    Column("at_ms", Integer, nullable=False),
    Column("branch_id", Text),
    Column("staff_id", Text),
    Column("content_hash", Text, nullable=False),
)

balances = Table(
    "balances", metadata,
    Column("member_id", Text, primary_key=True),
    Column("points", Integer, nullable=False),
    Column("earned_total", Integer, nullable=False),
    Column("updated_at_ms", Integer, nullable=False),
)

entries = Table(
    "entries", metadata,
    Column("id", Text, primary_key=True),
    Column("terminal_id", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("member_id", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("points", Integer, nullable=False),
    Column("contra_account", Text, nullable=False),
    Column("amount_satang", Integer),
    Column("receipt_ref", Text),
    Column("reward_code", Text),
    Column("corrects_id", Text),
    Column("rules_version", Integer),
    Column("tier_code", Text),
    Column("lines_json", Text, nullable=False),
    Column("sale_at_ms", Integer, nullable=False),
    Column("clock_offset_ms", Integer, nullable=False),
    Column("operator_id", Text),
    Column("approved_by", Text),
    Column("reason", Text),
    Column("offline", Boolean, nullable=False),
    Column("reservation_id", Text),
    Column("op_id", Text),
    Column("content_hash", Text, nullable=False),
    Column("chain_hash", Text, nullable=False),
    Column("origin", Text, nullable=False),
    Column("recorded_at_ms", Integer, nullable=False),
    Column("currency", Text),
    Column("amount_minor", Integer),
    Column("fx_rate", Text),
    Column("voucher_id", Text),  # a points-multiplier voucher used with the sale (0012), and its factor
    Column("points_factor", Integer),
)

outbox = Table(
    "outbox", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("type", Text, nullable=False),
    Column("ref_id", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at_ms", Integer, nullable=False),
)

operations = Table(
    "operations", metadata,
    Column("op_id", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("request_hash", Text, nullable=False),
    Column("result_json", Text, nullable=False),
    Column("created_at_ms", Integer, nullable=False),
)

staff = Table(
    "staff", metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("pin_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("origin", Text, nullable=False),
    Column("phone", Text),
    Column("must_change_pin", Boolean, nullable=False, server_default="0"),
    Column("demo", Boolean, nullable=False, server_default="0"),
    Column("unlocked_at_ms", Integer),
)

pin_guard = Table(
    "pin_guard", metadata,
    Column("scope", Text, primary_key=True),
    Column("purpose", Text, primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failure_at_ms", Integer, nullable=False),
    Column("locked_at_ms", Integer),
)

flag_acks = Table(
    "flag_acks", metadata,
    Column("flag_key", Text, primary_key=True),  # "flag:<server flag id>" or "quarantined:<record id>"
    Column("staff_id", Text, nullable=False),
    Column("at_ms", Integer, nullable=False),
)

report_hours = Table(  # kept by the trigger entries_report_hours (migration 0009); read by the reports
    "report_hours", metadata,
    Column("hour", Integer, primary_key=True),          # sale_at_ms // 3,600,000 (UTC hours)
    Column("operator_id", Text, primary_key=True),      # '-' for none
    Column("reward_code", Text, primary_key=True),      # '' for none
    Column("kind", Text, primary_key=True),             # earn | redeem (this terminal's own)
    Column("n", Integer, nullable=False),
    Column("points", Integer, nullable=False),
    Column("amount_satang", Integer, nullable=False),
)

audit_events = Table(
    "audit_events", metadata,
    Column("id", Text, primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),
    Column("at_ms", Integer, nullable=False),
    Column("staff_id", Text),
    Column("event", Text, nullable=False),
    Column("purpose", Text),
    Column("details_json", Text, nullable=False),
    Column("content_hash", Text, nullable=False),
)

rewards = Table(
    "rewards", metadata,
    Column("code", Text, primary_key=True),
    Column("name_th", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("points_cost", Integer, nullable=False),
    Column("stock", Integer),
    Column("active", Boolean, nullable=False),
    # A reward that buys a voucher (pulled from the server): the voucher's benefit as in its code, and its days of
    # validity. NULL: an ordinary reward. Such a reward is bought through the server, never redeemed ordinarily.
    Column("voucher_benefit", Text),
    Column("voucher_valid_days", Integer),
)

rules = Table(
    "rules", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("bundle_json", Text, nullable=False),
)

signing_keys = Table(
    "signing_keys", metadata,
    Column("key_id", Text, primary_key=True),
    Column("public_key", LargeBinary, nullable=False),
    Column("status", Text, nullable=False),
)

# Vouchers used at this counter (docs/vouchers.md): one row per use, born here with the sale (its id is the
# operation id the server knows it by). ``voucher_id`` is unique: this counter never takes one voucher twice.
# ``acked_at_ms`` is set when the server recorded the use (at once online, at the next sync for an offline use);
# ``conflict`` is the server's verdict that another counter had used it first.
voucher_uses = Table(
    "voucher_uses", metadata,
    Column("op_id", Text, primary_key=True),
    Column("voucher_id", Text, nullable=False, unique=True),
    Column("code", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("face_value_satang", Integer, nullable=False),
    Column("value_satang", Integer, nullable=False),
    Column("bill_satang", Integer),
    Column("receipt_ref", Text, nullable=False),
    Column("member_id", Text),
    Column("operator_id", Text, nullable=False),
    Column("sale_at_ms", Integer, nullable=False),
    Column("offline", Boolean, nullable=False),
    Column("acked_at_ms", Integer),
    Column("conflict", Boolean),
)
