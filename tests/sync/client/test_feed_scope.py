"""Which feed a terminal pulls: the chain's offline policy says (``feed_scope``); the terminal asks for the
branch feed when it says ``branch``, and starts its cursor again from 0 when the chain widens it back. Real
server app (SQLite) and real terminals (ledger files, services, sync client)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sync.client import enroll
from sync.server import service as svc
from tests.sync.client.harness import SERVER_URL, InProcessServer, Term, new_member

MakeTerm = Callable[..., Term]


def at_branch(server: InProcessServer, terminal: MakeTerm, name: str, branch: str) -> Term:
    """A terminal enrolled at ``branch`` (made if missing) and synced once."""
    if branch not in {b["code"] for b in server.tx(svc.list_branches)}:
        server.tx(lambda c: svc.add_branch(c, branch, f"Branch {branch}", svc.utcnow()))
    t = terminal(name, enroll=False)
    code = server.tx(lambda c: svc.issue_enrollment_code(c, branch, svc.utcnow(), 1))[0]
    enroll(t.store, SERVER_URL, code, transport=server.transport())
    t.sync()
    return t


def scopes(server: InProcessServer) -> list[str | None]:
    """The scope of every pull (``GET /v1/changes`` or inside ``POST /v1/sync``; None: the full feed)."""
    return [url.params.get("scope") for url in server.urls
            if url.path == "/v1/changes" or (url.path == "/v1/sync" and "cursor" in url.params)]


def test_a_terminal_pulls_its_branch_when_the_policy_says_so_and_everything_again_when_widened(
        server: InProcessServer, terminal: MakeTerm) -> None:
    home = terminal("home")
    away = at_branch(server, terminal, "away", "CNX09")
    server.set_policy(feed_scope="branch")
    for t in (home, away):
        t.sync()  # the policy arrives with this pull
    assert away.store.feed_scope() == ("branch", "chain")  # asked for; the cursor was built on the chain
    server.urls.clear()
    mid = new_member(home, "0830000001", 500)
    home.sync()
    before = away.store.state().cursor
    server.urls.clear()
    away.sync()
    assert scopes(server) == ["branch"] and away.store.feed_scope() == ("branch", "branch")
    assert server.pulls() == [before] and before > 0  # narrowing kept the cursor
    with away.services.ledger.read() as conn:
        assert away.services.ledger.get_member(conn, mid) is None  # another branch's member: not mirrored
    held = away.balances()

    server.set_policy(feed_scope="chain")
    server.urls.clear()
    away.sync()  # the widened policy arrives (still on the branch feed) ...
    away.sync()  # ... and the next pull starts again from 0, on the full feed
    pulls = list(zip(server.pulls(), scopes(server), strict=True))
    assert (0, None) in pulls and away.store.feed_scope() == ("chain", "chain")
    assert away.balances()[mid] == 20 and away.balances() == server.balances()
    assert {k: v for k, v in away.balances().items() if k in held} == held  # what it held, pulled again: unchanged
    assert away.services.ledger.verify().ok


def test_a_page_applied_twice_changes_nothing(server: InProcessServer, terminal: MakeTerm) -> None:
    a, b = terminal("a"), terminal("b")
    mid = new_member(a, "0830000002", 250)
    a.services.award(member_id=mid, amount_satang=50_000, receipt_ref="R-2", operator_id="cashier1")
    a.sync()
    page = b.sync_client().api.changes(b.store.state().cursor, 500)
    changes = [c.model_dump(mode="json") for c in page.changes]
    assert [c["type"] for c in changes].count("entry") == 2
    b.store.apply_changes(changes, page.next_cursor)
    first = (b.balances(), sorted(b.entry_ids()))
    b.store.apply_changes(changes, page.next_cursor)  # a backfill, a widened feed or a lost answer: again
    assert (b.balances(), sorted(b.entry_ids())) == first and first[0][mid] == 30
    assert b.services.ledger.verify().ok


# ----------------------------------------------------------------------------------------------- at the counter


def roaming_setup(server: InProcessServer, terminal: MakeTerm) -> tuple[Term, Term, str]:
    """Branch feed; a member enrolled at BKK01 with 20 points; a synced terminal of another branch."""
    server.set_policy(feed_scope="branch")
    home = terminal("home")
    away = at_branch(server, terminal, "away", "CNX08")
    mid = new_member(home, "0840000001", 500)
    home.sync(), home.sync(), away.sync()
    return home, away, mid


def test_a_member_of_another_branch_is_followed_pulled_and_identified_at_the_counter(
        server: InProcessServer, terminal: MakeTerm) -> None:
    from pos_app.services import sync_glue
    from pos_app.services.errors import NotFound

    home, away, mid = roaming_setup(server, terminal)
    with pytest.raises(NotFound):
        away.services.identify("0840000001")  # not on this terminal
    found = sync_glue.identify(away.services, away.sync_client(), "084-000-0001")
    assert found.id == mid and found.balance == 20
    assert [e.points for e in away.services.history(mid)] == [20]  # the history made at the home branch
    # by card number and by the member's card (signed QR) too, for two more members
    by_card, by_code = new_member(home, "0840000002", 250), new_member(home, "0840000003", 750)
    home.sync()
    card_no = home.services.members.get(by_card).card_no
    code = home.services.members.get(by_code).member_code
    assert code
    assert sync_glue.identify(away.services, away.sync_client(), card_no).balance == 10
    assert sync_glue.identify(away.services, away.sync_client(), code).balance == 30
    # a sale here is the branch's from now on: the home counter sees it, and this one keeps receiving the member
    away.services.award(member_id=mid, amount_satang=50_000, receipt_ref="R-away", operator_id="cashier1")
    away.sync(), home.sync()
    assert home.balances()[mid] == away.balances()[mid] == 40 == server.balances()[mid]


def test_an_unknown_member_or_an_unreachable_server_keeps_the_counters_message(
        server: InProcessServer, terminal: MakeTerm) -> None:
    from pos_app.services import sync_glue
    from pos_app.services.errors import NotFound

    home, away, mid = roaming_setup(server, terminal)
    with pytest.raises(NotFound) as unknown:
        sync_glue.identify(away.services, away.sync_client(), "0849999999")
    assert unknown.value.message == "No member with phone 084-999-9999."
    code = home.services.members.get(mid).member_code
    assert code
    server.fault = lambda request: "drop_request"  # the network is down
    with pytest.raises(NotFound) as by_phone:
        sync_glue.identify(away.services, away.sync_client(), "0840000001")
    assert by_phone.value.message == "No member with phone 084-000-0001."
    with pytest.raises(NotFound) as by_card:
        sync_glue.identify(away.services, away.sync_client(), code)  # a genuine card: it is another branch's
    assert by_card.value.message.startswith("This member belongs to another branch and the loyalty server cannot "
                                            "be reached (Cannot reach the loyalty server")
    with pytest.raises(NotFound) as standalone:
        sync_glue.identify(away.services, None, code)  # no client (standalone): nothing is asked
    assert standalone.value.message.startswith("The card is genuine but this member is not on this terminal yet")
    # the server links the member, then the pull is lost: the usual message, and the next scan finds them
    server.fault = lambda request: "drop_request" if request.url.path == "/v1/changes" else None
    with pytest.raises(NotFound) as pull_lost:
        sync_glue.identify(away.services, away.sync_client(), "0840000001")
    assert pull_lost.value.message == "No member with phone 084-000-0001."
    server.fault = None
    assert sync_glue.identify(away.services, away.sync_client(), code).id == mid  # back online


def test_under_the_chain_feed_a_member_not_found_here_is_not_asked_of_the_server(
        server: InProcessServer, terminal: MakeTerm) -> None:
    """The counter holds the whole chain as of its last sync: a phone it does not know is answered at once, without
    a round trip (a mistyped phone must not wait for the server)."""
    from pos_app.services import sync_glue
    from pos_app.services.errors import NotFound

    away = at_branch(server, terminal, "chain-away", "CNX09")
    before = len(server.urls)
    with pytest.raises(NotFound) as unknown:
        sync_glue.identify(away.services, away.sync_client(), "0849999998")
    assert unknown.value.message == "No member with phone 084-999-9998."
    assert [u.path for u in server.urls[before:]] == []


def test_two_clients_on_one_ledger_pull_one_at_a_time(server: InProcessServer, terminal: MakeTerm) -> None:
    """The background sync and the counter's pull after a follow are two clients on one ledger: a pull waits for
    the other to finish instead of interleaving its pages (and its scope switch) with the other's cursor."""
    import threading

    from sync.client import SyncClient

    home, away, mid = roaming_setup(server, terminal)
    new_member(home, "0840000004", 250)
    home.sync()
    other = SyncClient(away.store, transport=server.transport())
    done = threading.Event()
    with away.store.pull_lock:  # the counter's pull is under way
        worker = threading.Thread(target=lambda: (other.pull(), done.set()))
        worker.start()
        assert not done.wait(0.5)  # the background pull waits
    worker.join(10)
    assert done.is_set()
    other.close()


def test_a_sync_client_that_cannot_be_made_never_stops_a_scan(server: InProcessServer, terminal: MakeTerm) -> None:
    """The window hands identify a function that makes the sync client: a member found here never waits for it,
    and when it cannot be made (a damaged credential, say) a member not found here gets the usual message."""
    from pos_app.services import sync_glue
    from pos_app.services.errors import NotFound

    home, away, mid = roaming_setup(server, terminal)
    asked: list[int] = []

    def broken() -> None:
        asked.append(1)
        raise OSError("credential file unreadable")

    assert sync_glue.identify(home.services, broken, "0840000001").id == mid and asked == []
    with pytest.raises(NotFound) as missing:
        sync_glue.identify(away.services, broken, "0840000001")
    assert missing.value.message == "No member with phone 084-000-0001." and asked == [1]
    assert sync_glue.identify(away.services, away.sync_client, "0840000001").id == mid  # a working maker: followed
