"""Vouchers on the server: issuing batches, the arbiter of single use, and the reports (docs/vouchers.md).

Single use online: every change of a voucher's status runs with its row locked (``SELECT ... FOR UPDATE``), so
two counters racing for one voucher are served one after the other and the second is told it is taken. Every
call is idempotent by the counter's ``operation_id``. A use a counter honoured offline is never refused: a
second use of a voucher is recorded as a conflict (``voucher_uses.conflict``) and flagged for a manager with its
value; the offline allowance per voucher type bounds that loss (``OfflinePolicy.voucher_allowances``).

Lock order (with the service's): the voucher row is the only row locked here, then the flag insert.
"""

from __future__ import annotations

import csv
import io
import random
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from pos_app.core import vouchers as cv
from pos_app.core.member_codes import terminal_key_id
from sync import protocol as p
from sync import records as rec
from sync.server import models as m
from sync.server import service as svc
from sync.server.config import Settings
from sync.server.errors import ApiError
from sync.server.keys import active_signing_key

ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ID_LENGTH = 12  # 60 bits: not guessable, and short in the QR
MAX_BATCH = 100_000


def chain_keys(conn: Connection) -> dict[str, bytes]:
    """The keys a voucher may be signed with: the chain's own, not revoked, never a terminal's key (a terminal key
    id is derived from its key, so it is recognised without a lookup)."""
    rows = conn.execute(select(m.signing_keys.c.key_id, m.signing_keys.c.public_key)
                        .where(m.signing_keys.c.revoked.is_(False)))
    return {r.key_id: bytes(r.public_key) for r in rows if r.key_id != terminal_key_id(bytes(r.public_key))}


def _branch_code(conn: Connection, branch_id: str) -> str | None:
    return conn.execute(select(m.branches.c.code).where(m.branches.c.id == branch_id)).scalar_one_or_none()


def _refusal(error: cv.VoucherError) -> ApiError:
    return ApiError(409 if error.reason == "already_used" else 422, f"voucher_{error.reason}",
                    f"voucher refused: {error.reason}")


def _state(row: Any, now: datetime, conflict: bool = False) -> p.VoucherState:
    status = row.status
    if status == "issued" and row.valid_until <= now:
        status = "expired"
    if status == "reserved" and row.reserved_until is not None and row.reserved_until <= now:
        status = "expired" if row.valid_until <= now else "issued"  # a hold that lapsed
    return p.VoucherState(
        voucher_id=row.id, status=status, kind=row.kind, face_value_satang=int(row.face_value_satang),
        reserved_until=p.format_utc(row.reserved_until) if status == "reserved" else None,
        operation_id=row.operation_id if status in ("reserved", "used") else None, conflict=conflict,
        server_time=p.format_utc(now))


def _lock(conn: Connection, voucher_id: str) -> Any:
    row = conn.execute(select(m.vouchers).where(m.vouchers.c.id == voucher_id).with_for_update()).first()
    if row is None:  # genuinely signed but never issued here: treat like a forgery
        raise ApiError(404, "unknown_voucher", "this voucher was never issued by this server")
    return row


def _parse(conn: Connection, code: str, keys: Mapping[str, bytes] | None = None) -> cv.Voucher:
    try:
        return cv.parse_voucher(code, chain_keys(conn) if keys is None else keys)
    except cv.VoucherError as error:
        raise _refusal(error) from None


# ------------------------------------------------------------------------------------------ issuing


