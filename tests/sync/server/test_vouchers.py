"""Vouchers on the server: a batch is signed and written out, the server is the arbiter of single use (reserve,
commit, release, lapse), nothing is accepted twice online even with two counters racing over HTTP, and a
voucher used on two offline counters is recorded twice with the second use flagged with its value."""

from __future__ import annotations

import csv
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from pos_app.core import vouchers as cv
from sync import protocol as p
from sync.server import models as m
from sync.server import service as svc
from sync.server import vouchers as vsvc
from sync.server.app import run_tx
from sync.server.cli import cli
from sync.server.config import Settings
from sync.server.demo import DEMO_KEY_PASSPHRASE
from tests.sync.server.conftest import ServerProcess
from tests.sync.server.terminal import Terminal
from tests.sync.server.test_door import ADMIN

pytestmark = pytest.mark.postgres

NewTerminal = Callable[[httpx.Client], Terminal]
FIFTY = cv.Benefit("fixed", 5000)


def batch(engine: Engine, settings: Settings, count: int = 1, **kwargs: Any) -> list[str]:
    kwargs.setdefault("benefit", FIFTY)
    kwargs.setdefault("valid_until", svc.utcnow() + timedelta(days=30))
    _, codes = run_tx(engine, lambda c: vsvc.issue_batch(c, settings, campaign=kwargs.pop("campaign", "TEST"),
                                                         count=count, now=svc.utcnow(), **kwargs))
    return [code for _, code in codes]


def reserve(t: Terminal, code: str, op: str | None = None, **extra: Any) -> httpx.Response:
    return t.http.post("/v1/vouchers/reserve", headers=t.auth,
                       json={"operation_id": op or str(uuid.uuid4()), "code": code, **extra})


def commit(t: Terminal, code: str, op: str, value: int = 5000, offline: bool = False, **extra: Any) -> httpx.Response:
    return t.http.post("/v1/vouchers/commit", headers=t.auth, json={
        "operation_id": op, "code": code, "value_satang": value, "sale_at": p.format_utc(datetime.now(UTC)),
        "receipt_ref": f"R-{op[:8]}", "operator_id": "cashier1", "offline": offline, **extra})


def error_code(r: httpx.Response) -> str:
    return str(r.json()["error"]["code"])


def test_reserve_commit_and_nothing_twice(client: TestClient, engine: Engine, settings: Settings,
                                          new_terminal: NewTerminal) -> None:
    t1, t2 = new_terminal(client), new_terminal(client)
    [code] = batch(engine, settings)
    op = str(uuid.uuid4())
    held = reserve(t1, code, op, bill_satang=12000)
    assert held.status_code == 200, held.text
    assert held.json()["status"] == "reserved" and held.json()["operation_id"] == op
    assert reserve(t1, code, op).json()["status"] == "reserved"  # a retry is the same hold
    taken = reserve(t2, code)
    assert (taken.status_code, error_code(taken)) == (409, "voucher_reserved")
    used = commit(t1, code, op)
    assert used.status_code == 200 and used.json()["status"] == "used" and not used.json()["conflict"]
    again = commit(t1, code, op)  # the response was lost; the counter asks again
    assert again.status_code == 200 and again.json()["status"] == "used"
    for r in (reserve(t2, code), commit(t2, code, str(uuid.uuid4())), reserve(t1, code)):
        assert (r.status_code, error_code(r)) == (409, "voucher_already_used")
    uses = run_tx(engine, lambda c: c.execute(select(m.voucher_uses).where(
        m.voucher_uses.c.voucher_id == cv.parse_voucher(code, vsvc.chain_keys(c)).voucher_id)).all())
    assert len(uses) == 1


def test_a_hold_lapses_or_is_released(client: TestClient, engine: Engine, settings: Settings,
                                      new_terminal: NewTerminal) -> None:
    t1, t2 = new_terminal(client), new_terminal(client)
    code, code2 = batch(engine, settings, count=2)
    op = str(uuid.uuid4())
    assert reserve(t1, code, op, ttl_seconds=5).status_code == 200
    assert error_code(reserve(t2, code)) == "voucher_reserved"
    # never committed: after its lapse time another counter may take it (the server's clock moved on)
    later = svc.utcnow() + timedelta(seconds=6)
    term2 = run_tx(engine, lambda c: svc.authenticate(c, f"Bearer {t2.terminal_id}.{t2.secret}", later))
    state = run_tx(engine, lambda c: vsvc.reserve(c, term2, p.VoucherReserveRequest(
        operation_id=str(uuid.uuid4()), code=code), later))
    assert state.status == "reserved"
    # the first counter's late commit is refused: someone else holds it now
    late = run_tx(engine, lambda c: vsvc.status(c, code, later))
    assert late["status"] == "reserved" and late["operation_id"] != op
    # released: free again at once
    op2 = str(uuid.uuid4())
    assert reserve(t1, code2, op2).status_code == 200
    released = t1.http.post("/v1/vouchers/release", headers=t1.auth, json={"operation_id": op2})
    assert released.status_code == 200 and released.json()["released"] is True
    assert reserve(t2, code2).status_code == 200


