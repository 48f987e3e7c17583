"""packaging/: the installer and upgrade logic run for real against a staged root (--prefix), with small
stand-in builds whose `pos-terminal` records what it was asked to do. No PyInstaller build here (that is
packaging/build.sh + packaging/smoke_test.sh, too slow for CI); the spec and the template are checked."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pos_app.config import TerminalConfig, known_keys, load_file

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "packaging"

FAKE_BINARY = r"""#!/bin/sh
here=$(cd "$(dirname "$0")" && pwd)
v=$(cat "$here/VERSION")
echo "$v $* current=$(basename "$(readlink "$STAGE/opt/pos-terminal/current")")" >> "$FAKE_LOG"
case "$*" in
  --version) echo "pos-terminal, version $v" ;;
  *backup*)
    [ -f "$here/FAIL_BACKUP" ] && { echo "Error: cannot write the backup" >&2; exit 1; }
    mkdir -p "$POS_DATA_DIR/backups" && cp "$POS_DATA_DIR/ledger.sqlite3" "$POS_DATA_DIR/backups/before-$v"
    case "$*" in *--json*) echo "{\"ok\": true, \"path\": \"$POS_DATA_DIR/backups/before-$v\", \"size_bytes\": 1}" ;; esac ;;
  *doctor*)
    if [ -f "$here/FAIL_DOCTOR" ]; then  # it migrated the ledger (and left a WAL) before failing
      printf 'migrated by %s' "$v" > "$POS_DATA_DIR/ledger.sqlite3"; printf 'wal of %s' "$v" > "$POS_DATA_DIR/ledger.sqlite3-wal"
      echo "BAD  schema  cannot migrate"; exit 1
    fi
    echo "{\"ok\": true, \"mode\": \"${FAKE_MODE:-standalone}\"}" ;;