def issue_batch(conn: Connection, settings: Settings, *, campaign: str, count: int, benefit: cv.Benefit,
                valid_until: datetime, now: datetime, valid_from: datetime | None = None,
                branch: str | None = None, min_spend_satang: int = 0, owner: str | None = None,
                rng: random.Random | None = None, batch_id: str | None = None) -> tuple[str, list[tuple[str, str]]]:
    """Sign ``count`` single-use vouchers of one campaign; returns the batch id and (voucher id, code) pairs.
    ``rng``: where the ids come from (the deterministic simulation's seeded source; default: ``secrets``)."""
    if not 1 <= count <= MAX_BATCH:
        raise ApiError(422, "bad_count", f"a batch has 1..{MAX_BATCH:,} vouchers")
    if not campaign.strip() or len(campaign) > 100:
        raise ApiError(422, "bad_campaign", "the campaign needs a name of at most 100 characters")
    if branch is not None and conn.execute(select(m.branches.c.id).where(m.branches.c.code == branch)).first() is None:
        raise ApiError(404, "unknown_branch", f"no branch {branch}")
    signing = active_signing_key(conn, settings.key_passphrase)
    if signing is None:
        raise ApiError(409, "no_signing_key", "no active signing key can be opened here (passphrase / key file?)")
    key_id, key = signing
    start = (valid_from or now).replace(microsecond=0)
    if valid_until <= start:
        raise ApiError(422, "bad_validity", "valid-until must be after the start of validity")
    pick = rng.choice if rng is not None else secrets.choice
    batch_id = batch_id or (str(uuid.UUID(int=rng.getrandbits(128), version=4)) if rng is not None
                            else str(uuid.uuid4()))
    rows: list[dict[str, Any]] = []
    out: list[tuple[str, str]] = []
    for _ in range(count):
        voucher_id = "".join(pick(ID_ALPHABET) for _ in range(ID_LENGTH))
        try:
            code = cv.sign_voucher(key, key_id, voucher_id, benefit, start, valid_until, branch=branch,
                                   min_spend_satang=min_spend_satang, owner=owner)
        except ValueError as exc:
            raise ApiError(422, "bad_voucher", str(exc)) from exc
        rows.append({"id": voucher_id, "batch_id": batch_id, "code": code, "kind": benefit.kind,
                     "face_value_satang": benefit.face_value_satang, "owner_member_id": owner,
                     "valid_until": valid_until, "status": "issued", "created_at": now})
        out.append((voucher_id, code))
    conn.execute(insert(m.voucher_batches).values(
        id=batch_id, campaign=campaign, benefit=benefit.encode(), valid_from=start, valid_until=valid_until,
        branch_id=branch, min_spend_satang=min_spend_satang, count=count, created_at=now))
    conn.execute(insert(m.vouchers), rows)
    return batch_id, out


def batch_csv(codes: list[tuple[str, str]], campaign: str, benefit: cv.Benefit, valid_until: datetime,
              branch: str | None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["voucher_id", "code", "campaign", "benefit", "valid_until", "branch"])
    for voucher_id, code in codes:
        writer.writerow([voucher_id, code, campaign, benefit.encode(), p.format_utc(valid_until), branch or ""])
    return buffer.getvalue()


def status(conn: Connection, code_or_id: str, now: datetime) -> dict[str, Any]:
    """A voucher's state and its uses (the text may be the code or the voucher id)."""
    voucher_id = code_or_id.strip()
    if voucher_id.startswith(cv.VOUCHER_PREFIX + ":"):
        voucher_id = _parse(conn, voucher_id).voucher_id
    row = conn.execute(select(m.vouchers).where(m.vouchers.c.id == voucher_id)).first()
    if row is None:
        raise ApiError(404, "unknown_voucher", f"no voucher {voucher_id}")
    batch = conn.execute(select(m.voucher_batches).where(m.voucher_batches.c.id == row.batch_id)).first()
    uses = conn.execute(select(m.voucher_uses).where(m.voucher_uses.c.voucher_id == voucher_id)
                        .order_by(m.voucher_uses.c.received_at)).all()
    return {**_state(row, now).model_dump(exclude={"server_time"}),
            "campaign": batch.campaign if batch else None, "batch_id": row.batch_id,
            "valid_until": p.format_utc(row.valid_until), "owner": row.owner_member_id,
            "uses": [{"operation_id": u.operation_id, "terminal_id": u.terminal_id, "value_satang": int(u.value_satang),
                      "sale_at": p.format_utc(u.sale_at), "offline": u.offline, "conflict": u.conflict}
                     for u in uses]}


def void_batch(conn: Connection, batch_id: str, by: str, now: datetime) -> int:
    """Void every voucher of a batch not used yet; returns how many were voided."""
    batch = conn.execute(select(m.voucher_batches).where(m.voucher_batches.c.id == batch_id)
                         .with_for_update()).first()
    if batch is None:
        raise ApiError(404, "unknown_batch", f"no voucher batch {batch_id}")
    if batch.voided_at is None:
        conn.execute(update(m.voucher_batches).where(m.voucher_batches.c.id == batch_id)
                     .values(voided_at=now, voided_by=by))
    result = conn.execute(update(m.vouchers).where(m.vouchers.c.batch_id == batch_id,
                                                   m.vouchers.c.status.in_(("issued", "reserved")))
                          .values(status="void"))
    return int(result.rowcount or 0)


