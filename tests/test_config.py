"""terminal.toml: where it is found, the defaults, overrides, and every refusal (one line naming key + file)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app.config import (
    CONFIG_FILENAME,
    ConfigError,
    TerminalConfig,
    find_config_file,
    known_keys,
    load_config,
    load_file,
)
from pos_app.core.i18n import set_language


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str) -> ConfigError:
    path = write(tmp_path / "bad" / CONFIG_FILENAME, text)
    with pytest.raises(ConfigError) as info:
        load_file(path)
    err = info.value
    assert "\n" not in err.message
    assert str(path) in err.message
    return err


# ------------------------------------------------------------------------------------ where / defaults
def test_defaults_when_no_file_exists(tmp_path: Path) -> None:
    cfg = load_config(tmp_path / "data", environ={}, system_path=tmp_path / "etc" / CONFIG_FILENAME)
    assert cfg == TerminalConfig()
    assert cfg.source is None
    assert cfg.terminal.language == "th"
    assert cfg.sync.server_url is None and cfg.sync.interval_seconds == 30
    assert cfg.printer.kind == "none" and cfg.printer.paper_mm == 80
    assert cfg.camera.source == 0 and (cfg.camera.width, cfg.camera.height) == (1280, 720)
    assert cfg.scanner.wedge_suffix == "\r" and cfg.scanner.baud == 9600
    assert (cfg.backup.every_hours, cfg.backup.keep) == (4, 14)


def test_empty_file_gives_defaults_and_remembers_its_source(tmp_path: Path) -> None:
    path = write(tmp_path / CONFIG_FILENAME, "# nothing set\n")
    cfg = load_file(path)
    assert cfg.source == path
    assert cfg.as_dict()["source"] == str(path)
    assert cfg.printer == TerminalConfig().printer


def test_search_order_env_then_data_dir_then_system(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    system = write(tmp_path / "etc" / CONFIG_FILENAME, '[terminal]\nlanguage = "en"\n')
    explicit = write(tmp_path / "explicit.toml", "[backup]\nkeep = 3\n")

    cfg = load_config(data_dir, environ={}, system_path=system)
    assert cfg.source == system and cfg.terminal.language == "en"

    local = write(data_dir / CONFIG_FILENAME, "[backup]\nkeep = 7\n")
    cfg = load_config(data_dir, environ={}, system_path=system)
    assert cfg.source == local and cfg.backup.keep == 7
    assert cfg.terminal.language == "th"  # files are not merged: the first one found is the whole truth

    cfg = load_config(data_dir, environ={"POS_CONFIG": str(explicit)}, system_path=system)
    assert cfg.source == explicit and cfg.backup.keep == 3


def test_pos_config_naming_a_missing_file_is_refused(tmp_path: Path) -> None:
    system = write(tmp_path / "etc" / CONFIG_FILENAME, "")
    missing = tmp_path / "typo.toml"
    with pytest.raises(ConfigError) as info:
        find_config_file(None, environ={"POS_CONFIG": str(missing)}, system_path=system)
    assert info.value.code == "missing"
    assert str(missing) in info.value.message and "POS_CONFIG" in info.value.message


def test_reads_pos_config_from_the_real_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "x.toml", "[printer]\npaper_mm = 58\n")
    monkeypatch.setenv("POS_CONFIG", str(path))
    assert load_config(tmp_path).printer.paper_mm == 58


# ------------------------------------------------------------------------------------ overrides
FULL = """
[terminal]
language = "en"
void_window_minutes = 5
idle_lock_seconds = 0

[sync]
server_url = "https://loyalty.example.com/"
interval_seconds = 120

[printer]
kind = "network"
address = "192.168.1.50:9100"
paper_mm = 58

[camera]
source = "/srv/demo/card.avi"
width = 640
height = 480
fps = 15

[scanner]
wedge_prefix = "~"
wedge_suffix = "\\t"
serial_port = "/dev/ttyACM0"
baud = 115200

[backup]
every_hours = 12
keep = 30

[pins]
delay_after = 2
lock_after = 5
base_delay_seconds = 10
max_delay_seconds = 600
quiet_reset_minutes = 60
allow_self_approval = true

