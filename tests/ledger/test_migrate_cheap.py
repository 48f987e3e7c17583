"""The start-up check of the schema revision reads the migration files without Alembic; it must agree with
Alembic's own view, and an up-to-date ledger must open without importing Alembic at all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from pos_app.ledger import migrate
from pos_app.services import open_terminal

_ROOT = Path(__file__).resolve().parents[2]


def test_the_cheap_reading_of_the_migrations_agrees_with_alembic() -> None:
    script = ScriptDirectory.from_config(migrate._config())
    revisions, head = migrate.known_revisions()
    assert head == script.get_current_head() == migrate.head_revision()
    assert revisions == {rev.revision for rev in script.walk_revisions()}
    assert migrate.is_known("0001") and not migrate.is_known("9999-from-a-newer-app")


def test_an_up_to_date_ledger_opens_without_importing_alembic(tmp_path: Path) -> None:
    open_terminal(tmp_path / "t").close()  # created and migrated (Alembic runs for this one)
    code = ("import sys; from pathlib import Path; from pos_app.services import open_terminal; "
            f"s = open_terminal(Path({str(tmp_path / 't')!r})); s.close(); "
            "print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr


def test_a_ledger_at_an_older_revision_is_still_upgraded(tmp_path: Path) -> None:
    from pos_app.ledger.db import LEDGER_FILENAME, create_ledger_engine

    (tmp_path / "t").mkdir()
    engine = create_ledger_engine(tmp_path / "t" / LEDGER_FILENAME)
    migrate.upgrade(engine, "0003")  # a ledger as version 0003 left it (Alembic built it: every later step runs)
    engine.dispose()
    services = open_terminal(tmp_path / "t")
    try:
        assert migrate.current_revision(services.ledger.engine) == migrate.head_revision()
        assert list((tmp_path / "t" / "backups").glob("pre-migrate-0003-*"))
    finally:
        services.close()
