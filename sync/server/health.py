"""Terminal health from heartbeats: the latest per terminal (what the console's terminals page shows) and a
bounded history of changes (``HISTORY_PER_TERMINAL`` rows per terminal; a row is kept when something other than
the counters changed, or at most once an hour otherwise).

A heartbeat comes with every sync round (``POST /v1/sync``, protocol 1.3), so recording one is kept to one
statement on PostgreSQL in the common case: an upsert of the latest state that also reads the previous state and
the time of the newest history row (``_UPSERT``); the history is written only when it changed or is an hour old."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, delete, insert, select, text, update

from sync import protocol as p
from sync.server import models as m
from sync.server.db import is_postgres

HISTORY_PER_TERMINAL = 100
HISTORY_EVERY = timedelta(hours=1)
_STATE_FIELDS = ("app_version", "printer", "camera", "doctor")


_UPSERT = text(
    "WITH old AS (SELECT app_version, printer, camera, doctor FROM terminal_health WHERE terminal_id = :terminal_id), "
    "up AS (INSERT INTO terminal_health (terminal_id, received_at, app_version, records_waiting, printer, camera, "
    "doctor, free_disk_mb, last_backup, payload) VALUES (:terminal_id, :received_at, :app_version, "
    ":records_waiting, :printer, :camera, :doctor, :free_disk_mb, :last_backup, :payload) "
    "ON CONFLICT (terminal_id) DO UPDATE SET received_at = EXCLUDED.received_at, "
    "app_version = EXCLUDED.app_version, records_waiting = EXCLUDED.records_waiting, printer = EXCLUDED.printer, "
    "camera = EXCLUDED.camera, doctor = EXCLUDED.doctor, free_disk_mb = EXCLUDED.free_disk_mb, "
    "last_backup = EXCLUDED.last_backup, payload = EXCLUDED.payload) "
    "SELECT (SELECT count(*) FROM old) AS had, old.app_version, old.printer, old.camera, old.doctor, "
    "(SELECT received_at FROM terminal_health_log WHERE terminal_id = :terminal_id ORDER BY id DESC LIMIT 1) "
    "AS last_log FROM (SELECT 1) AS one LEFT JOIN old ON true"
).bindparams(bindparam("received_at", type_=m.UtcDateTime())).columns(last_log=m.UtcDateTime())
"""PostgreSQL: the latest state written, and the previous state and the newest history row's time read, in one
round trip (all parts of one statement see the same snapshot: ``old`` is the row before the upsert)."""


def record(conn: Connection, terminal_id: str, beat: p.Heartbeat, now: datetime) -> bool:
    """Store ``beat`` as the terminal's latest health (and in the history when due); True when the app version
    it reports differs from the one of the terminal's previous heartbeat (or there was none): then the caller
    records it on the terminal too (``service.note_app_version``), a statement every round would pay otherwise."""
    payload = beat.model_dump_json()
    values = {"received_at": now, "app_version": beat.app_version, "records_waiting": beat.records_waiting,
              "printer": beat.printer, "camera": beat.camera, "doctor": beat.doctor,
              "free_disk_mb": beat.free_disk_mb, "last_backup": beat.last_backup, "payload": payload}
    t = m.terminal_health
    if is_postgres(conn):
        row = conn.execute(_UPSERT, {"terminal_id": terminal_id, **values}).one()
        previous = row if row.had else None
        last_log = row.last_log
    else:
        previous = conn.execute(select(t).where(t.c.terminal_id == terminal_id)).first()
        if previous is None:
            conn.execute(insert(t).values(terminal_id=terminal_id, **values))
        else:
            conn.execute(update(t).where(t.c.terminal_id == terminal_id).values(**values))
        last_log = conn.execute(select(m.terminal_health_log.c.received_at)
                                .where(m.terminal_health_log.c.terminal_id == terminal_id)
                                .order_by(m.terminal_health_log.c.id.desc()).limit(1)).scalar()
    new_version = previous is None or previous.app_version != beat.app_version
    changed = previous is None or any(getattr(previous, f) != values[f] for f in _STATE_FIELDS)
    if changed or last_log is None or now - last_log >= HISTORY_EVERY:
        conn.execute(insert(m.terminal_health_log).values(terminal_id=terminal_id, received_at=now,
                                                          payload=payload))
        keep_from = conn.execute(select(m.terminal_health_log.c.id)
                                 .where(m.terminal_health_log.c.terminal_id == terminal_id)
                                 .order_by(m.terminal_health_log.c.id.desc())
                                 .offset(HISTORY_PER_TERMINAL - 1).limit(1)).scalar()
        if keep_from is not None:
            conn.execute(delete(m.terminal_health_log).where(m.terminal_health_log.c.terminal_id == terminal_id,
                                                             m.terminal_health_log.c.id < keep_from))
    return new_version


def latest(conn: Connection) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for r in conn.execute(select(m.terminal_health)):
        out[r.terminal_id] = {**json.loads(r.payload), "received_at": r.received_at}
    return out
