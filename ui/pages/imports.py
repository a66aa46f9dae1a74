"""数据导入: drop or pick files, preview with the detected column mapping (correctable per column),
a validation summary, the import on the worker with progress and cancel, the history and rejected rows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDropEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import browse
from models.records import FIELD_LABELS
from ui import dialogs
from ui.pages.base import AppContext, Page
from ui.widgets import CellCombo, combo_value

FILE_FILTER = "案件导出 (*.xlsx *.xls *.ods *.csv *.txt *.htm *.html);;所有文件 (*)"
NOT_MAPPED = "（不导入）"
# The fields a file's columns can be mapped to, in the mapping table's order.
MAPPED_FIELDS = tuple(FIELD_LABELS)[: tuple(FIELD_LABELS).index("rework_count") + 1]


def preview_job(db, path: Path):
    from importers.pipeline import preview_file

    return preview_file(db, path)


def import_job(db, items: list[tuple[Path, dict | None]], *, progress=None, cancel=None) -> list:
    """Import the files one by one (each in its own transaction); stop after a cancelled one."""
    from importers.pipeline import import_file

    reports = []
    for number, (path, mapping) in enumerate(items, start=1):

        def file_progress(done, total=None, message="", _n=number, _name=path.name):
            if progress is not None:
                progress(done, total, f"[{_n}/{len(items)}] {_name} {message}".strip())

        report = import_file(db, path, progress=file_progress, cancel=cancel, mapping=mapping)
        reports.append(report)
        if report.cancelled or (cancel is not None and cancel()):
            break
    if any(r.inserted or r.updated for r in reports):
        # fold the write-ahead log back into the file: the UI thread's read-only pages stay short reads
        db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    return reports


def history_job(db) -> list[dict]:
    return browse.import_history(db)


def export_rejected_job(db, import_id: int, path: Path) -> int:
    from exporters.rejected_rows import write_rejected_rows

    return write_rejected_rows(db, import_id, path)


class DropZone(QFrame):
    """Accepts files dragged from the Explorer."""

    dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumHeight(70)
        label = QLabel(self.tr("把平台导出的案件文件拖到这里（xlsx / xls / ods / csv / html），或"))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pick = QPushButton(self.tr("选择文件…"))
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(label)
        layout.addWidget(self.pick)
        layout.addStretch(1)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.dropped.emit(paths)
            event.acceptProposedAction()


class ImportsPage(Page):
    title = "数据导入"
    imported = Signal(list)  # the reports of a finished (or cancelled) run

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        self.title = self.tr("数据导入")
        self.files: list[Path] = []
        self.previews: dict[Path, object] = {}
        self.mappings: dict[Path, dict[str, str]] = {}
        self.job = None
        self.reports: list = []
        self.history: list[dict] = []
        self._combos: dict[str, CellCombo] = {}  # field → its combo in the mapping table (built once)
        self._options: QStandardItemModel | None = None  # the shown file's headers, shared by those combos
        self._shown: Path | None = None  # the file whose mapping the table shows

        self.drop = DropZone()
        self.drop.pick.clicked.connect(self._pick)
        self.drop.dropped.connect(self.add_files)
        self.file_list = QListWidget()
        self.file_list.setMaximumWidth(300)
        self.file_list.currentRowChanged.connect(self._file_selected)
        self.remove = QPushButton(self.tr("移除"))
        self.remove.clicked.connect(self._remove_selected)
        self.info = QLabel(self.tr("尚未选择文件"))
        self.info.setWordWrap(True)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping = QTableWidget(0, 3)
        self.mapping.setHorizontalHeaderLabels([self.tr("字段"), self.tr("对应表头"), self.tr("必需")])
        self.mapping.verticalHeader().setVisible(False)
        self.mapping.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.validation = QLabel("")
        self.validation.setWordWrap(True)
        self.validation.setObjectName("validation")
        self.start = QPushButton(self.tr("开始导入"))
        self.start.setObjectName("primary")
        self.start.setEnabled(False)
        self.cancel = QPushButton(self.tr("取消导入"))
        self.cancel.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress_text = QLabel("")
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setMaximumHeight(110)
        self.start.clicked.connect(self.start_import)
        self.cancel.clicked.connect(self.cancel_import)

        self.history_table = QTableWidget(0, 9)
        self.history_table.setHorizontalHeaderLabels(
            [self.tr(h) for h in ("编号", "文件", "时间", "结果", "读取", "新增", "更新", "被拒", "SHA-256")]
        )
        self.history_table.verticalHeader().setVisible(False)
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_table.itemSelectionChanged.connect(self._history_selected)
        self.rejected = QTableWidget(0, 3)
        self.rejected.setHorizontalHeaderLabels([self.tr("行号"), self.tr("列"), self.tr("原因")])
        self.rejected.verticalHeader().setVisible(False)
        self.rejected.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.rejected.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.export_rejected = QPushButton(self.tr("导出被拒行…"))
        self.export_rejected.clicked.connect(self._export_rejected)

        # layout: drop zone; [file list | preview+mapping]; actions; [history | rejected]
        files_box = QWidget()
        fl = QVBoxLayout(files_box)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(QLabel(self.tr("待导入文件")))
        fl.addWidget(self.file_list, 1)
        fl.addWidget(self.remove)
        preview_tabs = QTabWidget()
        preview_tabs.addTab(self.mapping, self.tr("列映射（可逐列更正）"))
        preview_tabs.addTab(self.preview, self.tr("前几行预览"))
        self.preview_tabs = preview_tabs
        preview_box = QWidget()
        pl = QVBoxLayout(preview_box)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.info)
        pl.addWidget(preview_tabs, 1)
        pl.addWidget(self.validation)
        upper = QSplitter()
        upper.addWidget(files_box)
        upper.addWidget(preview_box)
        upper.setStretchFactor(1, 3)
        actions = QHBoxLayout()
        actions.addWidget(self.start)
        actions.addWidget(self.cancel)
        actions.addWidget(self.progress, 1)
        hist_box = QGroupBox(self.tr("导入记录"))
        hl = QVBoxLayout(hist_box)
        hl.addWidget(self.history_table)
        rej_box = QGroupBox(self.tr("被拒的行"))
        rl = QVBoxLayout(rej_box)
        rl.addWidget(self.rejected)
        rl.addWidget(self.export_rejected)
        lower = QSplitter()
        lower.addWidget(hist_box)
        lower.addWidget(rej_box)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        main = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(upper, 1)
        tl.addLayout(actions)
        tl.addWidget(self.progress_text)
        tl.addWidget(self.report)
        main.addWidget(top)
        main.addWidget(lower)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.drop)
        layout.addWidget(main, 1)

    # ------------------------------------------------------------ refresh
    def refresh(self) -> None:
        # the import page does not depend on the period: only the history is reloaded
        if not self.ctx.tasks.is_ready:
            return
        self._stale = False
        self.ctx.run(history_job, on_done=self.show_history, on_error=self.fail)

    def show_history(self, rows: list[dict]) -> None:
        self.history = rows
        outcome_text = {"ok": "成功", "refused": "拒收", "duplicate": "重复", "cancelled": "已取消"}
        table = self.history_table
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [
                row["id"],
                row["file_name"],
                row["started_at"],
                self.tr(outcome_text.get(row["outcome"], row["outcome"] or "")),
                row["rows_read"],
                row["inserted"],
                row["updated"],
                row["rejected"],
                (row["sha256"] or "")[:16],
            ]
            for c, value in enumerate(cells):
                item = QTableWidgetItem("" if value is None else str(value))
                if c == 8:
                    item.setToolTip(row["sha256"] or "")
                if c == 1 and row.get("message"):
                    item.setToolTip(row["message"])
                if c == 3 and row["outcome"] == "refused":
                    item.setForeground(QBrush(QColor("#b8463e")))
                table.setItem(r, c, item)
        table.resizeColumnsToContents()

    def _history_selected(self) -> None:
        rows = self.history_table.selectionModel().selectedRows()
        if not rows or self.ctx.ro_db is None:
            return
        import_id = int(self.history_table.item(rows[0].row(), 0).text())
        found = browse.rejected_rows(self.ctx.ro_db, import_id)
        self.rejected.setRowCount(len(found))
        for r, row in enumerate(found[:5000]):
            for c, value in enumerate((row["row_no"], row["column"], row["reason"])):
                self.rejected.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.rejected.resizeColumnToContents(0)
        self._rejected_import = import_id

    def _export_rejected(self) -> None:
        import_id = getattr(self, "_rejected_import", None)
        if import_id is None:
            dialogs.info(self, self.tr("请先在导入记录中选择一次导入"))
            return
        path = dialogs.save_file(self, self.tr("导出被拒行"), f"被拒行-{import_id}.csv", "CSV (*.csv)")
        if path is not None:
            self.ctx.run(
                export_rejected_job,
                import_id,
                path,
                on_done=lambda n: self.ctx.status.emit(self.tr("已导出 {0} 行被拒记录：{1}").format(n, path)),
                on_error=self.fail,
            )

    # ------------------------------------------------------------ files and preview
    def _pick(self) -> None:
        self.add_files(dialogs.open_files(self, self.tr("选择案件文件"), self.tr(FILE_FILTER)))

    def add_files(self, paths: list[Path]) -> None:
        for path in paths:
            path = Path(path)
            if path in self.files:
                continue
            self.files.append(path)
            item = QListWidgetItem(path.name)
            item.setToolTip(str(path))
            self.file_list.addItem(item)
            self.ctx.run(
                preview_job,
                path,
                on_done=lambda p, path=path: self._preview_ready(path, p),
                on_error=lambda exc, path=path: self._preview_failed(path, exc),
            )
        if self.file_list.currentRow() < 0 and self.files:
            self.file_list.setCurrentRow(0)
        self._update_buttons()

    def _remove_selected(self) -> None:
        row = self.file_list.currentRow()
        if row < 0 or self.job is not None:
            return
        path = self.files.pop(row)
        self.previews.pop(path, None)
        self.mappings.pop(path, None)
        self.file_list.takeItem(row)
        self._update_buttons()

    def _preview_ready(self, path: Path, preview) -> None:
        if path not in self.files:
            return
        self.previews[path] = preview
        self.mappings[path] = dict(getattr(preview, "mapping", {}) or {})
        item = self.file_list.item(self.files.index(path))
        missing = list(getattr(preview, "missing_required", []) or [])
        item.setForeground(QBrush(QColor("#b8463e" if missing else "#2f6f3e")))
        if self.files[self.file_list.currentRow()] == path if self.file_list.currentRow() >= 0 else False:
            self._show_preview(path)
        self._update_buttons()

    def _preview_failed(self, path: Path, exc: BaseException) -> None:
        from ui.worker import error_text

        if path not in self.files:
            return
        self.previews[path] = exc
        item = self.file_list.item(self.files.index(path))
        item.setForeground(QBrush(QColor("#b8463e")))
        item.setToolTip(error_text(exc))
        if self.file_list.currentRow() >= 0 and self.files[self.file_list.currentRow()] == path:
            self._show_preview(path)
        self._update_buttons()

    def _file_selected(self, row: int) -> None:
        if 0 <= row < len(self.files):
            self._show_preview(self.files[row])
        else:  # the queue emptied (imported or removed): no preview of a file that is gone
            self._clear_preview()

    def _clear_preview(self) -> None:
        self.info.setText(self.tr("尚未选择文件"))
        self._hide_mapping()
        self.preview.setRowCount(0)
        self.preview.setColumnCount(0)
        self.validation.setText("")

    def _show_preview(self, path: Path) -> None:
        from ui.worker import error_text

        preview = self.previews.get(path)
        self._hide_mapping()
        self.preview.setRowCount(0)
        if preview is None:
            self.info.setText(self.tr("{0}：正在读取预览…").format(path.name))
            return
        if isinstance(preview, BaseException):
            self.info.setText(self.tr("{0}：无法导入").format(path.name))
            self.validation.setText(error_text(preview))
            return
        fmt = getattr(preview, "format", "")
        enc = getattr(preview, "encoding", None)
        sheet = getattr(preview, "sheet", None)
        header_row = getattr(preview, "header_row", None)
        parts = [self.tr("格式 {0}").format(fmt)]
        if enc:
            parts.append(self.tr("编码 {0}").format(enc))
        if sheet:
            parts.append(self.tr("工作表「{0}」").format(sheet))
        if header_row:
            parts.append(self.tr("表头在第 {0} 行").format(header_row))
        self.info.setText(f"{path.name}：" + "，".join(parts))
        headers = [str(h) for h in (getattr(preview, "headers", []) or [])]
        rows = getattr(preview, "rows", None) or getattr(preview, "first_rows", None) or []
        self.preview.setColumnCount(len(headers))
        self.preview.setHorizontalHeaderLabels(headers)
        self.preview.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = list(row.values()) if isinstance(row, dict) else list(row)
            for c, value in enumerate(values[: len(headers)]):
                self.preview.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.preview.resizeColumnsToContents()
        required = set(getattr(preview, "required_fields", None) or [])
        required |= set(getattr(preview, "missing_required", []) or [])
        required |= {"case_no", "unit", "reported_at"}
        self._fill_mapping(path, headers, required)
        self._validate(path)

    def _mapping_rows(self) -> dict[str, CellCombo]:
        """The mapping table's rows, one per field, built once and hidden until a preview fills them.

        Why once: the fields never change, only the headers a file offers; creating 24 cell combos took
        about 30 ms and, redone for every preview, pushed the UI thread past 100 ms when a preview arrived."""
        if self._combos:
            return self._combos
        self.mapping.setRowCount(len(MAPPED_FIELDS))
        for r, field in enumerate(MAPPED_FIELDS):
            label = QTableWidgetItem(f"{FIELD_LABELS[field]}（{field}）")
            label.setFlags(label.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.mapping.setItem(r, 0, label)
            combo = CellCombo()
            combo.currentIndexChanged.connect(lambda _i, f=field, c=combo: self._mapping_changed(f, c))
            self.mapping.setCellWidget(r, 1, combo)
            self.mapping.setItem(r, 2, QTableWidgetItem(""))
            self.mapping.setRowHidden(r, True)
            self._combos[field] = combo
        return self._combos

    def _fill_mapping(self, path: Path, headers: list[str], required: set[str]) -> None:
        """Point every field's combo at one shared list of this file's headers and select its mapping."""
        combos = self._mapping_rows()
        options = QStandardItemModel(self)
        for text, data in [(self.tr(NOT_MAPPED), ""), *((h, h) for h in headers)]:
            item = QStandardItem(text)
            item.setData(data, Qt.ItemDataRole.UserRole)
            options.appendRow(item)
        mapping = self.mappings.get(path, {})
        self._shown = path
        for r, (field, combo) in enumerate(combos.items()):
            combo.blockSignals(True)  # selecting the stored mapping is not a correction
            combo.setModel(options)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(field, ""))))
            combo.blockSignals(False)
            self.mapping.item(r, 2).setText(self.tr("必需") if field in required else "")
            self.mapping.setRowHidden(r, False)
        self.mapping.resizeColumnToContents(0)  # only shown rows count: not when the rows are built hidden
        if self._options is not None:
            self._options.deleteLater()
        self._options = options

    def _hide_mapping(self) -> None:
        self._shown = None
        for r in range(self.mapping.rowCount()):
            self.mapping.setRowHidden(r, True)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._combos:  # build the mapping rows now, before a file is dropped, not with its preview
            QTimer.singleShot(0, self, self._mapping_rows)

    def _mapping_changed(self, field: str, combo: QComboBox) -> None:
        path = self._shown
        if path is None:
            return
        header = combo_value(combo)
        mapping = self.mappings.setdefault(path, {})
        if header:
            mapping[field] = header
        else:
            mapping.pop(field, None)
        self._validate(path)

    def set_mapping(self, path: Path, field: str, header: str | None) -> None:
        """Correct one column's mapping (what the combo does; used by tests and keyboard users)."""
        mapping = self.mappings.setdefault(Path(path), {})
        if header:
            mapping[field] = header
        else:
            mapping.pop(field, None)
        if self.file_list.currentRow() >= 0 and self.files[self.file_list.currentRow()] == Path(path):
            self._show_preview(Path(path))

    def missing_required(self, path: Path) -> list[str]:
        preview = self.previews.get(path)
        if preview is None or isinstance(preview, BaseException):
            return []
        required = set(getattr(preview, "missing_required", []) or []) | {"case_no", "unit", "reported_at"}
        declared = getattr(preview, "required_fields", None)
        if declared:
            required |= set(declared)
        return [f for f in required if f not in self.mappings.get(path, {})]

    def _validate(self, path: Path) -> None:
        missing = self.missing_required(path)
        mapping = self.mappings.get(path, {})
        preview = self.previews.get(path)
        headers = [str(h) for h in (getattr(preview, "headers", []) or [])]
        used = set(mapping.values())
        ignored = [h for h in headers if h and h not in used]
        dupes = sorted({h for h in mapping.values() if list(mapping.values()).count(h) > 1})
        lines = [self.tr("已对应 {0} 个字段").format(len(mapping))]
        if ignored:
            lines.append(self.tr("不导入的列：{0}").format("、".join(ignored)))
        if dupes:
            lines.append(self.tr("注意：表头「{0}」对应了多个字段").format("、".join(dupes)))
        if missing:
            names = "、".join(FIELD_LABELS.get(f, f) for f in missing)
            lines.append(self.tr("缺少必需的列：{0}——请在上表中指定，否则该文件将被拒收").format(names))
            self.validation.setStyleSheet("color: #b8463e")
        else:
            lines.append(self.tr("必需的列均已找到，可以导入（有问题的行会被单独记录，不影响其他行）"))
            self.validation.setStyleSheet("color: #2f6f3e")
        self.validation.setText("；".join(lines))
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.job is not None
        ready = (
            bool(self.files)
            and all(p in self.previews for p in self.files)
            and not any(isinstance(self.previews[p], BaseException) for p in self.files)
            and not any(self.missing_required(p) for p in self.files)
        )
        self.start.setEnabled(not running and ready)
        self.cancel.setEnabled(running)
        if not running:
            # the shown file may say 可以导入 while another queued file holds the button back: name it
            blockers = self._blockers()
            if self.files and blockers:
                self.progress_text.setText(self.tr("尚不能开始导入：{0}").format("；".join(blockers)))
            elif self.progress_text.text().startswith(self.tr("尚不能开始导入")):
                self.progress_text.setText("")
        self.remove.setEnabled(not running)
        self.drop.pick.setEnabled(not running)

    def _blockers(self) -> list[str]:
        out = []
        for path in self.files:
            preview = self.previews.get(path)
            if preview is None:
                out.append(self.tr("{0} 正在读取").format(path.name))
            elif isinstance(preview, BaseException):
                out.append(self.tr("{0} 无法导入").format(path.name))
            elif missing := self.missing_required(path):
                names = "、".join(FIELD_LABELS.get(f, f) for f in missing)
                out.append(self.tr("{0} 缺少必需的列（{1}）").format(path.name, names))
        return out

    # ------------------------------------------------------------ import
    def start_import(self) -> None:
        if self.job is not None or not self.files:
            return
        items = []
        for path in self.files:
            preview = self.previews.get(path)
            detected = dict(getattr(preview, "mapping", {}) or {}) if preview is not None else {}
            mapping = self.mappings.get(path)
            items.append((path, mapping if mapping is not None and mapping != detected else None))
        self.report.clear()
        self.progress.setRange(0, 0)
        self.progress_text.setText(self.tr("导入中…"))
        self.job = self.ctx.run(
            import_job,
            items,
            with_progress=True,
            cancellable=True,
            on_progress=self._progress,
            on_done=self._finished,
            on_error=self._failed,
        )
        self._update_buttons()

    def cancel_import(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.progress_text.setText(self.tr("正在取消（本文件的写入将全部撤回）…"))

    def _progress(self, done: int, total, message: str) -> None:
        if total:
            self.progress.setRange(0, int(total))
            self.progress.setValue(min(int(done), int(total)))
        else:
            self.progress.setRange(0, 0)
        self.progress_text.setText(message or self.tr("已处理 {0} 行").format(done))

    def _finished(self, reports: list) -> None:
        self.job = None
        self.reports = list(reports)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.report.setPlainText("\n".join(r.summary_text() for r in reports))
        cancelled = any(r.cancelled for r in reports)
        self.progress_text.setText(self.tr("已取消：数据库未改变") if cancelled else self.tr("导入完成"))
        done = [r for r in reports if not r.cancelled]
        for report in done:  # imported (or refused) files leave the queue; a cancelled one stays
            path = next((p for p in self.files if p.name == report.file_name), None)
            if path is not None and not report.refused:
                row = self.files.index(path)
                self.files.pop(row)
                self.file_list.takeItem(row)
                self.previews.pop(path, None)
                self.mappings.pop(path, None)
        self._update_buttons()
        self.refresh()
        if any(r.inserted or r.updated for r in reports):
            self.ctx.data_changed.emit()
        self.imported.emit(self.reports)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress_text.setText(self.tr("导入失败"))
        self._update_buttons()
        self.fail(exc)
        self.refresh()
