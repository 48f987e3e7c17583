"""Fixtures shared by the sync tests: one throwaway PostgreSQL for the whole session.

``LOYALTY_TEST_PG_URL`` selects an existing server instead (each test module gets its own database in it).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pg import PgCluster


@pytest.fixture(scope="session")
def pg() -> Iterator[PgCluster]:
    cluster = PgCluster.from_env_or_start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def pg_url(pg: PgCluster) -> Iterator[str]:
    """A fresh, empty database for one test module."""
    url = pg.create_database()
    try:
        yield url
    finally:
        pg.drop_database(url)