[update]
public_key = "OGmiKSaa74PANv3TSGmxS0GmuNerk9bGjGX+cu/6Oh0="
channel = "pilot"
"""


def test_every_key_can_be_overridden(tmp_path: Path) -> None:
    cfg = load_file(write(tmp_path / CONFIG_FILENAME, FULL))
    assert (cfg.terminal.language, cfg.terminal.void_window_minutes) == ("en", 5)
    assert cfg.terminal.idle_lock_seconds == 0  # the idle lock turned off
    assert cfg.sync.server_url == "https://loyalty.example.com"  # trailing slash dropped
    assert cfg.sync.interval_seconds == 120
    assert (cfg.printer.kind, cfg.printer.address, cfg.printer.paper_mm) == ("network", "192.168.1.50:9100", 58)
    assert (cfg.camera.source, cfg.camera.width, cfg.camera.height, cfg.camera.fps) == ("/srv/demo/card.avi", 640, 480, 15)
    assert (cfg.scanner.wedge_prefix, cfg.scanner.wedge_suffix) == ("~", "\t")
    assert (cfg.scanner.serial_port, cfg.scanner.baud) == ("/dev/ttyACM0", 115200)
    assert (cfg.backup.every_hours, cfg.backup.keep) == (12, 30)
    policy = cfg.pins
    assert (policy.delay_after, policy.lock_after, policy.base_delay_seconds, policy.max_delay_seconds,
            policy.quiet_reset_minutes, policy.allow_self_approval) == (2, 5, 10, 600, 60, True)
    assert (cfg.update.public_key, cfg.update.channel) == ("OGmiKSaa74PANv3TSGmxS0GmuNerk9bGjGX+cu/6Oh0=", "pilot")
    # every known key is exercised by FULL
    for section, keys in known_keys().items():
        for key in keys:
            assert f"\n{key} =" in FULL.split(f"[{section}]")[1].split("\n[")[0], f"{section}.{key}"


def test_config_is_frozen(tmp_path: Path) -> None:
    cfg = load_file(write(tmp_path / CONFIG_FILENAME, FULL))
    with pytest.raises(AttributeError, match="cannot\\ assign\\ to\\ field\\ 'paper_mm'"):
        cfg.printer.paper_mm = 80  # type: ignore[misc]


@pytest.mark.parametrize(("text", "expected"), [
    ("[camera]\nsource = 2\n", 2),
    ('[camera]\nsource = "/dev/video0"\n', "/dev/video0"),
    ('[camera]\nsource = "/srv/frames/"\n', "/srv/frames/"),
])
def test_camera_source_is_an_index_a_file_or_a_folder(tmp_path: Path, text: str, expected: object) -> None:
    assert load_file(write(tmp_path / CONFIG_FILENAME, text)).camera.source == expected


@pytest.mark.parametrize(("text", "kind", "address"), [
    ('[printer]\nkind = "serial"\naddress = "/dev/ttyUSB0"\n', "serial", "/dev/ttyUSB0"),
    ('[printer]\nkind = "usb"\naddress = "04b8:0202"\n', "usb", "04b8:0202"),
    ('[printer]\nkind = "usb"\naddress = "0x04B8:0x0E15"\n', "usb", "0x04B8:0x0E15"),
    ('[printer]\nkind = "network"\naddress = "printer.branch.local"\n', "network", "printer.branch.local"),
    ('[printer]\nkind = "file"\naddress = "/dev/usb/lp0"\n', "file", "/dev/usb/lp0"),
    ('[printer]\nkind = "pdf"\n', "pdf", None),
    ('[sync]\nserver_url = ""\n[printer]\nkind = "none"\naddress = ""\n', "none", None),
])
def test_printer_kinds(tmp_path: Path, text: str, kind: str, address: str | None) -> None:
    cfg = load_file(write(tmp_path / CONFIG_FILENAME, text))
    assert (cfg.printer.kind, cfg.printer.address) == (kind, address)


# ------------------------------------------------------------------------------------ refusals
def test_unknown_section_is_refused(tmp_path: Path) -> None:
    err = refusal(tmp_path, "[printr]\nkind = \"usb\"\n")
    assert err.code == "unknown_section" and err.key == "printr"
    assert "[printr]" in err.message


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    err = refusal(tmp_path, "[printer]\npaper = 80\n")
    assert err.code == "unknown_key" and err.key == "printer.paper"
    assert "printer.paper" in err.message and "paper_mm" in err.message  # says what is known


def test_key_outside_a_section_is_refused(tmp_path: Path) -> None:
    err = refusal(tmp_path, 'language = "en"\n')
    assert err.code == "unknown_section" and err.key == "language"


def test_section_given_as_a_value_is_refused(tmp_path: Path) -> None:
    err = refusal(tmp_path, 'backup = 4\n')
    assert err.code == "bad_value" and err.key == "backup"


def test_toml_syntax_error_is_one_line_with_the_file(tmp_path: Path) -> None:
    err = refusal(tmp_path, "[printer\nkind = usb\n")
    assert err.code == "syntax" and "line 1" in err.message


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / CONFIG_FILENAME
    path.write_bytes('[printer]\naddress = "เครื่อง"\n'.encode("cp874"))
    with pytest.raises(ConfigError) as info:
        load_file(path)
    assert info.value.code == "syntax" and str(path) in info.value.message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / CONFIG_FILENAME, "")
    path.chmod(0)
    try:
        with pytest.raises(ConfigError) as info:
            load_file(path)
        assert info.value.code == "unreadable" and str(path) in info.value.message
    finally:
        path.chmod(0o600)


BAD_VALUES = [
    ("terminal", "language", '"fr"'),
    ("terminal", "language", "1"),
    ("terminal", "void_window_minutes", "0"),
    ("terminal", "void_window_minutes", '"10"'),
    ("terminal", "idle_lock_seconds", "-1"),
    ("terminal", "idle_lock_seconds", "86401"),
    ("sync", "server_url", '"loyalty.example.com"'),
    ("sync", "server_url", '"ftp://loyalty.example.com"'),
    ("sync", "server_url", '"https://"'),
    ("sync", "server_url", '"https://host:99999"'),
    ("sync", "server_url", "42"),
    ("sync", "interval_seconds", "0"),
    ("sync", "interval_seconds", "3601"),
    ("sync", "interval_seconds", "30.5"),
    ("sync", "interval_seconds", '"30"'),
    ("sync", "interval_seconds", "true"),
    ("printer", "kind", '"bluetooth"'),
    ("printer", "address", "9100"),
    ("printer", "paper_mm", "76"),
    ("printer", "paper_mm", "80.0"),
    ("printer", "paper_mm", '"80"'),
    ("camera", "source", "-1"),
    ("camera", "source", '""'),
    ("camera", "source", "1.5"),
    ("camera", "width", "100"),
    ("camera", "height", "0"),
    ("camera", "fps", "0"),
    ("camera", "fps", "240"),
    ("scanner", "wedge_prefix", '"too-long-prefix"'),
    ("scanner", "wedge_prefix", "1"),
    ("scanner", "wedge_suffix", '"END"'),
    ("scanner", "serial_port", "0"),
    ("scanner", "baud", "9601"),
    ("scanner", "baud", '"9600"'),
    ("backup", "every_hours", "0"),
    ("backup", "every_hours", "169"),
    ("backup", "keep", "0"),
    ("backup", "keep", "-3"),
    ("pins", "delay_after", "0"),
    ("pins", "lock_after", "0"),
    ("pins", "base_delay_seconds", "-1"),
    ("pins", "max_delay_seconds", "86401"),
    ("pins", "quiet_reset_minutes", "0"),
    ("pins", "allow_self_approval", '"yes"'),
    ("update", "public_key", '"not-a-key"'),
    ("update", "public_key", '"AAAA"'),  # base64, but not 32 bytes
    ("update", "public_key", "1"),
    ("update", "channel", '"Stable"'),
    ("update", "channel", '""'),
]


@pytest.mark.parametrize(("section", "key", "value"), BAD_VALUES)
def test_bad_values_are_refused_naming_the_key_and_file(tmp_path: Path, section: str, key: str, value: str) -> None:
    err = refusal(tmp_path, f"[{section}]\n{key} = {value}\n")
    assert err.code == "bad_value"
    assert err.key == f"{section}.{key}"
    assert f"{section}.{key}" in err.message
    assert "expected" in err.message


def test_every_key_has_a_refusal_case() -> None:
    covered = {(s, k) for s, k, _v in BAD_VALUES}
    for section, keys in known_keys().items():
        for key in keys:
            assert (section, key) in covered, f"{section}.{key} has no bad-value test"


@pytest.mark.parametrize(("text", "key"), [
    ('[printer]\nkind = "network"\n', "printer.address"),
    ('[printer]\nkind = "serial"\naddress = "  "\n', "printer.address"),
    ('[printer]\nkind = "usb"\naddress = "epson"\n', "printer.address"),
    ('[printer]\nkind = "usb"\naddress = "04b8:12345"\n', "printer.address"),
    ('[printer]\nkind = "network"\naddress = "10.0.0.5:http"\n', "printer.address"),
    ('[printer]\nkind = "network"\naddress = "10.0.0.5:0"\n', "printer.address"),
    ("[camera]\nwidth = 480\nheight = 640\n", "camera.width"),
])
def test_inconsistent_values_are_refused(tmp_path: Path, text: str, key: str) -> None:
    err = refusal(tmp_path, text)
    assert err.key == key and key in err.message


def test_importing_the_config_loads_no_qt() -> None:
    code = "import sys, pos_app.config; sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
