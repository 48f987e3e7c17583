"""Slips: the right width for the paper, Thai drawn with the bundled font, Buddhist-era dates, points
shown as given, the tax-invoice disclaimer always present, wrapping that never splits a Thai cluster."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from PIL import Image, ImageDraw

from hardware.fonts import font_path, layout_engine, load_font
from hardware.slips import (
    NOT_A_TAX_INVOICE,
    SlipData,
    SlipError,
    SlipLabels,
    buddhist_date,
    mark_copy,
    render_slip,
    wrap,
)

BANGKOK = ZoneInfo("Asia/Bangkok")
THAI_LABELS = SlipLabels(branch="สาขา", time="วันที่", receipt="ใบเสร็จ", member="สมาชิก", purchase="ยอดซื้อ",
                         earned="คะแนนที่ได้รับ", redeemed="คะแนนที่ใช้", balance_before="คะแนนก่อนหน้า",
                         balance_after="คะแนนคงเหลือ", expiring="คะแนนที่จะหมดอายุ {date}", points_unit="คะแนน",
                         thanks="ขอบคุณที่ใช้บริการ")
SLIP = SlipData(title="ร้านตัวอย่าง", branch="สาขาสยาม", printed_at=datetime(2026, 11, 23, 14, 5, tzinfo=BANGKOK),
                receipt_no="R-0001-000123", member_name="สมหญิง ใจดี", member_number="8123 **** **** 2340",
                points_change=125, balance_before=1200, balance_after=1325, purchase_amount="฿1,250.00",
                expiring_points=300, expiring_on=date(2026, 12, 31), labels=THAI_LABELS)


def _ink_rows(image: Image.Image) -> int:
    return int((np.asarray(image.convert("L")) < 128).any(axis=1).sum())


def _line(text: str, size: int = 24, bold: bool = False) -> np.ndarray:
    font = load_font(size, bold)
    image = Image.new("L", (int(font.getlength(text)) + 20, size * 2), 255)
    ImageDraw.Draw(image).text((10, size // 3), text, font=font, fill=0)
    return np.asarray(image) < 128


def _contains(haystack: Image.Image, needle: np.ndarray) -> bool:
    """True if the exact ink pattern of ``needle`` appears somewhere in ``haystack`` (same font/size)."""
    big = np.asarray(haystack.convert("L")) < 128
    ys, xs = np.nonzero(needle)
    needle = needle[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = needle.shape
    rows = np.nonzero(big.any(axis=1))[0]
    for top in rows:
        if top + h > big.shape[0]:
            break
        band = big[top : top + h]
        cols = np.nonzero(band.any(axis=0))[0]
        for left in cols:
            if left + w <= big.shape[1] and np.array_equal(band[:, left : left + w], needle):
                return True
    return False


@pytest.mark.parametrize(("paper", "width"), [("80mm", 576), ("58mm", 384)])
def test_slip_width_matches_the_paper(paper: str, width: int) -> None:
    image = render_slip(SLIP, paper)  # type: ignore[arg-type]
    assert image.width == width
    assert 300 < image.height < 2000
    assert _ink_rows(image) > 200


def test_bundled_font_is_used_with_complex_layout() -> None:
    assert font_path().name == "Garuda.ttf"
    assert layout_engine() == "raqm", "install libfribidi0 so Pillow lays out Thai marks correctly"
    # a Thai letter is a real glyph, not the empty "missing glyph" box
    assert not np.array_equal(_line("ก"), _line("ข"))


def test_buddhist_era_date() -> None:
    assert buddhist_date(datetime(2026, 11, 23, 14, 5, tzinfo=BANGKOK)) == "23/11/2569 14:05"
    assert buddhist_date(date(2024, 2, 29)) == "29/02/2567"


def test_slip_shows_the_disclaimer_the_be_date_and_the_points() -> None:
    image = render_slip(SLIP)
    assert _contains(image, _line(NOT_A_TAX_INVOICE, 22, bold=True))  # 0.9 x 24, bold
    assert _contains(image, _line("23/11/2569 14:05", 24))
    assert _contains(image, _line("+125 คะแนน", 29, bold=True))  # earned, 1.2 x 24
    assert _contains(image, _line("1,325 คะแนน", 26, bold=True))  # balance after, 1.1 x 24
    assert not _contains(image, _line("23/11/2026 14:05", 24))


def test_redeemed_slip_says_redeemed() -> None:
    redeemed = replace(SLIP, points_change=-500, balance_before=1325, balance_after=825, expiring_points=0)
    image = render_slip(redeemed)
    assert _contains(image, _line("คะแนนที่ใช้", 29, bold=True))
    assert _contains(image, _line("-500 คะแนน", 29, bold=True))
    assert not _contains(image, _line("คะแนนที่ได้รับ", 29, bold=True))


def test_expiring_line_only_when_points_expire() -> None:
    with_expiry = render_slip(SLIP)
    without = render_slip(replace(SLIP, expiring_points=0))
    assert with_expiry.height > without.height
    assert _contains(with_expiry, _line("คะแนนที่จะหมดอายุ 31/12/2569", 24))


def test_long_thai_text_wraps_inside_the_paper_without_splitting_clusters() -> None:
    long_name = "บริษัทร้านค้าปลีกตัวอย่างที่มีชื่อยาวมากเป็นพิเศษเพื่อทดสอบการตัดบรรทัด"
    font = load_font(24)
    lines = wrap(long_name, font, 300)
    assert len(lines) > 1
    assert "".join(lines) == long_name
    assert all(font.getlength(line) <= 300 for line in lines)
    for line in lines[1:]:  # no line starts with a vowel or tone mark stranded from its letter
        assert line[0] not in "ัิีึืุู่้๊๋็์"
    image = render_slip(replace(SLIP, title=long_name), "58mm")
    assert image.width == 384


def test_reprint_is_marked_as_a_copy() -> None:
    original = render_slip(SLIP)
    copy = mark_copy(original, "สำเนา / COPY")
    assert copy.width == original.width
    assert copy.height > original.height
    top = np.asarray(copy.convert("L"))[:20]
    assert (top < 128).mean() > 0.5  # reverse-video band


def test_bad_input_is_refused(refused) -> None:
    with refused(SlipError, 'bad_input', 'points_change must be an int number of points'):
        render_slip(replace(SLIP, points_change=1.5))  # type: ignore[arg-type]
    with refused(SlipError, 'bad_input', 'expiring_points cannot be negative'):
        render_slip(replace(SLIP, expiring_points=-1))
    with refused(SlipError, 'bad_input', 'paper must be one of 80mm, 58mm'):
        render_slip(SLIP, "A4")  # type: ignore[arg-type]
