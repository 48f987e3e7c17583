"""Printable member cards: QR of the signed member code, Code128 of the card number, the name in Thai.

A card is rendered at ID-1 size (85.60 x 53.98 mm) and **decoded back** before anyone may print it: if
the QR does not read back to exactly the member code, or the Code128 to exactly the card number, the
render is refused with :class:`CardRenderError`. Hardware must not import ``pos_app``: everything comes
in as plain, already-translated strings (:class:`CardData`).

    image = render_card(CardData(member_code=..., card_number="8123...", name="สมชาย ใจดี", ...))
    save_card(image, Path("card.pdf"))
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import barcode
import qrcode
import qrcode.constants
from PIL import Image, ImageDraw

from hardware.fonts import fit_font

CARD_WIDTH_MM = 85.60
CARD_HEIGHT_MM = 53.98
MM_PER_INCH = 25.4

CardFormat = Literal["png", "pdf"]


class CardRenderError(Exception):
    """A card that must not be printed. ``code`` is stable (``bad_input``, ``read_back_failed``,
    ``write_failed``); the message is English for logs, the app shows its own translation of ``code``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class CardData:
    """What goes on the card, formatted and translated by the app layer."""

    member_code: str  # the signed member QR payload ("LM1:...")
    card_number: str  # digits, printed as Code128 and under it in groups of four
    name: str  # the member's name (Thai is fine)
    member_number: str  # what the card calls the member number
    title: str = "Loyalty"  # chain or programme name for the header band
    member_number_label: str = "Member no."
    card_number_label: str = ""


@dataclass(frozen=True, slots=True)
class ReadBack:
    """What a decoder found on the rendered card."""

    qr_texts: tuple[str, ...]
    code128_texts: tuple[str, ...]


Decoder = Callable[[Image.Image], ReadBack]


def _mm(value_mm: float, dpi: int) -> int:
    return round(value_mm / MM_PER_INCH * dpi)


def scanner_read_back(image: Image.Image) -> ReadBack:
    """Decode the rendered card with the counter's own decoder (``hardware.scanner``, zxing-cpp backend,
    restricted to QR and Code128), so a card that passes here is read the same way at the counter."""
    import numpy as np

    from hardware.scanner import CODE128, QR, make_decoder

    decoder = make_decoder("zxing", (QR, CODE128))
    try:
        scans = decoder.decode(np.asarray(image.convert("L")))
    finally:
        decoder.close()
    return ReadBack(qr_texts=tuple(s.text for s in scans if s.symbology == QR),
                    code128_texts=tuple(s.text for s in scans if s.symbology == CODE128))


