"""A lazy table model over the case store: it never holds the whole result in memory.

Two modes. A filter query is read forward by keyset pages (`canFetchMore`/`fetchMore`, 200 rows per read,
each read a short index range scan, even at a million rows). An explicit list of case numbers
(a drill-down from a figure) knows its length up front and reads the 200-row block a visible row falls in.
Reads go through the UI thread's read-only connection (models.store.connect(readonly=True)).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from models import browse
from models.labels import FIELD_LABELS

PAGE = 200


class CaseTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.db = None
        self.query: browse.CaseQuery | None = None
        self._rows: list[tuple] = []
        self._done = True
        self._numbers: list[str] | None = None
        self._blocks: dict[int, dict[str, tuple]] = {}
        self.on_read: Callable[[float], None] | None = None  # told each read's milliseconds (the UI bench)

    # ------------------------------------------------------------ setup
    def set_query(self, db, query: browse.CaseQuery) -> None:
        self.beginResetModel()
        self.db, self.query = db, query
        self._rows, self._blocks = [], {}
        self._numbers = list(query.numbers) if query.numbers is not None else None
        self._done = self._numbers is not None
        self.endResetModel()
        if self._numbers is None:
            self.fetchMore(QModelIndex())

    def case_no(self, row: int) -> str | None:
        if self._numbers is not None:
            return self._numbers[row] if 0 <= row < len(self._numbers) else None
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    # ------------------------------------------------------------ Qt model API
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid():
            return 0
        return len(self._numbers) if self._numbers is not None else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(browse.LIST_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return FIELD_LABELS.get(browse.LIST_COLUMNS[section], browse.LIST_COLUMNS[section])
            return str(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        value = row[index.column()]
        if value is None:
            return ""
        text = str(value)
        if role == Qt.ItemDataRole.DisplayRole and len(text) > 60:
            return text[:60] + "…"
        return text

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        return not parent.isValid() and not self._done and self.db is not None

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        if parent.isValid() or self._done or self.db is None or self.query is None:
            return
        after = self._rows[-1] if self._rows else None
        started = time.perf_counter()
        page = browse.fetch_page(self.db, self.query, after, PAGE)
        self._note(started)
        if len(page) < PAGE:
            self._done = True
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    # ------------------------------------------------------------ internals
    def _row(self, row: int) -> tuple | None:
        if self._numbers is None:
            return self._rows[row] if row < len(self._rows) else None
        block = row // PAGE
        if block not in self._blocks:
            if len(self._blocks) > 50:  # keep memory flat while scrolling a long drill-down
                self._blocks.clear()
            numbers = self._numbers[block * PAGE : (block + 1) * PAGE]
            started = time.perf_counter()
            rows = browse.fetch_numbers(self.db, numbers) if self.db is not None else []
            self._note(started)
            self._blocks[block] = {r[0]: r for r in rows}
        number = self._numbers[row]
        found = self._blocks[block].get(number)
        return found if found is not None else (number,) + ("",) * (len(browse.LIST_COLUMNS) - 1)

    def _note(self, started: float) -> None:
        if self.on_read is not None:
            self.on_read((time.perf_counter() - started) * 1000)
