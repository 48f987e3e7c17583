"""Points slips rendered as images (thermal printers can't be trusted with Thai code pages).

576 px wide for 80 mm paper, 384 px for 58 mm (203 dpi heads). The app layer translates the labels and
formats money; this module lays out, draws with the bundled Thai font, writes the date in the Buddhist
era (AD + 543) and always ends with the line "ไม่ใช่ใบกำกับภาษี / not a tax invoice".

    image = render_slip(SlipData(title="ร้านตัวอย่าง", branch="สาขาสยาม", printed_at=..., ...))
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

from hardware.fonts import load_font

PAPER_WIDTHS: dict[str, int] = {"80mm": 576, "58mm": 384}
NOT_A_TAX_INVOICE = "ไม่ใช่ใบกำกับภาษี / not a tax invoice"
BUDDHIST_ERA_OFFSET = 543

Paper = Literal["80mm", "58mm"]


class SlipError(ValueError):
    """Slip data that cannot be laid out; ``code`` is stable (``bad_input``), the message English."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class SlipLabels:
    """Translated labels (the app passes ``_("...")`` of each; English defaults for tools and tests).

    ``expiring`` may contain ``{date}``, replaced by the Buddhist-era date.
    """

    branch: str = "Branch"
    time: str = "Time"
    receipt: str = "Receipt"
    member: str = "Member"
    purchase: str = "Purchase"
    earned: str = "Points earned"
    redeemed: str = "Points redeemed"
    balance_before: str = "Balance before"
    balance_after: str = "Balance after"
    expiring: str = "Expiring by {date}"
    points_unit: str = "pts"
    thanks: str = "Thank you"


@dataclass(frozen=True, slots=True)
class SlipData:
    """One slip. Points are ints (positive ``points_change`` = earned, negative = redeemed); text fields
    are shown as given (the app formats money as ``฿1,234.50``)."""

    title: str
    branch: str
    printed_at: datetime  # local time of the sale
    receipt_no: str
    member_name: str
    member_number: str  # shown as given (the app may mask it)
    points_change: int
    balance_before: int
    balance_after: int
    purchase_amount: str = ""  # e.g. "฿1,250.00"; omitted when empty
    expiring_points: int = 0
    expiring_on: date | None = None
    extra_lines: tuple[tuple[str, str], ...] = ()  # (label, value) rows the app wants added
    labels: SlipLabels = field(default_factory=SlipLabels)
    qr_text: str = ""  # printed as a QR code (a voucher bought with points); omitted when empty
    qr_caption: str = ""  # one line under the QR


def buddhist_date(moment: date | datetime, with_time: bool = True) -> str:
    """``23/11/2569 14:05`` for 23 Nov 2026 14:05 (Buddhist era = AD + 543; digits need no translation)."""
    text = f"{moment.day:02d}/{moment.month:02d}/{moment.year + BUDDHIST_ERA_OFFSET}"
    if with_time and isinstance(moment, datetime):
        text += f" {moment.hour:02d}:{moment.minute:02d}"
    return text


def format_points(points: int, signed: bool = False) -> str:
    return f"{points:+,}" if signed else f"{points:,}"