esac
"""


def make_build(tmp_path: Path, version: str, *fail: str) -> Path:
    build = tmp_path / f"build-{version}" / "pos-terminal"
    (build / "_internal").mkdir(parents=True)
    exe = build / "pos-terminal"
    exe.write_text(FAKE_BINARY)
    exe.chmod(0o755)
    (build / "VERSION").write_text(version + "\n")
    for flag in fail:
        (build / flag).write_text("")
    return build


class Stage:
    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path / "stage"
        self.root.mkdir()
        self.log = tmp_path / "calls.log"
        self.log.write_text("")
        self.tmp = tmp_path

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("POS_")}
        env.update(STAGE=str(self.root), FAKE_LOG=str(self.log), **extra)
        return env

    def run(self, script: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", str(PKG / script), "--prefix", str(self.root), *args],
                              capture_output=True, text=True, env=self.env(**env), timeout=60, check=False)

    def path(self, system_path: str) -> Path:
        return self.root / system_path.lstrip("/")

    def current(self) -> str:
        return os.readlink(self.path("/opt/pos-terminal/current"))

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines()

    def put_ledger(self, content: bytes = b"SQLite format 3\x00 the ledger") -> Path:
        ledger = self.path("/var/lib/pos-terminal/ledger.sqlite3")
        ledger.parent.mkdir(parents=True, exist_ok=True)
        ledger.write_bytes(content)
        return ledger


@pytest.fixture
def stage(tmp_path: Path) -> Stage:
    return Stage(tmp_path)


def installed(stage: Stage, version: str = "0.1.0") -> Path:
    build = make_build(stage.tmp, version)
    result = stage.run("install.sh", "--build", str(build))
    assert result.returncode == 0, result.stderr
    return build


# ------------------------------------------------------------------------------------------- install
def test_install_lays_out_program_config_jobs_and_autostart(stage: Stage) -> None:
    build = make_build(stage.tmp, "0.1.0")
    result = stage.run("install.sh", "--build", str(build))
    assert result.returncode == 0, result.stderr
    assert (stage.path("/opt/pos-terminal/0.1.0/pos-terminal")).is_file()
    assert stage.current() == "0.1.0"
    # the branch's settings start as the template
    config = stage.path("/etc/pos-terminal/terminal.toml")
    assert config.read_text() == (PKG / "terminal.toml.example").read_text()
    assert "POS_DATA_DIR=/var/lib/pos-terminal" in stage.path("/etc/pos-terminal/environment").read_text()
    assert stage.path("/var/lib/pos-terminal").is_dir()
    assert stage.path("/var/lib/pos-terminal").stat().st_mode & 0o777 == 0o700  # member data: nobody else's
    wrapper = stage.path("/usr/local/bin/pos-terminal")
    assert os.access(wrapper, os.X_OK)
    assert "exec /opt/pos-terminal/current/pos-terminal" in wrapper.read_text()
    units = stage.path("/etc/systemd/system")
    backup = (units / "pos-terminal-backup.service").read_text()
    assert "ExecStart=/opt/pos-terminal/current/pos-terminal backup --if-due" in backup
    assert "User=pos" in backup
    assert "OnCalendar=hourly" in (units / "pos-terminal-backup.timer").read_text()
    assert "pos-terminal expire" in (units / "pos-terminal-expire.service").read_text()
    assert "OnCalendar=*-*-* 00:15:00" in (units / "pos-terminal-expire.timer").read_text()
    assert "ExecStart=/opt/pos-terminal/current/pos-terminal sync" in (units / "pos-terminal-sync.service").read_text()
    desktop = stage.path("/home/pos/.config/autostart/pos-terminal.desktop").read_text()
    assert "Exec=/usr/local/bin/pos-terminal counter" in desktop
    # system changes are only printed under --prefix; sync waits for enrollment
    assert "libzbar0" in result.stdout and "libxcb-cursor0" in result.stdout
    assert "skip: systemctl enable --now pos-terminal-backup.timer pos-terminal-expire.timer" in result.stdout
    assert "pos-terminal-sync.service" not in result.stdout.split("not enrolled yet")[0]
    assert "not enrolled yet" in result.stdout
    # the update channel: root installs a verified download every 10 minutes if it is quiet time
    update = (units / "pos-terminal-update.service").read_text()
    assert "User=root" in update and "ExecStart=/opt/pos-terminal/current/pos-terminal update apply" in update
    assert "OnCalendar=*:0/10" in (units / "pos-terminal-update.timer").read_text()
    assert "pos-terminal-expire.timer pos-terminal-update.timer" in result.stdout


UPDATE_KEY = "OGmiKSaa74PANv3TSGmxS0GmuNerk9bGjGX+cu/6Oh0="


def test_install_pins_the_update_key_of_the_kit(stage: Stage) -> None:
    kit = stage.tmp / "kit"
    shutil.copytree(PKG, kit)
    (kit / "update-key.pub").write_text(UPDATE_KEY + "\n")
    result = subprocess.run(["bash", str(kit / "install.sh"), "--prefix", str(stage.root), "--build",
                             str(make_build(stage.tmp, "0.1.0"))], capture_output=True, text=True, env=stage.env(),
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert f"update key pinned: {UPDATE_KEY}" in result.stdout
    cfg = load_file(stage.path("/etc/pos-terminal/terminal.toml"))
    assert cfg.update.public_key == UPDATE_KEY


def test_install_refuses_an_update_key_that_is_not_one(stage: Stage) -> None:
    result = stage.run("install.sh", "--build", str(make_build(stage.tmp, "0.1.0")), "--update-key", "hello")
    assert result.returncode == 1
    assert result.stderr.strip() == ("error: --update-key: not a base64 Ed25519 public key (from 'loyalty-server "
                                     "release keygen')")
    assert not stage.path("/etc/pos-terminal/terminal.toml").exists()


def test_install_again_keeps_the_edited_config(stage: Stage) -> None:
    build = installed(stage)
    config = stage.path("/etc/pos-terminal/terminal.toml")
    config.write_text('[printer]\nkind = "network"\naddress = "10.0.0.9"\n')
    result = stage.run("install.sh", "--build", str(build))
    assert result.returncode == 0, result.stderr
    assert "10.0.0.9" in config.read_text()
    assert "kept" in result.stdout


def test_install_as_another_user_and_data_folder(stage: Stage) -> None:
    build = make_build(stage.tmp, "0.1.0")
    result = stage.run("install.sh", "--build", str(build), "--user", "cashier", "--data-dir", "/srv/pos")
    assert result.returncode == 0, result.stderr
    assert "User=cashier" in stage.path("/etc/systemd/system/pos-terminal-sync.service").read_text()
    assert "POS_DATA_DIR=/srv/pos" in stage.path("/etc/pos-terminal/environment").read_text()
    assert stage.path("/home/cashier/.config/autostart/pos-terminal.desktop").is_file()


@pytest.mark.parametrize("args", [["--user", "Bad User"], ["--data-dir", "relative/path"], ["--colour", "red"]])
def test_install_refuses_bad_options(stage: Stage, args: list[str]) -> None:
    build = make_build(stage.tmp, "0.1.0")
    result = stage.run("install.sh", "--build", str(build), *args)
    assert result.returncode != 0
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert not stage.path("/opt/pos-terminal").exists()


def test_install_refuses_to_replace_a_running_version(stage: Stage) -> None:
    installed(stage, "0.1.0")
    newer = make_build(stage.tmp, "0.2.0")
    result = stage.run("install.sh", "--build", str(newer))
    assert result.returncode == 1
    assert "upgrade.sh" in result.stderr
    assert stage.current() == "0.1.0"
    assert not stage.path("/opt/pos-terminal/0.2.0").exists()


def test_install_enables_sync_on_an_enrolled_terminal(stage: Stage) -> None:
    stage.put_ledger()
    build = make_build(stage.tmp, "0.1.0")
    result = stage.run("install.sh", "--build", str(build), FAKE_MODE="enrolled")
    assert result.returncode == 0, result.stderr
    assert "skip: systemctl enable --now pos-terminal-sync.service" in result.stdout


def test_dry_run_changes_nothing(stage: Stage) -> None:
    build = make_build(stage.tmp, "0.1.0")
    result = subprocess.run(["bash", str(PKG / "install.sh"), "--dry-run", "--prefix", str(stage.root),
                             "--build", str(build)], capture_output=True, text=True, env=stage.env(),
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert list(stage.root.iterdir()) == []
    assert "would: cp -a" in result.stdout and "would: ln -sfn 0.1.0" in result.stdout


def test_real_install_needs_root(stage: Stage) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root")
    build = make_build(stage.tmp, "0.1.0")
    result = subprocess.run(["bash", str(PKG / "install.sh"), "--build", str(build)], capture_output=True,
                            text=True, env=stage.env(), timeout=60, check=False)
    assert result.returncode == 1 and "root" in result.stderr


# ------------------------------------------------------------------------------------------- upgrade
def test_upgrade_backs_up_with_the_old_version_before_switching(stage: Stage) -> None:
    installed(stage, "0.1.0")
    ledger = stage.put_ledger()
    before = ledger.read_bytes()
    result = stage.run("upgrade.sh", "--build", str(make_build(stage.tmp, "0.2.0")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert stage.current() == "0.2.0"
    calls = stage.calls()
    backup = calls.index("0.1.0 --json backup current=0.1.0")  # the old version, while still current
    doctor = calls.index("0.2.0 doctor current=0.2.0")  # the new version, once switched
    assert backup < doctor
    kept = list(stage.path("/var/lib/pos-terminal/backups/upgrades").glob("pre-upgrade-0.1.0-to-0.2.0-*.sqlite3"))
    assert len(kept) == 1 and kept[0].read_bytes() == before  # out of the scheduled rotation's folder
    assert not stage.path("/var/lib/pos-terminal/backups/before-0.1.0").exists()
    assert ledger.read_bytes() == before
    assert stage.path("/opt/pos-terminal/0.1.0/pos-terminal").is_file()  # kept for a roll back
    assert "skip: systemctl stop" in result.stdout and "skip: systemctl start" in result.stdout


def test_upgrade_makes_an_old_autostart_entry_run_counter(stage: Stage) -> None:
    """Installed before 'pos-terminal counter' existed, the entry ran 'app': nothing would start the window again
    after it stepped aside for an update."""
    installed(stage, "0.1.0")
    desktop = stage.path("/home/pos/.config/autostart/pos-terminal.desktop")
    desktop.write_text(desktop.read_text().replace("Exec=/usr/local/bin/pos-terminal counter",
                                                   "Exec=/usr/local/bin/pos-terminal app"))
    result = stage.run("upgrade.sh", "--build", str(make_build(stage.tmp, "0.2.0")))
    assert result.returncode == 0, result.stderr
    assert "Exec=/usr/local/bin/pos-terminal counter\n" in desktop.read_text()
    assert "autostart entry now runs 'pos-terminal counter' (the window comes back after an update)" in result.stdout
    again = stage.run("upgrade.sh", "--build", str(make_build(stage.tmp / "b", "0.3.0")))
    assert "autostart entry now runs" not in again.stdout  # already 'counter': left alone


def test_upgrade_rolls_back_when_doctor_fails_and_keeps_the_ledger(stage: Stage) -> None:
    installed(stage, "0.1.0")
    ledger = stage.put_ledger()
    before = ledger.read_bytes()
    result = stage.run("upgrade.sh", "--build", str(make_build(stage.tmp, "0.2.0", "FAIL_DOCTOR")))
    assert result.returncode == 1
    assert "ROLLED BACK" in result.stdout and "nothing to restore by hand" in result.stdout
    assert stage.current() == "0.1.0"
    # the ledger is the one 0.1.0 left, and no WAL of 0.2.0 sits beside it to be replayed into it
    assert ledger.read_bytes() == before
    assert not stage.path("/var/lib/pos-terminal/ledger.sqlite3-wal").exists()
    assert ledger.stat().st_mode & 0o777 == 0o600
    data = stage.path("/var/lib/pos-terminal")
    [migrated] = data.glob("replaced-by-rollback-0.2.0-*.sqlite3")  # what 0.2.0 left is kept, never deleted
    assert migrated.read_bytes() == b"migrated by 0.2.0"
    assert migrated.with_name(migrated.name + "-wal").read_bytes() == b"wal of 0.2.0"
    assert len(list((data / "backups" / "upgrades").glob("pre-upgrade-*.sqlite3"))) == 1
    assert not list(data.glob("*.rollback"))
    assert "skip: systemctl start pos-terminal-backup.timer" in result.stdout  # jobs back on


def test_upgrade_keeps_the_pre_upgrade_backups_of_the_last_upgrades(stage: Stage) -> None:
    installed(stage, "0.1.0")
    stage.put_ledger()
    for version in ("0.2.0", "0.3.0", "0.4.0", "0.5.0", "0.6.0", "0.7.0"):
        result = stage.run("upgrade.sh", "--build", str(make_build(stage.tmp, version)))
        assert result.returncode == 0, result.stderr
        for p in stage.path("/var/lib/pos-terminal/backups/upgrades").iterdir():
            os.utime(p, (p.stat().st_mtime - 60, p.stat().st_mtime - 60))  # older than the next one
    names = sorted(p.name for p in stage.path("/var/lib/pos-terminal/backups/upgrades").iterdir())
    assert [n.split("-")[2] for n in names] == ["0.3.0", "0.4.0", "0.5.0", "0.6.0"]


def test_upgrade_changes_nothing_when_the_backup_fails(stage: Stage) -> None:
    installed(stage, "0.1.0")
    (stage.path("/opt/pos-terminal/0.1.0/FAIL_BACKUP")).write_text("")
    ledger = stage.put_ledger()
    result = stage.run("upgrade.sh", "--build", str(make_build(stage.tmp, "0.2.0")))
    assert result.returncode == 1
    assert "nothing was changed" in result.stderr
    assert stage.current() == "0.1.0"
    assert not stage.path("/opt/pos-terminal/0.2.0").exists()
    assert not any(c.startswith("0.2.0") for c in stage.calls())
    assert ledger.is_file()


def test_upgrade_of_a_terminal_without_a_ledger_checks_the_new_binary(stage: Stage) -> None:
    installed(stage, "0.1.0")
    result = stage.run("upgrade.sh", "--build", str(make_build(stage.tmp, "0.2.0")))
    assert result.returncode == 0, result.stderr
    assert "nothing to back up" in result.stdout
    assert "0.2.0 --version current=0.2.0" in stage.calls()


def test_upgrade_keeps_the_newest_versions_and_the_previous_one(stage: Stage) -> None:
    installed(stage, "0.1.0")
    stage.put_ledger()
    for version in ("0.2.0", "0.10.0", "0.11.0"):
        result = stage.run("upgrade.sh", "--build", str(make_build(stage.tmp, version)), "--keep", "2")
        assert result.returncode == 0, result.stderr
    versions = sorted(p.name for p in stage.path("/opt/pos-terminal").iterdir() if p.name != "current")
    assert versions == ["0.10.0", "0.11.0"]  # 0.10 sorts as a version, not as text
    assert stage.current() == "0.11.0"


def test_upgrade_to_the_same_version_does_nothing(stage: Stage) -> None:
    build = installed(stage, "0.1.0")
    stage.put_ledger()
    result = stage.run("upgrade.sh", "--build", str(build))
    assert result.returncode == 0 and "nothing to do" in result.stdout
    assert stage.calls() == []


def test_upgrade_needs_an_installed_terminal(stage: Stage) -> None:
    result = stage.run("upgrade.sh", "--build", str(make_build(stage.tmp, "0.2.0")))
    assert result.returncode == 1 and "install.sh" in result.stderr


# ------------------------------------------------------------------------------------------- files
def test_template_is_the_defaults_with_every_key(tmp_path: Path) -> None:
    cfg = load_file(PKG / "terminal.toml.example")
    assert cfg == TerminalConfig(source=PKG / "terminal.toml.example")
    text = (PKG / "terminal.toml.example").read_text()
    for section, keys in known_keys().items():
        assert f"[{section}]" in text
        for key in keys:
            assert f"\n{key} = " in text, f"{section}.{key} missing from the template"


def test_spec_parses_and_names_files_that_exist() -> None:
    spec = (PKG / "pos-terminal.spec").read_text()
    tree = ast.parse(spec)
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= calls
    for relative in ("packaging/entry.py", "resources/fonts", "resources/translations", "resources/demo",
                     "pos_app/ledger/migrations/env.py", "pos_app/ledger/migrations/script.py.mako",
                     "pos_app/ledger/migrations/versions"):
        assert (ROOT / relative).exists(), relative
        assert all(f'"{part}"' in spec for part in relative.split("/")), relative
    # `pos-terminal --version` comes from pyproject.toml read at build time, not the (possibly stale)
    # installed metadata of the build machine
    assert 'ROOT / "pyproject.toml"' in spec and 'datas += [(str(_version_file), ".")]' in spec
    assert "copy_metadata" not in spec
    # modules loaded by name at run time must be collected
    for package in ("pos_app", "hardware", "sync"):
        assert f'collect_submodules("{package}"' in spec


SCRIPTS = ["build.sh", "build-deb.sh", "smoke_test.sh", "install.sh", "upgrade.sh", "lib.sh"]


@pytest.mark.parametrize("script", SCRIPTS)
def test_shell_scripts_parse(script: str) -> None:
    assert subprocess.run(["bash", "-n", str(PKG / script)], check=False).returncode == 0


@pytest.mark.skipif(shutil.which("shellcheck") is None,
                    reason="shellcheck is not installed (scripts/setup.sh test installs it; apt-get install shellcheck)")
def test_shell_scripts_pass_shellcheck() -> None:
    """Warnings and errors (not style notes) fail: an unused variable, an unquoted expansion, a wrong test."""
    result = subprocess.run(["shellcheck", "-x", "--severity=warning", *SCRIPTS], cwd=PKG, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout
