"""The server's Alembic migrations build exactly the schema the code declares (sync/server/models.py): a column
or index added to one and not the other fails here, not on a chain's database after an upgrade."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, insert, select, text

from sync.server import models
from sync.server.db import alembic_config, make_engine
from tests.pg import PgCluster

pytestmark = pytest.mark.postgres


def test_migrated_database_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), models.metadata)
    assert diff == []


def test_migration_0018_links_existing_members_to_the_branches_that_enrolled_them_or_wrote_their_entries(
        pg: PgCluster) -> None:
    """A chain upgrading: each member is linked to the branch of the terminal that enrolled it and of every
    terminal that made one of its entries (server-made entries link nothing), with change id 0."""
    url = pg.create_database("loyalty_mig18")
    try:
        command.upgrade(alembic_config(url), "0017")
        engine = make_engine(url, pool_size=1)
        now = datetime.now(UTC)
        with engine.begin() as conn:
            for b in ("B1", "B2", "B3"):
                conn.execute(insert(models.branches).values(id=b, code=b, name=b, created_at=now))
            for t, b in (("t1", "B1"), ("t2", "B2"), ("t3", "B3")):
                conn.execute(insert(models.terminals).values(id=t, branch_id=b, credential_sha256="x" * 64,
                                                             credential_expires_at=now, enrolled_at=now))
            for mid, by in (("m1", "t1"), ("m2", None), ("m3", "t3")):
                conn.execute(insert(models.members).values(
                    id=mid, card_no="1" * 16, name=mid, phone_primary=False, tier="member", consent=True,
                    created_at="2026-11-30T00:00:00.000Z", terminal_id=by, change_id=1))
            for n, (t, mid) in enumerate((("t2", "m1"), ("t1", "m2"), ("t1", "m1"), ("server", "m3"))):
                conn.execute(insert(models.entries).values(
                    id=f"e{n}", terminal_id=t, seq=n + 1, member_id=mid, kind="earn", points=1,
                    sale_at="2026-11-30T00:00:00.000Z", payload="{}", content_hash="h", change_id=2 + n,
                    received_at=now))
        engine.dispose()
        command.upgrade(alembic_config(url), "head")
        engine = make_engine(url, pool_size=1)
        with engine.connect() as conn:
            links = sorted((r.member_id, r.branch_id, r.change_id) for r in conn.execute(
                select(models.member_branches)))
        engine.dispose()
        assert links == [("m1", "B1", 0), ("m1", "B2", 0), ("m2", "B1", 0), ("m3", "B3", 0)]
    finally:
        pg.drop_database(url)


def test_a_concurrent_index_build_left_invalid_is_built_again_when_the_migration_runs_again(pg: PgCluster) -> None:
    """A ``CREATE INDEX CONCURRENTLY`` that fails (cancelled, a lost connection) leaves an invalid index that
    every write still maintains and no query uses. Running the migration again replaces it with a valid one."""
    url = pg.create_database("loyalty_mig20")
    try:
        command.upgrade(alembic_config(url), "head")
        engine = make_engine(url, pool_size=1)
        valid = text("SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                     "WHERE c.relname = 'ix_reservations_held_reward'")
        with engine.begin() as conn:  # what a failed concurrent build leaves
            conn.execute(text("UPDATE pg_index SET indisvalid = false "
                              "WHERE indexrelid = 'ix_reservations_held_reward'::regclass"))
            assert conn.execute(valid).scalar_one() is False
        command.stamp(alembic_config(url), "0019")  # the migration did not finish
        command.upgrade(alembic_config(url), "head")
        with engine.connect() as conn:
            assert conn.execute(valid).scalars().all() == [True]
        engine.dispose()
    finally:
        pg.drop_database(url)
