"""Files no one else can read: the data folder is 0700 and every file the counter writes in it is 0600.

Member names and phones are in the ledger and its backups; the sync credential and the signing key are
secrets. The counter creates them private (``private_dir``, ``private_file``) and tightens what an older
version left readable (``tighten``, run whenever the ledger is opened). ``ownership_problems`` is what
``doctor`` reports: every file the counter writes must belong to the account that runs it and be
writable by it, or the first award fails with "read-only database" (e.g. after ``enroll`` was run as root).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

from pos_app.core.i18n import _

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def _euid() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else -1


def account_name(uid: int) -> str:
    """The account name of ``uid`` (its number when it has none)."""
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) with the leaf 0700; tighten it if it exists and is ours."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    tighten(path)
    return path


def private_file(path: Path) -> int:
    """Open ``path`` for writing, created 0600 (truncated if it exists); returns the descriptor."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        if sys.platform != "win32":
            os.fchmod(fd, PRIVATE_FILE)
    except OSError:
        pass
    return fd


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically and durably, mode 0600 from the first byte."""
    tmp = path.with_name(path.name + ".tmp")
    fd = private_file(tmp)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def tighten(path: Path) -> None:
    """Take group and other permissions off ``path`` if it belongs to this account (others are reported by
    ``ownership_problems``, not changed)."""
    if sys.platform == "win32":
        return
    try:
        st = path.stat()
        if st.st_uid != _euid() or not st.st_mode & 0o077:
            return
        path.chmod(stat.S_IMODE(st.st_mode) & 0o700)
    except OSError:
        pass


def tighten_tree(data_dir: Path) -> None:
    """``tighten`` the data folder and what the counter keeps in it (not recursing into unknown folders)."""
    for path in counter_files(data_dir):
        tighten(path)


def counter_files(data_dir: Path) -> Iterator[Path]:
    """The data folder and every file or folder in it the counter writes (those that exist)."""
    if not data_dir.is_dir():
        return
    yield data_dir
    for child in sorted(data_dir.iterdir()):
        if child.name == "terminal.toml":  # IT's file: read, never written by the counter
            continue
        if child.is_dir():
            if child.name in ("backups", "logs", "slips", "updates"):
                yield child
                yield from (p for p in sorted(child.rglob("*")) if not p.is_symlink())
            continue
        if not child.is_symlink():
            yield child


def fix_command(data_dir: Path, user: str | None = None) -> str:
    """The command that gives ``user`` (default: this account) the data folder back, private."""
    user = user or account_name(_euid())
    if sys.platform == "win32":
        return f'icacls "{data_dir}" /grant "{user}:(OI)(CI)M" /T'
    return f"sudo chown -R {user}: '{data_dir}' && sudo chmod -R u+rwX,go-rwx '{data_dir}'"


def ownership_problems(data_dir: Path) -> list[str]:
    """One line per file of the counter that another account owns, this account cannot write, or other
    users can read (empty: all is well)."""
    if sys.platform == "win32" or not data_dir.is_dir():
        return []
    me = _euid()
    foreign: list[str] = []
    unwritable: list[str] = []
    readable: list[str] = []
    for path in counter_files(data_dir):
        try:
            st = path.lstat()
        except OSError:
            continue
        name = str(path.relative_to(data_dir)) if path != data_dir else str(data_dir)
        if st.st_uid != me:
            foreign.append(f"{name} ({account_name(st.st_uid)})")
        elif not st.st_mode & stat.S_IWUSR:
            unwritable.append(name)
        if st.st_mode & 0o077:
            readable.append(name)
    out: list[str] = []
    user = account_name(me)
    if foreign:
        out.append(_("{n} files of the counter belong to another account than {user}, so the counter cannot write "
                     "them: {files}").format(n=len(foreign), user=user, files=_shorten(foreign)))
    if unwritable:
        out.append(_("{n} files of the counter are read-only: {files}").format(n=len(unwritable),
                                                                              files=_shorten(unwritable)))
    if readable:
        out.append(_("{n} files of the counter can be read by other users of this machine: {files}").format(
            n=len(readable), files=_shorten(readable)))
    return out


def _shorten(names: list[str], limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    return shown + (_(" and {n} more").format(n=len(names) - limit) if len(names) > limit else "")


def foreign_owner(data_dir: Path, euid: int | None = None) -> str | None:
    """The account that owns the data folder when this process runs as root and it is someone else's (an
    installed terminal, where the counter account owns it); None otherwise."""
    euid = _euid() if euid is None else euid
    if euid != 0:
        return None
    try:
        owner = data_dir.stat().st_uid
    except OSError:
        return None
    return account_name(owner) if owner != 0 else None
