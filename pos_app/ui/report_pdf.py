"""A report as a PDF with the bundled Thai font (QPdfWriter, in QtGui: no print dialog, works offscreen and on
the worker thread), A4 landscape: the title, the chart's bars, the table, as many pages as the rows need.

Printing is this file sent to the office printer: the counter's slip printer is 80 mm wide and no place for a
report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter

from pos_app.core.i18n import _

DPI = 150


def write_report_pdf(path: Path, family: str, title: str, chart_title: str,
                     bars: Sequence[tuple[str, int, str]], headers: Sequence[str],
                     rows: Sequence[Sequence[str]], numbers: Sequence[int] = ()) -> int:
    """Write the PDF; returns the number of pages. ``bars``: (label, value, value as text); ``rows``: cells,
    the columns in ``numbers`` are right-aligned. Raises OSError when the file
    cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setTitle(title)
    writer.setCreator("pos-terminal")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                     QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter))
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write {path}")
    try:
        return _draw(painter, writer, family, title, chart_title, bars, headers, rows, numbers)
    finally:
        painter.end()


def _font(family: str, points: float, bold: bool = False) -> QFont:
    font = QFont(family)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def _draw(painter: QPainter, writer: QPdfWriter, family: str, title: str, chart_title: str,
          bars: Sequence[tuple[str, int, str]], headers: Sequence[str], rows: Sequence[Sequence[str]],
          numbers: Sequence[int]) -> int:
    page = QRectF(writer.pageLayout().paintRectPixels(DPI))
    page.moveTo(0, 0)
    width, height = page.width(), page.height()
    body = _font(family, 10)
    metrics = QFontMetricsF(body, writer)
    line = metrics.lineSpacing() * 1.25
    pages = 1

    def text(rect: QRectF, value: str, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> None:
        painter.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), value)

    painter.setFont(_font(family, 15, bold=True))
    y = 0.0
    text(QRectF(0, y, width, line * 1.6), title)
    y += line * 1.8

    if bars:
        painter.setFont(_font(family, 11, bold=True))
        text(QRectF(0, y, width, line), chart_title)
        y += line * 1.2
        painter.setFont(body)
        shown = list(bars)[:24]
        label_w = min(width * 0.3, max(metrics.horizontalAdvance(b[0]) for b in shown) + 12)
        value_w = max(metrics.horizontalAdvance(b[2]) for b in shown) + 12
        top = max(b[1] for b in shown) or 1
        for label, value, shown_value in shown:
            text(QRectF(0, y, label_w - 6, line), label, Qt.AlignmentFlag.AlignRight)
            length = (width - label_w - value_w) * value / top
            painter.fillRect(QRectF(label_w, y + line * 0.15, max(length, 1.0), line * 0.7), QColor("#1f4f8f"))
            text(QRectF(label_w + length + 6, y, value_w, line), shown_value)
            y += line
        y += line * 0.6

    columns = len(headers)
    lines_of = [max(1, *(cell.count("\n") + 1 for cell in row)) for row in rows]
    widths = []
    for c in range(columns):
        cells = [headers[c], *(row[c] for row in rows)]
        widths.append(max(metrics.horizontalAdvance(part) for cell in cells for part in cell.split("\n")) + 16)
    scale = min(1.0, width / sum(widths))
    widths = [w * scale for w in widths]
    header_lines = max(h.count("\n") + 1 for h in headers)

    def header_row(at: float) -> float:
        painter.setFont(_font(family, 10, bold=True))
        x = 0.0
        for c, title_text in enumerate(headers):
            align = Qt.AlignmentFlag.AlignRight if c in numbers else Qt.AlignmentFlag.AlignLeft
            text(QRectF(x + 4, at, widths[c] - 8, line * header_lines), title_text, align)
            x += widths[c]
        painter.setFont(body)
        at += line * header_lines
        painter.drawLine(0, int(at), int(width), int(at))
        return at + 4

    y = header_row(y)
    for index, row in enumerate(rows):
        tall = line * lines_of[index]
        if y + tall > height - line:
            painter.setFont(_font(family, 8))
            text(QRectF(0, height - line, width, line), _("Page {n}").format(n=pages), Qt.AlignmentFlag.AlignRight)
            writer.newPage()
            pages += 1
            y = header_row(0.0)
        x = 0.0
        for c, cell in enumerate(row):
            align = Qt.AlignmentFlag.AlignRight if c in numbers else Qt.AlignmentFlag.AlignLeft
            text(QRectF(x + 4, y, widths[c] - 8, tall), cell, align)
            x += widths[c]
        y += tall
    painter.setFont(_font(family, 8))
    text(QRectF(0, height - line, width, line), _("Page {n}").format(n=pages), Qt.AlignmentFlag.AlignRight)
    return pages


__all__ = ["write_report_pdf"]
