"""Schema upgrades with Alembic, run at start. An upgrade never loses a ledger: before migrating a file
that already holds data, an online backup is taken next to it.

Alembic (~0.3 s to import) is imported only when an upgrade actually runs: at every start the ledger's
revision is read with one query and compared with the head found by reading the ``revision`` /
``down_revision`` lines of the migration files (``known_revisions``), so a counter whose ledger is up to date
never loads it (bench/bench_ui.py, cold start). tests/ledger/test_migrate_cheap.py checks that this reading
agrees with Alembic's own.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from pos_app.ledger.db import write_transaction

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_REVISION = re.compile(r"""^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:["']([^"']+)["']|None)""", re.MULTILINE)


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@cache
def known_revisions() -> tuple[frozenset[str], str]:
    """Every revision this version of the app has, and the head (the one no other revision revises), read
    from the migration files' ``revision = "..."`` and ``down_revision = "..."`` lines."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = dict((m.group(1), m.group(2)) for m in _REVISION.finditer(path.read_text(encoding="utf-8")))
        if found.get("revision"):
            revisions.add(found["revision"])
            if found.get("down_revision"):
                revised.add(found["down_revision"])
    heads = revisions - revised
    assert len(heads) == 1, f"the ledger's migrations need exactly one head, found {sorted(heads)}"
    return frozenset(revisions), heads.pop()


def head_revision() -> str:
    return known_revisions()[1]


def is_known(revision: str) -> bool:
    """Whether this version of the app has ``revision`` (False: the ledger was migrated by a newer version)."""
    return revision in known_revisions()[0]


def current_revision(engine: Engine) -> str | None:
    """The ledger's revision (None: a new file, or one that predates migrations)."""
    with engine.connect() as conn:
        try:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        except OperationalError:  # no such table: nothing migrated yet
            return None
        return None if row is None else str(row[0])


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    cfg = _config()
    with write_transaction(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
