"""The server's Alembic migrations build exactly the schema the code declares (sync/server/models.py): a column
or index added to one and not the other fails here, not on a chain's database after an upgrade."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from sync.server import models

pytestmark = pytest.mark.postgres


def test_migrated_database_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), models.metadata)
    assert diff == []
