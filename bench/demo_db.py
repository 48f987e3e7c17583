"""Shared set-up of the sync benchmarks: a PostgreSQL cluster with production durability and a demo database."""

from __future__ import annotations

import os

from sync.server.config import Settings
from sync.server.db import make_engine, migrate
from sync.server.demo import DEMO_ADMIN_TOKEN, DEMO_KEY_PASSPHRASE, seed_demo
from tests.pg import PgCluster


def bench_cluster(preload: str = "") -> PgCluster:
    """$LOYALTY_TEST_PG_URL if set, else a throwaway cluster with fsync on (as in production), with
    ``preload`` as its ``shared_preload_libraries``."""
    url = os.environ.get("LOYALTY_TEST_PG_URL")
    return PgCluster(admin_url=url) if url else PgCluster.start(durable=True, preload=preload)


def demo_database(cluster: PgCluster, terminals: int) -> tuple[str, list[str]]:
    """A migrated database with the demo data and ``terminals`` enrollment codes: (url, codes)."""
    url = cluster.create_database("loyalty_bench")
    migrate(url)
    engine = make_engine(url)
    settings = Settings(database_url=url, admin_token_sha256=Settings.hash_token(DEMO_ADMIN_TOKEN),
                        key_passphrase=DEMO_KEY_PASSPHRASE)
    codes = seed_demo(engine, settings, terminals=terminals).enrollment_codes
    engine.dispose()
    return url, codes
