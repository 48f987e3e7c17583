"""The terminal side of sync against the real server app (in-process, real SQLite files on both ends)."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable

import httpx
import pytest

from pos_app.services import sync_glue
from pos_app.services.errors import NotAllowed
from pos_app.services.staff import Approval
from sync import protocol as p
from sync.client import EnrollRefused, Offline, Refused, enroll
from sync.server import service as svc
from sync.server.app import run_tx
from tests.sync.client.harness import SERVER_URL, InProcessServer, Term, new_member

MakeTerm = Callable[..., Term]


def uploads(server: InProcessServer) -> list[dict]:
    """Every upload batch sent, by ``POST /v1/upload`` or inside ``POST /v1/sync``, in order."""
    sent = [json.loads(body) if path == "/v1/upload" else json.loads(body).get("upload")
            for method, path, body in server.log if path in ("/v1/upload", "/v1/sync")]
    return [batch for batch in sent if batch is not None]


# ----------------------------------------------------------------------------------------------- enrollment


def test_enrollment_adopts_identity_reference_data_and_keeps_the_secret_in_a_0600_file(
        server: InProcessServer, terminal: MakeTerm) -> None:
    t = terminal("a", enroll=False)
    before = t.services.ledger.terminal_id
    terminal_id = t.enroll()
    assert terminal_id.startswith("BKK01-") and terminal_id != before
    assert t.services.ledger.terminal_id == terminal_id
    state = t.store.state()
    assert state.mode == "enrolled" and state.branch_id == "BKK01" and state.server_url == SERVER_URL
    # the secret: in its own file, owner-only, and only its hash went to the server
    cred = t.store.credential_path()
    assert stat.S_IMODE(cred.stat().st_mode) == 0o600
    secret = json.loads(cred.read_text())["secret"]
    enroll_body = next(json.loads(b) for _m, path, b in server.log if path == "/v1/enroll")
    assert secret not in json.dumps(enroll_body)
    with t.services.ledger.read() as conn:
        assert secret not in json.dumps(t.services.ledger.all_meta(conn))
    # staff from the server sign in with their PINs (argon2 hashes made by the server)
    assert t.services.login_by_pin("1111").id == "cashier1"
    assert t.services.login_by_pin("9999").role == "manager"
    assert {r["code"] for r in t.services.rewards()} >= {"COFFEE", "TOTE", "VOUCHER100"}
    assert t.services.public_keys()  # the chain's member-code key
    doctor = t.services.doctor()
    assert doctor["mode"] == "enrolled" and doctor["terminal_id"] == terminal_id
    assert doctor["server_url"] == SERVER_URL and doctor["last_sync_ok_ms"]


def test_enroll_refuses_a_ledger_with_records_and_sends_nothing(server: InProcessServer, terminal: MakeTerm) -> None:
    t = terminal("demo", enroll=False)
    t.services.add_staff(name="Local", role="cashier", pin="1234", staff_id="local1", demo=True)
    new_member(t, "0811111111")
    with pytest.raises(EnrollRefused) as info:
        t.enroll()
    assert info.value.code == "ledger_not_empty"
    assert "standalone" in info.value.message
    assert server.log == []
    assert t.store.state().mode == "standalone"
    assert "records" in sync_glue.describe(info.value.code)


def test_enroll_twice_and_bad_codes_are_refused(server: InProcessServer, terminal: MakeTerm) -> None:
    t = terminal("a")
    with pytest.raises(EnrollRefused) as info:
        t.enroll()
    assert info.value.code == "already_enrolled"
    assert info.value.message.startswith("this terminal is already enrolled as ")
    fresh = terminal("b", enroll=False)
    with pytest.raises(Refused) as refused:
        enroll(fresh.store, SERVER_URL, "WRNG-CODE-0000", transport=server.transport())
    assert refused.value.code == "invalid_enrollment_code"
    assert refused.value.message == "this enrollment code is not valid"
    assert fresh.store.state().mode == "standalone"


def test_the_server_staff_manager_pin_approves_a_large_redemption(terminal: MakeTerm) -> None:
    a = terminal("a")
    member = new_member(a, "0812222222", 30_000)  # 30,000 baht -> enough points
    a.sync()
    result = sync_glue.redeem(a.services, a.sync_client(), member_id=member, points=1001, operator_id="cashier1",
                              approval=Approval(pin="9999"))
    assert result.approved_by == "manager1"


def test_online_the_last_reward_held_at_one_counter_is_refused_at_the_other_with_why(
        server: InProcessServer, terminal: MakeTerm, refused) -> None:
    assert server.engine is not None
    run_tx(server.engine, lambda c: svc.upsert_reward(c, p.RewardInfo(
        code="TOTE", name_th="กระเป๋าผ้า", name_en="Tote bag", points_cost=300, stock=1, active=True)))
    a, b = terminal("a"), terminal("b")
    member = new_member(a, "0813333333", 30_000)  # 1,200 points: enough for both
    a.sync(), b.sync()
    # a's redemption holds the last one on the server (its entry is uploaded at a's next sync)
    sync_glue.redeem(a.services, a.sync_client(), member_id=member, reward_code="TOTE", operator_id="cashier1")
    # b still shows one in stock (it has not synced since), but the server has promised it to a
    with refused(NotAllowed, "out_of_stock", "The loyalty server says this reward is out of stock (1 in stock, 1 on "
                                             "hold for redemptions in progress)."):
        sync_glue.redeem(b.services, b.sync_client(), member_id=member, reward_code="TOTE", operator_id="cashier1")
    assert [e.kind for e in b.services.history(member)] == ["earn"]  # nothing recorded at b, not even offline


# ----------------------------------------------------------------------------------------------- convergence


def test_two_terminals_converge_on_members_entries_and_balances(server: InProcessServer, terminal: MakeTerm) -> None:
    a, b = terminal("a"), terminal("b")
    m1 = new_member(a, "0810000001", 1000)
    m2 = new_member(b, "0810000002", 500)
    a.sync(), b.sync(), a.sync()
    sync_glue.redeem(b.services, b.sync_client(), member_id=m1, points=10, operator_id="cashier1")
    a.services.award(member_id=m2, amount_satang=25_000, receipt_ref="R-a-2", operator_id="cashier1")
    for t in (a, b, a, b):
        t.sync()
    assert a.balances() == b.balances() == server.balances()
    assert server.verify() == []
    assert a.services.ledger.verify().ok and b.services.ledger.verify().ok
    assert sorted(a.entry_ids()) == sorted(b.entry_ids()) == sorted(server.entry_ids())
    # the member enrolled at A is identifiable at B by the code the server signed
    code = b.services.members.get(m1).member_code
    assert code and b.services.identify(code).id == m1
    assert a.store.queued_count() == 0


def test_identical_resend_after_a_lost_response_stores_once(server: InProcessServer, terminal: MakeTerm) -> None:
    a = terminal("a")
    new_member(a, "0810000003", 2000)
    server.fault = lambda req: "drop_response" if req.url.path in ("/v1/upload", "/v1/sync") else None
    with pytest.raises(Offline) as info:
        a.sync()
    assert info.value.code == "unreachable" and "cannot reach the server" in str(info.value)
    state = a.store.state()
    assert state.acked_seq == 0 and state.batch is not None  # the server committed; we never heard
    assert state.last_sync_error == "unreachable: cannot reach the server: simulated: answer lost"
    a.crash()  # and the counter was even restarted in between
    server.fault = None
    a.sync()
    sent = uploads(server)
    assert len(sent) == 2 and sent[0] == sent[1]  # same batch id, same records
    assert a.store.state().acked_seq == 4  # the member, its two consent records, the sale
    assert len(server.entry_ids()) == 1 and a.balances() == server.balances()


@pytest.mark.parametrize("fault, code, message", [
    ("drop_request", "unreachable", "cannot reach the server: simulated: request lost"),
    ("timeout", "timeout", "the server did not answer in time (ReadTimeout)"),
    ("500", "server_error", "the server failed (HTTP 500); will retry"),
    ("502", "server_error", "the server failed (HTTP 502); will retry"),
    ("garbage", "bad_response", "the server's answer is not JSON (HTTP 200)"),
    ("wrong_shape", "bad_response", "the server's answer does not follow the sync protocol"),
])
def test_dead_network_5xx_timeouts_and_garbage_lose_nothing(server: InProcessServer, terminal: MakeTerm,
                                                           fault: str, code: str, message: str) -> None:
    a = terminal("a")
    member = new_member(a, "0810000004", 400)
    server.fault = lambda req: fault
    with pytest.raises(Offline) as info:
        a.sync()
    assert info.value.code == code and info.value.message == message
    state = a.store.state()
    assert state.last_sync_error and code in state.last_sync_error
    assert a.store.queued_count() == 4  # the member, its two consent records, the sale
    assert a.services.doctor()["last_sync_error"]
    assert sync_glue.describe(code)  # a translated line for the counter
    server.fault = None
    a.sync()
    assert a.store.queued_count() == 0 and server.balances()[member] == a.balances()[member]
    assert not a.store.state().last_sync_error


def test_a_revoked_terminal_is_refused_with_a_clear_code(server: InProcessServer, terminal: MakeTerm) -> None:
    a = terminal("a")
    new_member(a, "0810000005", 100)
    server.tx(lambda c: svc.revoke_terminal(c, a.services.ledger.terminal_id, svc.utcnow()))
    with pytest.raises(Refused) as info:
        a.sync()
    assert info.value.code == "terminal_revoked"
    assert info.value.message == "this terminal has been revoked; enroll it again"
    assert "revoked" in sync_glue.describe("terminal_revoked")
    assert a.store.queued_count() == 4  # kept (the member, its two consent records, the sale)


def test_pull_pages_are_applied_with_their_cursor(server: InProcessServer, terminal: MakeTerm) -> None:
    a, b = terminal("a"), terminal("b")
    for i in range(12):
        new_member(a, f"08200000{i:02d}", 100 + i)
    a.sync()
    server.log.clear()
    calls = {"n": 0}

    def fail_third_page(req: httpx.Request) -> str | None:
        if req.url.path in ("/v1/changes", "/v1/sync"):  # the first page comes in the round's one request
            calls["n"] += 1
            return "drop_request" if calls["n"] == 3 else None
        return None

    server.fault = fail_third_page
    with pytest.raises(Offline) as info:
        b.sync()
    assert info.value.code == "unreachable" and "simulated: request lost" in str(info.value)
    cursor = b.store.state().cursor
    assert cursor > 0  # two pages applied and kept
    assert b.services.ledger.verify().ok
    server.fault = None
    b.crash()  # the counter restarts: the cursor comes back from the ledger file, nothing from memory
    assert b.store.state().cursor == cursor
    server.urls.clear()
    b.sync()
    assert b.balances() == server.balances()
    pulls = server.pulls()
    assert pulls[0] == cursor  # resumed where the kept pages ended, not from the start
    assert pulls == sorted(set(pulls))  # then page after page, never a page twice
    latest = b.store.state().cursor
    assert latest > cursor

    server.urls.clear()
    b.sync()  # nothing new: one request, at the latest cursor
    assert server.pulls() == [latest]
    assert b.store.state().cursor == latest


# ----------------------------------------------------------------------------------------------- offline allowance


def offline(server: InProcessServer, *terms: Term) -> None:
    ids = {t.services.ledger.terminal_id for t in terms}

    def cut(req: httpx.Request) -> str | None:
        auth = req.headers.get("authorization", "")
        return "drop_request" if any(f" {tid}." in auth for tid in ids) else None

    server.fault = cut


def test_offline_allowance_limits_refuse_clearly(server: InProcessServer, terminal: MakeTerm) -> None:
    server.set_policy(max_points_per_redemption=100, max_points_per_member_per_terminal=150,
                      max_points_per_terminal=250, max_hours_since_sync=24)
    a = terminal("a")
    m1, m2 = new_member(a, "0830000001", 4000), new_member(a, "0830000002", 4000)
    a.sync()
    offline(server, a)
    client = a.sync_client()

    def redeem(member: str, points: int) -> object:
        return sync_glue.redeem(a.services, client, member_id=member, points=points, operator_id="cashier1")

    with pytest.raises(NotAllowed, match="100"):
        redeem(m1, 101)  # per redemption
    assert redeem(m1, 100).points == 100
    with pytest.raises(NotAllowed, match="50"):
        redeem(m1, 60)  # per member on this terminal: 150 - 100 left
    assert redeem(m1, 50).points == 50
    assert redeem(m2, 100).points == 100
    with pytest.raises(NotAllowed, match="0"):
        redeem(m2, 10)  # per terminal: 250 used
    assert sync_glue.offline_remaining(a.services, m2) == 0
    with a.services.ledger.read() as conn:
        offline_flags = [bool(r[0]) for r in conn.exec_driver_sql(
            "SELECT offline FROM entries WHERE kind = 'redeem'").all()]
    assert offline_flags == [True, True, True]
    # back online: a successful sync gives the allowance back
    server.fault = None
    a.sync()
    assert sync_glue.offline_remaining(a.services, m1) == 100


def test_no_offline_redemption_when_the_last_sync_is_too_old(server: InProcessServer, tmp_path) -> None:
    now = {"ms": 1_900_000_000_000}
    t = Term("old", tmp_path / "old", server, clock=lambda: now["ms"])
    try:
        t.enroll()
        member = new_member(t, "0830000003", 2000)
        t.sync()
        offline(server, t)
        now["ms"] += 25 * 3_600_000
        with pytest.raises(NotAllowed, match="24"):
            sync_glue.redeem(t.services, t.sync_client(), member_id=member, points=10, operator_id="cashier1")
    finally:
        t.close()


def test_a_standalone_terminal_redeems_without_sync(terminal: MakeTerm) -> None:
    t = terminal("solo", enroll=False)
    member = new_member(t, "0830000004", 1000)
    result = sync_glue.redeem(t.services, None, member_id=member, points=10, operator_id="cashier1")
    assert result.points == 10


@pytest.mark.parametrize("count", [2, 5])
def test_offline_redemptions_on_several_terminals_become_a_bounded_flagged_overdraft(
        server: InProcessServer, terminal: MakeTerm, count: int) -> None:
    server.set_policy(max_points_per_redemption=300, max_points_per_member_per_terminal=300,
                      max_points_per_terminal=1000, max_hours_since_sync=24)
    terms = [terminal(f"t{i}") for i in range(count)]
    member = new_member(terms[0], "0840000001", 10_000)  # 10,000 baht -> 400 points
    terms[0].sync()
    for t in terms:
        t.sync()
    balance = server.balances()[member]
    assert all(t.balances()[member] == balance for t in terms)
    offline(server, *terms)
    for t in terms:
        sync_glue.redeem(t.services, t.sync_client(), member_id=member, points=300, operator_id="cashier1")
    server.fault = None
    for t in terms:
        t.sync()
    for t in terms:
        t.sync()
    shortfall = count * 300 - balance
    overdrafts = [f for f in server.flags("overdraft") if f.member_id == member]
    assert sum(f.details["shortfall"] for f in overdrafts) == shortfall
    from pos_app.core.allowance import AllowancePolicy, worst_case_overdraft

    assert shortfall <= worst_case_overdraft(AllowancePolicy(300, 300, 1000, 24), count - 1)
    assert server.member(member).offline_redeem_blocked
    assert server.balances()[member] == 0
    for t in terms:
        assert t.balances() == server.balances()
        assert t.services.members.get(member).flagged
        assert sync_glue.offline_remaining(t.services, member) == 0
    offline(server, terms[0])
    terms[0].services.award(member_id=member, amount_satang=100_000, receipt_ref="R-after", operator_id="cashier1")
    with pytest.raises(NotAllowed, match="manager"):
        sync_glue.redeem(terms[0].services, terms[0].sync_client(), member_id=member, points=10,
                         operator_id="cashier1")


def test_online_redemptions_racing_for_the_same_points_never_overdraw(server: InProcessServer,
                                                                      terminal: MakeTerm) -> None:
    import threading

    a, b = terminal("a"), terminal("b")
    member = new_member(a, "0850000001", 1000)
    a.sync(), b.sync()
    balance = server.balances()[member]
    results: dict[str, object] = {}
    gate = threading.Barrier(2)

    def go(t: Term) -> None:
        gate.wait()
        try:
            results[t.name] = sync_glue.redeem(t.services, t.sync_client(), member_id=member, points=balance,
                                               operator_id="cashier1")
        except NotAllowed as exc:
            results[t.name] = exc

    threads = [threading.Thread(target=go, args=(t,)) for t in (a, b)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    refused = [r for r in results.values() if isinstance(r, NotAllowed)]
    assert len(refused) == 1 and "enough points" in refused[0].message
    for t in (a, b, a, b):
        t.sync()
    assert server.balances()[member] == 0 and not server.flags("overdraft")
    assert a.balances() == b.balances() == server.balances()


def test_a_local_redemption_failure_voids_the_reservation(server: InProcessServer, terminal: MakeTerm) -> None:
    from pos_app.services.errors import ApprovalRequired

    a = terminal("a")
    member = new_member(a, "0850000002", 30_000)  # 1200 points
    a.sync()
    with pytest.raises(ApprovalRequired) as info:  # over the approval threshold, no manager PIN: refused after reserving
        sync_glue.redeem(a.services, a.sync_client(), member_id=member, points=1001, operator_id="cashier1")
    assert info.value.code == "approval_required"
    assert info.value.message == "Manager approval needed: redeeming more than 1000 points"
    paths = [path for _m, path, _b in server.log]
    assert "/v1/reservations" in paths and any(p.endswith("/void") for p in paths)
    # the hold is gone: the whole balance can be reserved again at once
    assert a.sync_client().reserve(member, 1200)


# ----------------------------------------------------------------------------------------------- clocks


def test_a_skewed_clock_is_reported_and_the_server_flags_its_entries(server: InProcessServer, tmp_path) -> None:
    import time

    t = Term("skew", tmp_path / "skew", server, clock=lambda: time.time_ns() // 1_000_000 + 10 * 60_000)
    try:
        t.enroll()
        new_member(t, "0860000001", 100)
        result = t.sync()
        assert result.clock_skewed and result.clock_offset_ms > 9 * 60_000
        assert t.store.state().clock_offset_ms > 9 * 60_000  # stored: doctor and new entries carry it
        new_member(t, "0860000002", 100)  # entries made after the offset was measured carry it
        t.sync()
        assert server.flags("clock_skew")
    finally:
        t.close()


def test_a_server_restored_from_an_older_backup_gets_the_lost_records_again(server: InProcessServer,
                                                                           terminal: MakeTerm) -> None:
    import shutil

    a = terminal("a")
    member = new_member(a, "0880000001", 1000)
    a.sync()
    server.stop()
    backup = server.db.with_name("backup.sqlite3")
    shutil.copyfile(server.db, backup)  # the server's backup, taken here
    server.start()
    a.services.award(member_id=member, amount_satang=50_000, receipt_ref="LOST-1", operator_id="cashier1")
    a.sync()  # acknowledged by the server ...
    server.stop()
    shutil.copyfile(backup, server.db)  # ... which is then restored from the older backup and loses it
    server.start()
    assert len(server.entry_ids()) == 1
    a.services.award(member_id=member, amount_satang=25_000, receipt_ref="LOST-2", operator_id="cashier1")
    a.sync()  # the server's lower ack makes the terminal resend from there
    assert sorted(server.entry_ids()) == sorted(a.entry_ids())
    assert server.balances() == a.balances() and a.store.queued_count() == 0


def test_a_damaged_record_from_the_server_is_a_clear_sync_error_and_nothing_moves(
        server: InProcessServer, terminal: MakeTerm) -> None:
    from sync.client import SyncError

    a, b = terminal("a"), terminal("b")
    new_member(a, "0880000002", 1000)
    a.sync()
    cursor = b.store.state().cursor

    original = server.handle

    def tampering(request: httpx.Request) -> httpx.Response:
        response = original(request)
        if request.url.path in ("/v1/changes", "/v1/sync") and response.status_code == 200:
            body = response.json()
            page = body if request.url.path == "/v1/changes" else body["changes"]  # the first page: in the round
            for change in page["changes"]:
                if change["type"] == "entry":
                    change["entry"]["points"] += 1000  # content no longer matches its hash
            return httpx.Response(200, json=body, headers={"X-Server-Time": response.headers["X-Server-Time"]})
        return response

    server.handle = tampering  # type: ignore[method-assign]
    b.crash()  # a fresh client on the tampering transport
    with pytest.raises(SyncError) as info:
        b.sync()
    assert info.value.code == "local_store"
    assert info.value.message.startswith("the local ledger refused the sync: Entry ")
    assert info.value.message.endswith("arrived damaged (hash mismatch).")
    assert b.store.state().cursor == cursor and b.services.ledger.verify().ok
    assert "local_store" in (b.store.state().last_sync_error or "")
    server.handle = original  # type: ignore[method-assign]
    b.crash()
    b.sync()
    assert b.balances() == server.balances()
