"""The real packaged build (issue 10): packaging/build.sh run once per session on a copy of this tree whose
pyproject.toml says a version the installed package metadata does not know, then the .deb made from it.

- the version of the build, its kit and its .deb is pyproject.toml's (read at build time, not the stale
  metadata of the build machine's environment), and a build never replaces a different build of that version;
- the .deb's control fields (Depends with the Wayland libraries), its files and their modes, its maintainer
  scripts (shellcheck);
- as root on a disposable machine (CI; or POS_TEST_INSTALL_DEB=1): `apt install ./x.deb` for real, the
  account, units, files and permissions, an upgrade (backup first) and a failing upgrade (rolled back),
  `apt remove`, `apt purge` (the ledger stays), and the machine as it was afterwards.

Needs PyInstaller (pip install -e '.[packaging]') and takes a few minutes. CI installs only [dev]: there every
test here is skipped, and the skip line in pytest's summary (-ra) says what that leaves untested. While working on
these tests, POS_TEST_FROZEN=/tmp/pytest-of-$USER/pytest-<N>/frozen0 reuses the build an earlier run left.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sync.release import debian_version

pytestmark = pytest.mark.timeout(1800)  # the first test waits for the build (minutes on 2 shared cores)

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "packaging"
PYPROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
BUILT_VERSION = PYPROJECT_VERSION + ".post7"  # what the copy's pyproject.toml says; no installed metadata does
FROZEN_SKIP = ("frozen build NOT tested (PyInstaller is in the [packaging] extra, not [dev]): the real build, kit and "
               ".deb are untested in this run; the scripts are tested with stand-in builds. To run: pip install -e "
               "'.[packaging]'")
ARCH = subprocess.run(["uname", "-m"], capture_output=True, text=True, check=False).stdout.strip()


def _run(*cmd: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
         check: bool = True, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"{cmd} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def _copy_tree(dest: Path, version: str) -> Path:
    """This working tree (tracked and new files) in ``dest``, committed, with pyproject.toml at ``version``."""
    files = _run("git", "ls-files", "-co", "--exclude-standard", "-z", cwd=ROOT).stdout.split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    pyproject = dest / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(text.replace(f'version = "{PYPROJECT_VERSION}"', f'version = "{version}"', 1))
    for cmd in (["init", "-q"], ["add", "-A"],
                ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "build"]):
        _run("git", *cmd, cwd=dest)
    return dest


def _build_env(dist: Path, work: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POS_") and k != "PYTHONPATH"}
    import sys

    env.update(VENV=str(Path(sys.executable).parent.parent), DIST=str(dist), WORK=str(work),
               DEB_GZIP_LEVEL="1", **extra)
    return env


@dataclass
class Built:
    tree: Path  # the copy of the source the build was made from
    dist: Path
    build: Path  # dist/pos-terminal
    deb: Path | None
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.skip(FROZEN_SKIP)
    reuse = os.environ.get("POS_TEST_FROZEN")  # a folder a previous run of this fixture left (frozen<N>)
    if reuse and (Path(reuse) / "dist" / "pos-terminal" / "pos-terminal").is_file():
        base = Path(reuse)
        deb = base / "dist" / f"pos-terminal_{debian_version(BUILT_VERSION)}_amd64.deb"
        done = subprocess.CompletedProcess(["reused"], 0, "", "")
        return Built(base / "src", base / "dist", base / "dist" / "pos-terminal", deb if deb.is_file() else None, done)
    base = tmp_path_factory.mktemp("frozen")
    tree = _copy_tree(base / "src", BUILT_VERSION)
    dist = base / "dist"
    result = _run("nice", "-n", "10", "bash", tree / "packaging" / "build.sh", cwd=tree,
                  env=_build_env(dist, base / "work", NO_TARBALL="1"), timeout=1800)
    deb = dist / f"pos-terminal_{debian_version(BUILT_VERSION)}_amd64.deb"
    return Built(tree, dist, dist / "pos-terminal", deb if deb.is_file() else None, result)


def _need_deb(built: Built) -> Path:
    if built.deb is None:
        pytest.skip("dpkg-deb is not installed: no .deb was built")
    return built.deb


# ------------------------------------------------------------------------------------------- version
def test_the_build_says_the_version_of_pyproject_not_the_installed_metadata(built: Built) -> None:
    said = _run(built.build / "pos-terminal", "--version").stdout.strip()
    assert said == f"pos-terminal, version {BUILT_VERSION}"
    assert (built.build / "VERSION").read_text().strip() == BUILT_VERSION
    commit = _run("git", "rev-parse", "HEAD", cwd=built.tree).stdout.strip()
    info = dict(line.split("=", 1) for line in (built.build / "BUILD_INFO").read_text().splitlines())
    assert info["version"] == BUILT_VERSION and info["source"] == commit  # a clean tree: the commit alone


def test_a_changed_tree_is_not_built_under_the_same_version(built: Built) -> None:
    _need_deb(built)
    before = built.deb.stat().st_mtime_ns if built.deb else 0
    (built.tree / "pos_app" / "changed.py").write_text("X = 1\n")  # new code, same version
    try:
        result = _run("bash", built.tree / "packaging" / "build.sh", cwd=built.tree, check=False,
                      env=_build_env(built.dist, built.tree / "work-again", NO_TARBALL="1"))
    finally:
        (built.tree / "pos_app" / "changed.py").unlink()
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {built.deb} is version {BUILT_VERSION} built from ")
    assert "-dirty-" in line and "bump the version in pyproject.toml" in line
    assert not (built.tree / "work-again").exists()  # refused before PyInstaller ran
    assert built.deb is not None and built.deb.stat().st_mtime_ns == before


def _fake_kit(dist: Path, version: str, source: str) -> Path:
    """A kit of ``version`` in ``dist`` whose BUILD_INFO says it was built from ``source``."""
    dist.mkdir(parents=True, exist_ok=True)
    info = dist / "BUILD_INFO"
    info.write_text(f"version={version}\nsource={source}\n")
    kit = dist / f"pos-terminal-{version}-linux-{ARCH}.tar.gz"
    with tarfile.open(kit, "w:gz") as tar:
        tar.add(info, arcname=f"pos-terminal-{version}/pos-terminal/BUILD_INFO")
    info.unlink()
    return kit


def test_build_refuses_to_replace_a_kit_of_the_same_version_from_another_source(tmp_path: Path) -> None:
    kit = _fake_kit(tmp_path / "dist", PYPROJECT_VERSION, "0123456789abcdef")
    before = kit.read_bytes()
    result = _run("bash", PKG / "build.sh", check=False, env=_build_env(tmp_path / "dist", tmp_path / "work"))
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {kit} is version {PYPROJECT_VERSION} built from 0123456789abcdef, this tree is ")
    assert line.endswith(": bump the version in pyproject.toml (or move the old file away)")
    assert kit.read_bytes() == before and not (tmp_path / "work").exists()


# ------------------------------------------------------------------------------------------- the .deb
def _fields(deb: Path) -> dict[str, str]:
    out = _run("dpkg-deb", "-f", deb).stdout
    return {k: v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if not line.startswith(" "))}


def test_deb_control_says_the_version_and_the_runtime_libraries(built: Built) -> None:
    fields = _fields(_need_deb(built))
    assert fields["Package"] == "pos-terminal"
    assert fields["Version"] == debian_version(BUILT_VERSION)  # 0.x.0.post7 -> 0.x.0+post7: apt's order
    assert fields["Architecture"] == "amd64"
    depends = [d.strip().split(" ")[0] for d in fields["Depends"].split(",")]
    for package in ("libwayland-cursor0", "libwayland-egl1", "libwayland-client0", "libegl1", "libgl1", "libc6"):
        assert package in depends
    if shutil.which("apt-cache"):  # every name is a real package of this distribution
        for package in depends:
            policy = _run("apt-cache", "policy", package).stdout
            assert "Candidate:" in policy and "Candidate: (none)" not in policy, package


def test_deb_files_and_modes(built: Built) -> None:
    listing = _run("dpkg-deb", "-c", _need_deb(built)).stdout.splitlines()
    entries = {}
    for line in listing:
        mode, owner, _size, _day, _time, path, *_ = line.split()
        entries[path.removeprefix(".")] = (mode, owner)
    assert all(owner == "root/root" for _mode, owner in entries.values())
    writable = [p for p, (mode, _o) in entries.items() if mode[0] != "l" and (mode[5] == "w" or mode[8] == "w")]
    assert not writable  # by group or others (symbolic links have no mode of their own)
    program = f"/opt/pos-terminal/{BUILT_VERSION}"
    assert entries[f"{program}/pos-terminal"][0] == "-rwxr-xr-x"
    assert entries[f"{program}/VERSION"][0] == "-rw-r--r--"
    assert f"{program}/_internal/VERSION" in entries
    assert entries["/usr/bin/pos-terminal"][0] == "-rwxr-xr-x"
    for unit in ("pos-terminal-backup.service", "pos-terminal-backup.timer", "pos-terminal-expire.service",
                 "pos-terminal-expire.timer", "pos-terminal-sync.service"):
        assert entries[f"/lib/systemd/system/{unit}"][0] == "-rw-r--r--"
    assert "/usr/share/pos-terminal/terminal.toml.example" in entries
    assert "/usr/share/doc/pos-terminal/installing-terminals.md" in entries
    # set by postinst, never a package file: the ledger's folder, the settings, 'current'
    assert not [p for p in entries if p.startswith(("/var/", "/etc/", "/opt/pos-terminal/current", "/home/"))]


def test_deb_maintainer_scripts_carry_lib_sh_and_pass_shellcheck(built: Built, tmp_path: Path) -> None:
    _run("dpkg-deb", "-e", _need_deb(built), tmp_path / "DEBIAN")
    scripts = [tmp_path / "DEBIAN" / name for name in ("preinst", "postinst", "prerm", "postrm")]
    for script in scripts:
        assert script.stat().st_mode & 0o777 == 0o755
        text = script.read_text()
        assert f'NEW_VERSION="{BUILT_VERSION}"' in text and "pre_upgrade_backup()" in text
        _run("bash", "-n", script)
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    _run("shellcheck", "--shell=bash", "--exclude=SC2034,SC2317", *scripts)


# ------------------------------------------------------------------------------------------- install for real
def _installable() -> str | None:
    if os.geteuid() != 0:
        return "not root: apt install ./pos-terminal.deb is tested as root on a disposable machine (CI)"
    if not (os.environ.get("CI") or os.environ.get("POS_TEST_INSTALL_DEB") == "1"):
        return "not a disposable machine: set POS_TEST_INSTALL_DEB=1 (CI sets CI) to apt install the .deb for real"
    if shutil.which("apt-get") is None:
        return "no apt-get"
    for path in ("/opt/pos-terminal", "/var/lib/pos-terminal", "/etc/pos-terminal"):
        if Path(path).exists():
            return f"{path} exists: this machine has a pos-terminal install the test must not touch"
    if _run("id", "pos", check=False).returncode == 0:
        return "an account 'pos' exists: the test must not touch it"
    return None


def _packages() -> set[str]:
    out = _run("dpkg-query", "-W", "-f", "${Package}:${Architecture} ${db:Status-Abbrev}\n").stdout
    return {line.split()[0] for line in out.splitlines() if line.split()[1:2] == ["ii"]}


def _apt(*args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    return _run("apt-get", "-y", "-q", *args, check=False, timeout=900,
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive", **env})


def _as_pos(*args: str) -> subprocess.CompletedProcess[str]:
    return _run("runuser", "-u", "pos", "--", "pos-terminal", "--lang", "en", *args, check=False)


def _variant(built: Built, tmp: Path, version: str, doctor_fails: bool = False) -> Path:
    """A .deb of the same program labelled ``version`` (its doctor failing if asked), for upgrades."""
    folder = tmp / f"v{version}" / "pos-terminal"
    folder.parent.mkdir(parents=True)
    shutil.copytree(built.build, folder, copy_function=os.link)
    for name in ("VERSION", "_internal/VERSION"):
        (folder / name).unlink()
        (folder / name).write_text(version + "\n")
    (folder / "BUILD_INFO").unlink()
    (folder / "BUILD_INFO").write_text(f"version={version}\nsource=test-{version}\n")
    if doctor_fails:  # a new version whose doctor fails after it touched the ledger
        exe = folder / "pos-terminal"
        exe.rename(folder / "pos-terminal.real")
        exe.write_text('#!/bin/sh\ncase "$*" in *doctor*) echo "BAD  schema  cannot migrate"; exit 1;; esac\n'
                       'exec "$(dirname "$0")/pos-terminal.real" "$@"\n')
        exe.chmod(0o755)
    _run("nice", "-n", "10", "bash", PKG / "build-deb.sh", "--build", folder, "--out", tmp / "debs",
         env={**os.environ, "DEB_GZIP_LEVEL": "1"}, timeout=900)
    return tmp / "debs" / f"pos-terminal_{debian_version(version)}_amd64.deb"


@pytest.fixture
def clean_machine() -> Iterator[None]:
    reason = _installable()
    if reason:
        pytest.skip(reason)
    before = _packages()
    try:
        yield
    finally:  # the machine as it was: the package, the account, the data folder, the libraries apt added
        _apt("purge", "pos-terminal", POS_PURGE_DATA="yes")
        shutil.rmtree("/var/lib/pos-terminal", ignore_errors=True)
        if _run("id", "pos", check=False).returncode == 0:
            _run("userdel", "--remove", "pos", check=False)
        added = sorted(_packages() - before)
        if added:
            _apt("purge", *added)


def _balance() -> int:
    result = _as_pos("--json", "balance", "--member", "0812345678")
    assert result.returncode == 0, result.stderr
    return int(json.loads(result.stdout)["balance"])


def test_apt_install_upgrade_rollback_remove_purge_for_real(built: Built, clean_machine: None,
                                                            tmp_path: Path) -> None:
    deb = _need_deb(built)
    installed = _apt("install", deb)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    # the account, its data folder, the program, the command, the jobs, the autostart entry
    account = _run("getent", "passwd", "pos").stdout.strip().split(":")
    assert int(account[2]) < 1000 and account[5] == "/home/pos"  # a system account with a home
    groups = _run("id", "-nG", "pos").stdout.split()
    assert {"video", "dialout", "lp"} <= set(groups)
    data = Path("/var/lib/pos-terminal")
    assert data.stat().st_mode & 0o777 == 0o700 and data.owner() == "pos"
    assert os.readlink("/opt/pos-terminal/current") == BUILT_VERSION
    assert Path("/etc/pos-terminal/terminal.toml").read_text() == (PKG / "terminal.toml.example").read_text()
    assert "POS_DATA_DIR=/var/lib/pos-terminal" in Path("/etc/pos-terminal/environment").read_text()
    for timer in ("pos-terminal-backup.timer", "pos-terminal-expire.timer"):
        assert Path(f"/etc/systemd/system/timers.target.wants/{timer}").is_symlink()
    autostart = Path("/home/pos/.config/autostart/pos-terminal.desktop")
    assert "Exec=/usr/bin/pos-terminal counter" in autostart.read_text() and autostart.owner() == "pos"
    assert _as_pos("--version").stdout.strip() == f"pos-terminal, version {BUILT_VERSION}"

    # a ledger with a sale, then an upgrade: backed up with the old version first
    assert _as_pos("init", "--demo").returncode == 0
    assert _as_pos("award", "--member", "0812345678", "--amount", "100", "--receipt", "R1").returncode == 0
    assert _balance() == 4
    newer, broken = PYPROJECT_VERSION + ".post8", PYPROJECT_VERSION + ".post9"
    upgraded = _apt("install", _variant(built, tmp_path, newer))
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    assert f"upgraded pos-terminal {BUILT_VERSION} -> {newer}" in upgraded.stdout
    assert os.readlink("/opt/pos-terminal/current") == newer
    assert Path(f"/opt/pos-terminal/{BUILT_VERSION}/pos-terminal").is_file()  # kept to go back by hand
    [kept] = (data / "backups" / "upgrades").glob(f"pre-upgrade-{BUILT_VERSION}-to-{newer}-*.sqlite3")
    assert kept.owner() == "pos" and kept.stat().st_mode & 0o777 == 0o600
    assert _balance() == 4

    # an upgrade whose doctor fails: apt says so, the counter runs the version before with its ledger
    assert _as_pos("award", "--member", "0812345678", "--amount", "200", "--receipt", "R2").returncode == 0
    failed = _apt("install", _variant(built, tmp_path, broken, doctor_fails=True))
    assert failed.returncode != 0
    assert f"ROLLED BACK: doctor failed with {broken}" in failed.stdout
    assert os.readlink("/opt/pos-terminal/current") == newer
    assert _as_pos("--version").stdout.strip() == f"pos-terminal, version {newer}"
    assert _balance() == 12
    assert list(data.glob(f"replaced-by-rollback-{broken}-*.sqlite3"))

    # remove: the program, the jobs and the autostart entry go; the settings, account and ledger stay
    removed = _apt("remove", "pos-terminal")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not Path("/opt/pos-terminal").exists() and not Path("/usr/bin/pos-terminal").exists()
    assert not Path("/etc/systemd/system/timers.target.wants/pos-terminal-backup.timer").exists()
    assert not Path("/lib/systemd/system/pos-terminal-sync.service").exists()
    assert not autostart.exists()
    assert Path("/etc/pos-terminal/terminal.toml").is_file() and _run("id", "pos", check=False).returncode == 0
    ledger = (data / "ledger.sqlite3").read_bytes()

    # purge: the settings and the account go; the ledger stays, byte for byte
    purged = _apt("purge", "pos-terminal")
    assert purged.returncode == 0, purged.stdout + purged.stderr
    assert "kept the data folder /var/lib/pos-terminal" in purged.stdout
    assert not Path("/etc/pos-terminal").exists()
    assert _run("id", "pos", check=False).returncode != 0 and not Path("/home/pos").exists()
    assert (data / "ledger.sqlite3").read_bytes() == ledger
