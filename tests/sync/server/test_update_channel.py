"""The update channel end to end (issue 10): head office makes a key and signs a small real kit tarball with
the ``loyalty-server`` CLI, a real server process on loopback (PostgreSQL) hosts it, a real terminal
(``pos-terminal`` processes on a real ledger) checks on sync, downloads, verifies and installs it through the
kit's own ``upgrade.sh`` into files staged by ``install.sh --prefix`` (stand-in builds from tests/test_packaging:
no PyInstaller here)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from pos_app.ledger.locks import single_window
from sync import release as rel
from sync.server import service as svc
from sync.server.app import run_tx
from sync.server.config import Settings
from tests.sync.server.conftest import ServerProcess
from tests.test_packaging import PKG, Stage, installed, make_build

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.postgres


class HeadOffice:
    """``loyalty-server`` as head office runs it: the key stays in ``tmp/hq``, the server gets files only."""

    def __init__(self, tmp: Path, database_url: str) -> None:
        self.tmp = tmp
        self.release_dir = tmp / "releases"
        self.env = {**os.environ, "LOYALTY_DATABASE_URL": database_url, "LOYALTY_RELEASE_DIR": str(self.release_dir)}
        self.key = tmp / "hq" / "update.key"
        self.made = 0
        self.public = self.run("release", "keygen", "--out", str(self.key))["public_key"]

    def run(self, *args: str, ok: bool = True) -> dict:
        out = subprocess.run([str(BIN / "loyalty-server"), "--json", *args], capture_output=True, text=True,
                             env=self.env, timeout=120)
        if ok:
            assert out.returncode == 0, out.stderr
            return json.loads(out.stdout)
        assert out.returncode != 0
        return {"stderr": out.stderr, "returncode": out.returncode}

    def kit(self, version: str, *fail: str, kit_version: str | None = None) -> Path:
        """A small real kit tarball in the layout build.sh packs: pos-terminal-<v>/{pos-terminal/, upgrade.sh, ...}."""
        self.made += 1
        root = self.tmp / f"kit-{self.made}"
        kit = root / f"pos-terminal-{version}"
        kit.mkdir(parents=True)
        shutil.copytree(make_build(root, kit_version or version, *fail), kit / "pos-terminal")
        for script in ("install.sh", "upgrade.sh", "lib.sh", "terminal.toml.example"):
            shutil.copy2(PKG / script, kit / script)
        tarball = root / f"pos-terminal-{version}-linux-x86_64.tar.gz"
        with tarfile.open(tarball, "w:gz") as tar:
            tar.add(kit, arcname=kit.name)
        return tarball

    def publish(self, version: str, channel: str, *fail: str, key: Path | None = None, separately: bool = False,
                **kit: str) -> Path:
        tarball = self.kit(version, *fail, **kit)
        if separately:  # signed at head office; the server gets the file and the signature, never the key
            self.run("release", "sign", "--file", str(tarball), "--version", version, "--key", str(key or self.key))
            self.run("release", "publish", "--file", str(tarball), "--channel", channel)  # the .sig.json beside it
        else:
            self.run("release", "publish", "--file", str(tarball), "--version", version, "--channel", channel,
                     "--key", str(key or self.key))
        return tarball


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory, settings: Settings, engine: Engine) -> HeadOffice:
    hq = HeadOffice(tmp_path_factory.mktemp("office"), settings.database_url)
    hq.run("release", "window", "--from", "02:00", "--to", "04:00")
    return hq


@pytest.fixture(scope="module")
def server(office: HeadOffice, settings: Settings) -> Iterator[ServerProcess]:
    proc = ServerProcess(settings.database_url, {"LOYALTY_RELEASE_DIR": str(office.release_dir)})
    yield proc
    proc.stop()


class Counter:
    """One enrolled terminal, driven through ``pos-terminal`` processes, following ``channel``."""

    def __init__(self, data: Path, stage: Stage) -> None:
        self.data, self.stage = data, stage

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = self.stage.env(POS_LANG="en", QT_QPA_PLATFORM="offscreen")
        return subprocess.run([str(BIN / "pos-terminal"), "--data-dir", str(self.data), "--lang", "en", *args],
                              capture_output=True, text=True, timeout=120, env=env)

    def json(self, *args: str) -> dict:
        out = self.run("--json", *args)
        assert out.returncode in (0, 1), out.stderr
        return json.loads(out.stdout.strip().splitlines()[-1])

    def configure(self, public_key: str, channel: str) -> None:
        (self.data / "terminal.toml").write_text(
            f'[terminal]\nlanguage = "en"\n\n[update]\npublic_key = "{public_key}"\nchannel = "{channel}"\n',
            encoding="utf-8")

    def apply(self, at: str, *extra: str) -> tuple[int, dict]:
        out = self.run("--json", "update", "apply", "--prefix", str(self.stage.root), "--now", at, *extra)
        return out.returncode, json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def enrolled(tmp_path_factory: pytest.TempPathFactory, server: ServerProcess, engine: Engine) -> Path:
    """One terminal enrolled with the server for the module (each test gives it its own key, channel and a fresh
    update folder, and its own staged install)."""
    data = tmp_path_factory.mktemp("terminal") / "data"
    env = {**os.environ, "POS_CONFIG": ""}
    pos = [str(BIN / "pos-terminal"), "--data-dir", str(data), "--lang", "en"]
    assert subprocess.run([*pos, "init"], capture_output=True, env=env, timeout=120).returncode == 0
    code = run_tx(engine, lambda conn: svc.issue_enrollment_code(conn, "BKK01", svc.utcnow(), 1))[0]
    out = subprocess.run([*pos, "enroll", "--server", server.url, "--code", code], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    return data


@pytest.fixture
def counter(tmp_path: Path, enrolled: Path) -> Callable[[str, str], Counter]:
    def make(public_key: str, channel: str) -> Counter:
        stage = Stage(tmp_path)
        if public_key:  # the version in use on the staged terminal, the key pinned at install
            done = stage.run("install.sh", "--build", str(make_build(stage.tmp, "0.1.0")), "--update-key", public_key)
            assert done.returncode == 0 and f"update key pinned: {public_key}" in done.stdout, done.stderr
        else:
            installed(stage, "0.1.0")
        stage.put_ledger()
        shutil.rmtree(enrolled / "updates", ignore_errors=True)
        c = Counter(enrolled, stage)
        c.configure(public_key, channel)
        return c
    return make


def _updates(c: Counter) -> list[str]:
    folder = c.data / "updates"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


# ------------------------------------------------------------------------------------------------ tests
def test_a_signed_release_is_downloaded_on_sync_and_installed_only_in_the_quiet_time(
        office: HeadOffice, counter: Callable[[str, str], Counter], server: ServerProcess) -> None:
    tarball = office.publish("0.2.0", "t-ok", separately=True)
    c = counter(office.public, "t-ok")
    synced = c.json("sync", "--once")
    assert synced["update"]["status"] == "ready", synced["update"]
    package = c.data / "updates" / "pos-terminal-0.2.0.tar.gz"
    assert package.read_bytes() == tarball.read_bytes()
    assert package.stat().st_mode & 0o777 == 0o600 and (c.data / "updates").stat().st_mode & 0o777 == 0o700
    assert not list((c.data / "updates").glob("*.part"))
    status = c.run("update", "status").stdout
    assert "Version 0.2.0 is downloaded and verified; it is installed in the quiet time 02:00-04:00." in status

    # outside the quiet time: nothing installed
    code, result = c.apply("2026-12-01T05:00")
    assert (code, result["status"]) == (0, "waiting")
    assert result["message"] == "version 0.2.0 waits for the quiet time 02:00-04:00 (now 05:00)"
    assert c.stage.current() == "0.1.0"

    # inside it, but a counter window is open (it holds app.lock): still nothing
    window = single_window(c.data)
    assert window is not None
    try:
        code, result = c.apply("2026-12-01T03:00")
    finally:
        window.release()
    assert result["status"] == "waiting" and "the counter window is open" in result["message"]
    assert c.stage.current() == "0.1.0"

    # quiet time, no window: installed through upgrade.sh (backup with 0.1.0, doctor with 0.2.0)
    code, result = c.apply("2026-12-01T03:00")
    assert (code, result["status"]) == (0, "installed"), result
    assert result["message"] == "installed version 0.2.0 (was 0.1.0)"
    assert c.stage.current() == "0.2.0"
    calls = c.stage.calls()
    assert calls.index("0.1.0 --json backup current=0.1.0") < calls.index("0.2.0 doctor current=0.2.0")
    assert not package.exists()  # the download is gone once installed
    again = c.apply("2026-12-01T03:05")[1]
    assert again["status"] == "nothing"

    # head office sees which version each terminal runs, and when it last checked in
    listed = office.run("terminals")
    mine = [t for t in listed if t["app_version"]]
    assert mine and all(t["last_seen_at"] for t in mine)


def test_a_failing_doctor_rolls_back_and_the_version_is_not_tried_again(
        office: HeadOffice, counter: Callable[[str, str], Counter]) -> None:
    office.publish("0.3.0", "t-fail", "FAIL_DOCTOR")
    c = counter(office.public, "t-fail")
    ledger = c.stage.path("/var/lib/pos-terminal/ledger.sqlite3")
    before = ledger.read_bytes()
    assert c.json("sync", "--once")["update"]["status"] == "ready"
    code, result = c.apply("2026-12-01T02:30")
    assert (code, result["status"]) == (1, "rolled_back")
    assert result["message"] == ("version 0.3.0 failed its check and was rolled back: 0.1.0 runs again with its "
                                 "own ledger")
    assert c.stage.current() == "0.1.0" and ledger.read_bytes() == before
    code, result = c.apply("2026-12-01T02:40")
    assert (code, result["status"]) == (0, "nothing") and "rolled back before" in result["message"]
    assert c.stage.current() == "0.1.0"
    doctor = c.run("doctor").stdout
    assert "version 0.3.0 rolled back at" in doctor


def test_a_package_signed_by_another_key_is_refused_and_nothing_is_downloaded(
        office: HeadOffice, counter: Callable[[str, str], Counter]) -> None:
    other = office.tmp / "other" / "update.key"
    office.run("release", "keygen", "--out", str(other))
    office.publish("0.2.0", "t-wrongkey", key=other)
    c = counter(office.public, "t-wrongkey")
    out = c.run("sync", "--once")
    assert out.returncode == 0  # the terminal keeps syncing
    line = [x for x in out.stderr.splitlines() if x.startswith("Update refused")]
    assert line == [f"Update refused, nothing installed: release 0.2.0 refused: the signature of release 0.2.0 is not "
                    f"by the pinned update key ({__import__('sync.release').release.fingerprint(office.public)})"]
    assert c.json("update", "status")["last_check"]["code"] == "bad_signature"
    assert _updates(c) == ["state.json"]
    assert c.apply("2026-12-01T03:00")[1]["status"] == "nothing"
    assert c.stage.current() == "0.1.0"


def test_a_package_tampered_on_the_server_is_refused_and_the_terminal_keeps_syncing(
        office: HeadOffice, counter: Callable[[str, str], Counter]) -> None:
    office.publish("0.2.0", "t-tamper")
    stored = office.release_dir / "t-tamper" / "pos-terminal-0.2.0-t-tamper.tar.gz"
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one byte changed
    stored.write_bytes(bytes(data))
    c = counter(office.public, "t-tamper")
    out = c.run("sync", "--once")
    assert out.returncode == 0
    state = c.json("update", "status")["last_check"]
    assert (state["status"], state["code"]) == ("refused", "wrong_hash")
    assert _updates(c) == ["state.json"]  # neither the package nor its .part is kept
    check = c.run("update", "check")
    assert check.returncode == 1 and check.stdout.startswith("Update refused, nothing installed: release 0.2.0 "
                                                             "refused: the downloaded package's SHA-256 is")


def test_a_download_changed_on_the_terminal_is_refused_at_install(
        office: HeadOffice, counter: Callable[[str, str], Counter]) -> None:
    office.publish("0.2.0", "t-local")
    c = counter(office.public, "t-local")
    assert c.json("sync", "--once")["update"]["status"] == "ready"
    package = c.data / "updates" / "pos-terminal-0.2.0.tar.gz"
    data = bytearray(package.read_bytes())
    data[-10] ^= 0x01
    package.write_bytes(bytes(data))
    code, result = c.apply("2026-12-01T03:00")
    assert (code, result["status"]) == (1, "refused")
    assert result["message"].startswith("the downloaded package's SHA-256 is") and "nothing installed" in result["message"]
    assert c.stage.current() == "0.1.0" and not package.exists()
    assert c.json("sync", "--once")["update"]["status"] == "ready"  # fetched again, intact


def test_a_kit_that_is_not_the_signed_version_is_refused(office: HeadOffice,
                                                         counter: Callable[[str, str], Counter]) -> None:
    office.publish("0.2.0", "t-mislabel", kit_version="0.0.1")  # head office signed a build of another version
    c = counter(office.public, "t-mislabel")
    assert c.json("sync", "--once")["update"]["status"] == "ready"
    code, result = c.apply("2026-12-01T03:00")
    assert (code, result["status"]) == (1, "refused")
    assert result["message"] == "the kit says version 0.0.1, the signature 0.2.0: nothing installed"
    assert c.stage.current() == "0.1.0"


def test_a_downgrade_is_refused(office: HeadOffice, counter: Callable[[str, str], Counter]) -> None:
    office.publish("0.0.9", "t-down")
    c = counter(office.public, "t-down")
    state = c.json("sync", "--once")["update"]
    assert (state["status"], state["code"]) == ("refused", "downgrade")
    assert state["message"] == ("release refused: the server offers 0.0.9, older than 0.1.0 in use (a downgrade is "
                                "never installed by the update channel)")
    assert _updates(c) == ["state.json"]


def test_without_a_pinned_key_nothing_is_downloaded_and_doctor_says_so(
        office: HeadOffice, counter: Callable[[str, str], Counter]) -> None:
    office.publish("0.2.0", "t-nokey")
    c = counter("", "t-nokey")
    state = c.json("sync", "--once")["update"]
    assert state["status"] == "no_key"
    assert _updates(c) == ["state.json"]
    assert ("WARN  update     No update key is pinned ([update] public_key in terminal.toml): updates from the "
            "server are never installed.") in c.run("doctor").stdout
    assert "updates from the server are never installed" in c.run("config", "show").stdout


def test_an_interrupted_download_resumes_and_a_damaged_part_is_started_again(
        office: HeadOffice, counter: Callable[[str, str], Counter]) -> None:
    tarball = office.publish("0.2.0", "t-resume")
    c = counter(office.public, "t-resume")
    folder = c.data / "updates"
    whole = tarball.read_bytes()
    part = folder / "pos-terminal-0.2.0.tar.gz.part"
    third = len(whole) // 3 + 1  # each check fetches a third, as the sync service fetches 32 MiB a round
    states = [c.json("update", "check", "--max-bytes", str(third)) for _round in range(3)]
    assert [(s["status"], s["code"]) for s in states] == [("failed", "incomplete")] * 2 + [("ready", "")]
    assert states[0]["message"] == (f"download of 0.2.0 not finished ({third} of {len(whole)} bytes); it resumes "
                                    "next time")
    assert (folder / "pos-terminal-0.2.0.tar.gz").read_bytes() == whole  # resumed by range, never restarted
    assert not part.exists()

    (folder / "pos-terminal-0.2.0.tar.gz").unlink()
    part.write_bytes(b"X" * (len(whole) // 2))  # a .part that is not the start of the package
    first = c.json("update", "check")  # resumed, failed its hash, and downloaded afresh in the same check
    assert first["status"] == "ready" and not part.exists()
    assert (folder / "pos-terminal-0.2.0.tar.gz").read_bytes() == whole


def test_the_download_needs_the_terminal_credential(office: HeadOffice, server: ServerProcess) -> None:
    office.publish("0.2.0", "t-auth")
    r = httpx.get(f"{server.url}/v1/release/t-auth/0.2.0/package", timeout=10)
    assert r.status_code == 401 and r.json()["error"]["code"] == "no_credential"


def test_publishing_refuses_a_file_that_is_not_the_signed_one(office: HeadOffice) -> None:
    tarball = office.kit("0.4.0")
    office.run("release", "sign", "--file", str(tarball), "--version", "0.4.0", "--key", str(office.key))
    tarball.write_bytes(tarball.read_bytes() + b"\0")
    out = office.run("release", "publish", "--file", str(tarball), "--channel", "t-pub", ok=False)
    assert "the downloaded package has" in out["stderr"] or "bytes, the release says" in out["stderr"]
    assert out["stderr"].count("\n") == 1
    first = office.publish("0.5.0", "t-pub")
    stored = office.release_dir / "t-pub" / "pos-terminal-0.5.0-t-pub.tar.gz"
    other = office.kit("0.5.0", "FAIL_DOCTOR")  # another build under the same version
    refused = office.run("release", "publish", "--file", str(other), "--version", "0.5.0", "--channel", "t-pub",
                         "--key", str(office.key), ok=False)
    assert refused["stderr"].strip() == ("Error: version 0.5.0 (tar) of channel t-pub was published with another "
                                         "file: publish the new build under a new version (release_exists)")
    assert stored.read_bytes() == first.read_bytes()  # what terminals download is still the signed file
    bad = office.run("release", "window", "--from", "25:00", "--to", "04:00", ok=False)
    assert bad["stderr"].strip() == "Error: '25:00' is not a time of day such as 02:00 (bad_time)"


def test_a_deb_terminal_gets_the_deb_of_its_channel_and_a_kit_terminal_the_kit(
        office: HeadOffice, counter: Callable[[str, str], Counter], tmp_path: Path) -> None:
    """Both kinds of one version on one channel: each terminal downloads the kind it was installed from."""
    from tests.test_packaging_deb import build_deb

    if shutil.which("dpkg-deb") is None:
        pytest.skip("dpkg-deb is not installed: no .deb can be built")
    tarball = office.publish("0.2.0", "t-kinds")
    deb = build_deb(tmp_path / "deb", "0.2.0")
    signed = office.run("release", "sign", "--file", str(deb), "--version", "0.2.0", "--key", str(office.key))
    assert signed["kind"] == "deb"
    published = office.run("release", "publish", "--file", str(deb), "--channel", "t-kinds")
    assert (published["kind"], published["download_path"]) == ("deb", "/v1/release/t-kinds/0.2.0/package?kind=deb")
    listed = [(r["kind"], r["version"], r["current"]) for r in office.run("release", "list")["releases"]
              if r["channel"] == "t-kinds"]
    assert listed == [("deb", "0.2.0", True), ("tar", "0.2.0", True)]

    c = counter(office.public, "t-kinds")
    assert c.json("update", "check")["status"] == "ready"  # the kit install: the kit
    assert (c.data / "updates" / "pos-terminal-0.2.0.tar.gz").read_bytes() == tarball.read_bytes()
    marker = c.stage.path("/usr/share/pos-terminal/package-kind")
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("deb\n")
    state = c.json("update", "check", "--prefix", str(c.stage.root))
    assert (state["status"], state["release"]["kind"]) == ("ready", "deb"), state
    assert _updates(c) == ["pos-terminal_0.2.0.deb", "release.json", "state.json"]  # the kit's download is gone
    assert (c.data / "updates" / "pos-terminal_0.2.0.deb").read_bytes() == deb.read_bytes()


def test_a_deb_signature_never_passes_for_a_kit(office: HeadOffice, tmp_path: Path) -> None:
    tarball = office.kit("0.6.0")
    sig = office.run("release", "sign", "--file", str(tarball), "--version", "0.6.0", "--key", str(office.key),
                     "--kind", "deb")
    assert sig["kind"] == "deb"
    refused = office.run("release", "publish", "--file", str(tarball), "--channel", "t-kindsig", ok=False)
    assert refused["stderr"].strip().splitlines()[-1] == ("Error: the signature is for a package of kind deb, not "
                                                          "tar (sign it with --kind)")
    forged = rel.SignedRelease(sig["version"], sig["sha256"], sig["size"], sig["signature"], "tar")
    with pytest.raises(rel.ReleaseError) as caught:
        rel.check_signature(forged, office.public)
    assert caught.value.code == "bad_signature"
