"""An expired terminal enrolled again with a new code keeps its ledger and identity (issue 10): the real server
app behind the transport seam, real ledgers, the real credential file."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sync.client import Refused, SyncClient, credentials, reenroll
from sync.server import service as svc
from tests.sync.client.harness import InProcessServer, Term

MakeTerm = Callable[..., Term]


def _expired(t: Term, server: InProcessServer) -> str:
    terminal_id = t.store.state().terminal_id
    server.tx(lambda c: svc.expire_credential(c, terminal_id, svc.utcnow()))
    with pytest.raises(Refused) as refused:
        SyncClient(t.store, transport=server.transport()).sync_once()
    assert refused.value.code == "credential_expired"
    return terminal_id


def test_an_expired_terminal_is_enrolled_again_keeping_its_identity_and_queue(terminal: MakeTerm,
                                                                             server: InProcessServer) -> None:
    t = terminal("a")
    member = t.services.members.enroll(name="Before", phone="0811112222", operator_id="c1")
    t.sync()
    t.services.members.enroll(name="Offline while expired", phone="0811113333", operator_id="c1")
    made_while_expired = t.store.queued_count()  # the member and its consent records
    assert made_while_expired > 0
    terminal_id = _expired(t, server)
    old_secret = credentials.load(t.store.credential_path()).secret

    assert reenroll(t.store, server.enrollment_code(), server_url="http://testserver",
                    transport=server.transport(), app_version="2.0.0") == terminal_id
    cred = credentials.load(t.store.credential_path())
    assert cred.secret != old_secret and cred.next_secret is None and cred.terminal_id == terminal_id
    result = SyncClient(t.store, transport=server.transport()).sync_once()
    assert result.uploaded == made_while_expired  # the records made while expired go up under the same identity
    assert t.store.queued_count() == 0
    assert t.store.state().terminal_id == terminal_id
    assert member.id in server.balances() and len(server.balances()) == 2


@pytest.mark.parametrize("claim", ["wrong_hash", "beyond_the_server", "unknown_terminal"])
def test_a_claim_the_server_cannot_match_is_refused_and_changes_nothing(terminal: MakeTerm, server: InProcessServer,
                                                                       claim: str) -> None:
    from sqlalchemy import select

    from sync import protocol as p
    from sync.client.api import ServerApi
    from sync.server import models as m

    t = terminal("a")
    t.services.members.enroll(name="A", phone="0811114444", operator_id="c1")
    t.sync()
    terminal_id = _expired(t, server)
    record = p.OutboxRecord.model_validate(t.store.records_after(0, 1)[0])
    claims = {"terminal_id": terminal_id, "acked_seq": 1, "last_record_id": record.record_id,
              "last_record_hash": record.record_hash}
    if claim == "wrong_hash":
        claims["last_record_hash"] = "0" * 64
    elif claim == "beyond_the_server":
        claims["acked_seq"] = 2
    else:
        claims["terminal_id"] = "BKK01-NOSUCH"
    hash_before = server.tx(lambda c: c.execute(select(m.terminals.c.credential_sha256)
                                                .where(m.terminals.c.id == terminal_id)).scalar_one())
    api = ServerApi("http://testserver", transport=server.transport())
    with pytest.raises(Refused) as refused:
        api.enroll(p.EnrollRequest(code=server.enrollment_code(), credential_sha256="a" * 64, **claims))
    expected = "reenroll_unknown_terminal" if claim == "unknown_terminal" else "reenroll_not_proven"
    assert (refused.value.code, refused.value.status) == (expected, 409)
    assert server.tx(lambda c: c.execute(select(m.terminals.c.credential_sha256)
                                         .where(m.terminals.c.id == terminal_id)).scalar_one()) == hash_before


def test_a_refused_reenrollment_keeps_the_terminals_credential(terminal: MakeTerm, server: InProcessServer) -> None:
    t = terminal("a")
    _expired(t, server)
    before = credentials.load(t.store.credential_path())
    with pytest.raises(Refused) as refused:
        reenroll(t.store, "NOT-A-CODE", server_url="http://testserver", transport=server.transport())
    assert refused.value.code == "invalid_enrollment_code"
    assert credentials.load(t.store.credential_path()) == before
