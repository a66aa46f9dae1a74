"""The case detail dialog: every stored field, the original exported row, and the case's history."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import browse
from models.labels import DEADLINE_SOURCE_LABELS, DISPOSED_SOURCE_LABELS, FIELD_LABELS


def shown_value(field: str, value, empty: str = "") -> str:
    """A stored value as the office reads it: 是/否 for 已作废, 导出文件 / 按处置时限计算 / 按结案时间推定 for the
    store's codes, `empty` for no value."""
    if value is None or value == "":
        return empty
    if field == "cancelled":
        return "是" if value in (1, True, "1") else "否"
    if field == "deadline_source":
        return DEADLINE_SOURCE_LABELS.get(str(value), str(value))
    if field == "disposed_source":  # 按结案时间推定: the export gave no 处置时间 (domain.md §4)
        return DISPOSED_SOURCE_LABELS.get(str(value), str(value))
    return str(value)


def _table(headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if text is None else str(text)))
    table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    table.resizeColumnsToContents()
    return table


class CaseDetailDialog(QDialog):
    """Reads through the read-only connection: two primary-key lookups, a few milliseconds."""

    def __init__(self, db, case_no: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("案件详情 {0}").format(case_no))
        self.resize(760, 640)
        record = browse.case_record(db, case_no) or {"case_no": case_no}
        history = browse.case_history(db, case_no)
        fields = [[FIELD_LABELS.get(k, k), shown_value(k, record.get(k))] for k in list(FIELD_LABELS) if k in record]
        fields.append([self.tr("来源文件"), f"{record.get('import_file') or ''}（第 {record.get('row_no', '')} 行）"])
        raw = record.get("raw") if isinstance(record.get("raw"), dict) else {}
        self.fields = _table([self.tr("字段"), self.tr("值")], fields)
        self.raw = _table([self.tr("原始表头"), self.tr("原始内容")], [[k, v] for k, v in raw.items()])
        hist_rows = []
        for entry in history:
            old = entry["old"]
            # the case's own fields only (not the store's import_id / row_no bookkeeping)
            changed = {k: v for k, v in old.items() if k in FIELD_LABELS and record.get(k) != v}
            hist_rows.append(
                [
                    entry["replaced_at"],
                    entry.get("file_name") or str(entry["import_id"]),
                    "；".join(f"{FIELD_LABELS[k]}：{shown_value(k, v, self.tr('（空）'))}" for k, v in changed.items())
                    or self.tr("（字段未变，仅原始行不同）"),
                ]
            )
        self.history = _table([self.tr("被替换时间"), self.tr("由导入"), self.tr("此前的值")], hist_rows)
        tabs = QTabWidget()
        tabs.addTab(self.fields, self.tr("全部字段"))
        tabs.addTab(self.raw, self.tr("原始行"))
        tabs.addTab(self.history, self.tr("历史（{0}）").format(len(history)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)
