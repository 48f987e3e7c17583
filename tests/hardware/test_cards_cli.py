"""``pos-terminal card render`` on a real terminal folder: the card written scans back to the member
(through ``pos-terminal scan`` when present), and every refusal is one line with nothing written."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from hardware.scanner import make_decoder
from pos_app.cli import cli
from pos_app.core.member_codes import sign_member_code


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    data = tmp_path / "terminal"

    def invoke(*args: str, json_out: bool = True):  # type: ignore[no-untyped-def]
        argv = ["--data-dir", str(data), *(["--json"] if json_out else []), *args]
        return runner.invoke(cli, argv, catch_exceptions=False)

    invoke.data = data  # type: ignore[attr-defined]
    return invoke


@pytest.fixture
def demo_member(run) -> str:  # type: ignore[no-untyped-def]
    result = run("init", "--demo")
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["demo_members"][0])


def _refused(result, *needles: str) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def _decode(path: Path) -> dict[str, str]:
    decoder = make_decoder("zxing")
    try:
        with Image.open(path) as image:
            scans = decoder.decode(np.asarray(image.convert("L")))
    finally:
        decoder.close()
    return {scan.symbology: scan.text for scan in scans}


def test_rendered_card_scans_back_to_the_member(run, demo_member: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "card.png"
    result = run("card", "render", "--member", demo_member, "--out", str(out))
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["verified"] is True and info["format"] == "png" and info["member_id"] == demo_member
    member = json.loads(run("member", "show", demo_member).stdout)
    codes = _decode(out)
    assert codes["qr"] == member["member_code"]
    assert codes["code128"] == member["card_no"]
    # the decoded QR identifies the same member through the terminal's own identify()
    shown = run("balance", "--member", codes["qr"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["member_id"] == demo_member


def test_rendered_card_through_pos_terminal_scan(run, demo_member: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "card.png"
    assert run("card", "render", "--member", demo_member, "--out", str(out)).exit_code == 0
    result = run("scan", str(out))
    assert result.exit_code == 0, result.output
    entry = json.loads(result.stdout.splitlines()[0])
    assert entry["verified"] is True
    assert entry["member"]["id"] == demo_member


def test_pdf_card(run, demo_member: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "card.bin"
    result = run("card", "render", "--member", demo_member, "--out", str(out), "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    assert json.loads(result.stdout)["format"] == "pdf"


def test_human_output_names_the_file(run, demo_member: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "card.pdf"
    result = run("card", "render", "--member", demo_member, "--out", str(out), json_out=False)
    assert result.exit_code == 0, result.output
    assert str(out) in result.stdout and "scans back" in result.stdout


def test_a_member_enrolled_on_a_standalone_terminal_gets_a_card_right_away(  # type: ignore[no-untyped-def]
        run, demo_member: str, tmp_path: Path) -> None:
    enrolled = run("member", "enroll", "--name", "สมศรี มีสุข", "--phone", "0861234567")
    assert enrolled.exit_code == 0, enrolled.output
    member = json.loads(enrolled.stdout)
    assert member["member_code"].startswith("LM1:T")  # signed by the terminal's own root key
    out = tmp_path / "card.png"
    result = run("card", "render", "--member", "086-123-4567", "--out", str(out))  # any identifier award takes
    assert result.exit_code == 0, result.output
    assert _decode(out) == {"qr": member["member_code"], "code128": member["card_no"]}
    by_card_number = run("card", "render", "--member", member["card_no"], "--out", str(tmp_path / "c2.png"))
    assert json.loads(by_card_number.stdout)["member_id"] == member["id"]


def test_an_enrolled_terminal_not_yet_certified_says_to_sync(  # type: ignore[no-untyped-def]
        run, demo_member: str, tmp_path: Path) -> None:
    """An enrolled terminal signs cards only once the server certified its key (docs/member-codes.md)."""
    from pos_app.services import open_terminal

    services = open_terminal(run.data)
    try:
        with services.ledger.write() as conn:
            services.ledger.set_meta(conn, "mode", "enrolled")  # as enrolled by a version before certificates
        member = services.members.enroll(name="สมศรี มีสุข", phone="0861234567", operator_id="t")
    finally:
        services.close()
    assert member.member_code is None
    out = tmp_path / "card.png"
    _refused(run("card", "render", "--member", member.id, "--out", str(out)), "no signed member code")
    assert not out.exists()


def test_unknown_member_and_bad_file_names_are_refused(run, demo_member: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _refused(run("card", "render", "--member", "no-such-member", "--out", str(tmp_path / "x.png")))
    _refused(run("card", "render", "--member", demo_member, "--out", str(tmp_path / "x.gif")), ".png or .pdf")
    line = _refused(run("card", "render", "--member", demo_member, "--out", str(tmp_path / "missing" / "x.png")))
    assert "Cannot write" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["terminal"]


def test_forged_stored_code_is_not_printed(run, demo_member: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pos_app.services import open_terminal

    services = open_terminal(run.data)
    try:
        forger = Ed25519PrivateKey.from_private_bytes(b"\x11" * 32)
        now = datetime.now(UTC)
        forged = sign_member_code(forger, "DEMO1", demo_member, now, now + timedelta(days=30))
        with services.ledger.write() as conn:
            services.ledger.set_member_code(conn, demo_member, forged)
    finally:
        services.close()
    out = tmp_path / "card.png"
    _refused(run("card", "render", "--member", demo_member, "--out", str(out)), "cannot go on a card", "genuine")
    assert not out.exists()