def test_refusals_are_one_code_each(client: TestClient, engine: Engine, settings: Settings,
                                    new_terminal: NewTerminal) -> None:
    t = new_terminal(client)  # enrolled at BKK01
    [other_branch] = batch(engine, settings, branch="CNX01") if run_tx(
        engine, lambda c: c.execute(select(m.branches.c.id).where(m.branches.c.code == "CNX01")).first()) \
        else [None]
    [minimum] = batch(engine, settings, min_spend_satang=30000)
    [good] = batch(engine, settings)
    forged = good.replace(":F5000:", ":F9000:")
    assert (reserve(t, forged).status_code, error_code(reserve(t, forged))) == (422, "voucher_forged")
    assert error_code(reserve(t, minimum, bill_satang=29999)) == "voucher_below_minimum"
    assert reserve(t, minimum, bill_satang=30000).status_code == 200
    assert error_code(reserve(t, "LV1:nonsense")) == "voucher_malformed"
    if other_branch is not None:
        assert error_code(reserve(t, other_branch)) == "voucher_other_branch"
    # genuinely signed with the chain key, but never issued by this server
    signing = run_tx(engine, lambda c: vsvc.active_signing_key(c, DEMO_KEY_PASSPHRASE))
    assert signing is not None
    key_id, key = signing
    now = svc.utcnow()
    stray = cv.sign_voucher(key, key_id, "NEVERISSUED1", FIFTY, now, now + timedelta(days=1))
    r = reserve(t, stray)
    assert (r.status_code, error_code(r)) == (404, "unknown_voucher")
    # signed by a key the chain does not have
    alien = cv.sign_voucher(Ed25519PrivateKey.generate(), "ZZ9", "X1", FIFTY, now, now + timedelta(days=1))
    assert error_code(reserve(t, alien)) == "voucher_unknown_key"


