"""``pos-terminal scan``: still images and a video of a real signed member card, through the pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from hardware.scanner.demo_video import qr_card, write_card_video
from pos_app.cli import cli
from pos_app.core.i18n import get_language, set_language


@pytest.fixture(scope="module")
def terminal(tmp_path_factory):
    previous = get_language()
    set_language("en")
    data = tmp_path_factory.mktemp("term")
    r = CliRunner().invoke(cli, ["--data-dir", str(data), "--json", "init", "--demo"])
    assert r.exit_code == 0, r.output
    member_id = json.loads(r.output)["demo_members"][0]
    from pos_app.services import open_terminal

    svc = open_terminal(data)
    try:
        member = svc.members.get(member_id)
    finally:
        svc.close()
    assert member.member_code
    yield data, member
    set_language(previous)


def run(data: Path, *args: str):
    return CliRunner().invoke(cli, ["--data-dir", str(data), "--lang", "en", *args])


def test_scan_image_and_video_of_a_genuine_card_names_the_member(terminal, tmp_path):
    data, member = terminal
    png = tmp_path / "card.png"
    cv2.imwrite(str(png), qr_card(member.member_code))
    video = write_card_video(qr_card(member.member_code), tmp_path / "card.avi", seconds_empty=0.3,
                             seconds_card=1.5)
    r = run(data, "--json", "scan", str(png), str(video))
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["file"] for row in rows] == [str(png), str(video)]
    for row in rows:
        assert row["text"] == member.member_code
        assert row["symbology"] == "qr"
        assert row["verified"] is True
        assert row["member"]["id"] == member.id and row["member"]["name"] == member.name
    human = run(data, "scan", str(png))
    assert "signature: genuine" in human.stdout and member.name in human.stdout


def test_forged_code_is_refused_and_names_nobody(terminal, tmp_path):
    data, member = terminal
    code = member.member_code
    forged = code[:-2] + ("A" if code[-2] != "A" else "B") + code[-1]
    png = tmp_path / "forged.png"
    cv2.imwrite(str(png), qr_card(forged))
    r = run(data, "--json", "scan", str(png))
    row = json.loads(r.stdout.splitlines()[0])
    assert row["text"] == forged and row["verified"] is False and row["member"] is None
    assert "not genuine" in row["verify_error"]


def test_card_number_barcode_has_no_signature_but_finds_the_member(terminal, tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from frames import make_frame

    data, member = terminal
    png = tmp_path / "cardno.png"
    cv2.imwrite(str(png), make_frame("clean", (1280, 720), "code128", seed=1, text=member.card_no).image)
    row = json.loads(run(data, "--json", "scan", str(png)).stdout.splitlines()[0])
    assert (row["text"], row["symbology"], row["verified"]) == (member.card_no, "code128", None)
    assert row["member"]["id"] == member.id


def test_nothing_decoded_exits_non_zero_with_a_clear_line_per_file(terminal, tmp_path):
    data, _member = terminal
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((240, 320, 3), 255, np.uint8))
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not a jpeg")
    r = run(data, "scan", str(blank), str(junk), str(tmp_path / "missing.png"))
    assert r.exit_code == 1
    out = r.stdout
    assert f"{blank}: no code found." in out
    assert f"{junk}: not an image or video that can be read." in out
    assert "missing.png: no such file." in out
    assert "No code found in any of the inputs." in r.stderr
    assert "Traceback" not in r.output


def test_one_good_file_among_bad_ones_exits_zero(terminal, tmp_path):
    data, member = terminal
    png = tmp_path / "card.png"
    cv2.imwrite(str(png), qr_card(member.member_code))
    r = run(data, "--json", "scan", str(tmp_path / "missing.png"), str(png), "--no-lookup")
    assert r.exit_code == 0
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert rows[0]["text"] is None and "no such file" in rows[0]["error"]
    assert rows[1]["text"] == member.member_code and rows[1]["member"] is None


def test_pyzbar_backend_from_the_command_line(terminal, tmp_path):
    data, member = terminal
    png = tmp_path / "card.png"
    cv2.imwrite(str(png), qr_card(member.member_code))
    r = run(data, "--json", "scan", "--decoder", "pyzbar", str(png))
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout.splitlines()[0])["verified"] is True


def test_card_rendered_by_card_render_scans_back_as_image_and_as_camera_video(terminal, tmp_path):
    """The issue's "done when": a card from `pos-terminal card render` reads back through `scan` and through
    the camera pipeline fed with a video of the card held up."""
    from hardware.scanner import FakeCamera, ScanPipeline, make_decoder, open_source

    data, member = terminal
    png = tmp_path / "card.png"
    r = run(data, "card", "render", "--member", member.id, "--out", str(png))
    assert r.exit_code == 0, r.output
    card = cv2.imread(str(png))
    video = write_card_video(card, tmp_path / "card.avi", seconds_empty=0.5, seconds_card=2.0)
    r = run(data, "--json", "scan", str(png), str(video))
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    for row in rows:
        assert (row["text"], row["verified"], row["member"]["id"]) == (member.member_code, True, member.id)
    # the card number's Code128 is on the printed card too (in the small video it may be too fine to read)
    assert {"text": member.card_no, "symbology": "code128"} in rows[0]["codes"]
    # the same video as a live camera (frames dropped when busy): one acceptance per code, no repeats
    frames = []
    src = open_source(video)
    src.open()
    while (f := src.read()) is not None:
        frames.append(f)
    src.close()
    accepted: list[str] = []
    ScanPipeline(FakeCamera(frames, fps=15.0), make_decoder("zxing"),
                 on_scan=lambda s, i: accepted.append(s.text)).run(timeout=60)
    assert member.member_code in accepted
    assert len(accepted) == len(set(accepted))  # each code accepted once
    assert set(accepted) <= {member.member_code, member.card_no}


def test_scan_a_folder_of_camera_frames_reads_each_code_and_nothing_else(tmp_path):
    """Camera-like frames (JPEG, noise at low contrast, a dark-mode phone, a card number, clutter with
    other symbologies' barcodes) written to a folder: each file reports its own code, empty ones none."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from frames import corpus_seed, make_frame

    folder = tmp_path / "frames"
    folder.mkdir()
    shots = [("jpeg_q25", "qr"), ("noise_lc_16", "qr"), ("screen_dark", "qr"), ("clean", "code128"),
             ("no_code_barcodes", "qr"), ("no_code", "qr")]
    expected = {}
    for i, (cond, sym) in enumerate(shots):
        f = make_frame(cond, (1280, 720), sym, seed=corpus_seed("tune", cond, 1, sym, 300))
        path = folder / f"{i}-{cond}.jpg"
        cv2.imwrite(str(path), f.image, [cv2.IMWRITE_JPEG_QUALITY, 95])
        expected[str(path)] = f.text
    r = run(tmp_path / "data", "--json", "scan", "--no-lookup", *sorted(expected))
    assert r.exit_code == 0, r.output
    got = {row["file"]: row["text"] for row in map(json.loads, r.stdout.splitlines())}
    assert got == expected
    # the folder itself is one input: every code in it, nothing else
    row = json.loads(run(tmp_path / "data", "--json", "scan", "--no-lookup", str(folder)).stdout.splitlines()[0])
    assert {c["text"] for c in row["codes"]} == {t for t in expected.values() if t}
