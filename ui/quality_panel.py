"""The data-quality panel: every warning of the period (models.quality.period_warnings, carried by the stats
document) with its count; a click lists the cases behind it on 案件查询.

Why one panel: an inferred 处置时间, a missing column, a unit not in the registry, cases without a deadline
are each a reason to read a figure with care; listed together beside the figures, none goes unseen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

# warning level → (the word shown, its colour)
LEVELS = {
    "inferred": ("推定", "#2f6fb3"),
    "unavailable": ("无法计算", "#b8463e"),
    "check": ("请核查", "#a0661a"),
}
VISIBLE_ROWS = 5  # rows shown before the list scrolls


class QualityPanel(QGroupBox):
    """Hidden while the period has no warning. `open_cases(warning)` when a row with cases is clicked."""

    open_cases = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.warnings: list[dict] = []
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("类别"), self.tr("说明"), self.tr("件数")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)  # one line a warning (the whole sentence in its tip): rows of one height
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.cellClicked.connect(self._clicked)
        self.hint = QLabel(self.tr("点击一行查看涉及的案件。"))
        self.hint.setObjectName("note")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.hint)
        self.setVisible(False)

    def show_warnings(self, warnings: list[dict]) -> None:
        self.warnings = [w for w in warnings if w.get("code") != "no_data"]  # an empty period says so itself
        self.setTitle(self.tr("数据质量提示（{0} 条）").format(len(self.warnings)))
        self.table.setRowCount(len(self.warnings))
        for r, warning in enumerate(self.warnings):
            word, color = LEVELS.get(warning.get("level", ""), (warning.get("level", ""), "#333333"))
            level = QTableWidgetItem(self.tr(word))
            level.setForeground(QBrush(QColor(color)))
            text = QTableWidgetItem(warning.get("text", ""))
            count = QTableWidgetItem(f"{int(warning.get('count') or 0):,}")
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for c, item in enumerate((level, text, count)):
                if self.has_cases(warning):
                    item.setToolTip(warning.get("text", "") + self.tr("（点击查看这些案件）"))
                self.table.setItem(r, c, item)
        shown = self.table.verticalHeader().defaultSectionSize() * min(len(self.warnings), VISIBLE_ROWS)
        self.table.setFixedHeight(shown + self.table.horizontalHeader().height() + 2 * self.table.frameWidth())
        self.setVisible(bool(self.warnings))

    @staticmethod
    def has_cases(warning: dict) -> bool:
        return bool(warning.get("count")) and bool(
            warning.get("figure") or warning.get("cases") or warning.get("code") == "missing_column"
        )

    def _clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.warnings) and self.has_cases(self.warnings[row]):
            self.open_cases.emit(self.warnings[row])
