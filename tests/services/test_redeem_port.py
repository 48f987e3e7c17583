"""Online-first redemption through its port (``ServerReservations``), on a real ledger file: the use case decides
(reserve first, record with the reservation, release it when recording fails, go offline only when the server
cannot be reached); the port here is an in-process server double (the end-to-end tests in tests/sync run the real
server on loopback through ``sync_glue.ClientReservations``)."""

from __future__ import annotations

import pytest

from pos_app.services import Approval
from pos_app.services.errors import ApprovalRequired, NotAllowed
from pos_app.services.redeem import ServerOffline, ServerRefused, reservation_id_for


class Server:
    def __init__(self, available: int | None = None, offline: bool = False) -> None:
        self.available = available
        self.offline = offline
        self.held: dict[str, int] = {}
        self.released: list[str] = []

    def reserve(self, member_id: str, points: int, reward_code: str | None, *, reservation_id: str,
                for_voucher: bool = False) -> str:
        if self.offline:
            raise ServerOffline("no route to host")
        if self.available is not None and points > self.available:
            raise ServerRefused("insufficient_points", f"The member does not have enough points (available on the "
                                                       f"server: {self.available}).")
        self.held[reservation_id] = points
        return reservation_id

    def release(self, reservation_id: str) -> None:
        self.released.append(reservation_id)
        self.held.pop(reservation_id, None)


@pytest.fixture
def member(services):
    m = services.members.enroll(name="Somchai Jaidee", phone="081-234-5678", operator_id="c")
    services.award(member_id=m.id, amount_satang=5_000_000, receipt_ref="R-1", operator_id="c")  # 2,000 points
    return m


def test_reserved_first_then_recorded_with_the_reservation_and_a_retry_reuses_it(services, member) -> None:
    server = Server()
    first = services.redeem_online(server, member_id=member.id, points=100, operator_id="c", op_id="op-1")
    again = services.redeem_online(server, member_id=member.id, points=100, operator_id="c", op_id="op-1")
    assert list(server.held) == [reservation_id_for("op-1")] and server.held[reservation_id_for("op-1")] == 100
    assert again.replayed and again.entry_id == first.entry_id
    assert services.members.get(member.id).balance == 1_900


def test_a_server_refusal_stops_the_redemption_with_its_code(refused, services, member) -> None:
    with refused(NotAllowed, "insufficient_points", "The member does not have enough points (available on the "
                                                   "server: 50)."):
        services.redeem_online(Server(available=50), member_id=member.id, points=100, operator_id="c")
    assert services.members.get(member.id).balance == 2_000


def test_a_hold_is_released_when_the_redemption_is_refused_here(refused, services, member) -> None:
    server = Server()
    with refused(ApprovalRequired, "approval_required", "Manager approval needed: redeeming more than 1000 points"):
        services.redeem_online(server, member_id=member.id, points=1_500, operator_id="c", op_id="op-2")
    assert server.released == [reservation_id_for("op-2")] and server.held == {}
    done = services.redeem_online(server, member_id=member.id, points=1_500, operator_id="c", op_id="op-3",
                                  approval=Approval("9999"))
    assert done.balance_after == 500 and server.held == {reservation_id_for("op-3"): 1_500}


def test_an_unreachable_server_means_offline_here(services, member) -> None:
    server = Server(offline=True)
    done = services.redeem_online(server, member_id=member.id, points=100, operator_id="c")
    assert done.balance_after == 1_900 and server.held == {}
    entry = services.history(member.id)[-1]
    assert entry.kind == "redeem" and entry.points == -100


def test_a_reward_this_counter_knows_is_out_of_stock_is_refused_without_asking_the_server(
        refused, services, member) -> None:
    services.put_reward(code="MUG", name_th="แก้ว", name_en="Mug", points_cost=100, stock=0)
    server = Server()
    with refused(NotAllowed, "not_allowed", "Reward MUG is out of stock."):
        services.redeem_online(server, member_id=member.id, reward_code="MUG", operator_id="c", op_id="op-4")
    assert server.held == {} and server.released == []  # no hold was asked for
    assert services.members.get(member.id).balance == 2_000