def qr_version(text: str) -> int:
    """The QR version (size) the member code needs at error-correction level M."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(text)
    qr.make(fit=True)
    return int(qr.version)


QR_QUIET_MODULES = 4
QR_MAX_MM = 36.0  # QR with its quiet zone
BAR_QUIET_MODULES = 10


def _qr_matrix(text: str) -> list[list[bool]]:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(text)
    qr.make(fit=True)
    return [list(row) for row in qr.get_matrix()]


def _draw_modules(card: Image.Image, matrix: list[list[bool]], left: int, top: int, module_px: int) -> None:
    draw = ImageDraw.Draw(card)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                x0, y0 = left + x * module_px, top + y * module_px
                draw.rectangle((x0, y0, x0 + module_px - 1, y0 + module_px - 1), fill="black")


def _code128_pattern(number: str) -> str:
    """The Code128 module pattern ("1" = bar) from python-barcode (start, data, check digit, stop)."""
    return str(barcode.get_barcode_class("code128")(number).build()[0])


def _check_input(data: CardData) -> None:
    if not data.member_code or not data.member_code.isascii() or not data.member_code.isprintable():
        raise CardRenderError("bad_input", "member code must be printable ASCII")
    if not data.card_number.isascii() or not data.card_number.isdigit() or not 1 <= len(data.card_number) <= 32:
        raise CardRenderError("bad_input", "card number must be 1-32 digits")
    if not data.name.strip():
        raise CardRenderError("bad_input", "name is empty")


def _group(number: str) -> str:
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def draw_card(data: CardData, dpi: int = 300) -> Image.Image:
    """Lay the card out, without the read-back check (see :func:`render_card`).

    Both symbols are drawn module by module in whole pixels (crisp edges on a 203/300 dpi printer, no
    resampling), and placed so that nothing ever covers them: the Code128's quiet zone may overlap only
    the QR's quiet zone.
    """
    _check_input(data)
    width, height = _mm(CARD_WIDTH_MM, dpi), _mm(CARD_HEIGHT_MM, dpi)
    card = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(card)
    margin = _mm(3.5, dpi)
    edge = max(2, _mm(1.5, dpi))
    band = _mm(9, dpi)

    # Code128 bottom left: modules of about 0.25 mm, never under 2 px
    pattern = _code128_pattern(data.card_number)
    bar_px = max(2, _mm(0.25, dpi))
    bar_width = (len(pattern) + 2 * BAR_QUIET_MODULES) * bar_px
    bar_height = _mm(9, dpi)
    digits_height = _mm(3.6, dpi)

    # QR on the right: as large as fits under the band and beside the Code128 (QR reads best: largest)
    matrix = _qr_matrix(data.member_code)
    qr_span = len(matrix) + 2 * QR_QUIET_MODULES
    tall = (height - band - edge) // qr_span
    wide = (width - edge - bar_width) // qr_span
    capped = _mm(QR_MAX_MM, dpi) // qr_span  # leave the name room
    qr_px = max(2, min(tall, wide, capped))
    qr_size = qr_span * qr_px
    qr_left = width - edge - qr_size
    qr_top = band + (height - band - qr_size) // 2
    bar_left = max(0, min(margin - BAR_QUIET_MODULES * bar_px, qr_left + QR_QUIET_MODULES * qr_px - bar_width))

    draw.rectangle((0, 0, width, band), fill=(20, 60, 120))
    title_font = fit_font(data.title, width - 2 * margin, _mm(5, dpi), bold=True)
    draw.text((margin, band // 2), data.title, font=title_font, fill="white", anchor="lm")

    text_width = qr_left - margin  # text stays out of the QR's quiet zone
    y = band + _mm(3, dpi)
    name_font = fit_font(data.name, text_width, _mm(5.5, dpi), bold=True)
    draw.text((margin, y), data.name, font=name_font, fill="black", anchor="la")
    y += _mm(8.5, dpi)
    label_font = fit_font(data.member_number_label, text_width, _mm(2.6, dpi))
    draw.text((margin, y), data.member_number_label, font=label_font, fill=(80, 80, 80), anchor="la")
    y += _mm(3.4, dpi)
    number_font = fit_font(data.member_number, text_width, _mm(3.4, dpi), bold=True)
    draw.text((margin, y), data.member_number, font=number_font, fill="black", anchor="la")

    bar_top = height - edge - digits_height - bar_height
    draw.rectangle((bar_left, bar_top, bar_left + bar_width - 1, bar_top + bar_height - 1), fill="white")
    for index, bit in enumerate(pattern):
        if bit == "1":
            x0 = bar_left + (BAR_QUIET_MODULES + index) * bar_px
            draw.rectangle((x0, bar_top, x0 + bar_px - 1, bar_top + bar_height - 1), fill="black")
    caption = (data.card_number_label + " " if data.card_number_label else "") + _group(data.card_number)
    digits_font = fit_font(caption, bar_width, _mm(2.8, dpi))
    draw.text((bar_left + bar_width // 2, bar_top + bar_height + digits_height // 2), caption,
              font=digits_font, fill="black", anchor="mm")

    # the QR last, on its own white square (quiet zone included), so no text can touch it
    draw.rectangle((qr_left, qr_top, qr_left + qr_size - 1, qr_top + qr_size - 1), fill="white")
    _draw_modules(card, matrix, qr_left + QR_QUIET_MODULES * qr_px, qr_top + QR_QUIET_MODULES * qr_px, qr_px)
    return card


def check_read_back(image: Image.Image, data: CardData, decoder: Decoder = scanner_read_back) -> ReadBack:
    """Raise :class:`CardRenderError` unless ``image`` decodes to exactly this member code and card number."""
    found = decoder(image)
    problems: list[str] = []
    if list(found.qr_texts) != [data.member_code]:
        problems.append(f"QR read back as {_short(found.qr_texts)}")
    if list(found.code128_texts) != [data.card_number]:
        problems.append(f"Code128 read back as {_short(found.code128_texts)}")
    if problems:
        raise CardRenderError("read_back_failed", "card does not read back: " + "; ".join(problems))
    return found


def _short(texts: Sequence[str]) -> str:
    if not texts:
        return "nothing"
    return ", ".join(repr(t[:24] + ("..." if len(t) > 24 else "")) for t in texts)


def render_card(data: CardData, dpi: int = 300, decoder: Decoder = scanner_read_back) -> Image.Image:
    """The card image, verified by decoding it back; raises :class:`CardRenderError` otherwise."""
    card = draw_card(data, dpi)
    check_read_back(card, data, decoder)
    return card


def card_format(path: Path, requested: str | None = None) -> CardFormat:
    choice = (requested or path.suffix.lstrip(".") or "png").lower()
    if choice == "png":
        return "png"
    if choice == "pdf":
        return "pdf"
    raise CardRenderError("bad_input", f"unsupported card format {choice!r}: use png or pdf")


def save_card(image: Image.Image, path: Path, fmt: str | None = None, dpi: int = 300) -> Path:
    """Write the card as PNG or one-page PDF (page = card size). The file appears complete or not at all."""
    kind = card_format(path, fmt)
    path = Path(path)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=".card-", suffix="." + kind, dir=path.parent or Path("."))
    except OSError as exc:
        raise CardRenderError("write_failed", f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            if kind == "png":
                image.save(out, "PNG", dpi=(dpi, dpi))
            else:
                image.convert("RGB").save(out, "PDF", resolution=float(dpi))
        os.replace(temp_name, path)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise CardRenderError("write_failed", f"cannot write {path}: {exc.strerror or exc}") from None
    return path
