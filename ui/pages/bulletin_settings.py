"""设置 → 通报: the bulletin's names, 文号, score format and wording, the same `bulletin.*` keys as `config`.

The page edits a copy; 保存 sends the changed values to models.bulletin_settings on the worker, which checks every
one before storing any (a refused value names its key and the placeholders it may use).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.bulletin_settings import COMMON, PLACEHOLDERS, SCORE_FORMATS, Item
from ui.widgets import REFUSED_COLOR, combo_value

FORMAT_KEY = "bulletin.score_format"
TABLE_HEADERS = ("项目", "内容", "另可用的占位符")


def save_bulletin_settings(db, values: dict[str, str]) -> int:
    """Worker job: store the page's changed values together (all checked first)."""
    from models.bulletin_settings import set_setting_values

    return len(set_setting_values(db, values))


def _placeholders(item: Item) -> str:
    """The placeholders of this template beyond the ones every template may use."""
    return "、".join(f"{{{p}}}" for p in item.key.placeholders if p not in COMMON)


class BulletinSettingsTab(QWidget):
    """The 通报 tab: the score format, then one table row per name, 文号, template and channel wording."""

    save_requested = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: dict[str, Item] = {}
        self.score_format = QComboBox()
        for value, text in SCORE_FORMATS.items():
            self.score_format.addItem(f"{value}：{text}", value)
        self.form = QFormLayout()
        self.form.addRow(self.tr("得分格式"), self.score_format)
        self.table = QTableWidget(0, len(TABLE_HEADERS))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in TABLE_HEADERS])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.reset = QPushButton(self.tr("所选项恢复默认"))
        self.save = QPushButton(self.tr("保存"))
        self.save.setObjectName("primary")
        common = "".join(f"{{{p}}}" for p in COMMON)
        self.status = QLabel(
            self.tr(
                "通报（文本与 Word）按这些设置生成。模板中的 {{名称}} 由程序填入：每个模板都可用 {0}，"
                "另可用的见右列；鼠标停在一行上可看默认值与占位符的含义。"
            ).format(common)
        )
        self.status.setWordWrap(True)
        self.reset.clicked.connect(self.reset_selected)
        self.save.clicked.connect(lambda: self.save_requested.emit(self.changed_values()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset)
        buttons.addStretch(1)
        buttons.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(self.form)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_items(self, items: list[Item]) -> None:
        self.items = {item.key.key: item for item in items}
        fmt = self.items[FORMAT_KEY]
        self.score_format.setCurrentIndex(max(0, self.score_format.findData(fmt.value)))
        self.score_format.setToolTip(self._tooltip(fmt))
        rows = [item for key, item in self.items.items() if key != FORMAT_KEY]
        self.table.setRowCount(len(rows))
        for r, item in enumerate(rows):
            label = QTableWidgetItem(item.key.label)
            label.setData(Qt.ItemDataRole.UserRole, item.key.key)
            placeholders = QTableWidgetItem(_placeholders(item))
            for fixed in (label, placeholders):
                fixed.setFlags(fixed.flags() & ~Qt.ItemFlag.ItemIsEditable)
            value = QTableWidgetItem(item.value)
            for cell in (label, value, placeholders):
                cell.setToolTip(self._tooltip(item))
            self.table.setItem(r, 0, label)
            self.table.setItem(r, 1, value)
            self.table.setItem(r, 2, placeholders)
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(1, self.table.fontMetrics().horizontalAdvance("中" * 36))
        self.table.horizontalHeader().setStretchLastSection(True)

    def _tooltip(self, item: Item) -> str:
        lines = [item.key.key, self.tr("默认：{0}").format(item.default or self.tr("（空）"))]
        if item.key.placeholders:
            lines.append("；".join(f"{{{p}}} {PLACEHOLDERS[p]}" for p in item.key.placeholders))
        return "\n".join(lines)

    def values(self) -> dict[str, str]:
        """Every key with the value the page shows now."""
        out = {FORMAT_KEY: combo_value(self.score_format)}
        for r in range(self.table.rowCount()):
            key = self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)
            out[key] = self.table.item(r, 1).text()
        return out

    def changed_values(self) -> dict[str, str]:
        """The values that differ from what was loaded (only those are checked and stored)."""
        return {key: value for key, value in self.values().items() if value != self.items[key].value}

    def reset_selected(self) -> None:
        """Put the defaults into the selected rows; 保存 stores them."""
        for r in sorted({index.row() for index in self.table.selectedIndexes()}):
            key = self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)
            self.table.item(r, 1).setText(self.items[key].default)

    def saved(self, count: int) -> None:
        self.status.setStyleSheet("")
        self.status.setText(self.tr("已保存（{0} 项）。").format(count) if count else self.tr("没有修改。"))

    def refused(self, text: str) -> None:
        self.status.setText(self.tr("未保存：{0}").format(text))
        self.status.setStyleSheet(f"color: {REFUSED_COLOR}")
