"""The same simulation with the server on the real PostgreSQL (fewer seeds: each seed is a new database made
from a seeded template database). ``SYNC_SIM_PG_SEEDS`` to change the count."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.pg import PgCluster
from tests.sync.sim.sim import PgBackend, World, run_seed

pytestmark = pytest.mark.postgres

SEEDS = int(os.environ.get("SYNC_SIM_PG_SEEDS", "12"))


@pytest.fixture(scope="module")
def pg_world(pg: PgCluster) -> Iterator[World]:
    world = World(backend=PgBackend(pg))
    yield world
    world.close()


def test_simulation_on_postgresql_keeps_every_invariant(pg_world: World) -> None:
    faults = 0
    for seed in range(1000, 1000 + SEEDS):
        report = run_seed(pg_world, seed)  # raises SimFailure naming the seed
        faults += sum(report.faults.values())
    assert faults > 0


def test_branch_scoped_simulation_on_postgresql_keeps_every_invariant(pg: PgCluster) -> None:
    """The same with the branch feed (two branches, roaming members), on PostgreSQL's change ids."""
    world = World(backend=PgBackend(pg), scope="branch")
    try:
        roamed = 0
        for seed in range(2000, 2000 + max(1, SEEDS // 2)):
            roamed += run_seed(world, seed).operations.get("roam", 0)
        assert roamed > 0
    finally:
        world.close()
