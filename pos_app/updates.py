"""Updates from the central server (docs/installing-terminals.md, "Update channel").

Two steps, two accounts:

* **check** (``pos-terminal update check``, and every round of the sync service, as the counter account): ask
  the server for the channel's current release, refuse a downgrade or a signature not by the pinned key, and
  download the package into ``<data>/updates/`` (``.part``, resumed, renamed once size and SHA-256 match the
  signed ones). Writes ``updates/state.json``.
* **apply** (``pos-terminal update apply``, run as root by the ``pos-terminal-update.timer``): only inside the
  quiet-time window head office set, and only while no counter window is open (it holds the window's own lock,
  ``app.lock``, for the whole install, so none can open meanwhile). It verifies the package AGAIN with the key
  from the root-owned system configuration (a counter account cannot bring its own key), copies it to a
  private folder before trusting it, checks it is a terminal kit of the signed version, and installs it with the
  kit's own ``upgrade.sh`` (backup with the old version, doctor with the new, automatic rollback). A version
  that rolled back is not tried again until a newer one is published (or ``--retry``).

A terminal installed from the ``.deb`` (the package installs ``/usr/share/pos-terminal/package-kind`` saying
``deb``, and ``dpkg-query`` must list ``pos-terminal``) asks for the ``.deb`` of its channel instead. ``apply`` then
takes the same path up to the install (signature again with root's key, a private copy, window, lock) and checks
the copy is the ``pos-terminal`` package of the signed version (``dpkg-deb --field``); it keeps it in
``/var/cache/pos-terminal/debs/`` and installs it with ``apt-get install <file>`` (dependencies from apt). The
package's maintainer scripts do what ``upgrade.sh`` does (backup with the old version, doctor with the new, on
failure the pre-upgrade ledger and the old program put back, ``ROLLED BACK`` printed, apt failing). After such a
rollback ``apply`` installs the previous ``.deb`` from the cache again, so that apt too lists the version that runs.

Pure standard library plus ``sync.release``; no Qt, no ledger.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pos_app.core.i18n import _
from pos_app.ledger.files import private_dir, write_private
from sync import release as rel

UPDATES_DIRNAME = "updates"
STATE_FILE = "state.json"
APPLIED_FILE = "applied.json"
RELEASE_FILE = "release.json"

INSTALLED = "installed"
ROLLED_BACK = "rolled_back"
WAITING = "waiting"
NOTHING = "nothing"
REFUSED = "refused"


def updates_dir(data_dir: Path) -> Path:
    return data_dir / UPDATES_DIRNAME


def read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _minutes(text: str) -> int:
    hh, _sep, mm = text.partition(":")
    return int(hh) * 60 + int(mm)


def in_window(window: dict[str, Any] | None, now: datetime) -> bool:
    """Whether ``now`` (the terminal's local time) is inside ``window`` ({"start": "02:00", "end": "04:00"}); a
    window whose start is after its end spans midnight; start == end is the whole day. No window: never."""
    if not window:
        return False
    try:
        start, end = _minutes(str(window["start"])), _minutes(str(window["end"]))
    except (KeyError, ValueError):
        return False
    minute = now.hour * 60 + now.minute
    if start == end:
        return True
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end


# ------------------------------------------------------------------------------------------------ check
def record_check(data_dir: Path, outcome: dict[str, Any], installed: str, channel: str, key_pinned: bool,
                 now: datetime) -> dict[str, Any]:
    """Write what the last check found (``update status`` reads it; ``apply`` takes the window from it)."""
    state = {"checked_at": now.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
             "installed": installed, "channel": channel, "key_pinned": key_pinned, **outcome}
    folder = private_dir(updates_dir(data_dir))
    write_private(folder / STATE_FILE, json.dumps(state, indent=2).encode("utf-8"))
    return state


def status(data_dir: Path, installed: str, key_pinned: bool) -> dict[str, Any]:
    """The last check, the last install attempt, and whether installing is possible at all."""
    folder = updates_dir(data_dir)
    return {"installed": installed, "key_pinned": key_pinned, "last_check": read_json(folder / STATE_FILE),
            "last_apply": read_json(folder / APPLIED_FILE)}


# ------------------------------------------------------------------------------------------------ apply
@dataclass(frozen=True)
class ApplyResult:
    status: str
    """``installed``, ``rolled_back`` (doctor failed: the old version and its ledger are back), ``waiting``
    (outside the window, a window open, no window set), ``nothing`` (no verified download, already installed),
    ``refused`` (no key, a bad package: nothing installed)."""
    message: str
    version: str | None = None
    output: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "message": self.message, "version": self.version,
                "output": self.output[-4000:]}


# ------------------------------------------------------------------------------------------------ .deb
PACKAGE = "pos-terminal"
KIND_MARKER = Path("usr/share/pos-terminal/package-kind")
"""Installed by the .deb (``packaging/build-deb.sh``) only; a kit install has none."""
DEB_CACHE = Path("var/cache/pos-terminal/debs")
"""Root's copies of the .debs the update channel installed: the previous one is the way back for apt."""
DEB_CACHE_KEEP = 3

Runner = Callable[[list[str]], "subprocess.CompletedProcess[str]"]


def install_kind(prefix: Path | None = None) -> str:
    """``deb`` when the .deb installed this program (its marker file says so), else ``tar`` (the kit)."""
    try:
        text = ((prefix or Path("/")) / KIND_MARKER).read_text(encoding="utf-8").strip()
    except OSError:
        return rel.KIND_TAR
    return rel.KIND_DEB if text == rel.KIND_DEB else rel.KIND_TAR


def run_command(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    """Run a system command (apt-get, dpkg-query) non-interactively; never raises for its exit status."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive", "LC_ALL": "C"}
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    except OSError as exc:  # apt-get or dpkg-query missing
        return subprocess.CompletedProcess(cmd, 127, "", f"{cmd[0]}: {exc}")


def dpkg_state(runner: Runner) -> str | None:
    """dpkg's status word for ``pos-terminal`` (``installed``, ``half-configured``, ...); None when dpkg does not
    know the package (or there is no dpkg)."""
    proc = runner(["dpkg-query", "-W", "-f=${Status}", PACKAGE])
    words = proc.stdout.split()
    return words[-1] if proc.returncode == 0 and len(words) == 3 and words[-1] != "not-installed" else None


def deb_install_command(path: Path, *, downgrade: bool = False) -> list[str]:
    """``apt-get install`` of one local .deb (an absolute path: apt takes it as a file, not a package name),
    unattended, the settings in /etc kept, the package's dependencies from apt's sources."""
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", "-o", "Dpkg::Options::=--force-confdef",
           "-o", "Dpkg::Options::=--force-confold"]
    if downgrade:
        cmd.append("--allow-downgrades")
    return [*cmd, str(path.resolve())]


def deb_outcome(returncode: int, output: str) -> str:
    """What an ``apt-get install`` of the new .deb did: ``installed`` (exit 0), ``rolled_back`` (the package's
    postinst failed doctor and put the old version and its ledger back: it prints ``ROLLED BACK:``) or
    ``refused`` (apt or preinst stopped before anything changed: no backup, a dependency, a lock)."""
    if returncode == 0:
        return INSTALLED
    return ROLLED_BACK if "ROLLED BACK:" in output else REFUSED


def deb_file_name(version: str) -> str:
    return f"{PACKAGE}_{rel.debian_version(version)}.deb"


def check_deb(path: Path, version: str) -> None:
    """Raise :class:`ReleaseError` unless ``path`` is a .deb of ``pos-terminal`` at the Debian form of ``version``
    (the signature covers the bytes; this checks they are the package apt will install under that version)."""
    try:
        proc = subprocess.run(["dpkg-deb", "--field", str(path), "Package", "Version"], capture_output=True,
                              text=True, check=False)
    except OSError as exc:
        raise rel.ReleaseError("not_a_deb", f"dpkg-deb cannot be run: {exc}") from exc
    if proc.returncode != 0:
        reason = (proc.stderr.strip().splitlines() or ["?"])[-1][:160]
        raise rel.ReleaseError("not_a_deb", f"the package is not a .deb ({reason})")
    fields = dict(line.split(": ", 1) for line in proc.stdout.splitlines() if ": " in line)
    if fields.get("Package") != PACKAGE:
        raise rel.ReleaseError("not_a_deb", f"the package is a .deb of {fields.get('Package', '?')}, not {PACKAGE}")
    wanted = rel.debian_version(version)
    if fields.get("Version") != wanted:
        raise rel.ReleaseError("version_mismatch", f"the .deb says version {fields.get('Version', '?')}, the "
                                                   f"signature {version} ({wanted})")


def _prune_cache(cache: Path, keep: set[str]) -> None:
    debs = sorted(cache.glob(f"{PACKAGE}_*.deb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in debs[DEB_CACHE_KEEP:]:
        if old.name not in keep:
            old.unlink(missing_ok=True)


def _install_deb(copy: Path, version: str, installed: str, prefix: Path | None, runner: Runner) -> ApplyResult:
    """Install a checked .deb copy with apt; after a rollback by the package, reinstall the previous cached .deb."""
    check_deb(copy, version)
    if dpkg_state(runner) is None:
        return ApplyResult(REFUSED, _nothing_installed(_("dpkg does not list {package} as installed, although the "
                                                         "program says a .deb installed it").format(package=PACKAGE)),
                           version)
    cache = (prefix or Path("/")) / DEB_CACHE
    cache.mkdir(mode=0o755, parents=True, exist_ok=True)  # root's; packages are not secret, apt's user reads them
    cached = cache / deb_file_name(version)
    shutil.copyfile(copy, cached)
    os.chmod(cached, 0o644)  # apt reads local files as its unprivileged download user too
    previous = cache / deb_file_name(installed) if rel.VERSION_PATTERN.fullmatch(installed) else None
    proc = runner(deb_install_command(cached))
    output = proc.stdout + proc.stderr
    outcome = deb_outcome(proc.returncode, output)
    if outcome == INSTALLED:
        _prune_cache(cache, {cached.name})
        return ApplyResult(INSTALLED, _("installed version {version} (was {installed})").format(
            version=version, installed=installed), version, output)
    if outcome == REFUSED:
        cached.unlink(missing_ok=True)
        last = (proc.stderr.strip().splitlines() or proc.stdout.strip().splitlines() or ["?"])[-1]
        return ApplyResult(REFUSED, _("apt-get refused version {version}: {reason}").format(
            version=version, reason=last), version, output)
    if previous is not None and previous.is_file():
        back = runner(deb_install_command(previous, downgrade=True))
        output += back.stdout + back.stderr
        told = _("the {installed} package was installed again, so apt lists the version that runs").format(
            installed=installed) if back.returncode == 0 else _(
            "installing the {installed} package again failed too: run 'sudo apt install --allow-downgrades "
            "{path}'").format(installed=installed, path=previous)
    else:
        told = _("no .deb of {installed} is kept in {cache}: apt lists {version} as not configured until the "
                 "{installed} .deb is installed again by hand").format(installed=installed, cache=cache,
                                                                       version=version)
    return ApplyResult(ROLLED_BACK, _("version {version} failed its check and was rolled back: {installed} runs "
                                      "again with its own ledger; {told}").format(
        version=version, installed=installed, told=told), version, output)


def installed_version(prefix: Path | None, fallback: str) -> str:
    """The version ``/opt/pos-terminal/current`` points at (under ``prefix`` when staged), else ``fallback``."""
    link = (prefix or Path("/")) / "opt/pos-terminal/current"
    try:
        return os.path.basename(os.readlink(link))
    except OSError:
        return fallback


def _give_to_owner(path: Path, data_dir: Path) -> None:
    """Files root writes into the data folder belong to the folder's owner (the counter account)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        st = data_dir.stat()
        if st.st_uid != 0:
            os.chown(path, st.st_uid, st.st_gid)


def _record_apply(data_dir: Path, result: ApplyResult, now: datetime, failed: list[str]) -> ApplyResult:
    folder = updates_dir(data_dir)
    if not folder.is_dir():
        return result
    data = {"at": now.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"), **result.as_dict(),
            "failed_versions": failed}
    path = folder / APPLIED_FILE
    write_private(path, json.dumps(data, indent=2).encode("utf-8"))
    _give_to_owner(path, data_dir)
    return result


def _copy_and_check(package: Path, signed: rel.SignedRelease, into: Path) -> Path:
    """Copy the package into a folder only this process writes, and check the COPY (the counter account owns
    the download and could change it after a check)."""
    copy = into / "package.tar.gz"
    with package.open("rb") as src, copy.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    rel.check_file(copy, signed)
    return copy


def _unpack_kit(archive: Path, into: Path, version: str) -> Path:
    """Unpack a terminal kit (``pos-terminal-<version>/{pos-terminal/, upgrade.sh, lib.sh, ...}``) safely."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")  # no absolute paths, no links out of the folder, no setuid
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise rel.ReleaseError("not_a_kit", f"the package cannot be unpacked: {exc}") from exc
    kit = into / f"pos-terminal-{version}"
    build = kit / "pos-terminal"
    if not (kit / "upgrade.sh").is_file() or not (kit / "lib.sh").is_file() or not (build / "pos-terminal").is_file():
        raise rel.ReleaseError("not_a_kit", f"the package is not a terminal kit of version {version} "
                                            f"(pos-terminal-{version}/ with upgrade.sh and pos-terminal/)")
    try:
        built = (build / "VERSION").read_text(encoding="utf-8").strip()
    except OSError:
        built = ""
    if built != version:
        raise rel.ReleaseError("version_mismatch", f"the kit says version {built or '?'}, the signature {version}")
    return kit


def _nothing_installed(reason: str) -> str:
    return _("{reason}: nothing installed").format(reason=reason)


def apply(data_dir: Path, *, public_key: str | None, now: datetime, installed: str, prefix: Path | None = None,
          retry: bool = False, user: str | None = None, runner: Runner | None = None) -> ApplyResult:
    """Install the verified download if the time and the counter allow (see the module doc). ``now`` is the
    terminal's local time (aware); ``prefix`` runs ``upgrade.sh --prefix`` against a staged install (for a .deb:
    the root of the marker and the cache); ``runner`` runs apt-get and dpkg-query (default :func:`run_command`)."""
    from pos_app.ledger.locks import single_window

    folder = updates_dir(data_dir)
    previous = read_json(folder / APPLIED_FILE) or {}
    failed = [str(v) for v in previous.get("failed_versions", []) if isinstance(v, str)]
    meta = read_json(folder / RELEASE_FILE)
    if meta is None:
        return ApplyResult(NOTHING, _("no verified update is waiting (see 'pos-terminal update status')"))
    try:
        signed = rel.SignedRelease(str(meta["version"]), str(meta["sha256"]), int(meta["size"]),
                                   str(meta["signature"]), str(meta.get("kind", rel.KIND_TAR)))
        package = folder / Path(str(meta["package"])).name
    except (KeyError, ValueError, TypeError):
        return ApplyResult(REFUSED, _("the update folder's release.json is damaged: run 'pos-terminal update "
                                      "check'"))
    version = signed.version
    if not public_key:
        return _record_apply(data_dir, ApplyResult(REFUSED, _("no update key is pinned ([update] public_key in "
                                                               "/etc/pos-terminal/terminal.toml): nothing installed"),
                                                   version), now, failed)
    try:
        rel.check_signature(signed, public_key)
    except rel.ReleaseError as exc:
        return _record_apply(data_dir, ApplyResult(REFUSED, _nothing_installed(exc.message), version), now, failed)
    kind = install_kind(prefix)
    if signed.kind != kind:
        return _record_apply(data_dir, ApplyResult(REFUSED, _nothing_installed(_(
            "the download is a {got} package, this terminal was installed from a {kind}").format(
            got=signed.kind, kind=kind)), version), now, failed)
    if not rel.is_newer(version, installed):
        return ApplyResult(NOTHING, _("version {version} is not newer than {installed} in use: nothing to "
                                      "install").format(version=version, installed=installed), version)
    if version in failed and not retry:
        return ApplyResult(NOTHING, _("version {version} rolled back before: it is not tried again until a newer "
                                      "version is published (or 'pos-terminal update apply --retry')").format(
            version=version), version)
    window = (read_json(folder / STATE_FILE) or {}).get("window")
    if not window:
        return ApplyResult(WAITING, _("version {version} waits: head office set no quiet-time window "
                                      "('loyalty-server release window')").format(version=version), version)
    if not in_window(window, now):
        return ApplyResult(WAITING, _("version {version} waits for the quiet time {start}-{end} (now {now})").format(
            version=version, start=window.get("start"), end=window.get("end"), now=now.strftime("%H:%M")), version)
    held = single_window(data_dir)
    if held is None:
        return ApplyResult(WAITING, _("version {version} waits: the counter window is open (it installs when the "
                                      "window is closed in the quiet time)").format(version=version), version)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        _give_to_owner(data_dir / "app.lock", data_dir)
    work = Path(tempfile.mkdtemp(prefix="pos-terminal-update-"))
    try:
        try:
            copy = _copy_and_check(package, signed, work)
            if kind == rel.KIND_DEB:
                result = _install_deb(copy, version, installed, prefix, runner or run_command)
                if result.status == ROLLED_BACK:
                    failed = sorted(set(failed) | {version})
                if result.status == INSTALLED:
                    for leftover in (package, folder / RELEASE_FILE):
                        leftover.unlink(missing_ok=True)
                return _record_apply(data_dir, result, now, failed)
            kit = _unpack_kit(copy, work / "kit", version)
        except (OSError, rel.ReleaseError) as exc:
            message = exc.message if isinstance(exc, rel.ReleaseError) else _(
                "cannot read the package: {error}").format(error=exc)
            package.unlink(missing_ok=True)  # downloaded again at the next check
            return _record_apply(data_dir, ApplyResult(REFUSED, _nothing_installed(message), version), now, failed)
        args = ["--prefix", str(prefix)] if prefix is not None else ["--data-dir", str(data_dir)]
        if user:
            args += ["--user", user]
        proc = subprocess.run(["bash", str(kit / "upgrade.sh"), "--build", str(kit / "pos-terminal"), *args],
                              capture_output=True, text=True, check=False)
        output = proc.stdout + proc.stderr
        if proc.returncode == 0:
            for leftover in (package, folder / RELEASE_FILE):
                leftover.unlink(missing_ok=True)
            result = ApplyResult(INSTALLED, _("installed version {version} (was {installed})").format(
                version=version, installed=installed), version, output)
        elif "ROLLED BACK" in proc.stdout:
            failed = sorted(set(failed) | {version})
            result = ApplyResult(ROLLED_BACK, _("version {version} failed its check and was rolled back: {installed} "
                                                "runs again with its own ledger").format(
                version=version, installed=installed), version, output)
        else:
            last = (proc.stderr.strip().splitlines() or proc.stdout.strip().splitlines() or ["?"])[-1]
            result = ApplyResult(REFUSED, _("upgrade.sh refused version {version}: {reason}").format(
                version=version, reason=last), version, output)
        return _record_apply(data_dir, result, now, failed)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        held.release()


# ------------------------------------------------------------------------------------------------ restart
EXIT_RESTART = 75
"""The counter window's exit status when it closed to let an update in (``pos-terminal counter`` then waits for
the install and starts the window again, in the new version)."""
STEPPED_FILE = "stepped-aside.json"
STEP_ASIDE_AGAIN_MINUTES = 60
"""After stepping aside for a version, the window does not do it again for that version within this time (the
update timer did not install it: a stopped timer must not make the window close every minute)."""
INSTALL_WAIT_SECONDS = 20 * 60
"""How long ``pos-terminal counter`` waits for the install after the window stepped aside (the update timer runs
every 10 minutes, up to 5 minutes late), before it opens the window again in the version it has."""


@dataclass(frozen=True)
class PendingUpdate:
    """A verified download that ``update apply`` would install, and the quiet-time window it waits for."""

    version: str
    window: dict[str, Any] | None


def pending_update(data_dir: Path, running: str) -> PendingUpdate | None:
    """The verified download newer than ``running`` that has not rolled back before, or None."""
    folder = updates_dir(data_dir)
    meta = read_json(folder / RELEASE_FILE)
    if meta is None or not isinstance(meta.get("version"), str):
        return None
    version = meta["version"]
    failed = (read_json(folder / APPLIED_FILE) or {}).get("failed_versions", [])
    if not rel.is_newer(version, running) or (isinstance(failed, list) and version in failed):
        return None
    window = (read_json(folder / STATE_FILE) or {}).get("window")
    return PendingUpdate(version, window if isinstance(window, dict) else None)


def restart_due(pending: PendingUpdate | None, *, signed_in: bool, busy: bool, dialog_open: bool, now: datetime,
                stepped: dict[str, Any] | None) -> bool:
    """Whether the counter window closes now to let the update in: an update waits, it is the quiet time, and the
    counter is idle (nobody signed in, so no sale can be in progress; no operation running; no dialog open). Not
    again for a version it already stepped aside for within :data:`STEP_ASIDE_AGAIN_MINUTES`."""
    if pending is None or signed_in or busy or dialog_open or not in_window(pending.window, now):
        return False
    if stepped and stepped.get("version") == pending.version:
        try:
            at = datetime.fromisoformat(str(stepped["at"]))
        except (KeyError, ValueError):
            return True
        minutes = (now - at).total_seconds() / 60 if at.tzinfo is not None and now.tzinfo is not None else 0
        if 0 <= minutes < STEP_ASIDE_AGAIN_MINUTES:
            return False
    return True


def read_stepped(data_dir: Path) -> dict[str, Any] | None:
    return read_json(updates_dir(data_dir) / STEPPED_FILE)


def note_stepped_aside(data_dir: Path, version: str, now: datetime) -> None:
    folder = private_dir(updates_dir(data_dir))
    write_private(folder / STEPPED_FILE, json.dumps({"version": version, "at": now.isoformat()}).encode("utf-8"))


def install_settled(data_dir: Path, since: float) -> bool:
    """Whether an install attempt ended after ``since`` (``applied.json`` written since, or no verified download
    left): the window can open again."""
    folder = updates_dir(data_dir)
    try:
        if (folder / APPLIED_FILE).stat().st_mtime > since:
            return True
    except OSError:
        pass
    return not (folder / RELEASE_FILE).exists()
