"""The import page's history panel: every import attempt, and the rejected rows of the one selected."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from exporters.file_names import export_file_name
from exporters.rejected_rows import write_rejected_rows
from models import browse
from ui import dialogs
from ui.pages.base import AppContext
from ui.streams import stream_text
from ui.widgets import REFUSED_COLOR
from ui.worker import error_dialog

OUTCOME_TEXT = {"ok": "成功", "refused": "拒收", "duplicate": "重复", "cancelled": "已取消"}
SHOWN_REJECTED = 5000  # rows the table lists; the CSV export has them all


class HistoryPanel(QSplitter):
    """[导入记录 | 被拒的行]: selecting an import lists its rejected rows, which 导出被拒行… writes to CSV."""

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.rejected_import: int | None = None  # the import whose rejected rows are listed
        self.table = QTableWidget(0, 10)
        self.table.setHorizontalHeaderLabels(
            [self.tr(h) for h in ("编号", "文件", "类型", "时间", "结果", "读取", "新增", "更新", "被拒", "SHA-256")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemSelectionChanged.connect(self._import_selected)
        self.rejected = QTableWidget(0, 3)
        self.rejected.setHorizontalHeaderLabels([self.tr("行号"), self.tr("列"), self.tr("原因")])
        self.rejected.verticalHeader().setVisible(False)
        self.rejected.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.rejected.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.export_rejected = QPushButton(self.tr("导出被拒行…"))
        self.export_rejected.clicked.connect(self._export_rejected)
        history_box = QGroupBox(self.tr("导入记录"))
        QVBoxLayout(history_box).addWidget(self.table)
        rejected_box = QGroupBox(self.tr("被拒的行"))
        rl = QVBoxLayout(rejected_box)
        rl.addWidget(self.rejected)
        rl.addWidget(self.export_rejected)
        self.addWidget(history_box)
        self.addWidget(rejected_box)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)

    def reload(self) -> None:
        self.ctx.run(browse.import_history, on_done=self.show_history, on_error=lambda e: error_dialog(self, e))

    def show_history(self, rows: list[dict]) -> None:
        table = self.table
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [
                row["id"],
                row["file_name"],
                stream_text(row["stream"], row["params"]),
                row["started_at"],
                self.tr(OUTCOME_TEXT.get(row["outcome"], row["outcome"] or "")),
                row["rows_read"],
                row["inserted"],
                row["updated"],
                row["rejected"],
                (row["sha256"] or "")[:16],
            ]
            for c, value in enumerate(cells):
                item = QTableWidgetItem("" if value is None else str(value))
                if c == 9:
                    item.setToolTip(row["sha256"] or "")
                if c == 1 and row.get("message"):
                    item.setToolTip(row["message"])
                if c == 4 and row["outcome"] == "refused":
                    item.setForeground(QBrush(QColor(REFUSED_COLOR)))
                table.setItem(r, c, item)
        table.resizeColumnsToContents()

    def _import_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.ctx.ro_db is None:
            return
        import_id = int(self.table.item(rows[0].row(), 0).text())
        found = browse.rejected_rows(self.ctx.ro_db, import_id)
        self.rejected.setRowCount(len(found))
        for r, row in enumerate(found[:SHOWN_REJECTED]):
            for c, value in enumerate((row["row_no"], row["column"], row["reason"])):
                self.rejected.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.rejected.resizeColumnToContents(0)
        self.rejected_import = import_id

    def _export_rejected(self) -> None:
        import_id = self.rejected_import
        if import_id is None:
            dialogs.info(self, self.tr("请先在导入记录中选择一次导入"))
            return
        name = export_file_name("rejected", None, f"导入{import_id}", suffix=".csv")
        path = dialogs.save_file(self, self.tr("导出被拒行"), name, "CSV (*.csv)")
        if path is not None:
            self.ctx.run(
                write_rejected_rows,
                import_id,
                path,
                on_done=lambda n: self.ctx.status.emit(self.tr("已导出 {0} 行被拒记录：{1}").format(n, path)),
                on_error=lambda e: error_dialog(self, e),
            )
