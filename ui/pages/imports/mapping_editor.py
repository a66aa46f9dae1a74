"""The import page's column-mapping editor: one row per field, a combo of the shown file's headers in each."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from models.labels import FIELD_LABELS
from ui.widgets import CellCombo, combo_value

NOT_MAPPED = "（不导入）"
# The fields a city-case export's columns can be mapped to, in the table's order (the other streams' fields
# come with their preview: importers.report.Preview.labels).
MAPPED_FIELDS = tuple(FIELD_LABELS)[: tuple(FIELD_LABELS).index("rework_count") + 1]
CASE_FIELDS = {field: FIELD_LABELS[field] for field in MAPPED_FIELDS}


class MappingEditor(QTableWidget):
    """Columns 字段 / 对应表头 / 必需. `corrected(field, header)` when the user picks another header ("" = none).

    The rows are built once per stream and hidden until a file's mapping fills them: a stream's fields never
    change, only the headers a file offers, and building two dozen cell combos per preview would stall the UI
    thread."""

    corrected = Signal(str, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels([self.tr("字段"), self.tr("对应表头"), self.tr("必需")])
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._combos: dict[str, CellCombo] = {}  # field → its combo (built once per stream)
        self._fields: dict[str, str] = {}  # the fields the rows stand for → their labels
        self._options: QStandardItemModel | None = None  # the shown file's headers, shared by the combos

    def build_rows(self, fields: dict[str, str] | None = None) -> dict[str, CellCombo]:
        """The rows, one per field (field → label; default the city-case fields), hidden; built again only
        when the fields change (another stream)."""
        fields = fields or CASE_FIELDS
        if self._combos and fields == self._fields:
            return self._combos
        self.setRowCount(0)
        self._combos = {}
        self._fields = dict(fields)
        self.setRowCount(len(fields))
        for r, (field, text) in enumerate(fields.items()):
            label = QTableWidgetItem(text)  # the office's word, never the field's code
            label.setFlags(label.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.setItem(r, 0, label)
            combo = CellCombo()
            combo.currentIndexChanged.connect(lambda _i, f=field, c=combo: self.corrected.emit(f, combo_value(c)))
            self.setCellWidget(r, 1, combo)
            self.setItem(r, 2, QTableWidgetItem(""))
            self.setRowHidden(r, True)
            self._combos[field] = combo
        return self._combos

    def show_mapping(
        self, headers: list[str], mapping: dict[str, str], required: list[str], fields: dict[str, str] | None = None
    ) -> None:
        """Point every field's combo (fields: field → label, default the city-case fields) at one shared list
        of the file's headers and select its mapping."""
        combos = self.build_rows(fields)
        options = QStandardItemModel(self)
        for text, data in [(self.tr(NOT_MAPPED), ""), *((h, h) for h in headers)]:
            item = QStandardItem(text)
            item.setData(data, Qt.ItemDataRole.UserRole)
            options.appendRow(item)
        for r, (field, combo) in enumerate(combos.items()):
            combo.blockSignals(True)  # selecting the stored mapping is not a correction
            combo.setModel(options)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(field, ""))))
            combo.blockSignals(False)
            self.item(r, 2).setText(self.tr("必需") if field in required else "")
            self.setRowHidden(r, False)
        self.resizeColumnToContents(0)  # only shown rows count: not when the rows are built hidden
        if self._options is not None:
            self._options.deleteLater()
        self._options = options

    def hide_rows(self) -> None:
        for r in range(self.rowCount()):
            self.setRowHidden(r, True)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._combos:  # built now, before a file is dropped, not when its preview arrives
            QTimer.singleShot(0, self, self.build_rows)
