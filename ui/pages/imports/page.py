"""数据导入: the queue of dropped or picked files, each previewed with its detected column mapping
(correctable per column) and a validation summary; the import on the worker with progress and cancel.
The files are imported as the chosen stream (城管案件, 两违, 督察信访 with its batch, 创城回头看): each has its
own columns and header aliases, so changing the choice previews the queued files again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from importers.headers import check_mapping
from models.store import CASES
from ui.pages.base import AppContext, Page
from ui.pages.imports.drop_zone import DropZone
from ui.pages.imports.history_panel import HistoryPanel
from ui.pages.imports.mapping_editor import MappingEditor
from ui.streams import STREAM_HINTS, STREAMS, make_stream
from ui.widgets import OK_COLOR, REFUSED_COLOR, combo_value
from ui.worker import error_text


class StreamChoice(QWidget):
    """导入类型 (the stream the queued files are imported as) and, for 督察信访, the batch's 批次, 移交日期 and
    督察组. Emits `changed()` when the stream or one of its values changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.combo = QComboBox()
        for name, label in STREAMS:
            self.combo.addItem(self.tr(label), name)
        self.hint = QLabel("")
        self.hint.setObjectName("tileNote")
        self.hint.setWordWrap(True)  # a long hint must not widen the window's minimum width
        self.batch = QSpinBox()
        self.batch.setRange(0, 999)
        self.batch.setSpecialValueText(self.tr("（请填写）"))
        self.batch.setPrefix(self.tr("第 "))
        self.batch.setSuffix(self.tr(" 批"))
        self.handed_over = QDateEdit(QDate.currentDate())
        self.handed_over.setCalendarPopup(True)
        self.handed_over.setDisplayFormat("yyyy-MM-dd")
        self.body = QLineEdit()
        self.body.setPlaceholderText(self.tr("督察组（选填）"))
        self.body.setMinimumWidth(self.body.fontMetrics().horizontalAdvance("省生态环境保护督察组") + 16)
        self.petition_widgets = [
            QLabel(self.tr("批次")), self.batch, QLabel(self.tr("移交日期")), self.handed_over, self.body
        ]  # fmt: skip
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("导入类型")))
        layout.addWidget(self.combo)
        for widget in self.petition_widgets:
            layout.addWidget(widget)
        layout.addWidget(self.hint, 1)
        self.combo.currentIndexChanged.connect(self._stream_changed)
        self.batch.valueChanged.connect(self.changed)
        self._stream_changed()

    def name(self) -> str:
        return combo_value(self.combo) or CASES

    def set_name(self, name: str) -> None:
        self.combo.setCurrentIndex(max(0, self.combo.findData(name)))

    def _stream_changed(self) -> None:
        name = self.name()
        for widget in self.petition_widgets:
            widget.setVisible(name == "petitions")
        self.hint.setText(self.tr(STREAM_HINTS[name]))
        self.changed.emit()

    def missing(self) -> str | None:
        """What the chosen stream still needs before an import (None: nothing)."""
        if self.name() == "petitions" and not self.batch.value():
            return self.tr("督察信访须填写批次")
        return None

    def stream(self):
        """The importer's stream object for the choice (None for city cases)."""
        handed_over: date = self.handed_over.date().toPython()
        return make_stream(self.name(), batch=self.batch.value(), handed_over=handed_over, body=self.body.text())


