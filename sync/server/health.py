"""Terminal health from heartbeats: the latest per terminal (what the console's terminals page shows) and a
bounded history of changes (``HISTORY_PER_TERMINAL`` rows per terminal; a row is kept when something other than
the counters changed, or at most once an hour otherwise)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, update

from sync import protocol as p
from sync.server import models as m
from sync.server.db import is_postgres

HISTORY_PER_TERMINAL = 100
HISTORY_EVERY = timedelta(hours=1)
_STATE_FIELDS = ("app_version", "printer", "camera", "doctor")


def record(conn: Connection, terminal_id: str, beat: p.Heartbeat, now: datetime) -> None:
    payload = beat.model_dump_json()
    values = {"received_at": now, "app_version": beat.app_version, "records_waiting": beat.records_waiting,
              "printer": beat.printer, "camera": beat.camera, "doctor": beat.doctor,
              "free_disk_mb": beat.free_disk_mb, "last_backup": beat.last_backup, "payload": payload}
    t = m.terminal_health
    query = select(t).where(t.c.terminal_id == terminal_id)
    if is_postgres(conn):
        query = query.with_for_update()
    previous = conn.execute(query).first()
    if previous is None:
        conn.execute(insert(t).values(terminal_id=terminal_id, **values))
    else:
        conn.execute(update(t).where(t.c.terminal_id == terminal_id).values(**values))
    last_log = conn.execute(select(m.terminal_health_log.c.received_at)
                            .where(m.terminal_health_log.c.terminal_id == terminal_id)
                            .order_by(m.terminal_health_log.c.id.desc()).limit(1)).scalar()
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


def latest(conn: Connection) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for r in conn.execute(select(m.terminal_health)):
        out[r.terminal_id] = {**json.loads(r.payload), "received_at": r.received_at}
    return out
