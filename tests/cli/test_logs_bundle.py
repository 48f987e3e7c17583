"""The terminal's log file (rotating, size-capped, private) and ``doctor --bundle`` (issue 10)."""

from __future__ import annotations

import json
import logging
import stat
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pos_app import logfile
from pos_app.cli import cli
from pos_app.support import mask_secrets


@pytest.fixture(autouse=True)
def _no_leftover_handlers():
    yield
    logfile.uninstall()


def _cli(data: Path, *args: str):
    return CliRunner().invoke(cli, ["--data-dir", str(data), "--lang", "en", *args], catch_exceptions=False)


def test_commands_and_refusals_go_to_a_private_log_file_in_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "t"
    assert _cli(data, "init").exit_code == 0
    refused = _cli(data, "balance", "--member", "0899999999")
    assert refused.exit_code == 2 and refused.stderr.count("\n") == 1  # the log adds nothing on stderr
    log = data / "logs" / "pos-terminal.log"
    text = log.read_text("utf-8")
    assert "pos-terminal balance" in text and "refused (exit 2): No member with phone •••-•••-9999." in text
    assert "089-999-9999" not in text  # no phone in clear in the log (docs/privacy.md)
    assert stat.S_IMODE(log.stat().st_mode) == 0o600 and stat.S_IMODE(log.parent.stat().st_mode) == 0o700


def test_the_log_rotates_and_never_grows_past_its_cap(tmp_path: Path) -> None:
    data = tmp_path / "t"
    data.mkdir()
    assert logfile.install(data) is not None
    noisy = logging.getLogger("pos_app.test")
    line = "x" * 1000
    for i in range(logfile.MAX_BYTES * (logfile.BACKUPS + 3) // 1000):
        noisy.info("%d %s", i, line)
    files = sorted((data / "logs").iterdir())
    assert [f.name for f in files] == ["pos-terminal.log"] + [f"pos-terminal.log.{n}" for n in
                                                              range(1, logfile.BACKUPS + 1)]
    assert sum(f.stat().st_size for f in files) <= logfile.MAX_BYTES * (logfile.BACKUPS + 1)
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)


def test_doctor_bundle_holds_logs_masked_config_doctor_and_versions_but_no_ledger_or_secret(tmp_path: Path) -> None:
    data = tmp_path / "t"
    assert _cli(data, "init").exit_code == 0
    (data / "terminal.toml").write_text(
        '[sync]\nserver_url = "https://it:hunter2@loyalty.example.com"\n[printer]\npaper_mm = 58\n', encoding="utf-8")
    (data / "sync-credential.json").write_text('{"terminal_id": "X", "secret": "' + "s" * 64 + '"}')
    bundle = tmp_path / "support.tar.gz"
    result = _cli(data, "doctor", "--bundle", str(bundle))
    assert f"Support bundle written to {bundle}." in result.output
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600
    with tarfile.open(bundle) as tar:
        names = {m.name.split("/", 1)[1] for m in tar.getmembers()}
        read = {n: tar.extractfile(f"pos-terminal-support/{n}").read().decode() for n in names}  # type: ignore[union-attr]
    assert {"doctor.json", "doctor.txt", "versions.json", "config/effective.json", "config/terminal.toml",
            "logs/pos-terminal.log"} <= names
    assert not any("ledger" in n or "credential" in n or n.endswith(".pem") for n in names)
    everything = "".join(read.values())
    assert "hunter2" not in everything and "s" * 64 not in everything
    assert "https://it:***@loyalty.example.com" in read["config/terminal.toml"]
    assert json.loads(read["versions.json"])["app"]
    assert {"integrity", "files", "config"} <= {c["check"] for c in json.loads(read["doctor.json"])["checks"]}


def test_mask_secrets_masks_secret_looking_keys_and_url_passwords() -> None:
    text = 'token = "abc"\nadmin_password="p"\npaper_mm = 58\nurl = "http://u:p@h:1/x"\n'
    assert mask_secrets(text) == 'token = "***"\nadmin_password="***"\npaper_mm = 58\nurl = "http://u:***@h:1/x"\n'


def test_the_log_names_a_member_by_id_never_by_name_phone_or_card(tmp_path: Path) -> None:
    """After enrolments, an award and the refusals that tell the cashier a member's name (a phone already taken,
    an adjustment below zero, a void of points already spent), the log file holds the member's id and none of
    their name, phone or card number (docs/privacy.md, "Logs")."""
    data = tmp_path / "t"
    assert _cli(data, "init").exit_code == 0
    assert _cli(data, "staff", "add", "--name", "Boss", "--role", "manager", "--pin", "482916").exit_code == 0
    enrolled = _cli(data, "--json", "member", "enroll", "--name", "Zanzibar Quux", "--phone", "0891112233")
    member = json.loads(enrolled.stdout)
    awarded = json.loads(_cli(data, "--json", "award", "--member", "0891112233", "--amount", "500",
                              "--receipt", "Q1").stdout)
    taken = _cli(data, "member", "enroll", "--name", "Other Person", "--phone", "089-111-2233")
    assert taken.exit_code == 2 and "Zanzibar Quux" in taken.stderr  # the cashier is told whose phone it is
    below = _cli(data, "adjust", "--member", member["id"], "--points", "-1000", "--reason", "test",
                 "--manager-pin", "482916")
    assert below.exit_code == 2 and "Zanzibar Quux" in below.stderr
    assert _cli(data, "redeem", "--member", member["id"], "--points", "20").exit_code == 0
    spent = _cli(data, "void", "--entry", awarded["entry_id"], "--manager-pin", "482916")
    assert spent.exit_code != 0 and "Zanzibar Quux" in spent.stderr
    text = (data / "logs" / "pos-terminal.log").read_text("utf-8")
    assert f"refused (exit 2): the phone already belongs to member {member['id']}" in text
    assert f"this would leave member {member['id']} with a negative balance" in text
    assert f"member {member['id']} has already spent these points" in text
    for personal in ("Zanzibar", "Quux", "0891112233", "089-111-2233", member["card_no"]):
        assert personal not in text, personal