class ImportsPage(Page):
    title = "数据导入"
    imported = Signal(list)  # the reports of a finished (or cancelled) run

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        self.title = self.tr("数据导入")
        self.files: list[Path] = []
        self.previews: dict[Path, object] = {}  # importers.pipeline.Preview, or the exception that refused it
        self.mappings: dict[Path, dict[str, str]] = {}  # field -> header text, as detected or corrected
        self.job = None
        self.reports: list = []
        self._shown: Path | None = None  # the file whose mapping the editor shows

        self.stream = StreamChoice()
        self.stream.changed.connect(self._stream_changed)
        self._stream_name = self.stream.name()  # the stream the shown previews were read as
        self.drop = DropZone()
        self.drop.chosen.connect(self.add_files)
        self.file_list = QListWidget()
        self.file_list.setMaximumWidth(300)
        self.file_list.currentRowChanged.connect(self._file_selected)
        self.remove = QPushButton(self.tr("移除"))
        self.remove.clicked.connect(self._remove_selected)
        self.info = QLabel(self.tr("尚未选择文件"))
        self.info.setWordWrap(True)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping = MappingEditor()
        self.mapping.corrected.connect(self._mapping_corrected)
        self.validation = QLabel("")
        self.validation.setWordWrap(True)
        self.validation.setObjectName("validation")
        # what the file's missing optional columns will mean: 处置 inferred from 结案时间, figures unavailable
        self.notes = QLabel("")
        self.notes.setObjectName("banner")
        self.notes.setWordWrap(True)
        self.notes.setVisible(False)
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
        self.report.setVisible(False)  # until an import has something to report: room for the mapping
        self.start.clicked.connect(self.start_import)
        self.cancel.clicked.connect(self.cancel_import)
        self.history = HistoryPanel(ctx)

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
        preview_box = QWidget()
        pl = QVBoxLayout(preview_box)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.info)
        pl.addWidget(preview_tabs, 1)
        pl.addWidget(self.validation)
        pl.addWidget(self.notes)
        upper = QSplitter()
        upper.addWidget(files_box)
        upper.addWidget(preview_box)
        upper.setStretchFactor(1, 3)
        actions = QHBoxLayout()
        actions.addWidget(self.start)
        actions.addWidget(self.cancel)
        actions.addWidget(self.progress, 1)
        main = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(upper, 1)
        tl.addLayout(actions)
        tl.addWidget(self.progress_text)
        tl.addWidget(self.report)
        main.addWidget(top)
        main.addWidget(self.history)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stream)
        layout.addWidget(self.drop)
        layout.addWidget(main, 1)

    def refresh(self) -> None:
        # the import page does not depend on the period: only the history is reloaded
        if not self.ctx.tasks.is_ready:
            return
        self._stale = False
        self.history.reload()

    # ------------------------------------------------------------ files and preview
    def add_files(self, paths: list[Path]) -> None:
        for path in paths:
            path = Path(path)
            if path in self.files:
                continue
            self.files.append(path)
            item = QListWidgetItem(path.name)
            item.setToolTip(str(path))
            self.file_list.addItem(item)
            self._request_preview(path)
        if self.file_list.currentRow() < 0 and self.files:
            self.file_list.setCurrentRow(0)
        self._update_buttons()

    def _request_preview(self, path: Path) -> None:
        """Read the file's header and first rows as the chosen stream; an answer for another stream (the
        choice changed meanwhile) is dropped."""
        from importers.pipeline import preview_file

        name = self._stream_name
        self.ctx.run(
            preview_file,
            path,
            stream=make_stream(name, batch=1, handed_over=date.today()),  # the preview reads only the columns
            on_done=lambda p, path=path: name == self._stream_name and self._preview_ready(path, p),
            on_error=lambda exc, path=path: name == self._stream_name and self._preview_failed(path, exc),
        )

    def _stream_changed(self) -> None:
        if self.stream.name() == self._stream_name:
            self._update_buttons()  # the batch changed
            return
        self._stream_name = self.stream.name()
        self.previews.clear()
        self.mappings.clear()
        for row, path in enumerate(self.files):
            self.file_list.item(row).setForeground(QBrush())
            self._request_preview(path)
        self._file_selected(self.file_list.currentRow())
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

    def _is_current(self, path: Path) -> bool:
        row = self.file_list.currentRow()
        return 0 <= row < len(self.files) and self.files[row] == path

    def _preview_ready(self, path: Path, preview) -> None:
        if path not in self.files:
            return
        self.previews[path] = preview
        self.mappings[path] = dict(preview.mapping)
        item = self.file_list.item(self.files.index(path))
        item.setForeground(QBrush(QColor(REFUSED_COLOR if preview.missing_required else OK_COLOR)))
        if self._is_current(path):
            self._show_preview(path)
        self._update_buttons()

    def _preview_failed(self, path: Path, exc: BaseException) -> None:
        if path not in self.files:
            return
        self.previews[path] = exc
        item = self.file_list.item(self.files.index(path))
        item.setForeground(QBrush(QColor(REFUSED_COLOR)))
        item.setToolTip(error_text(exc))
        if self._is_current(path):
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
        self._show_notes([])

    def _hide_mapping(self) -> None:
        self._shown = None
        self.mapping.hide_rows()

    def _show_preview(self, path: Path) -> None:
        preview = self.previews.get(path)
        self._hide_mapping()
        self.preview.setRowCount(0)
        if preview is None:
            self.info.setText(self.tr("{0}：正在读取预览…").format(path.name))
            self._show_notes([])
            return
        if isinstance(preview, BaseException):
            self.info.setText(self.tr("{0}：无法导入").format(path.name))
            self.validation.setText(error_text(preview))
            self._show_notes([])
            return
        parts = [self.tr("格式 {0}").format(preview.format)]
        if preview.encoding:
            parts.append(self.tr("编码 {0}").format(preview.encoding))
        if preview.sheet:
            parts.append(self.tr("工作表「{0}」").format(preview.sheet))
        if preview.header_row:
            parts.append(self.tr("表头在第 {0} 行").format(preview.header_row))
        self.info.setText(f"{path.name}：" + "，".join(parts))
        headers = [str(h) for h in preview.headers]
        self.preview.setColumnCount(len(headers))
        self.preview.setHorizontalHeaderLabels(headers)
        self.preview.setRowCount(len(preview.rows))
        for r, row in enumerate(preview.rows):
            for c, value in enumerate(list(row)[: len(headers)]):
                self.preview.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.preview.resizeColumnsToContents()
        self._shown = path
        self.mapping.show_mapping(headers, self.mappings.get(path, {}), preview.required, preview.labels)
        self._validate(path)

    def _mapping_corrected(self, field: str, header: str) -> None:
        if self._shown is not None:
            self._set_field(self._shown, field, header)
            self._validate(self._shown)

    def _set_field(self, path: Path, field: str, header: str | None) -> None:
        mapping = self.mappings.setdefault(path, {})
        if header:
            mapping[field] = header
        else:
            mapping.pop(field, None)

    def set_mapping(self, path: Path, field: str, header: str | None) -> None:
        """Correct one column's mapping, as choosing a header in the editor does."""
        self._set_field(Path(path), field, header)
        if self._is_current(Path(path)):
            self._show_preview(Path(path))

    def missing_required(self, path: Path) -> list[str]:
        """The required fields the file's current mapping leaves out (the import would refuse the file)."""
        preview = self.previews.get(path)
        if preview is None or isinstance(preview, BaseException):
            return []
        return check_mapping(preview.headers, self.mappings.get(path, {}), preview.required).missing

    def _validate(self, path: Path) -> None:
        preview = self.previews[path]
        mapping = self.mappings.get(path, {})
        check = check_mapping([str(h) for h in preview.headers], mapping, preview.required)
        lines = [self.tr("已对应 {0} 个字段").format(len(mapping))]
        if check.ignored:
            lines.append(self.tr("不导入的列：{0}").format("、".join(check.ignored)))
        if check.duplicated:
            lines.append(self.tr("注意：表头「{0}」对应了多个字段").format("、".join(check.duplicated)))
        if check.missing:
            names = "、".join(preview.labels.get(f, f) for f in check.missing)
            lines.append(self.tr("缺少必需的列：{0}——请在上表中指定，否则该文件将被拒收").format(names))
            if self.stream.name() == CASES:
                lines.append(self.tr("如这是两违、督察信访或创城回头看台账，请先在上方选择导入类型"))
            self.validation.setStyleSheet(f"color: {REFUSED_COLOR}")
        else:
            lines.append(self.tr("必需的列均已找到，可以导入（有问题的行会被单独记录，不影响其他行）"))
            self.validation.setStyleSheet(f"color: {OK_COLOR}")
        self.validation.setText("；".join(lines))
        from models.quality import missing_column_notes  # the drill-down modules: not at start-up

        self._show_notes(missing_column_notes(mapping))  # the mapping as corrected, not only as detected
        self._update_buttons()

    def _show_notes(self, notes: list[str]) -> None:
        self.notes.setText(self.tr("导入后请注意：") + "；".join(notes) + "。")
        self.notes.setVisible(bool(notes))

    def _update_buttons(self) -> None:
        running = self.job is not None
        blockers = self._blockers()
        self.start.setEnabled(not running and bool(self.files) and not blockers)
        self.cancel.setEnabled(running)
        if not running:
            # the shown file may say 可以导入 while another queued file holds the button back: name it
            if self.files and blockers:
                self.progress_text.setText(self.tr("尚不能开始导入：{0}").format("；".join(blockers)))
            elif self.progress_text.text().startswith(self.tr("尚不能开始导入")):
                self.progress_text.setText("")
        self.remove.setEnabled(not running)
        self.drop.pick.setEnabled(not running)
        self.stream.setEnabled(not running)

    def _blockers(self) -> list[str]:
        """Why the queue cannot be imported yet: the stream's own values, then file by file (empty: it can)."""
        out = [missing] if (missing := self.stream.missing()) else []
        for path in self.files:
            preview = self.previews.get(path)
            if preview is None:
                out.append(self.tr("{0} 正在读取").format(path.name))
            elif isinstance(preview, BaseException):
                out.append(self.tr("{0} 无法导入").format(path.name))
            elif missing := self.missing_required(path):
                names = "、".join(preview.labels.get(f, f) for f in missing)
                out.append(self.tr("{0} 缺少必需的列（{1}）").format(path.name, names))
        return out

    # ------------------------------------------------------------ import
    def start_import(self) -> None:
        from importers.pipeline import import_files

        if self.job is not None or not self.files or self._blockers():
            return
        # only a corrected mapping is passed (and remembered for the next export of the same shape)
        corrected = {p: self.mappings[p] for p in self.files if self.mappings[p] != self.previews[p].mapping}
        self.report.clear()
        self.report.setVisible(False)
        self.progress.setRange(0, 0)
        self.progress_text.setText(self.tr("导入中…"))
        self.job = self.ctx.run(
            import_files,
            list(self.files),
            stream=self.stream.stream(),
            mappings=corrected,
            numbered_progress=True,
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
        self.report.setVisible(True)
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