def set_allowance(conn: Connection, kind: str, count: int, value_satang: int) -> p.OfflinePolicy:
    """The offline allowance of one voucher type (a new policy version, pulled by the terminals)."""
    current = svc.get_policy(conn)
    allowances = {k: v.model_dump() for k, v in current.voucher_allowances.items()}
    allowances[kind] = {"count": count, "value_satang": value_satang}
    return svc.set_policy(conn, {"voucher_allowances": allowances})  # type: ignore[dict-item]


def set_voucher_reward(conn: Connection, reward_code: str, benefit: cv.Benefit, valid_days: int,
                       now: datetime) -> dict[str, Any]:
    """Make catalog reward ``reward_code`` a voucher bought with points (its cost is the reward's). The reward gets
    a new change id, so every terminal pulls it again marked as a voucher (``RewardOffer.voucher_benefit``): a
    counter then buys the voucher when it is redeemed, never an ordinary redemption."""
    reward = conn.execute(select(m.rewards).where(m.rewards.c.code == reward_code)
                          .with_for_update()).first()  # the reward row before the change counter (lock order)
    if reward is None:
        raise ApiError(404, "unknown_reward", f"no reward {reward_code}: add it with 'reward set' first")
    if not 1 <= valid_days <= 3660:
        raise ApiError(422, "bad_validity", "a voucher bought with points is valid 1..3660 days")
    values = {"benefit": benefit.encode(), "valid_days": valid_days, "created_at": now}
    if conn.execute(select(m.voucher_rewards).where(m.voucher_rewards.c.reward_code == reward_code)).first():
        conn.execute(update(m.voucher_rewards).where(m.voucher_rewards.c.reward_code == reward_code).values(**values))
    else:
        conn.execute(insert(m.voucher_rewards).values(reward_code=reward_code, **values))
    conn.execute(update(m.rewards).where(m.rewards.c.code == reward_code).values(change_id=svc.take_change_ids(conn, 1)))
    return {"reward_code": reward_code, "points_cost": int(reward.points_cost), **values}


def issue_for_points(conn: Connection, settings: Settings, terminal: svc.TerminalRow, req: p.VoucherIssueRequest,
                     now: datetime) -> p.VoucherIssued:
    """The voucher a member bought with points: one per reservation of the reward's points (a retry answers the
    same voucher), owned by the member, valid for the reward's ``valid_days``."""
    existing = conn.execute(select(m.vouchers).where(m.vouchers.c.batch_id == req.reservation_id)).first()
    if existing is not None:
        if existing.owner_member_id != req.member_id:
            raise ApiError(409, "reservation_mismatch", "this reservation bought another member's voucher")
        return p.VoucherIssued(voucher_id=existing.id, code=existing.code,
                               valid_until=p.format_utc(existing.valid_until), server_time=p.format_utc(now))
    offer = conn.execute(select(m.voucher_rewards).where(m.voucher_rewards.c.reward_code == req.reward_code)).first()
    reward = conn.execute(select(m.rewards).where(m.rewards.c.code == req.reward_code)).first()
    if offer is None or reward is None:
        raise ApiError(404, "not_a_voucher_reward", f"reward {req.reward_code} is not a voucher")
    hold = conn.execute(select(m.reservations).where(m.reservations.c.id == req.reservation_id)
                        .with_for_update()).first()
    if (hold is None or hold.terminal_id != terminal.id or hold.member_id != req.member_id
            or hold.reward_code != req.reward_code or int(hold.points) < int(reward.points_cost)
            or hold.status not in ("held", "posted")):
        raise ApiError(409, "reservation_mismatch", "no reservation of this reward's points for this member")
    benefit = cv.parse_benefit(offer.benefit)
    _, [(voucher_id, code)] = issue_batch(
        conn, settings, campaign=f"points:{req.reward_code}", count=1, benefit=benefit,
        valid_until=now.replace(microsecond=0) + timedelta(days=int(offer.valid_days)), now=now,
        owner=req.member_id, batch_id=req.reservation_id)
    row = conn.execute(select(m.vouchers).where(m.vouchers.c.id == voucher_id)).one()
    return p.VoucherIssued(voucher_id=voucher_id, code=code, valid_until=p.format_utc(row.valid_until),
                           server_time=p.format_utc(now))


# ------------------------------------------------------------------------------------------ using


