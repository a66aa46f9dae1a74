"""Read-only tables of figures: built and filled one way on the ledger pages and in meeting mode.

A count that can be traced carries what to look up behind it (any value) in DRILL_ROLE; such cells are
drawn as links, and `drilled` tells the page which one was clicked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

DRILL_ROLE = Qt.ItemDataRole.UserRole + 7
LINK_COLOR = QColor("#1d4f8a")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


def figure_table(headers: Sequence[str], *, stretch: int | None = None) -> QTableWidget:
    """An empty read-only table with these headers; `stretch` is the column that takes the spare width."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)  # compact: many rows on a laptop
    if stretch is not None:
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def shown(value: object) -> str:
    return "" if value is None else str(value)


def fill_table(
    table: QTableWidget,
    rows: Sequence[Sequence[object]],
    *,
    drill: Sequence[Sequence[object]] | None = None,
    text_columns: Sequence[int] = (0,),
    tooltips: Sequence[Sequence[str | None]] | None = None,
) -> None:
    """Replace the table's rows. Numbers are right-aligned, `text_columns` left; a cell whose `drill` entry is
    not None keeps it in DRILL_ROLE and reads as a link (a count of zero is not one: nothing is behind it)."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(shown(value))
            if c not in text_columns:
                item.setTextAlignment(RIGHT if isinstance(value, int | float) else CENTER)
            target = drill[r][c] if drill is not None and c < len(drill[r]) else None
            if target is not None and value not in (0, None, ""):
                item.setData(DRILL_ROLE, target)
                item.setForeground(QBrush(LINK_COLOR))
                font = item.font()
                font.setUnderline(True)
                item.setFont(font)
            tip = tooltips[r][c] if tooltips is not None and c < len(tooltips[r]) else None
            if tip is None and c in text_columns and len(item.text()) > 8:
                tip = item.text()  # the whole text of a cell a narrow column may cut
            if tip:
                item.setToolTip(tip)
            table.setItem(r, c, item)


def on_drill(table: QTableWidget, handler: Callable[[object, QTableWidgetItem], None]) -> None:
    """Call handler(target, item) when a linked count is clicked or activated with the keyboard."""

    def clicked(row: int, column: int) -> None:
        item = table.item(row, column)
        if item is not None and item.data(DRILL_ROLE) is not None:
            handler(item.data(DRILL_ROLE), item)

    table.cellClicked.connect(clicked)
    table.cellActivated.connect(clicked)


def fit_columns(table: QTableWidget, *, maximum: int = 180) -> None:
    """Columns as wide as their contents, none wider than `maximum` pixels (a long name is cut, its tooltip
    holds it whole), so a table of many columns still fits a 1366-pixel laptop screen."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch and header.sectionSize(column) > maximum:
            header.resizeSection(column, maximum)


def fit_height(table: QTableWidget, *, min_rows: int = 0, max_rows: int | None = None) -> None:
    """Hold the table as tall as its rows (at least min_rows, at most max_rows), so a short table leaves no
    blank band and a long one scrolls."""
    rows = max(min_rows, table.rowCount() if max_rows is None else min(table.rowCount(), max_rows))
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    height += rows * table.verticalHeader().defaultSectionSize()
    if table.horizontalScrollBar().isVisible():
        height += table.horizontalScrollBar().height()
    table.setFixedHeight(height)
