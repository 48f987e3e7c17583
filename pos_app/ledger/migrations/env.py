"""Alembic environment for the terminal ledger: always run programmatically on a given connection."""

from alembic import context

from pos_app.ledger.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the programmatic path is supported
    raise RuntimeError("run ledger migrations through pos_app.ledger.migrate")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
