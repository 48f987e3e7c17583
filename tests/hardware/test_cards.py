"""Member cards on real pixels: the rendered card scans back to the same signed member code and card
number (through the counter's own decoder), Thai names render with the bundled font, PNG and PDF files
are complete, and a card that does not read back is refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image, ImageDraw, ImageFilter

from hardware.cards import (
    CARD_HEIGHT_MM,
    CARD_WIDTH_MM,
    CardData,
    CardRenderError,
    check_read_back,
    draw_card,
    qr_version,
    render_card,
    save_card,
    scanner_read_back,
)
from hardware.scanner import make_decoder
from pos_app.core.cardno import luhn_check_digit
from pos_app.core.member_codes import public_key_bytes, sign_member_code, verify_member_code

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
CHAIN = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
KEYS = {"K2026": public_key_bytes(CHAIN)}
MEMBER_ID = "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b"
CARD_BODY = "812345678901234"
CARD_NO = CARD_BODY + luhn_check_digit(CARD_BODY)


@pytest.fixture(scope="module")
def data() -> CardData:
    code = sign_member_code(CHAIN, "K2026", MEMBER_ID, NOW - timedelta(days=1), NOW + timedelta(days=3650))
    return CardData(member_code=code, card_number=CARD_NO, name="นางสาวสมหญิง ใจดีที่สุด",
                    member_number=MEMBER_ID, title="ร้านตัวอย่าง Loyalty", member_number_label="เลขสมาชิก")


@pytest.fixture(scope="module")
def card(data: CardData) -> Image.Image:
    return render_card(data)


def test_card_is_id1_size_at_300_dpi(card: Image.Image) -> None:
    assert card.size == (round(CARD_WIDTH_MM / 25.4 * 300), round(CARD_HEIGHT_MM / 25.4 * 300))


def test_card_scans_back_to_a_verifiable_member_code(card: Image.Image, data: CardData) -> None:
    decoder = make_decoder("zxing")
    try:
        scans = decoder.decode(np.asarray(card.convert("RGB"))[:, :, ::-1].copy())
    finally:
        decoder.close()
    texts = {scan.symbology: scan.text for scan in scans}
    assert texts["code128"] == CARD_NO
    member = verify_member_code(texts["qr"], KEYS, NOW)
    assert member.member_id == MEMBER_ID


@pytest.mark.parametrize("dpi", [150, 203, 600])
def test_every_print_resolution_reads_back(data: CardData, dpi: int) -> None:
    card = render_card(data, dpi=dpi)  # raises if it does not read back
    assert card.width == round(CARD_WIDTH_MM / 25.4 * dpi)
    found = scanner_read_back(card)
    assert found.qr_texts == (data.member_code,) and found.code128_texts == (CARD_NO,)


def test_symbols_are_not_covered_by_text(data: CardData) -> None:
    # a very long name and member number shrink to fit beside the QR instead of running into it
    crowded = CardData(**{**_fields(data), "name": "นางสาว" + "สมหญิงใจดีที่สุด" * 4, "member_number": "9" * 64})
    found = scanner_read_back(render_card(crowded))
    assert found.qr_texts == (data.member_code,)


def test_qr_stays_low_version(data: CardData) -> None:
    assert qr_version(data.member_code) <= 8


def test_printed_then_photographed_card_still_scans(card: Image.Image, data: CardData) -> None:
    # a 300 dpi print seen by a counter camera: half the resolution, a little defocus, grey paper
    photo = card.convert("L").resize((card.width // 2, card.height // 2), Image.Resampling.BILINEAR)
    photo = photo.filter(ImageFilter.GaussianBlur(0.8)).point(lambda v: 40 + v * 0.7)
    found = scanner_read_back(photo)
    assert found.qr_texts == (data.member_code,)


def test_thai_name_is_drawn_with_real_glyphs(data: CardData) -> None:
    # the name area differs between two Thai names of the same length: glyphs, not identical boxes
    other = CardData(**{**_fields(data), "name": "นายสมชาย ใจกว้างมากที่สุด"})
    first, second = draw_card(data).convert("L"), draw_card(other).convert("L")
    name_band = (40, 150, 540, 220)
    a = np.asarray(first.crop(name_band))
    b = np.asarray(second.crop(name_band))
    assert (a < 128).sum() > 2000  # ink where the name is
    assert (a != b).sum() > 1000


def test_png_and_pdf_files(card: Image.Image, tmp_path: Path) -> None:
    png = save_card(card, tmp_path / "card.png")
    with Image.open(png) as reread:
        assert reread.size == card.size
        assert scanner_read_back(reread).qr_texts == scanner_read_back(card).qr_texts
    pdf = save_card(card, tmp_path / "card.out", "pdf")
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF")
    box = re.search(rb"/MediaBox \[ ?0 0 ([0-9.]+) ([0-9.]+) ?\]", raw)
    assert box is not None
    width_pt, height_pt = float(box.group(1)), float(box.group(2))
    assert abs(width_pt - CARD_WIDTH_MM / 25.4 * 72) < 1
    assert abs(height_pt - CARD_HEIGHT_MM / 25.4 * 72) < 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.out", "card.png"]  # no temp files left


def test_unwritable_target_is_a_clean_error(card: Image.Image, tmp_path: Path) -> None:
    with pytest.raises(CardRenderError) as info:
        save_card(card, tmp_path / "missing-folder" / "card.png")
    assert info.value.code == "write_failed" and "cannot write " in str(info.value) and "card.png" in str(info.value)
    with pytest.raises(CardRenderError) as info:
        save_card(card, tmp_path / "card.gif")
    assert info.value.code == "bad_input" and str(info.value) == "unsupported card format 'gif': use png or pdf"


def test_damaged_card_is_refused(card: Image.Image, data: CardData) -> None:
    damaged = card.copy()
    draw = ImageDraw.Draw(damaged)
    width, height = damaged.size
    draw.rectangle((width * 6 // 10, height // 4, width, height // 2), fill="white")  # QR's upper half gone
    with pytest.raises(CardRenderError) as info:
        check_read_back(damaged, data)
    assert info.value.code == "read_back_failed"
    assert str(info.value) == "card does not read back: QR read back as nothing"


def test_card_for_another_member_is_refused(card: Image.Image, data: CardData) -> None:
    other = sign_member_code(CHAIN, "K2026", "someone-else", NOW, NOW + timedelta(days=30))
    with pytest.raises(CardRenderError) as info:
        check_read_back(card, CardData(**{**_fields(data), "member_code": other}))
    assert info.value.code == "read_back_failed"
    assert str(info.value).startswith("card does not read back: QR read back as 'LM1:K2026:")


@pytest.mark.parametrize(
    "change",
    [{"name": "  "}, {"card_number": "12ab"}, {"card_number": ""}, {"member_code": ""},
     {"member_code": "LM1:\n"}, {"member_code": "ไทย"}],
)
def test_bad_input_is_refused(data: CardData, change: dict[str, str]) -> None:
    with pytest.raises(CardRenderError) as info:
        render_card(CardData(**{**_fields(data), **change}))
    assert info.value.code == "bad_input"
    field = next(iter(change))
    assert str(info.value) in {"name is empty", "card number must be 1-32 digits",
                               "member code must be printable ASCII"}, str(info.value)
    assert str(info.value).startswith(field.replace("_", " ")), str(info.value)


def _fields(data: CardData) -> dict[str, str]:
    return {name: getattr(data, name) for name in data.__dataclass_fields__}
