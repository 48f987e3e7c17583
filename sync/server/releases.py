"""The update channel on the server: it HOSTS packages head office signed; it never holds the signing key.

``loyalty-server release publish`` copies the package into the release folder (``LOYALTY_RELEASE_DIR``, shared by
every server process) under a name that says channel and version, then records the signed statement and makes it
the channel's current release. A terminal asks ``GET /v1/release?channel=...`` and downloads
``GET /v1/release/{channel}/{version}/package`` with its credential. The quiet-time window is server-wide with an
optional override per branch.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from sync import protocol as p
from sync import release as rel
from sync.server import models as m
from sync.server.errors import ApiError

SERVER_WIDE = ""
"""``update_windows.branch_id`` of the server-wide window."""


def package_filename(channel: str, version: str, kind: str = rel.KIND_TAR) -> str:
    return f"pos-terminal-{version}-{channel}." + ("deb" if kind == rel.KIND_DEB else "tar.gz")


def _check_kind(kind: str) -> str:
    if kind not in rel.KINDS:
        raise ApiError(422, "bad_kind", f"a package kind is one of {', '.join(rel.KINDS)}")
    return kind


def _check_channel(channel: str) -> str:
    if not rel.CHANNEL_PATTERN.fullmatch(channel or ""):
        raise ApiError(422, "bad_channel", "a channel is 1-32 lowercase letters, digits or dashes, e.g. stable")
    return channel


def store_package(release_dir: Path | None, source: Path, channel: str, signed: rel.SignedRelease) -> Path:
    """Copy ``source`` into the release folder (a ``.part`` file, synced, then renamed: a download never sees half
    a package) after checking that it is exactly the signed file. Returns the stored path."""
    if release_dir is None:
        raise ApiError(422, "no_release_dir", "set LOYALTY_RELEASE_DIR (the folder where the server keeps packages)")
    _check_channel(channel)
    _check_kind(signed.kind)
    try:
        rel.check_file(source, signed)
    except rel.ReleaseError as exc:
        raise ApiError(422, exc.code, f"{source}: {exc.message} (was it signed for another file?)") from exc
    folder = release_dir / channel
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / package_filename(channel, signed.version, signed.kind)
    part = target.with_name(target.name + ".part")
    with source.open("rb") as src, part.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(part, target)
    return target


def check_publishable(conn: Connection, channel: str, signed: rel.SignedRelease) -> None:
    """Refuse, before any file is written, a version already published with another file (``release_exists``):
    terminals downloading the first one must never get the bytes of the second."""
    _check_channel(channel)
    _check_kind(signed.kind)
    row = conn.execute(select(m.releases.c.sha256, m.releases.c.size).where(
        m.releases.c.channel == channel, m.releases.c.kind == signed.kind,
        m.releases.c.version == signed.version)).first()
    if row is not None and (row.sha256 != signed.sha256 or row.size != signed.size):
        raise ApiError(409, "release_exists", f"version {signed.version} ({signed.kind}) of channel {channel} was "
                                              "published with another file: publish the new build under a new "
                                              "version")


def publish(conn: Connection, channel: str, signed: rel.SignedRelease, now: datetime) -> p.ReleaseInfo:
    """Record a stored package as the channel's current release. The same version published again with the same
    file makes it current again (going back to it); with a different file it is refused (``release_exists``)."""
    _check_channel(channel)
    try:
        rel.statement(signed.version, signed.sha256, signed.size, signed.kind)
    except rel.ReleaseError as exc:
        raise ApiError(422, exc.code, exc.message) from exc
    check_publishable(conn, channel, signed)
    same_kind = (m.releases.c.channel == channel) & (m.releases.c.kind == signed.kind)
    row = conn.execute(select(m.releases).where(same_kind, m.releases.c.version == signed.version)).first()
    conn.execute(update(m.releases).where(same_kind).values(current=False))
    if row is None:
        conn.execute(insert(m.releases).values(
            channel=channel, kind=signed.kind, version=signed.version, sha256=signed.sha256, size=signed.size,
            signature=signed.signature, filename=package_filename(channel, signed.version, signed.kind),
            published_at=now, current=True))
    else:
        conn.execute(update(m.releases).where(same_kind, m.releases.c.version == signed.version)
                     .values(current=True, signature=signed.signature))
    info = current_release(conn, channel, signed.kind)
    assert info is not None
    return info


def _info(row: Any) -> p.ReleaseInfo:
    suffix = "" if row.kind == rel.KIND_TAR else f"?kind={row.kind}"
    return p.ReleaseInfo(channel=row.channel, version=row.version, sha256=row.sha256, size=int(row.size),
                         signature=row.signature, kind=row.kind, filename=row.filename,
                         download_path=f"/v1/release/{row.channel}/{row.version}/package{suffix}",
                         published_at=p.format_utc(row.published_at))


def current_release(conn: Connection, channel: str, kind: str = rel.KIND_TAR) -> p.ReleaseInfo | None:
    row = conn.execute(select(m.releases).where(m.releases.c.channel == channel, m.releases.c.kind == kind,
                                                m.releases.c.current.is_(True))).first()
    return _info(row) if row is not None else None


def list_releases(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(m.releases).order_by(m.releases.c.channel, m.releases.c.kind,
                                                    m.releases.c.published_at)).all()
    return [{**_info(r).model_dump(), "current": bool(r.current)} for r in rows]


def release_path(conn: Connection, release_dir: Path | None, channel: str, version: str,
                 kind: str = rel.KIND_TAR) -> Path:
    """The stored file of a published release (404 ``unknown_release`` otherwise)."""
    row = conn.execute(select(m.releases.c.filename).where(m.releases.c.channel == channel,
                                                           m.releases.c.kind == kind,
                                                           m.releases.c.version == version)).first()
    path: Path | None = (release_dir / channel / str(row.filename)) if row is not None and release_dir is not None \
        else None
    if path is None or not path.is_file():
        raise ApiError(404, "unknown_release", f"no package for version {version[:40]} of channel {channel[:32]}")
    return path


# ------------------------------------------------------------------------------------------------ windows
def parse_hhmm(text: str) -> int:
    """``"02:30"`` -> 150 (minutes after midnight)."""
    hh, sep, mm = text.strip().partition(":")
    if not sep or not (hh.isdigit() and mm.isdigit() and len(mm) == 2 and 1 <= len(hh) <= 2) \
            or int(hh) > 23 or int(mm) > 59:
        raise ApiError(422, "bad_time", f"{text[:20]!r} is not a time of day such as 02:00")
    return int(hh) * 60 + int(mm)


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def set_window(conn: Connection, start: str, end: str, branch: str | None = None) -> p.UpdateWindow:
    start_m, end_m = parse_hhmm(start), parse_hhmm(end)
    branch_id = SERVER_WIDE
    if branch:
        from sync.server.service import _branch

        branch_id = _branch(conn, branch).id
    conn.execute(delete(m.update_windows).where(m.update_windows.c.branch_id == branch_id))
    conn.execute(insert(m.update_windows).values(branch_id=branch_id, start_minute=start_m, end_minute=end_m))
    return p.UpdateWindow(start=hhmm(start_m), end=hhmm(end_m), branch=branch_id or None)


def clear_window(conn: Connection, branch: str | None = None) -> None:
    branch_id = SERVER_WIDE
    if branch:
        from sync.server.service import _branch

        branch_id = _branch(conn, branch).id
    conn.execute(delete(m.update_windows).where(m.update_windows.c.branch_id == branch_id))


def window_for(conn: Connection, branch_id: str) -> p.UpdateWindow | None:
    """The branch's own window, else the server-wide one, else None (nothing is installed unattended)."""
    rows = {r.branch_id: r for r in conn.execute(select(m.update_windows).where(
        m.update_windows.c.branch_id.in_([branch_id, SERVER_WIDE])))}
    row = rows.get(branch_id) or rows.get(SERVER_WIDE)
    if row is None:
        return None
    return p.UpdateWindow(start=hhmm(row.start_minute), end=hhmm(row.end_minute), branch=row.branch_id or None)


def list_windows(conn: Connection) -> list[dict[str, Any]]:
    return [{"branch": r.branch_id or None, "start": hhmm(r.start_minute), "end": hhmm(r.end_minute)}
            for r in conn.execute(select(m.update_windows).order_by(m.update_windows.c.branch_id))]
