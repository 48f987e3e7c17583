"""What "fits the screen" means for a window, as checks a test can make on real widgets.

* every visible widget lies inside the window (on a kiosk there is no window manager to scroll or move it);
* no label is cut off: a one-line label's text is no wider than the label, a wrapping label is tall enough for
  its text at its width (Thai text is taller than Latin: this is measured with the font in use);
* no button's text is wider than the button (Qt clips a button's text without an ellipsis);
* buttons and fields are touch targets of at least 48 px.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QPushButton, QWidget

TOUCH_PX = 48


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
    return f"{type(widget).__name__}#{widget.objectName() or '?'} {text!r}"


def _visible_widgets(window: QWidget) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget) if w.isVisibleTo(window) and w.window() is window]


def fit_problems(window: QWidget) -> list[str]:
    """Every way ``window`` does not fit, one line each (an empty list: it fits)."""
    problems: list[str] = []
    bounds = window.rect()
    for widget in _visible_widgets(window):
        top_left = widget.mapTo(window, widget.rect().topLeft())
        rect = QRect(top_left, widget.size())
        if rect.width() > 0 and rect.height() > 0 and not bounds.contains(rect):
            problems.append(f"outside the window {bounds.getRect()}: {_name(widget)} at {rect.getRect()}")
        if isinstance(widget, QLabel) and widget.text() and widget.textFormat() != Qt.TextFormat.RichText:
            inner = widget.contentsRect()
            metrics = widget.fontMetrics()
            if widget.wordWrap():
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height():
                    problems.append(f"cut off (needs {needed} px of height, has {widget.height()}): "
                                    f"{_name(widget)}")
            else:
                widest = max(metrics.horizontalAdvance(line) for line in widget.text().split("\n"))
                if widest > inner.width():
                    problems.append(f"cut off (needs {widest} px, has {inner.width()}): {_name(widget)}")
        if isinstance(widget, QPushButton) and widget.text():
            lines = widget.text().split("\n")  # a button draws each line of its text (reward tiles have two)
            widest = max(widget.fontMetrics().horizontalAdvance(line) for line in lines)
            if widest > widget.width() - 8:
                problems.append(f"button text cut off (needs {widest} px, has {widget.width()}): {_name(widget)}")
            tall = widget.fontMetrics().lineSpacing() * len(lines)
            if len(lines) > 1 and tall > widget.height() - 4:
                problems.append(f"button text cut off (needs {tall} px of height, has {widget.height()}): "
                                f"{_name(widget)}")
        if isinstance(widget, (QPushButton, QLineEdit, QComboBox)) and widget.height() < TOUCH_PX:
            problems.append(f"smaller than a {TOUCH_PX} px touch target ({widget.height()} px): {_name(widget)}")
    return problems


def table_problems(table: Any) -> list[str]:
    """Cells and headers of a QTableWidget whose text is wider than their column (Qt elides them "…"), or, for
    text of several lines (Qt draws each), taller than their row or header."""
    from PySide6.QtWidgets import QStyle

    problems = []
    metrics = table.fontMetrics()
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    header = table.horizontalHeader()

    def widest(fm: Any, text: str) -> int:
        return max(fm.horizontalAdvance(line) for line in text.split("\n"))

    for column in range(table.columnCount()):
        width = table.columnWidth(column)
        title = table.horizontalHeaderItem(column).text() if table.horizontalHeaderItem(column) else ""
        if widest(header.fontMetrics(), title) + 8 > width:
            problems.append(f"header {title!r} cut off in a column of {width} px")
        if header.fontMetrics().lineSpacing() * (title.count("\n") + 1) > header.height():
            problems.append(f"header {title!r} cut off in a header {header.height()} px tall")
        for row in range(table.rowCount()):
            item = table.item(row, column)
            if item is None:
                continue
            if widest(metrics, item.text()) + margin > width:
                problems.append(f"cell {item.text()!r} cut off in a column of {width} px")
            if metrics.lineSpacing() * (item.text().count("\n") + 1) > table.rowHeight(row):
                problems.append(f"cell {item.text()!r} cut off in a row {table.rowHeight(row)} px tall")
    if table.viewport().width() < sum(table.columnWidth(c) for c in range(table.columnCount())):
        problems.append("the table's columns are wider than the table: some are out of sight")
    return problems