def _clusters(text: str) -> list[str]:
    """Split into display clusters: a base character with its combining marks (Thai vowels above/below,
    tone marks) stays together, so wrapping never strands a mark at the start of a line."""
    out: list[str] = []
    for char in text:
        if out and (unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me")):
            out[-1] += char
        else:
            out.append(char)
    return out


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Wrap at spaces where possible; Thai runs without spaces break between clusters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if font.getlength(candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
                current = ""
            for cluster in _clusters(word):
                if current and font.getlength(current + cluster) > width:
                    lines.append(current)
                    current = ""
                current += cluster
        lines.append(current)
    return lines


class _Canvas:
    """Draws rows top to bottom onto a tall strip, cropped to what was used."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.pad = max(8, width // 36)
        self.base = 24 if width >= 500 else 19
        self.image = Image.new("L", (width, 4000), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.y = self.pad

    def font(self, scale: float = 1.0, bold: bool = False) -> ImageFont.FreeTypeFont:
        return load_font(round(self.base * scale), bold)

    def _grow(self, needed: int) -> None:
        if self.y + needed + self.pad > self.image.height:
            bigger = Image.new("L", (self.width, self.image.height * 2 + needed), 255)
            bigger.paste(self.image, (0, 0))
            self.image = bigger
            self.draw = ImageDraw.Draw(self.image)

    def _line_height(self, font: ImageFont.FreeTypeFont) -> int:
        ascent, descent = font.getmetrics()
        return ascent + descent + 2

    def text(self, text: str, scale: float = 1.0, bold: bool = False,
             align: Literal["left", "center", "right"] = "left") -> None:
        font = self.font(scale, bold)
        usable = self.width - 2 * self.pad
        for line in wrap(text, font, usable):
            height = self._line_height(font)
            self._grow(height)
            x = {"left": self.pad, "center": self.width // 2, "right": self.width - self.pad}[align]
            anchor = {"left": "la", "center": "ma", "right": "ra"}[align]
            self.draw.text((x, self.y), line, font=font, fill=0, anchor=anchor)
            self.y += height

    def row(self, label: str, value: str, scale: float = 1.0, bold: bool = False) -> None:
        """Label on the left, value on the right; a value that does not fit goes on its own line."""
        font = self.font(scale, bold)
        usable = self.width - 2 * self.pad
        gap = font.getlength("  ")
        if font.getlength(label) + gap + font.getlength(value) <= usable:
            height = self._line_height(font)
            self._grow(height)
            self.draw.text((self.pad, self.y), label, font=font, fill=0, anchor="la")
            self.draw.text((self.width - self.pad, self.y), value, font=font, fill=0, anchor="ra")
            self.y += height
            return
        self.text(label, scale, bold)
        self.text(value, scale, bold, align="right")

    def rule(self, dashed: bool = True) -> None:
        self._grow(14)
        mid = self.y + 6
        if dashed:
            for x in range(self.pad, self.width - self.pad, 12):
                self.draw.line((x, mid, min(x + 6, self.width - self.pad), mid), fill=0, width=2)
        else:
            self.draw.line((self.pad, mid, self.width - self.pad, mid), fill=0, width=3)
        self.y += 14

    def space(self, pixels: int) -> None:
        self._grow(pixels)
        self.y += pixels

    def qr(self, text: str) -> None:
        """``text`` as a QR code (level M), centred, at least 4 px a module, quiet zone of 4 modules."""
        import qrcode
        import qrcode.constants

        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        code.add_data(text)
        code.make(fit=True)
        matrix = code.get_matrix()
        size = len(matrix)
        module = max(4, (self.width * 3 // 4) // (size + 8))
        side = (size + 8) * module
        self._grow(side)
        left = (self.width - size * module) // 2
        top = self.y + 4 * module
        for y, row in enumerate(matrix):
            for x, dark in enumerate(row):
                if dark:
                    x0, y0 = left + x * module, top + y * module
                    self.draw.rectangle((x0, y0, x0 + module - 1, y0 + module - 1), fill=0)
        self.y += side

    def finish(self) -> Image.Image:
        return self.image.crop((0, 0, self.width, self.y + self.pad))


def _check(data: SlipData) -> None:
    for name in ("points_change", "balance_before", "balance_after", "expiring_points"):
        value = getattr(data, name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise SlipError("bad_input", f"{name} must be an int number of points")
    if not isinstance(data.printed_at, datetime):
        raise SlipError("bad_input", "printed_at must be a datetime")
    if data.expiring_points < 0:
        raise SlipError("bad_input", "expiring_points cannot be negative")


def render_slip(data: SlipData, paper: Paper = "80mm") -> Image.Image:
    """The slip as an 8-bit grey image ``PAPER_WIDTHS[paper]`` pixels wide (print it as an image)."""
    if paper not in PAPER_WIDTHS:
        raise SlipError("bad_input", f"paper must be one of {', '.join(PAPER_WIDTHS)}")
    _check(data)
    labels = data.labels
    unit = labels.points_unit
    canvas = _Canvas(PAPER_WIDTHS[paper])
    canvas.text(data.title, 1.35, bold=True, align="center")
    canvas.text(data.branch, 1.0, align="center")
    canvas.rule(dashed=False)
    canvas.row(labels.time, buddhist_date(data.printed_at))
    canvas.row(labels.receipt, data.receipt_no)
    canvas.row(labels.member, data.member_name)
    canvas.text(data.member_number, 0.9, align="right")
    if data.purchase_amount:
        canvas.row(labels.purchase, data.purchase_amount)
    canvas.rule()
    if data.points_change >= 0:
        canvas.row(labels.earned, f"{format_points(data.points_change, signed=True)} {unit}", 1.2, bold=True)
    else:
        canvas.row(labels.redeemed, f"{format_points(data.points_change, signed=True)} {unit}", 1.2, bold=True)
    canvas.row(labels.balance_before, f"{format_points(data.balance_before)} {unit}")
    canvas.row(labels.balance_after, f"{format_points(data.balance_after)} {unit}", 1.1, bold=True)
    for label, value in data.extra_lines:
        canvas.row(label, value)
    if data.qr_text:
        canvas.qr(data.qr_text)
        if data.qr_caption:
            canvas.text(data.qr_caption, 0.9, align="center")
    if data.expiring_points and data.expiring_on is not None:
        when = buddhist_date(data.expiring_on, with_time=False)
        canvas.row(labels.expiring.replace("{date}", when), f"{format_points(data.expiring_points)} {unit}")
    canvas.rule()
    if labels.thanks:
        canvas.text(labels.thanks, 1.0, align="center")
    canvas.text(NOT_A_TAX_INVOICE, 0.9, bold=True, align="center")
    canvas.space(canvas.base)  # room before the cutter
    return canvas.finish()


def mark_copy(image: Image.Image, mark: str = "COPY / สำเนา") -> Image.Image:
    """The slip with a reverse-video band on top, for a reprint (so it cannot pass as a second slip)."""
    width = image.width
    font = load_font(26 if width >= 500 else 20, bold=True)
    ascent, descent = font.getmetrics()
    band = ascent + descent + 16
    out = Image.new("L", (width, image.height + band), 255)
    draw = ImageDraw.Draw(out)
    draw.rectangle((0, 0, width, band - 6), fill=0)
    draw.text((width // 2, (band - 6) // 2), mark, font=font, fill=255, anchor="mm")
    out.paste(image.convert("L"), (0, band))
    return out