def reserve(conn: Connection, terminal: svc.TerminalRow, req: p.VoucherReserveRequest,
            now: datetime) -> p.VoucherState:
    """Hold the voucher for this operation until ``ttl_seconds`` from now, after the same checks a counter makes
    offline (signature, dates, branch, owner, minimum spend). Refused if another operation holds or used it."""
    try:
        voucher = cv.verify_voucher(req.code, chain_keys(conn), now, branch=_branch_code(conn, terminal.branch_id),
                                    member_id=req.member_id, spend_satang=req.bill_satang)
    except cv.VoucherError as error:
        raise _refusal(error) from None
    row = _lock(conn, voucher.voucher_id)
    if row.operation_id == req.operation_id and row.status in ("reserved", "used"):
        return _state(row, now)  # a retry
    if row.status == "void":
        raise ApiError(409, "voucher_void", "this voucher was voided")
    if row.status == "used":
        raise ApiError(409, "voucher_already_used", "this voucher has already been used")
    if row.status == "reserved" and row.reserved_until > now:
        raise ApiError(409, "voucher_reserved", "this voucher is being used at another counter right now")
    conn.execute(update(m.vouchers).where(m.vouchers.c.id == row.id).values(
        status="reserved", operation_id=req.operation_id, terminal_id=terminal.id,
        reserved_until=now + timedelta(seconds=req.ttl_seconds)))
    return _state(_lock(conn, row.id), now)


@dataclass
class _Decided:
    """What one use does: its state to answer, and the rows to write (none for a retry)."""

    state: p.VoucherState
    use: dict[str, Any] | None = None
    flag: svc.NewFlag | None = None
    voucher: dict[str, Any] | None = None
    """The voucher row's new values (a first use), or None."""


def _sale_at(req: p.VoucherCommitRequest) -> datetime:
    try:
        return rec.parse_utc(req.sale_at)
    except ValueError as exc:
        raise ApiError(422, "bad_time", f"sale_at: {exc}") from exc


def _decide(row: Any, previous: Any, req: p.VoucherCommitRequest, terminal: svc.TerminalRow, now: datetime,
            sale_at: datetime) -> _Decided:
    """The judgement of one use of the (locked) voucher ``row`` given the use already stored under its operation
    id (``previous``, or None). Refusals are raised (nothing to write); pure, so :func:`commit` and
    :func:`commit_batch` judge alike."""
    if previous is not None:
        if previous.voucher_id != row.id or previous.terminal_id != terminal.id:
            raise ApiError(409, "operation_conflict", "this operation id was used for another voucher")
        return _Decided(_state(row, now, conflict=previous.conflict))  # a retry
    taken = row.status == "used" or row.status == "void" or (
        row.status == "reserved" and row.operation_id != req.operation_id and row.reserved_until > now)
    if taken and not req.offline:
        code = {"used": "voucher_already_used", "void": "voucher_void"}.get(row.status, "voucher_reserved")
        raise ApiError(409, code, f"this voucher cannot be used: {row.status}")
    conflict = taken and row.status != "reserved"
    use = {"operation_id": req.operation_id, "voucher_id": row.id, "terminal_id": terminal.id,
           "operator_id": req.operator_id, "member_id": req.member_id, "receipt_ref": req.receipt_ref,
           "value_satang": req.value_satang, "sale_at": sale_at, "received_at": now, "offline": req.offline,
           "conflict": conflict}
    if conflict:
        flag = svc.NewFlag("voucher_conflict", req.member_id, terminal.id, None, {
            "voucher_id": row.id, "value_satang": req.value_satang, "status": row.status,
            "first_operation_id": row.operation_id, "operation_id": req.operation_id,
            "receipt_ref": req.receipt_ref})
        return _Decided(_state(row, now, conflict=True), use, flag)
    changes = {"status": "used", "operation_id": req.operation_id, "terminal_id": terminal.id,
               "reserved_until": None, "used_at": sale_at}
    after = SimpleNamespace(**{**row._asdict(), **changes}) if hasattr(row, "_asdict") else \
        SimpleNamespace(**{**vars(row), **changes})
    return _Decided(_state(after, now), use, None, {"id": row.id, **changes})


