"""Meeting mode's shared building blocks: a table in projector type (score tables, the ledgers' slides), and
rows spread over as few slides as hold them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ui.fonts import app_font


def slide_table(headers: list[str], rows: list[list[str]], scale: float, stretch: int = 0) -> QTableWidget:
    """A read-only table in projector type (column `stretch` takes the spare width)."""
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setFont(app_font(scale * 1.05))
    table.horizontalHeader().setFont(app_font(scale * 0.8))
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(int(app_font(scale * 1.05).pointSizeF() * 2.3))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def spread(rows: list, size: int) -> list[list]:
    """Rows spread evenly over as few slides as hold them."""
    count = max(1, -(-len(rows) // size))
    per = max(1, -(-len(rows) // count))
    return [rows[i : i + per] for i in range(0, len(rows), per)] or [[]]


def numbered(title: str, number: int, total: int) -> str:
    return f"{title}（{number}/{total}）" if total > 1 else title