def test_expired_and_void(client: TestClient, engine: Engine, settings: Settings,
                          new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    start = svc.utcnow() - timedelta(days=3)
    [old] = batch(engine, settings, valid_from=start, valid_until=start + timedelta(days=1))
    assert error_code(reserve(t, old)) == "voucher_expired"
    assert run_tx(engine, lambda c: vsvc.status(c, old, svc.utcnow()))["status"] == "expired"
    batch_id, codes = run_tx(engine, lambda c: vsvc.issue_batch(
        c, settings, campaign="VOIDME", count=3, benefit=FIFTY, valid_until=svc.utcnow() + timedelta(days=9),
        now=svc.utcnow()))
    op = str(uuid.uuid4())
    assert reserve(t, codes[0][1], op).status_code == 200 and commit(t, codes[0][1], op).status_code == 200
    assert run_tx(engine, lambda c: vsvc.void_batch(c, batch_id, "manager", svc.utcnow())) == 2
    r = reserve(t, codes[1][1])
    assert (r.status_code, error_code(r)) == (409, "voucher_void")
    assert run_tx(engine, lambda c: vsvc.status(c, codes[1][0], svc.utcnow()))["status"] == "void"
    assert run_tx(engine, lambda c: vsvc.status(c, codes[0][0], svc.utcnow()))["status"] == "used"


def test_used_on_two_offline_counters_is_recorded_twice_and_flagged(
        client: TestClient, engine: Engine, settings: Settings, new_terminal: NewTerminal) -> None:
    t1, t2 = new_terminal(client), new_terminal(client)
    [code] = batch(engine, settings, campaign="OFFLINE2X")
    op1, op2 = str(uuid.uuid4()), str(uuid.uuid4())
    first = commit(t1, code, op1, offline=True)
    second = commit(t2, code, op2, value=4200, offline=True)
    assert first.status_code == second.status_code == 200
    assert (first.json()["conflict"], second.json()["conflict"]) == (False, True)
    assert commit(t2, code, op2, value=4200, offline=True).json()["conflict"] is True  # retry: same answer
    voucher_id = first.json()["voucher_id"]
    flags = [f for f in run_tx(engine, lambda c: svc.list_flags(c, False, "voucher_conflict", None))
             if f.details["voucher_id"] == voucher_id]
    assert len(flags) == 1 and flags[0].details["value_satang"] == 4200
    assert flags[0].terminal_id == t2.terminal_id and flags[0].details["first_operation_id"] == op1
    conflicts = [c for c in run_tx(engine, vsvc.conflicts) if c["voucher_id"] == voucher_id]
    assert [c["value_satang"] for c in conflicts] == [4200]
    line = next(r for r in run_tx(engine, lambda c: vsvc.report(c, "campaign")) if r["campaign"] == "OFFLINE2X")
    assert (line["uses"], line["offline"], line["conflicts"], line["conflict_value_satang"]) == (2, 2, 1, 4200)
    # online, the same voucher is refused, never accepted a third time
    assert error_code(commit(t1, code, str(uuid.uuid4()))) == "voucher_already_used"


def test_allowance_reaches_the_terminals_with_the_policy(client: TestClient, engine: Engine,
                                                         new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    policy = run_tx(engine, lambda c: vsvc.set_allowance(c, "fixed", 3, 15000))
    assert policy.voucher_allowances["fixed"] == p.VoucherAllowance(count=3, value_satang=15000)
    pulled = [ch["policy"] for ch in t.pull_all() if ch["type"] == "policy"]
    assert pulled and pulled[-1]["voucher_allowances"] == {"fixed": {"count": 3, "value_satang": 15000}}


def test_two_counters_racing_over_http_never_use_one_voucher_twice(
        engine: Engine, settings: Settings, servers: list[ServerProcess], enroll_code: Callable[[], str]) -> None:
    clients = [httpx.Client(base_url=s.url, timeout=30) for s in servers]
    counters = []
    for http in clients:
        t = Terminal(http)
        assert t.enroll(enroll_code()).status_code == 200
        counters.append(t)
    codes = batch(engine, settings, count=12, campaign="RACE")
    outcomes: dict[tuple[int, str], tuple[int, str]] = {}
    barrier = threading.Barrier(2)

    def race(i: int) -> None:
        for code in codes:
            barrier.wait()
            op = str(uuid.uuid4())
            r = reserve(counters[i], code, op)
            if r.status_code == 200:
                r = commit(counters[i], code, op)
            outcomes[(i, code)] = (r.status_code, r.json().get("status") or error_code(r))

    threads = [threading.Thread(target=race, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for code in codes:
        pair = sorted(outcomes[(i, code)] for i in range(2))
        assert pair[0] == (200, "used"), pair
        assert pair[1][0] == 409 and pair[1][1] in ("voucher_reserved", "voucher_already_used"), pair
        assert run_tx(engine, lambda c, code=code: vsvc.status(c, code, svc.utcnow()))["status"] == "used"
    for http in clients:
        http.close()


def test_cli_issues_a_batch_to_csv_and_reports(pg_url: str, engine: Engine, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOYALTY_DATABASE_URL", pg_url)
    monkeypatch.setenv("LOYALTY_KEY_PASSPHRASE", DEMO_KEY_PASSPHRASE.decode())
    runner = CliRunner()
    out = tmp_path / "codes.csv"
    result = runner.invoke(cli, ["voucher", "batch", "--campaign", "NEWYEAR", "--count", "5", "--value", "50.00",
                                 "--valid-until", "2099-12-31", "--branch", "BKK01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 vouchers (F5000) written to" in result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 5 and {r["campaign"] for r in rows} == {"NEWYEAR"}
    voucher = run_tx(engine, lambda c: cv.parse_voucher(rows[0]["code"], vsvc.chain_keys(c)))
    assert (voucher.benefit, voucher.branch) == (FIFTY, "BKK01")
    assert voucher.valid_until == datetime(2100, 1, 1, tzinfo=UTC)
    status = runner.invoke(cli, ["--json", "voucher", "status", rows[0]["code"]])
    assert status.exit_code == 0 and '"status": "issued"' in status.output and '"campaign": "NEWYEAR"' in status.output
    # bad input: one clear line, exit 2, nothing issued
    for args, words in ((["--value", "fifty"], "not an amount"), (["--value", "50", "--percent", "10"], "exactly one"),
                        (["--value", "50.00", "--valid-until", "31/12/2099"], "2026-12-31")):
        full = ["voucher", "batch", "--campaign", "BAD", "--count", "1", "--valid-until", "2099-12-31",
                "--out", str(tmp_path / "bad.csv"), *args]
        bad = runner.invoke(cli, full)
        assert bad.exit_code == 2 and words in bad.output and "Traceback" not in bad.output, bad.output
    assert not (tmp_path / "bad.csv").exists()
    report = runner.invoke(cli, ["voucher", "report", "--by", "campaign"])
    assert report.exit_code == 0


def test_a_voucher_bought_with_points_needs_the_reserved_points(client: TestClient, engine: Engine,
                                                                 new_terminal: NewTerminal) -> None:
    t, other = new_terminal(client), new_terminal(client)
    member = t.member()
    t.upload_ok([member, t.earn(member["member"]["id"], 500_000)])  # 200 points
    mid = str(member["member"]["id"])
    run_tx(engine, lambda c: svc.upsert_reward(c, p.RewardInfo(code="V20", name_th="บัตร", name_en="Voucher",
                                                              points_cost=120, stock=None, active=True)))
    run_tx(engine, lambda c: vsvc.set_voucher_reward(c, "V20", cv.Benefit("fixed", 2000), 30, svc.utcnow()))

    def issue(term: Terminal, reservation_id: str, reward: str = "V20") -> httpx.Response:
        return term.http.post("/v1/vouchers/issue", headers=term.auth, json={
            "member_id": mid, "reward_code": reward, "reservation_id": reservation_id})

    nothing = issue(t, str(uuid.uuid4()))
    assert (nothing.status_code, error_code(nothing)) == (409, "reservation_mismatch")
    too_few = str(uuid.uuid4())
    assert t.http.post("/v1/reservations", headers=t.auth, json={
        "reservation_id": too_few, "member_id": mid, "points": 50, "reward_code": "V20"}).status_code == 200
    assert error_code(issue(t, too_few)) == "reservation_mismatch"
    held = str(uuid.uuid4())
    assert t.http.post("/v1/reservations", headers=t.auth, json={
        "reservation_id": held, "member_id": mid, "points": 120, "reward_code": "V20"}).status_code == 200
    assert error_code(issue(other, held)) == "reservation_mismatch"  # another terminal's hold
    assert error_code(issue(t, held, "NOPE")) == "not_a_voucher_reward"
    first = issue(t, held)
    assert first.status_code == 200, first.text
    assert issue(t, held).json()["code"] == first.json()["code"]  # one voucher per hold
    voucher = run_tx(engine, lambda c: cv.parse_voucher(first.json()["code"], vsvc.chain_keys(c)))
    assert (voucher.owner, voucher.benefit) == (mid, cv.Benefit("fixed", 2000))


def test_a_voucher_reward_is_pulled_marked_and_an_older_terminal_reads_it_unchanged(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    """The pull's reward change carries the voucher marker (``voucher_benefit``, ``voucher_valid_days``) once the
    reward is made a voucher: a new change id, so terminals that already hold the reward pull it again. The
    fields are optional: an older terminal's ``RewardInfo`` reads the same change and ignores them; an older
    server's change (no fields) reads as an ordinary reward."""
    t = new_terminal(client)
    run_tx(engine, lambda c: svc.upsert_reward(c, p.RewardInfo(code="V50", name_th="บัตร", name_en="Voucher",
                                                              points_cost=150, stock=None, active=True)))
    before = [c["reward"] for c in t.pull_all() if c["type"] == "reward" and c["reward"]["code"] == "V50"]
    assert [(r["voucher_benefit"], r["voucher_valid_days"]) for r in before] == [(None, None)]
    run_tx(engine, lambda c: vsvc.set_voucher_reward(c, "V50", FIFTY, 30, svc.utcnow()))
    after = [c for c in t.pull_all() if c["type"] == "reward"]
    assert [(c["reward"]["code"], c["reward"]["voucher_benefit"], c["reward"]["voucher_valid_days"])
            for c in after] == [("V50", "F5000", 30)]
    late = new_terminal(client)  # enrolled afterwards: the snapshot says it too
    assert late.snapshot is not None
    assert {r["code"]: r["voucher_benefit"] for r in late.snapshot["rewards"]}["V50"] == "F5000"
    # an older terminal: its reward model has no such fields and takes no notice of them
    old = p.RewardInfo.model_validate(after[0]["reward"])
    assert old.model_dump() == {"code": "V50", "name_th": "บัตร", "name_en": "Voucher", "points_cost": 150,
                                "stock": None, "active": True}
    # an older server: the change without the fields is an ordinary reward to a new terminal
    plain = {k: v for k, v in after[0].items() if k != "reward"} | {"reward": old.model_dump()}
    reward = p.Change.model_validate(plain).reward
    assert reward is not None and reward.voucher_benefit is None
    # the admin's PUT of a reward neither sets nor drops the marker (only 'voucher reward' sets it)
    put = client.put("/admin/v1/rewards/V50", headers=ADMIN, json={
        **old.model_dump(), "points_cost": 160, "voucher_benefit": "F1"})
    assert put.status_code == 200, put.text
    assert [(c["reward"]["points_cost"], c["reward"]["voucher_benefit"]) for c in t.pull_all()
            if c["type"] == "reward"] == [(160, "F5000")]


def _multiplied_sale(t: Terminal, member_id: str, voucher_id: str, factor: int, points: int) -> dict[str, Any]:
    """A ฿1,234.50 sale (49 points by the rules) recorded with a multiplier voucher as a counter records it."""
    return t.earn(member_id, 123_450, points=points, voucher_id=voucher_id, points_factor=factor)


def test_a_multiplied_sale_is_recomputed_with_the_factor_of_the_voucher_the_server_issued(
        engine: Engine, settings: Settings, servers: list[ServerProcess], new_terminal: NewTerminal) -> None:
    with httpx.Client(base_url=servers[0].url, timeout=30) as http:
        counter, other = new_terminal(http), new_terminal(http)
        member = counter.member()
        counter.upload_ok([member])
        mid = member["member"]["id"]
        x2, x2b, fixed = (cv.parse_voucher(c, vsvc_keys(engine)).voucher_id for c in (
            *batch(engine, settings, 2, benefit=cv.Benefit("multiplier", 2)), *batch(engine, settings)))
        honest = _multiplied_sale(counter, mid, x2, 2, 98)
        body = counter.upload_ok([honest])
        assert body["quarantined"] == [] and body["flags"] == []  # 49 x 2, as the server computes it
        # a counter claiming x3 on an x2 voucher, and one claiming a multiplier on a fixed-discount voucher
        greedy = _multiplied_sale(counter, mid, x2b, 3, 147)
        posing = _multiplied_sale(counter, mid, fixed, 2, 98)
        body = counter.upload_ok([greedy, posing])
        assert body["quarantined"] == []
        flags = [(f["kind"], f["entry_id"], f["details"]["expected"], f["details"]["points"],
                  f["details"]["points_factor"], f["details"]["server_points_factor"], f["details"]["taken_back"])
                 for f in body["flags"]]
        assert flags == [("points_mismatch", greedy["entry"]["id"], 98, 147, 3, 2, 49),
                         ("points_mismatch", posing["entry"]["id"], 49, 98, 2, None, 49)]
        assert run_tx(engine, lambda c: svc.member_state(c, mid)).balance == 98 + 98 + 49
        seen = [c["entry"] for c in other.pull_all() if c["type"] == "entry" and c["entry"]["member_id"] == mid]
        assert [(e["voucher_id"], e["points_factor"]) for e in seen if e["terminal_id"] != "server"] == \
            [(x2, 2), (x2b, 3), (fixed, 2)]  # the fields travel to the other counters as recorded
        assert [(e["kind"], e["points"]) for e in seen if e["terminal_id"] == "server"] == \
            [("reverse", -49), ("reverse", -49)]
        assert all(p.Entry.model_validate(e).hash_ok() for e in seen)


def test_one_multiplier_voucher_multiplies_one_sale_while_it_is_valid_for_it(
        engine: Engine, settings: Settings, servers: list[ServerProcess], new_terminal: NewTerminal) -> None:
    """A voucher id is printed on every code and listed in the console: a counter that tags sale after sale with
    one x2 voucher (or two offline counters that both honoured it) gains the bonus once; a void voucher, one
    not yet valid, one of another member or another branch gives none. Each refusal takes the bonus back and
    says why in the flag; the sale's own points stay."""
    with httpx.Client(base_url=servers[0].url, timeout=30) as http:
        counter, other = new_terminal(http), new_terminal(http)
        member, stranger = counter.member(), counter.member()
        counter.upload_ok([member, stranger])
        mid, sid = member["member"]["id"], stranger["member"]["id"]
        x2 = cv.Benefit("multiplier", 2)
        if not run_tx(engine, lambda c: c.execute(select(m.branches.c.id).where(m.branches.c.code == "CNX01")).first()):
            run_tx(engine, lambda c: svc.add_branch(c, "CNX01", "Chiang Mai 1", svc.utcnow()))
        ids = [cv.parse_voucher(c, vsvc_keys(engine)).voucher_id for c in (
            *batch(engine, settings, benefit=x2),
            *batch(engine, settings, benefit=x2, owner=sid),
            *batch(engine, settings, benefit=x2, branch="CNX01"),
            *batch(engine, settings, benefit=x2, valid_from=svc.utcnow() + timedelta(days=1)))]
        once, owned, elsewhere, later = ids
        void_code = batch(engine, settings, benefit=x2, campaign="VOIDED")[0]
        void_id = cv.parse_voucher(void_code, vsvc_keys(engine)).voucher_id
        batch_id = run_tx(engine, lambda c: c.execute(select(m.vouchers.c.batch_id).where(
            m.vouchers.c.id == void_id)).scalar_one())
        run_tx(engine, lambda c: vsvc.void_batch(c, batch_id, "marketing1", svc.utcnow()))
        first = _multiplied_sale(counter, mid, once, 2, 98)
        assert counter.upload_ok([first])["flags"] == []
        again = [_multiplied_sale(counter, mid, once, 2, 98), _multiplied_sale(counter, mid, once, 2, 98)]
        elsewhere_too = _multiplied_sale(other, mid, once, 2, 98)  # another counter, another upload
        refused = [_multiplied_sale(counter, mid, v, 2, 98) for v in (owned, elsewhere, later, void_id)]
        body = counter.upload_ok([*again, *refused])
        assert body["quarantined"] == []
        why = {f["entry_id"]: (f["kind"], f["details"]["expected"], f["details"]["taken_back"],
                               f["details"]["voucher_refused"]) for f in body["flags"]}
        earlier = f"the voucher already multiplied sale {first['entry']['id']}"
        assert [why[e["entry"]["id"]] for e in [*again, *refused]] == [
            ("points_mismatch", 49, 49, earlier), ("points_mismatch", 49, 49, earlier),
            ("points_mismatch", 49, 49, "the voucher belongs to another member"),
            ("points_mismatch", 49, 49, "the voucher is not valid at this branch"),
            ("points_mismatch", 49, 49, "the voucher is not valid at the sale's time"),
            ("points_mismatch", 49, 49, "the voucher is void")]
        flags = other.upload_ok([elsewhere_too])["flags"]
        assert [(f["details"]["taken_back"], f["details"]["voucher_refused"]) for f in flags] == [(49, earlier)]
        assert run_tx(engine, lambda c: svc.member_state(c, mid)).balance == 98 + 49 * 7
        resent = counter.upload([first])  # the first sale's upload again (its answer lost): still the one
        assert resent.status_code == 200, resent.text
        assert run_tx(engine, lambda c: c.execute(select(m.voucher_multiplied.c.entry_id).where(
            m.voucher_multiplied.c.voucher_id == once)).scalar_one()) == first["entry"]["id"]


def test_a_batch_refuses_a_code_of_a_revoked_key_as_commit_does(
        engine: Engine, settings: Settings, servers: list[ServerProcess], new_terminal: NewTerminal) -> None:
    """The batch's shortcut (a code equal to the text the server issued is not verified again) holds only while
    the chain still holds the key: a voucher signed by a key revoked since is refused by both calls alike."""
    from sync.server import keys

    with httpx.Client(base_url=servers[0].url, timeout=30) as http:
        t = new_terminal(http)
        signing = run_tx(engine, lambda c: c.execute(select(m.signing_keys.c.key_id).where(
            m.signing_keys.c.active.is_(True))).scalar_one())
        run_tx(engine, lambda c: keys.add_key(c, "KREVOKE", svc.utcnow(), DEMO_KEY_PASSPHRASE))
        try:
            [code] = batch(engine, settings)
            assert code.split(":")[1] == "KREVOKE"
        finally:
            run_tx(engine, lambda c: keys.activate_key(c, signing))
        run_tx(engine, lambda c: keys.revoke_key(c, "KREVOKE"))
        single = commit(t, code, str(uuid.uuid4()))
        assert single.status_code >= 400
        r = http.post("/v1/vouchers/commit-batch", headers=t.auth, json={"uses": [{
            "operation_id": str(uuid.uuid4()), "code": code, "value_satang": 5000,
            "sale_at": p.format_utc(datetime.now(UTC)), "receipt_ref": "R-K", "operator_id": "cashier1",
            "offline": True}]})
        assert r.status_code == 200, r.text
        assert r.json()["results"][0]["error"]["code"] == error_code(single)


def vsvc_keys(engine: Engine) -> dict[str, bytes]:
    return run_tx(engine, vsvc.chain_keys)


def test_a_batch_of_uses_is_judged_use_by_use_and_answered_in_order(
        engine: Engine, settings: Settings, servers: list[ServerProcess], new_terminal: NewTerminal) -> None:
    with httpx.Client(base_url=servers[1].url, timeout=30) as http:
        t1, t2 = new_terminal(http), new_terminal(http)
        fresh, taken, again = batch(engine, settings, 3)
        first = str(uuid.uuid4())
        assert commit(t2, taken, str(uuid.uuid4()), offline=True).status_code == 200  # used at the other counter
        assert commit(t1, again, first, offline=True).status_code == 200  # sent before, its answer lost

        def use(code: str, op: str | None = None, **extra: Any) -> dict[str, Any]:
            return {"operation_id": op or str(uuid.uuid4()), "code": code, "value_satang": 5000,
                    "sale_at": p.format_utc(datetime.now(UTC)), "receipt_ref": "R-B", "operator_id": "cashier1",
                    "offline": True, **extra}

        uses = [use(fresh), use(fresh.replace(":F5000:", ":F9000:")), use(taken), use(again, first),
                use(taken, offline=False)]
        r = http.post("/v1/vouchers/commit-batch", headers=t1.auth, json={"uses": uses})
        assert r.status_code == 200, r.text
        results = r.json()["results"]
        assert [x["operation_id"] for x in results] == [u["operation_id"] for u in uses]
        assert [(x["state"] or {}).get("status") for x in results] == ["used", None, "used", "used", None]
        assert [(x["state"] or {}).get("conflict") for x in results] == [False, None, True, False, None]
        assert [(x["error"] or {}).get("code") for x in results] == [None, "voucher_forged", None, None,
                                                                     "voucher_already_used"]
        ops = run_tx(engine, lambda c: {row.operation_id for row in c.execute(select(m.voucher_uses).where(
            m.voucher_uses.c.terminal_id == t1.terminal_id))})
        assert ops == {uses[0]["operation_id"], uses[2]["operation_id"], first}  # the refused ones wrote nothing
        flags = run_tx(engine, lambda c: [f for f in svc.list_flags(c) if f.kind == "voucher_conflict"
                                          and f.details.get("operation_id") == uses[2]["operation_id"]])
        assert len(flags) == 1
        # one voucher twice in one batch (two offline uses): the second is the conflict; an operation sent twice
        # in it is one use; an unknown voucher is refused in its slot
        [twice] = batch(engine, settings)
        signing = run_tx(engine, lambda c: vsvc.active_signing_key(c, DEMO_KEY_PASSPHRASE))
        assert signing is not None
        never = cv.sign_voucher(signing[1], signing[0], "NEVERISSUED2", FIFTY, svc.utcnow(),
                                svc.utcnow() + timedelta(days=1))
        op = str(uuid.uuid4())
        r = http.post("/v1/vouchers/commit-batch", headers=t1.auth,
                      json={"uses": [use(twice), use(twice), use(never), use(twice, op), use(twice, op)]})
        results = r.json()["results"]
        assert [(x["state"] or {}).get("conflict") for x in results] == [False, True, None, True, True]
        assert results[2]["error"]["code"] == "unknown_voucher"
        assert run_tx(engine, lambda c: len(c.execute(select(m.voucher_uses).where(
            m.voucher_uses.c.voucher_id == cv.parse_voucher(twice, vsvc_keys(engine)).voucher_id)).all())) == 3
        too_many = http.post("/v1/vouchers/commit-batch", headers=t1.auth,
                             json={"uses": [use(fresh)] * (p.MAX_VOUCHER_COMMIT_BATCH + 1)})
        assert too_many.status_code == 422


def test_an_ordinary_redemption_of_a_voucher_reward_is_kept_and_flagged_for_a_manager(
        client: TestClient, app_client: TestClient, settings: Settings, engine: Engine,
        new_terminal: NewTerminal) -> None:
    """An older terminal (or one that has not pulled the marker) redeems a voucher reward as a plain redemption:
    the member paid the points and got no voucher. The upload is accepted (the counter honoured it) and a
    ``voucher_reward_redeemed`` flag names the reward and the terminal, on the console and in the branch's
    flags. A purchase (a hold taken for a voucher, or a voucher issued for the hold), a sale from before the
    reward was a voucher and an ordinary reward's redemption are not flagged."""
    from sync.server.console import auth
    from tests.sync.server.conftest import CONSOLE_PASSWORD
    from tests.sync.server.test_console import sign_in

    run_tx(engine, lambda c: auth.add_user(c, "vhq", CONSOLE_PASSWORD, "admin", svc.utcnow()))
    t = new_terminal(client)
    member = t.member()
    mid = str(member["member"]["id"])
    t.upload_ok([member, t.earn(mid, 2_500_000)])  # 1,000 points
    for code, cost in (("V70", 100), ("TEA70", 30)):
        run_tx(engine, lambda c, code=code, cost=cost: svc.upsert_reward(c, p.RewardInfo(
            code=code, name_th="บัตร", name_en="Voucher", points_cost=cost, stock=None, active=True)))
    marked_at = datetime.now(UTC) - timedelta(minutes=1)
    run_tx(engine, lambda c: vsvc.set_voucher_reward(c, "V70", FIFTY, 30, marked_at))

    def held(for_voucher: bool | None) -> str:
        rid = str(uuid.uuid4())
        extra = {} if for_voucher is None else {"for_voucher": for_voucher}
        r = t.http.post("/v1/reservations", headers=t.auth, json={
            "reservation_id": rid, "member_id": mid, "points": 100, "reward_code": "V70", **extra})
        assert r.status_code == 200, r.text
        return rid

    before = t.redeem(mid, 100, reward_code="V70", sale_at=p.format_utc(marked_at - timedelta(minutes=5)))
    plain_offline = t.redeem(mid, 100, reward_code="V70")
    plain_online = t.redeem(mid, 100, offline=False, reward_code="V70", reservation_id=held(None))
    bought = t.redeem(mid, 100, offline=False, reward_code="V70", reservation_id=held(True))
    old_buy_hold = held(False)  # a terminal from before the marker: the voucher is issued before the upload
    issued = t.http.post("/v1/vouchers/issue", headers=t.auth, json={
        "member_id": mid, "reward_code": "V70", "reservation_id": old_buy_hold})
    assert issued.status_code == 200, issued.text
    old_buy = t.redeem(mid, 100, offline=False, reward_code="V70", reservation_id=old_buy_hold)
    tea = t.redeem(mid, 30, reward_code="TEA70")
    body = t.upload_ok([before, plain_offline, plain_online, bought, old_buy, tea])

    assert body["quarantined"] == []
    flagged = [(f["kind"], f["entry_id"], f["details"]["reward_code"], f["details"]["points"])
               for f in body["flags"] if f["kind"] == "voucher_reward_redeemed"]
    assert flagged == [("voucher_reward_redeemed", plain_offline["entry"]["id"], "V70", 100),
                       ("voucher_reward_redeemed", plain_online["entry"]["id"], "V70", 100)]
    reason = body["flags"][0]["details"]["reason"]
    assert reason == f"reward V70 buys a voucher but was redeemed without one at terminal {t.terminal_id}"
    # nothing lost: every redemption's points are taken, as the counter recorded them
    balance = run_tx(engine, lambda c: c.execute(select(m.members.c.balance).where(m.members.c.id == mid)).scalar())
    assert balance == 1000 - 5 * 100 - 30
    # the branch's flags (the counter's back office) and the console's queue, in English and Thai
    branch = t.http.get("/v1/flags", headers=t.auth).json()["flags"]
    assert [f["entry_id"] for f in branch if f["kind"] == "voucher_reward_redeemed"] == [
        plain_offline["entry"]["id"], plain_online["entry"]["id"]]
    ada = sign_in(app_client, settings, engine, "vhq", CONSOLE_PASSWORD)
    english = ada.get("/console/flags").text
    assert english.count("Voucher reward redeemed without a voucher") == 2 and reason in english
    from pos_app.core.i18n import load_catalog
    thai_label = load_catalog("th")["Voucher reward redeemed without a voucher"]
    assert ada.get("/console/flags", params={"lang": "th"}).text.count(thai_label) == 2