def _write(conn: Connection, decided: list[_Decided], now: datetime) -> None:
    uses = [d.use for d in decided if d.use is not None]
    if uses:
        conn.execute(insert(m.voucher_uses), uses)
    changed = [{"b_" + k: v for k, v in d.voucher.items()} for d in decided if d.voucher is not None]
    if changed:
        conn.execute(update(m.vouchers).where(m.vouchers.c.id == bindparam("b_id")).values(
            status=bindparam("b_status"), operation_id=bindparam("b_operation_id"),
            terminal_id=bindparam("b_terminal_id"), reserved_until=bindparam("b_reserved_until"),
            used_at=bindparam("b_used_at")), changed)
    svc.insert_flags(conn, [d.flag for d in decided if d.flag is not None], now)


def commit(conn: Connection, terminal: svc.TerminalRow, req: p.VoucherCommitRequest, now: datetime) -> p.VoucherState:
    """Record the use. Online: the voucher must not be used or held by another operation. Offline (the counter
    already honoured it): always recorded; a second use is a conflict, flagged with its value."""
    sale_at = _sale_at(req)
    voucher = _parse(conn, req.code)
    row = _lock(conn, voucher.voucher_id)
    previous = conn.execute(select(m.voucher_uses).where(m.voucher_uses.c.operation_id == req.operation_id)).first()
    decided = _decide(row, previous, req, terminal, now, sale_at)
    _write(conn, [decided], now)
    return decided.state


def commit_batch(conn: Connection, terminal: svc.TerminalRow, batch: p.VoucherCommitBatch,
                 now: datetime) -> p.VoucherCommitBatchResponse:
    """Several uses in one transaction (a sync round's uses honoured offline), each judged as :func:`commit`
    judges it (:func:`_decide`), in the order sent; a refused use is answered in its slot and writes nothing, the
    others stand. Set-based: the vouchers are locked by one query (in voucher-id order, so two batches touching
    the same vouchers never deadlock), the earlier uses read by one, and the uses, voucher changes and flags
    written by one statement each; a code that is exactly the text issued under its id is not verified again.
    ``bench/bench_sync_catchup.py``: one request per use, then one commit per use inside a batch request, then a
    signature check per use, each made a catch-up with vouchers measurably slower than one without."""
    keys = chain_keys(conn)
    results: list[p.VoucherCommitOutcome | None] = [None] * len(batch.uses)
    parsed: dict[int, tuple[str, datetime]] = {}

    def refused(i: int, error: ApiError) -> None:
        results[i] = p.VoucherCommitOutcome(operation_id=batch.uses[i].operation_id, error=p.ErrorBody(
            code=error.code, message=error.message, details=error.details))

    # The voucher id is the code's third field; a code that is exactly the text this server issued under that id,
    # signed by a key the chain still holds, is genuine without checking its signature again (the server signed
    # that text). Any other is verified and refused as /commit refuses it (forged, malformed, unknown or retired
    # key, never issued).
    claimed = {i: fields[2] for i, req in enumerate(batch.uses)
               if len(fields := req.code.strip().split(":")) > 3 and fields[0] == cv.VOUCHER_PREFIX
               and fields[1] in keys}
    ids = sorted(set(claimed.values()))
    rows: dict[str, Any] = {row.id: SimpleNamespace(**row._asdict()) for row in conn.execute(
        select(m.vouchers).where(svc._in(conn, m.vouchers.c.id, ids)).order_by(m.vouchers.c.id).with_for_update())} \
        if ids else {}
    for i, req in enumerate(batch.uses):
        try:
            row = rows.get(claimed.get(i, ""))
            voucher_id = row.id if row is not None and row.code == req.code.strip() else \
                _parse(conn, req.code, keys).voucher_id
            parsed[i] = voucher_id, _sale_at(req)
        except ApiError as error:
            refused(i, error)
    ops = [batch.uses[i].operation_id for i in parsed]
    previous: dict[str, Any] = {row.operation_id: row for row in conn.execute(
        select(m.voucher_uses).where(svc._in(conn, m.voucher_uses.c.operation_id, ops)))} if ops else {}
    decided: list[_Decided] = []
    for i, (voucher_id, sale_at) in sorted(parsed.items()):
        req, row = batch.uses[i], rows.get(voucher_id)
        if row is None:  # genuinely signed but never issued here: treat like a forgery
            refused(i, ApiError(404, "unknown_voucher", "this voucher was never issued by this server"))
            continue
        try:
            d = _decide(row, previous.get(req.operation_id), req, terminal, now, sale_at)
        except ApiError as error:
            refused(i, error)
            continue
        decided.append(d)
        results[i] = p.VoucherCommitOutcome(operation_id=req.operation_id, state=d.state)
        if d.use is not None:  # what the next uses of this batch see: this one stored, the voucher changed
            previous[req.operation_id] = SimpleNamespace(**d.use)
        if d.voucher is not None:
            rows[voucher_id] = SimpleNamespace(**{**vars(row), **d.voucher})
    _write(conn, decided, now)
    return p.VoucherCommitBatchResponse(results=[r for r in results if r is not None], server_time=p.format_utc(now))


