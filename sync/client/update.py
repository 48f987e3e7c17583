"""The terminal's side of the update channel (transport and checks only; installing is ``pos_app.updates``).

:func:`fetch_release` asks the server for its channel's current release, refuses what must not be installed
(an unreadable or older version, a signature that is not by the pinned key), downloads the package into
``folder`` as ``<name>.part`` (resumed with a range request after a cut) and renames it only once its size and
SHA-256 are the signed ones. Every outcome is a :class:`FetchOutcome` with a stable ``status`` and one English
line; nothing here raises for a bad answer, so a sync round is never stopped by the update channel.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync import protocol as p
from sync import release as rel
from sync.client.api import ServerApi
from sync.client.errors import SyncError

READY = "ready"
UP_TO_DATE = "up_to_date"
NO_RELEASE = "no_release"
NO_KEY = "no_key"
REFUSED = "refused"
FAILED = "failed"
RELEASE_FILE = "release.json"


@dataclass(frozen=True)
class FetchOutcome:
    status: str
    """``ready`` (verified package on disk), ``up_to_date``, ``no_release``, ``no_key`` (nothing pinned: never
    installed), ``refused`` (bad signature, hash, size, version or a downgrade: nothing kept), ``failed`` (the
    server could not be reached or the download was cut: tried again next sync)."""
    message: str
    code: str = ""
    release: p.ReleaseInfo | None = None
    window: p.UpdateWindow | None = None
    package: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "code": self.code, "message": self.message,
                "release": self.release.model_dump() if self.release else None,
                "window": self.window.model_dump() if self.window else None,
                "package": str(self.package) if self.package else None}


def package_name(version: str, kind: str = rel.KIND_TAR) -> str:
    if kind == rel.KIND_DEB:
        return f"pos-terminal_{rel.debian_version(version)}.deb"
    return f"pos-terminal-{version}.tar.gz"


PACKAGE_GLOBS = ("pos-terminal-*.tar.gz*", "pos-terminal_*.deb*")


def signed_of(info: p.ReleaseInfo) -> rel.SignedRelease:
    return rel.SignedRelease(info.version, info.sha256, info.size, info.signature, info.kind)


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def fetch_release(api: ServerApi, folder: Path, *, channel: str, installed: str,
                  public_key: str | None, max_bytes: int | None = None, kind: str = rel.KIND_TAR) -> FetchOutcome:
    """Check the channel for a release of ``kind`` (how this terminal was installed: ``tar`` kit or ``deb``) and,
    when a newer signed release is offered, download and verify it into ``folder`` (at most ``max_bytes`` this
    time: the sync service fetches a package over several rounds, so that a large download never holds the records
    of the counter back for long)."""
    try:
        answer = api.release(channel, kind)
    except SyncError as exc:
        return FetchOutcome(FAILED, f"cannot ask the server for updates: {exc.message}", exc.code)
    info, window = answer.release, answer.window
    if info is None:
        what = "no .deb release" if kind == rel.KIND_DEB else "no release"
        return FetchOutcome(NO_RELEASE, f"{what} is published on channel {channel}", window=window)
    if info.kind != kind:  # a server that answers another kind than asked: never handed to the wrong installer
        return FetchOutcome(REFUSED, f"release refused: the server offers a package of kind {info.kind}, this "
                                     f"terminal was installed from a {kind}", "wrong_kind", info, window)
    try:
        newer = rel.version_key(info.version) > rel.version_key(installed)
    except rel.ReleaseError as exc:
        return FetchOutcome(REFUSED, f"release refused: {exc.message}", exc.code, info, window)
    if not newer:
        if rel.version_key(info.version) == rel.version_key(installed):
            return FetchOutcome(UP_TO_DATE, f"version {installed} is the current release of {channel}", "", info,
                                window)
        return FetchOutcome(REFUSED, f"release refused: the server offers {info.version}, older than {installed} in "
                                     "use (a downgrade is never installed by the update channel)", "downgrade",
                            info, window)
    if not public_key:
        return FetchOutcome(NO_KEY, f"version {info.version} is available, but no update key is pinned "
                                    "([update] public_key): updates are never installed", "no_key", info, window)
    signed = signed_of(info)
    try:
        rel.check_signature(signed, public_key)
    except rel.ReleaseError as exc:
        return FetchOutcome(REFUSED, f"release {info.version} refused: {exc.message}", exc.code, info, window)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / package_name(info.version, kind)
    part = target.with_name(target.name + ".part")
    if not _already_fetched(folder, target, signed):
        (folder / RELEASE_FILE).unlink(missing_ok=True)
        for pattern in PACKAGE_GLOBS:  # an older download, or one that failed its checks
            for old in folder.glob(pattern):
                if old != part:
                    old.unlink(missing_ok=True)
        problem = _download_and_check(api, info, part, signed, max_bytes)
        if problem is not None:
            status, code, message = problem
            return FetchOutcome(status, message, code, info, window)
        os.replace(part, target)
    _write_json(folder / RELEASE_FILE, {"channel": channel, **signed.as_dict(), "package": target.name})
    return FetchOutcome(READY, f"version {info.version} downloaded and verified; it is installed in the quiet time",
                        "", info, window, target)


def _download_and_check(api: ServerApi, info: p.ReleaseInfo, part: Path, signed: rel.SignedRelease,
                        max_bytes: int | None) -> tuple[str, str, str] | None:
    """Download (resuming ``part``) and check it against the signed statement; None when ``part`` is the signed
    package, else (status, code, one line). A resumed download that fails its hash is started again from zero once
    at once (a server that lied about the range must never leave a spliced package); a fresh one that fails is
    refused and deleted."""
    for attempt in range(2):
        try:
            how = api.download(info.download_path, part, info.size, max_bytes)
        except SyncError as exc:
            if exc.code == "too_large":
                part.unlink(missing_ok=True)
                return REFUSED, exc.code, f"release {info.version} refused: {exc.message}"
            return FAILED, exc.code, f"download of {info.version} not finished: {exc.message}"
        try:
            rel.check_file(part, signed)
            return None
        except rel.ReleaseError as exc:
            size = part.stat().st_size if part.exists() else 0
            if exc.code == "wrong_size" and size < info.size:
                return FAILED, "incomplete", (f"download of {info.version} not finished ({size} of {info.size} "
                                              "bytes); it resumes next time")
            part.unlink(missing_ok=True)
            if how == "resumed" and attempt == 0:
                continue  # the bytes before the cut, or the server's resume, were not the package's: from zero
            return REFUSED, exc.code, f"release {info.version} refused: {exc.message}"
    raise AssertionError("unreachable")  # pragma: no cover


def _already_fetched(folder: Path, target: Path, signed: rel.SignedRelease) -> bool:
    """The package was downloaded and verified by an earlier round (its ``release.json`` names the same signed
    statement and the size is right). Not hashed again every sync: ``apply`` checks the hash before installing."""
    try:
        meta = json.loads((folder / RELEASE_FILE).read_text(encoding="utf-8"))
        return (meta.get("package") == target.name and target.stat().st_size == signed.size
                and all(meta.get(k) == v for k, v in signed.as_dict().items()))
    except (OSError, ValueError, AttributeError):
        return False
