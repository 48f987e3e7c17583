"""Settings that apply (issue 10): the backup timer follows [backup] every_hours, upgrade backups are kept
apart from the rotation, and ``config show`` says what is in effect and where it came from."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from click.testing import CliRunner

from pos_app.cli import cli


def _run(data: Path, *args: str, env: dict[str, str | None] | None = None):
    return CliRunner().invoke(cli, ["--data-dir", str(data), "--json", *args],
                              env={"POS_LANG": "en", "POS_CONFIG": None, **(env or {})}, catch_exceptions=False)


def _age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_backup_if_due_follows_every_hours_of_terminal_toml(tmp_path: Path) -> None:
    data = tmp_path / "t"
    assert _run(data, "init").exit_code == 0
    (data / "terminal.toml").write_text("[backup]\nevery_hours = 8\n", encoding="utf-8")
    first = json.loads(_run(data, "backup", "--if-due").stdout)
    assert first["path"] is not None  # no backup yet: due
    _age(Path(first["path"]), 6)
    assert json.loads(_run(data, "backup", "--if-due").stdout)["path"] is None  # 6 h < 8 h
    (data / "terminal.toml").write_text("[backup]\nevery_hours = 5\n", encoding="utf-8")
    assert json.loads(_run(data, "backup", "--if-due").stdout)["path"] is not None  # 6 h > 5 h


def test_upgrade_backups_survive_the_rotation_and_only_the_newest_four_are_kept(tmp_path: Path) -> None:
    data = tmp_path / "t"
    assert _run(data, "init").exit_code == 0
    (data / "terminal.toml").write_text("[backup]\nkeep = 2\n", encoding="utf-8")
    seed = Path(json.loads(_run(data, "backup").stdout)["path"])
    upgrades = []
    for i in range(6):
        copy = seed.with_name(f"pre-migrate-000{i}-{i}.sqlite3")
        shutil.copyfile(seed, copy)
        _age(copy, 100 - i)  # older than any scheduled backup; the last one is the newest of them
        upgrades.append(copy.name)
    for _ in range(5):  # a day of scheduled backups
        assert _run(data, "backup").exit_code == 0
    names = sorted(p.name for p in (data / "backups").glob("*.sqlite3"))
    assert [n for n in names if n.startswith("pre-migrate-")] == upgrades[2:]
    assert len([n for n in names if n.startswith("ledger-")]) == 2


def test_config_show_says_what_is_in_effect_and_where_it_came_from(tmp_path: Path) -> None:
    data = tmp_path / "t"
    data.mkdir()
    toml = data / "terminal.toml"
    toml.write_text('[sync]\ninterval_seconds = 7\n[printer]\npaper_mm = 58\n', encoding="utf-8")
    result = _run(data, "config", "show", env={"POS_LANG": "en"})
    assert result.exit_code == 0, result.output
    rows = {r["key"]: r for r in json.loads(result.stdout)}
    assert rows["sync.interval_seconds"] == {"key": "sync.interval_seconds", "value": 7, "source": "file",
                                             "where": str(toml)}
    assert rows["printer.paper_mm"]["value"] == 58 and rows["printer.paper_mm"]["source"] == "file"
    assert rows["backup.every_hours"] == {"key": "backup.every_hours", "value": 4, "source": "default",
                                          "where": None}
    assert rows["terminal.language"]["source"] == "environment" and rows["terminal.language"]["where"] == "POS_LANG"
    assert rows["data_dir"]["source"] == "option"
    text = CliRunner().invoke(cli, ["--data-dir", str(data), "config", "show"], env={"POS_LANG": "en"}).stdout
    assert any(line.split()[:3] == ["sync.interval_seconds", "7", "file"] for line in text.splitlines())


def test_an_unknown_key_is_refused_by_the_commands_the_services_run(tmp_path: Path) -> None:
    data = tmp_path / "t"
    assert _run(data, "init").exit_code == 0
    (data / "terminal.toml").write_text("[sync]\nintervall_seconds = 7\n", encoding="utf-8")
    for args in (["config", "show"], ["backup", "--if-due"], ["sync"]):
        result = CliRunner().invoke(cli, ["--data-dir", str(data), "--lang", "en", *args])
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.startswith("Error: Unknown key sync.intervall_seconds in ") and \
            result.stderr.count("\n") == 1