def release(conn: Connection, terminal: svc.TerminalRow, req: p.VoucherReleaseRequest, now: datetime) -> dict[str, Any]:
    """Give up a hold (the sale was cancelled). Releasing what is not held by this operation changes nothing."""
    row = conn.execute(select(m.vouchers).where(m.vouchers.c.operation_id == req.operation_id,
                                                m.vouchers.c.status == "reserved").with_for_update()).first()
    if row is not None and row.terminal_id == terminal.id:
        conn.execute(update(m.vouchers).where(m.vouchers.c.id == row.id).values(
            status="issued", operation_id=None, terminal_id=None, reserved_until=None))
        return {"released": True, "voucher_id": row.id, "server_time": p.format_utc(now)}
    return {"released": False, "voucher_id": None, "server_time": p.format_utc(now)}


# ------------------------------------------------------------------------------------------ reports


def report(conn: Connection, by: str) -> list[dict[str, Any]]:
    """Vouchers used per ``day`` (sale date, UTC), ``campaign`` or ``cashier``; conflicts and offline uses
    counted apart (a conflict's value is the loss a manager looks at)."""
    if by not in ("day", "campaign", "cashier"):
        raise ApiError(422, "bad_report", "report by day, campaign or cashier")
    u, v, b = m.voucher_uses, m.vouchers, m.voucher_batches
    rows = conn.execute(select(u.c.sale_at, u.c.operator_id, u.c.value_satang, u.c.conflict, u.c.offline,
                               b.c.campaign)
                        .select_from(u.join(v, v.c.id == u.c.voucher_id).outerjoin(b, b.c.id == v.c.batch_id)))
    totals: dict[str, dict[str, Any]] = {}
    for r in rows:
        key = (r.sale_at.date().isoformat() if by == "day" else (r.campaign if by == "campaign"
                                                                else r.operator_id) or "")
        line = totals.setdefault(key, {by: key, "uses": 0, "value_satang": 0, "conflicts": 0,
                                       "conflict_value_satang": 0, "offline": 0})
        line["uses"] += 1
        line["value_satang"] += int(r.value_satang)
        line["offline"] += int(bool(r.offline))
        if r.conflict:
            line["conflicts"] += 1
            line["conflict_value_satang"] += int(r.value_satang)
    return [totals[k] for k in sorted(totals)]


def conflicts(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(m.voucher_uses).where(m.voucher_uses.c.conflict.is_(True))
                        .order_by(m.voucher_uses.c.received_at))
    return [{"voucher_id": r.voucher_id, "operation_id": r.operation_id, "terminal_id": r.terminal_id,
             "value_satang": int(r.value_satang), "receipt_ref": r.receipt_ref, "sale_at": p.format_utc(r.sale_at)}
            for r in rows]


def benefit_from_options(value: str | None, percent: int | None, cap: str | None, item: str | None,
                         multiplier: int | None) -> cv.Benefit:
    """The one benefit the ``voucher batch`` options name (baht amounts as typed: ``50.00``)."""
    from pos_app.core.money import parse_amount

    chosen: Mapping[str, object] = {k: x for k, x in (("value", value), ("percent", percent), ("item", item),
                                                      ("multiplier", multiplier)) if x is not None}
    if len(chosen) != 1:
        raise ApiError(422, "bad_benefit", "give exactly one of --value, --percent (with --cap), --item, --multiplier")
    try:
        if value is not None:
            benefit = cv.Benefit("fixed", parse_amount(value))
        elif percent is not None:
            if cap is None:
                raise ApiError(422, "bad_benefit", "--percent needs --cap (the most it takes off, in baht)")
            benefit = cv.Benefit("percent", percent, cap_satang=parse_amount(cap))
        elif item is not None:
            benefit = cv.Benefit("item", reward_code=item)
        else:
            benefit = cv.Benefit("multiplier", int(multiplier or 0))
        benefit.encode()
    except ValueError as exc:  # AmountError is a ValueError too
        raise ApiError(422, "bad_benefit", str(exc)) from exc
    return benefit
