"""The manager's back office window: reports (a day or a range, by cashier, reward or hour, a chart above the
table, drill-down to the operations behind a number, CSV and PDF export), the flags sync raised for this
branch with acknowledge, and the approvals log.

It renders :class:`pos_app.ui.presenters.reports.ReportPresenter` (and the flags presenter) and forwards
input; every service call runs on the window's single worker (``submit``), results come back as callbacks on
the UI thread. The services check the manager role on every call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.i18n import _
from pos_app.services.errors import ServiceError, Unavailable
from pos_app.ui.dialogs import KioskDialog
from pos_app.ui.presenters.flags import ApprovalsPresenter, FlagsPresenter
from pos_app.ui.presenters.reports import GROUPINGS, PRESETS, Bar, ReportPresenter
from pos_app.ui.screens.style import wrapped_label

Submit = Callable[..., Any]
CHART_HEIGHT = 150
TABLE_SLACK = 16  # air between the numbers, and room for Thai marks


class BarChart(QWidget):
    """Bars drawn with QPainter (PySide6-Essentials has no QtCharts): horizontal bars with their names for
    cashiers and rewards, columns per hour of the day. A click on a bar drills down to it."""

    bar_activated = Signal(str)  # the bar's report line code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.setMinimumHeight(CHART_HEIGHT)
        self.setMaximumHeight(CHART_HEIGHT)
        self.bars: list[Bar] = []
        self.columns = False
        self._hit: list[tuple[QRectF, str]] = []

    def show_bars(self, bars: Sequence[Bar], columns: bool) -> None:
        self.bars = list(bars)
        self.columns = columns
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(400, CHART_HEIGHT)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        self._hit = []
        if self.bars:
            (self._paint_columns if self.columns else self._paint_rows)(painter)
        painter.end()

    def _paint_rows(self, painter: QPainter) -> None:
        metrics = self.fontMetrics()
        row = metrics.height() + 6
        fit = max(1, self.height() // row)
        bars = sorted(self.bars, key=lambda b: -b.value)[:fit]
        label_w = min(self.width() * 0.35, max(metrics.horizontalAdvance(b.label) for b in bars) + 12)
        value_w = max(metrics.horizontalAdvance(b.text) for b in bars) + 12
        top = max(b.value for b in bars) or 1
        for i, bar in enumerate(bars):
            y = i * row
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, int(label_w) - 8)
            painter.setPen(QColor("#222222"))
            painter.drawText(QRectF(0, y, label_w - 8, row), int(Qt.AlignmentFlag.AlignRight
                                                                  | Qt.AlignmentFlag.AlignVCenter), label)
            length = max(2.0, (self.width() - label_w - value_w) * bar.value / top)
            rect = QRectF(label_w, y + 3, length, row - 6)
            painter.fillRect(rect, QColor("#1f4f8f"))
            painter.drawText(QRectF(label_w + length + 6, y, value_w, row),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), bar.text)
            self._hit.append((QRectF(0, y, self.width(), row), bar.code))

    def _paint_columns(self, painter: QPainter) -> None:
        metrics = self.fontMetrics()
        label_h = metrics.height() + 4
        top = max(b.value for b in self.bars) or 1
        step = self.width() / len(self.bars)
        usable = self.height() - 2 * label_h
        painter.setPen(QColor("#222222"))
        for i, bar in enumerate(self.bars):
            x = i * step
            length = usable * bar.value / top
            painter.fillRect(QRectF(x + step * 0.15, label_h + usable - length, step * 0.7, length),
                             QColor("#1f4f8f"))
            centre = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
            if bar.value:
                painter.drawText(QRectF(x, label_h + usable - length - label_h, step, label_h), centre, bar.text)
            painter.drawText(QRectF(x, self.height() - label_h, step, label_h), centre, bar.label)
            self._hit.append((QRectF(x, 0, step, self.height()), bar.code))

    def code_at(self, x: float, y: float) -> str | None:
        return next((code for rect, code in self._hit if rect.contains(x, y)), None)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        code = self.code_at(event.position().x(), event.position().y())
        if code is not None:
            self.bar_activated.emit(code)
        super().mousePressEvent(event)


def _fill_table(table: QTableWidget, headers: Sequence[str], rows: Sequence[Sequence[str]],
                numbers: Sequence[int], faded: Sequence[bool] = ()) -> None:
    """Cells as given (numbers right-aligned), every column as wide as its widest line, rows as tall as theirs."""
    table.clearContents()
    table.setColumnCount(len(headers))
    table.setRowCount(len(rows))
    table.setHorizontalHeaderLabels(list(headers))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c in numbers:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if r < len(faded) and faded[r]:
                item.setForeground(QColor("#8a4b00"))
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    for c in range(table.columnCount()):
        table.setColumnWidth(c, table.columnWidth(c) + TABLE_SLACK)
    table.resizeRowsToContents()
    header = table.horizontalHeader()
    needed = sum(header.sectionSize(c) for c in range(table.columnCount())) + 2 * table.frameWidth() + 2
    table.setMinimumWidth(needed)


class _Table(QTableWidget):
    """A read-only table where Enter activates the current line (drills down) and goes no further."""

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.currentRow() >= 0:
                self.cellActivated.emit(self.currentRow(), max(0, self.currentColumn()))
            event.accept()
            return
        super().keyPressEvent(event)


def _table(name: str) -> QTableWidget:
    table = _Table(0, 0)
    table.setObjectName(name)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return table


class _Page(QWidget):
    """A back office page whose service calls run on the window's worker, dropped once the dialog closed."""

    refused = Signal(str)  # a refusal's message, also shown on the page

    def __init__(self, services: Any, staff: Any, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._svc, self._staff, self._run = services, staff, submit
        self.closed = False

    def _submit(self, work: Callable[[], Any], done: Callable[[Any], None],
                failed: Callable[[ServiceError], None]) -> None:
        def on_done(result: Any) -> None:
            if not self.closed:
                done(result)

        def on_failed(error: ServiceError) -> None:
            if not self.closed:
                failed(error)

        self._run(work, on_done, on_failed)


class ReportsPage(_Page):
    """The reports tab: the range and grouping, the chart above the table, the drill-down, the exports."""

    report_drawn = Signal(object)   # the RangeReport just drawn
    drilled = Signal(object)        # the ReportOperation list just drawn
    exported = Signal(object)       # Path of the CSV written
    pdf_saved = Signal(object)      # Path of the PDF written

    def __init__(self, services: Any, staff: Any, submit: Submit, data_dir: Path, today: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, staff, submit, parent)
        self.setObjectName("reportsPage")
        self._data_dir = data_dir
        self.presenter = ReportPresenter(today)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        presets = QHBoxLayout()
        self.preset_buttons: dict[str, QPushButton] = {}
        for code, text in PRESETS:
            button = QPushButton(_(text))
            button.setObjectName(f"preset_{code}")
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, code=code: self.choose_preset(code))
            self.preset_buttons[code] = button
            presets.addWidget(button)
        presets.addStretch(1)
        self.by = QComboBox()
        self.by.setObjectName("reportBy")
        for code, text in GROUPINGS:
            self.by.addItem(_(text), code)
        self.by.currentIndexChanged.connect(lambda _i: self.refresh())
        presets.addWidget(self.by)

        dates = QHBoxLayout()
        self.from_label = QLabel(_("From"))
        self.to_label = QLabel(_("to"))
        self.date_from = self._date_edit("reportFrom")
        self.date_to = self._date_edit("reportTo")
        self.show_button = QPushButton(_("Show") + "  [Enter]")
        self.show_button.setObjectName("reportShow")
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.refresh)
        for widget in (self.from_label, self.date_from, self.to_label, self.date_to, self.show_button):
            dates.addWidget(widget)
        dates.addStretch(1)

        self.stack = QStackedWidget()
        summary = QWidget()
        summary_layout = QVBoxLayout(summary)
        summary_layout.setContentsMargins(0, 0, 0, 0)
        self.title = wrapped_label("reportTitle")
        self.chart_title = QLabel()
        self.chart_title.setObjectName("reportChartTitle")
        self.chart = BarChart()
        self.chart.bar_activated.connect(self.drill_code)
        self.empty = wrapped_label("reportEmpty", note=True)
        self.table = _table("reportTable")
        self.table.cellActivated.connect(lambda row, _col: self.drill_row(row))
        self.table.cellClicked.connect(lambda row, _col: self.drill_row(row))
        for shown in (self.title, self.chart_title, self.chart, self.empty):
            summary_layout.addWidget(shown)
        summary_layout.addWidget(self.table, 1)

        drill = QWidget()
        drill_layout = QVBoxLayout(drill)
        drill_layout.setContentsMargins(0, 0, 0, 0)
        back_row = QHBoxLayout()
        self.back_button = QPushButton(_("Back to the report") + "  [Esc]")
        self.back_button.setObjectName("drillBack")
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.back)
        self.drill_title = wrapped_label("drillTitle")
        back_row.addWidget(self.back_button)
        back_row.addWidget(self.drill_title, 1)
        self.drill_table = _table("drillTable")
        drill_layout.addLayout(back_row)
        drill_layout.addWidget(self.drill_table, 1)
        self.stack.addWidget(summary)
        self.stack.addWidget(drill)

        self.message = wrapped_label("reportMessage", note=True)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(_("Export CSV"))
        self.export_button.setObjectName("reportExport")
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(self.export_csv)
        self.pdf_button = QPushButton(_("Save PDF to print"))
        self.pdf_button.setObjectName("reportPdf")
        self.pdf_button.setAutoDefault(False)
        self.pdf_button.clicked.connect(self.save_pdf)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        self.buttons = buttons

        layout.addLayout(presets)
        layout.addLayout(dates)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._show_range()

    # ------------------------------------------------------------------ input
    @staticmethod
    def _date_edit(name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setCalendarPopup(True)
        edit.setMinimumHeight(56)  # its inner field a 48 px touch target
        edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("2026-12-31") + 64)
        return edit

    def _show_range(self) -> None:
        p = self.presenter
        for edit, day in ((self.date_from, p.date_from), (self.date_to, p.date_to)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        shown = p.preset_shown()
        for code, button in self.preset_buttons.items():
            button.setChecked(code == shown)

    def _read_input(self) -> None:
        def day(edit: QDateEdit) -> date:
            d = edit.date()
            return date(d.year(), d.month(), d.day())

        self.presenter.choose_range(day(self.date_from), day(self.date_to))
        self.presenter.choose_grouping(str(self.by.currentData()))

    def choose_preset(self, preset: str) -> None:
        self.presenter.choose_preset(preset)
        self._show_range()
        self.refresh()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.stack.currentIndex() == 0:
            self.refresh()  # (Enter on a line of the table drills down into it: the table keeps that Enter)
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ flows (on the worker)
    def refresh(self) -> None:
        self._read_input()
        self._show_range()
        svc, staff = self._svc, self._staff
        date_from, date_to, by = self.presenter.request()

        def work() -> Any:
            svc.require(staff, "manager")
            # the services load the ledger (sqlalchemy): imported here, never before the PIN screen
            from pos_app.services.reports import range_report
            return range_report(svc, date_from, date_to, by)

        self._submit(work, self.show_report, self._refused)

    def show_report(self, report: Any) -> None:
        p = self.presenter
        p.show(report)
        self.stack.setCurrentIndex(0)
        self.message.clear()
        self.title.setText(p.title())
        self.chart_title.setText(p.chart_title())
        bars = p.bars()
        self.chart.show_bars(bars, columns=report.by == "hour")
        self.chart.setVisible(bool(bars))
        self.chart_title.setVisible(bool(bars))
        self.empty.setText(p.empty_text())
        _fill_table(self.table, p.headers(), p.rows(), numbers=range(1, 7))
        self.report_drawn.emit(report)

    def drill_row(self, row: int) -> None:
        line = self.presenter.line_for_row(row)
        if line is not None:
            self.drill(line)

    def drill_code(self, code: str) -> None:
        line = self.presenter.line_for_code(code)
        if line is not None:
            self.drill(line)

    def drill(self, line: Any) -> None:
        svc, staff = self._svc, self._staff
        date_from, date_to, by, code = self.presenter.drill_request(line)

        def work() -> Any:
            svc.require(staff, "manager")
            from pos_app.services.reports import report_operations
            return report_operations(svc, date_from, date_to, by, code)

        def done(operations: list[Any]) -> None:
            p = self.presenter
            p.drill(line, operations)
            self.drill_title.setText(p.drill_title())
            lines = p.drill_lines()
            _fill_table(self.drill_table, p.drill_headers(), [x.cells for x in lines], numbers=(4, 5),
                        faded=[x.voided for x in lines])
            self.stack.setCurrentIndex(1)
            self.back_button.setFocus()
            self.drilled.emit(operations)

        self._submit(work, done, self._refused)

    def back(self) -> None:
        self.stack.setCurrentIndex(0)
        self.table.setFocus()

    def _refused(self, error: ServiceError) -> None:
        self.message.setText(error.message)
        self.refused.emit(error.message)

    def _write(self, write: Callable[[Path], Any], path: Path, done: Callable[[Path], None]) -> None:
        def work() -> Path:
            try:
                write(path)
            except OSError as exc:
                raise Unavailable(_("Cannot write {path}: {error}").format(
                    path=path, error=exc.strerror or exc)) from exc
            return path

        def written(result: Path) -> None:
            self.message.setText(_("Saved {path}").format(path=result))
            done(result)

        self._submit(work, written, self._refused)

    def export_csv(self) -> None:
        """The report shown, as CSV in the data folder's ``reports`` (written on the worker)."""
        p = self.presenter
        if p.report is None:
            return
        from pos_app.services.reports import report_csv
        text = report_csv(p.report)  # in the language shown (the "Total" line), captured here

        def write(path: Path) -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

        self._write(write, self._data_dir / "reports" / f"{p.file_stem()}.csv", self.exported.emit)

    def save_pdf(self) -> None:
        """The report shown (title, chart, table; or the drill-down shown) as a PDF with the Thai font."""
        from pos_app.ui.report_pdf import write_report_pdf

        p = self.presenter
        if p.report is None:
            return
        family = QApplication.font().family()
        bars = [(b.label, b.value, b.text) for b in p.bars()]
        right: Sequence[int]
        rows: Sequence[Sequence[str]]
        if self.stack.currentIndex() == 1 and p.drilled is not None:
            title = f"{p.title()} · {p.drill_title()}"
            headers, rows, right, chart = p.drill_headers(), [x.cells for x in p.drill_lines()], (4, 5), ""
            bars = []
            stem = f"{p.file_stem()}-detail"
        else:
            title, headers, rows, chart = p.title(), p.headers(), p.rows(), p.chart_title()
            right = range(1, 7)
            stem = p.file_stem()

        def write(path: Path) -> None:
            write_report_pdf(path, family, title, chart, bars, headers, rows, numbers=right)

        self._write(write, self._data_dir / "reports" / f"{stem}.pdf", self.pdf_saved.emit)


class FlagsPage(_Page):
    """The flags sync raised for this branch, the ones not yet acknowledged first, with Acknowledge beside."""

    flags_shown = Signal(object)  # the BranchFlags drawn
    acknowledged = Signal(str)    # the key of the flag just acknowledged (drawn)

    def __init__(self, services: Any, staff: Any, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(services, staff, submit, parent)
        self.setObjectName("flagsPage")
        self.presenter = FlagsPresenter()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = wrapped_label("flagsSummary")
        self.table = _table("flagsTable")
        self.table.currentCellChanged.connect(lambda row, _c, _r, _pc: self._chosen(row))
        self.message = wrapped_label("flagsMessage", note=True)
        row = QHBoxLayout()
        self.acknowledge_button = QPushButton(_("Acknowledge"))
        self.acknowledge_button.setObjectName("flagAcknowledge")
        self.acknowledge_button.setAutoDefault(False)
        self.acknowledge_button.clicked.connect(self.acknowledge)
        row.addWidget(self.acknowledge_button)
        row.addStretch(1)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)

    def reload(self, *_args: Any) -> None:
        """Read the flags the last sync brought (on the worker): at open, and after each sync round."""
        svc = self._svc

        def work() -> Any:
            from pos_app.services.backoffice import branch_flags

            return branch_flags(svc)

        self._submit(work, self.show_flags, self._refused)

    def show_flags(self, state: Any) -> None:
        p = self.presenter
        p.show(state)
        self.summary.setText(p.summary())
        _fill_table(self.table, p.headers(), p.rows(), numbers=(),
                    faded=[f.acknowledged_by is not None for f in p.flags])
        if p.chosen is not None:
            self.table.setCurrentCell(p.chosen, 0)
        self.acknowledge_button.setEnabled(p.can_acknowledge())
        self.flags_shown.emit(state)

    def _chosen(self, row: int) -> None:
        self.presenter.choose(row)
        self.acknowledge_button.setEnabled(self.presenter.can_acknowledge())

    def acknowledge(self) -> None:
        key = self.presenter.chosen_key
        if key is None or not self.presenter.can_acknowledge():
            return
        svc, staff = self._svc, self._staff

        def work() -> Any:
            from pos_app.services.backoffice import acknowledge_flag

            return acknowledge_flag(svc, key, staff)

        def done(state: Any) -> None:
            self.show_flags(state)
            self.message.setText(_("Acknowledged. Head office still resolves it."))
            self.acknowledged.emit(key)

        self._submit(work, done, self._refused)

    def _refused(self, error: ServiceError) -> None:
        self.message.setText(error.message)
        self.refused.emit(error.message)


class ApprovalsPage(_Page):
    """What managers approved at this counter, and approvals refused, over the reports page's days."""

    approvals_shown = Signal(object)  # the ApprovalLine list drawn

    def __init__(self, services: Any, staff: Any, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(services, staff, submit, parent)
        self.setObjectName("approvalsPage")
        self.presenter = ApprovalsPresenter()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.title = wrapped_label("approvalsTitle")
        self.table = _table("approvalsTable")
        self.message = wrapped_label("approvalsMessage", note=True)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

    def reload(self, date_from: str, date_to: str) -> None:
        svc, staff = self._svc, self._staff

        def work() -> Any:
            from pos_app.services.backoffice import approvals_log

            svc.require(staff, "manager")
            return approvals_log(svc, date_from, date_to)

        def done(lines: list[Any]) -> None:
            p = self.presenter
            p.show(date_from, date_to, lines)
            self.title.setText(p.title())
            self.message.clear()
            _fill_table(self.table, p.headers(), p.rows(), numbers=(5, 6), faded=p.refused_rows())
            self.approvals_shown.emit(lines)

        def failed(error: ServiceError) -> None:
            self.message.setText(error.message)
            self.refused.emit(error.message)

        self._submit(work, done, failed)


class BackOfficeDialog(KioskDialog):
    """The manager's back office: Reports, Flags, Approvals log (tabs)."""

    def __init__(self, services: Any, staff: Any, submit: Submit, data_dir: Path, today: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backOfficeDialog")
        self.setWindowTitle(_("Back office"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("backOfficeTabs")
        self.reports = ReportsPage(services, staff, submit, data_dir, today)
        self.tabs.addTab(self.reports, _("Reports"))
        self.flags = FlagsPage(services, staff, submit)
        self.flags_tab = self.tabs.addTab(self.flags, _("Flags"))
        self.approvals = ApprovalsPage(services, staff, submit)
        self.tabs.addTab(self.approvals, _("Approvals log"))
        self.flags.flags_shown.connect(self._count_flags)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.close_button = QPushButton(_("Close"))
        self.close_button.setObjectName("backOfficeClose")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.accept)
        self.tabs.setCornerWidget(self.close_button, Qt.Corner.TopRightCorner)
        layout.addWidget(self.tabs, 1)

    def _count_flags(self, _state: Any) -> None:
        waiting = self.flags.presenter.waiting()
        self.tabs.setTabText(self.flags_tab, _("Flags ({n})").format(n=waiting) if waiting else _("Flags"))

    def _tab_shown(self, index: int) -> None:
        page = self.tabs.widget(index)
        if page is self.approvals:
            date_from, date_to, _by = self.reports.presenter.request()
            self.approvals.reload(date_from, date_to)
        elif page is self.flags:
            self.flags.reload()

    def reject(self) -> None:
        """Esc: back from the drill-down to the report first, then closes."""
        if self.tabs.currentIndex() == self.tabs.indexOf(self.reports) and self.reports.stack.currentIndex() == 1:
            self.reports.back()
            return
        super().reject()

    def done(self, result: int) -> None:
        for page in self.pages():
            page.closed = True  # results still on the worker's way are dropped, not drawn on deleted widgets
        super().done(result)

    def pages(self) -> list[Any]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # Enter belongs to the page (Show), not to closing the dialog
        super().keyPressEvent(event)

    def refit(self) -> None:
        """As large as the counter window and over it: a back office is read on the whole screen."""
        owner = self.parentWidget()
        if owner is None:
            super().refit()
            return
        window = owner.window()
        self.setFixedSize(window.size())
        self.move(window.mapToGlobal(window.rect().topLeft()))


__all__ = ["BackOfficeDialog", "BarChart", "ReportsPage"]
