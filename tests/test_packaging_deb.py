"""The .deb without a frozen build (issue 10): packaging/build-deb.sh run for real on a small stand-in build (the
same fake `pos-terminal` as tests/test_packaging.py), and the update channel's .deb path of
`pos-terminal update apply`: how a .deb install is detected, that the download is checked to be the pos-terminal
package of the signed version (real `dpkg-deb`), the `apt-get` command lines, and what happens after apt's answer
(installed, rolled back by the package's postinst -> the previous .deb from the cache installed again, refused).

apt itself is not run here (it would install a package on the machine running the tests): a recording runner
answers in its place, with the exit status and the lines the real maintainer scripts print. The real
`apt install` / upgrade / rollback of the .deb is tests/test_packaging_build.py (frozen build, as root on a
disposable machine); docs/installing-terminals.md says what was verified by hand.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from pos_app import updates
from sync import release as rel
from tests.test_packaging import PKG, make_build

needs_dpkg_deb = pytest.mark.skipif(shutil.which("dpkg-deb") is None,
                                    reason="dpkg-deb is not installed: no .deb can be built or read")
QUIET = datetime.fromisoformat("2026-12-01T03:00").astimezone()


def build_deb(tmp: Path, version: str) -> Path:
    build = make_build(tmp / f"b-{version}", version)
    (build / "BUILD_INFO").write_text(f"version={version}\nsource=test-{version}\n")
    out = tmp / "debs"
    result = subprocess.run(["bash", str(PKG / "build-deb.sh"), "--build", str(build), "--out", str(out)],
                            capture_output=True, text=True, timeout=300, check=False,
                            env={**os.environ, "DEB_GZIP_LEVEL": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    [deb] = out.glob(f"pos-terminal_{rel.debian_version(version)}_*.deb")
    return deb


def fields(deb: Path) -> dict[str, str]:
    out = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True, check=True).stdout
    return {k: v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if not line.startswith(" "))}


# ------------------------------------------------------------------------------------------- build-deb.sh
@needs_dpkg_deb
def test_build_deb_packs_a_stand_in_build_with_the_debian_version_and_the_kind_marker(tmp_path: Path) -> None:
    deb = build_deb(tmp_path, "0.3.0rc1")
    assert deb.name.startswith("pos-terminal_0.3.0~rc1_")
    control = fields(deb)
    assert (control["Package"], control["Version"]) == ("pos-terminal", "0.3.0~rc1")
    assert "libwayland-cursor0" in control["Depends"] and "libwayland-egl1" in control["Depends"]
    marker = subprocess.run(f"dpkg-deb --fsys-tarfile '{deb}' | tar -xO ./usr/share/pos-terminal/package-kind",
                            shell=True, capture_output=True, text=True, check=True).stdout
    assert marker == "deb\n"
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "./opt/pos-terminal/0.3.0rc1/pos-terminal" in listing  # the program folder keeps the release's name
    scripts = tmp_path / "ctl"
    subprocess.run(["dpkg-deb", "-e", str(deb), str(scripts)], check=True)
    postinst = (scripts / "postinst").read_text()
    assert 'NEW_VERSION="0.3.0rc1"' in postinst and "rollback_ledger()" in postinst
    for script in ("preinst", "postinst", "prerm", "postrm"):
        assert subprocess.run(["bash", "-n", str(scripts / script)], check=False).returncode == 0, script


@needs_dpkg_deb
def test_build_deb_refuses_a_version_that_is_not_a_release(tmp_path: Path) -> None:
    build = make_build(tmp_path, "0.3.0-beta")
    result = subprocess.run(["bash", str(PKG / "build-deb.sh"), "--build", str(build), "--out", str(tmp_path / "o")],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr == ("error: 0.3.0-beta is not a release version such as 1.2.0 (PEP 440: 1.2.0rc1, "
                             "1.2.0.post1, 1.2.0.dev3)\n")
    assert not (tmp_path / "o").exists()


# ------------------------------------------------------------------------------------------- detection
def test_a_deb_install_is_told_by_the_marker_the_package_installs(tmp_path: Path) -> None:
    assert updates.install_kind(tmp_path) == "tar"  # a kit install: no marker
    marker = tmp_path / "usr/share/pos-terminal/package-kind"
    marker.parent.mkdir(parents=True)
    marker.write_text("deb\n")
    assert updates.install_kind(tmp_path) == "deb"
    marker.write_text("something else\n")
    assert updates.install_kind(tmp_path) == "tar"


@pytest.mark.parametrize(("answer", "code", "state"), [
    ("install ok installed", 0, "installed"),
    ("install ok half-configured", 0, "half-configured"),  # a rollback left it so: still the package's terminal
    ("deinstall ok config-files", 0, "config-files"),
    ("unknown ok not-installed", 0, None),
    ("", 1, None),  # dpkg-query: no packages found matching pos-terminal
])
def test_dpkg_state_reads_dpkg_query(answer: str, code: int, state: str | None) -> None:
    asked: list[list[str]] = []

    def runner(cmd: list[str]) -> subprocess.CompletedProcess[str]:
        asked.append(cmd)
        return subprocess.CompletedProcess(cmd, code, answer, "")

    assert updates.dpkg_state(runner) == state
    assert asked == [["dpkg-query", "-W", "-f=${Status}", "pos-terminal"]]


# ------------------------------------------------------------------------------------------- commands
def test_the_apt_command_lines(tmp_path: Path) -> None:
    deb = tmp_path / "pos-terminal_0.3.0_amd64.deb"
    assert updates.deb_install_command(deb) == [
        "apt-get", "install", "-y", "--no-install-recommends", "-o", "Dpkg::Options::=--force-confdef",
        "-o", "Dpkg::Options::=--force-confold", str(deb)]
    assert updates.deb_install_command(deb, downgrade=True)[-2:] == ["--allow-downgrades", str(deb)]
    relative = Path("pos-terminal_0.3.0_amd64.deb")  # apt would look a bare name up as a package: always a path
    assert updates.deb_install_command(relative)[-1] == str(relative.resolve())


@pytest.mark.parametrize(("code", "output", "outcome"), [
    (0, "upgraded pos-terminal 0.2.0 -> 0.3.0", "installed"),
    (100, "ROLLED BACK: doctor failed with 0.3.0; 'current' points at 0.2.0 again", "rolled_back"),
    (100, "error: the backup with 0.2.0 failed: nothing was changed", "refused"),
    (100, "E: Unable to locate package libwayland-egl1", "refused"),
])
def test_what_apt_did_is_read_from_its_exit_status_and_the_rollback_line(code: int, output: str,
                                                                        outcome: str) -> None:
    assert updates.deb_outcome(code, output) == outcome


# ------------------------------------------------------------------------------------------- apply (.deb)
class Apt:
    """Answers apt-get and dpkg-query in place of the real ones, and records what it was asked."""

    def __init__(self, install_code: int = 0, install_out: str = "", back_code: int = 0,
                 state: str = "install ok installed") -> None:
        self.asked: list[list[str]] = []
        self.install_code, self.install_out, self.back_code, self.state = install_code, install_out, back_code, state

    def __call__(self, cmd: list[str]) -> subprocess.CompletedProcess[str]:
        self.asked.append(cmd)
        if cmd[0] == "dpkg-query":
            return subprocess.CompletedProcess(cmd, 0 if self.state else 1, self.state, "")
        if "--allow-downgrades" in cmd:
            return subprocess.CompletedProcess(cmd, self.back_code, "", "")
        return subprocess.CompletedProcess(cmd, self.install_code, self.install_out, "")


class DebTerminal:
    """A data folder with a verified .deb download (as `update check` leaves it) on a .deb-installed root."""

    def __init__(self, tmp: Path, version: str = "0.3.0", installed: str = "0.2.0") -> None:
        self.root = tmp / "root"
        marker = self.root / "usr/share/pos-terminal/package-kind"
        marker.parent.mkdir(parents=True)
        marker.write_text("deb\n")
        self.data = tmp / "data"
        folder = self.data / "updates"
        folder.mkdir(parents=True)
        pem, self.public = rel.new_private_key()
        (tmp / "k").write_bytes(pem)
        self.deb = build_deb(tmp, version)
        self.package = folder / updates.deb_file_name(version)
        shutil.copyfile(self.deb, self.package)
        signed = rel.sign_file(self.package, version, rel.load_private_key(tmp / "k"))
        assert signed.kind == "deb"
        (folder / "release.json").write_text(json.dumps({"channel": "stable", **signed.as_dict(),
                                                         "package": self.package.name}))
        (folder / "state.json").write_text(json.dumps({"window": {"start": "02:00", "end": "04:00"}}))
        self.installed = installed
        self.cache = self.root / "var/cache/pos-terminal/debs"

    def apply(self, apt: Apt) -> updates.ApplyResult:
        return updates.apply(self.data, public_key=self.public, now=QUIET, installed=self.installed,
                             prefix=self.root, runner=apt)


@needs_dpkg_deb
def test_a_verified_deb_is_installed_with_apt_and_kept_for_the_next_rollback(tmp_path: Path) -> None:
    t = DebTerminal(tmp_path)
    apt = Apt(0, "upgraded pos-terminal 0.2.0 -> 0.3.0")
    result = t.apply(apt)
    assert (result.status, result.message) == ("installed", "installed version 0.3.0 (was 0.2.0)")
    cached = t.cache / "pos-terminal_0.3.0.deb"
    assert apt.asked == [["dpkg-query", "-W", "-f=${Status}", "pos-terminal"], updates.deb_install_command(cached)]
    assert cached.read_bytes() == t.deb.read_bytes()  # the one apt installed, kept as the way back
    assert not t.package.exists() and not (t.data / "updates/release.json").exists()
    assert json.loads((t.data / "updates/applied.json").read_text())["status"] == "installed"


@needs_dpkg_deb
def test_a_rollback_by_the_package_reinstalls_the_previous_deb_from_the_cache(tmp_path: Path) -> None:
    t = DebTerminal(tmp_path)
    t.cache.mkdir(parents=True)
    previous = t.cache / "pos-terminal_0.2.0.deb"
    previous.write_bytes(b"the 0.2.0 package")
    apt = Apt(100, "ROLLED BACK: doctor failed with 0.3.0; 'current' points at 0.2.0 again and the ledger is the one "
                   "0.2.0 left.\nerror: pos-terminal 0.3.0 is not configured; the counter runs 0.2.0")
    result = t.apply(apt)
    assert result.status == "rolled_back"
    assert result.message == ("version 0.3.0 failed its check and was rolled back: 0.2.0 runs again with its own "
                              "ledger; the 0.2.0 package was installed again, so apt lists the version that runs")
    assert apt.asked[-1] == updates.deb_install_command(previous, downgrade=True)
    assert json.loads((t.data / "updates/applied.json").read_text())["failed_versions"] == ["0.3.0"]
    again = t.apply(Apt())  # not tried again until a newer version (or --retry)
    assert again.status == "nothing" and "rolled back before" in again.message


@needs_dpkg_deb
def test_a_rollback_without_the_previous_deb_says_what_to_do(tmp_path: Path) -> None:
    t = DebTerminal(tmp_path)
    result = t.apply(Apt(100, "ROLLED BACK: doctor failed with 0.3.0"))
    assert result.status == "rolled_back"
    assert result.message.endswith(f"0.2.0 runs again with its own ledger; no .deb of 0.2.0 is kept in {t.cache}: apt "
                                   "lists 0.3.0 as not configured until the 0.2.0 .deb is installed again by hand")


@needs_dpkg_deb
def test_apt_refusing_before_anything_changed_is_one_line(tmp_path: Path) -> None:
    t = DebTerminal(tmp_path)
    result = t.apply(Apt(100, "E: Unable to locate package libwayland-egl1"))
    assert (result.status, result.message) == ("refused", "apt-get refused version 0.3.0: E: Unable to locate "
                                                          "package libwayland-egl1")
    assert not (t.cache / "pos-terminal_0.3.0.deb").exists()


@needs_dpkg_deb
def test_a_deb_of_another_version_than_signed_is_not_handed_to_apt(tmp_path: Path) -> None:
    t = DebTerminal(tmp_path)
    other = build_deb(tmp_path / "other", "0.4.0")
    shutil.copyfile(other, t.package)
    meta = json.loads((t.data / "updates/release.json").read_text())
    pem = (tmp_path / "k").read_bytes()
    (tmp_path / "k2").write_bytes(pem)
    signed = rel.sign_file(t.package, "0.3.0", rel.load_private_key(tmp_path / "k2"))  # signed as 0.3.0
    (t.data / "updates/release.json").write_text(json.dumps({**meta, **signed.as_dict()}))
    apt = Apt()
    result = t.apply(apt)
    assert (result.status, result.message) == ("refused", "the .deb says version 0.4.0, the signature 0.3.0 (0.3.0): "
                                                          "nothing installed")
    assert apt.asked == []


@needs_dpkg_deb
def test_a_deb_download_on_a_kit_install_is_refused(tmp_path: Path) -> None:
    t = DebTerminal(tmp_path)
    (t.root / "usr/share/pos-terminal/package-kind").unlink()
    apt = Apt()
    result = t.apply(apt)
    assert (result.status, result.message) == ("refused", "the download is a deb package, this terminal was "
                                                          "installed from a tar: nothing installed")
    assert apt.asked == []


@needs_dpkg_deb
def test_a_marker_without_the_package_in_dpkg_is_refused(tmp_path: Path) -> None:
    t = DebTerminal(tmp_path)
    apt = Apt(state="")
    result = t.apply(apt)
    assert result.status == "refused"
    assert result.message == ("dpkg does not list pos-terminal as installed, although the program says a .deb "
                              "installed it: nothing installed")
    assert [c[0] for c in apt.asked] == ["dpkg-query"]


@needs_dpkg_deb
def test_build_refuses_to_replace_a_deb_of_the_same_version_from_another_source(tmp_path: Path) -> None:
    """build.sh finds the .deb under its Debian name (a post-release: 0.1.0.post7 -> 0.1.0+post7) and refuses before
    PyInstaller runs; looked up under the release's own name, it was not found and the build replaced it."""
    from tests.test_packaging_build import PYPROJECT_VERSION, _build_env, _copy_tree

    version = PYPROJECT_VERSION + ".post3"
    tree = _copy_tree(tmp_path / "src", version)  # this tree, committed, its pyproject.toml at the post-release
    deb = build_deb(tmp_path, version)  # BUILD_INFO source=test-<version>
    assert deb.name.startswith(f"pos-terminal_{PYPROJECT_VERSION}+post3_")
    before = deb.read_bytes()
    result = subprocess.run(["bash", str(tree / "packaging" / "build.sh")], capture_output=True, text=True,
                            timeout=120, check=False, env=_build_env(deb.parent, tmp_path / "work"))
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {deb} is version {version} built from test-{version}, this tree is ")
    assert deb.read_bytes() == before and not (tmp_path / "work").exists()
