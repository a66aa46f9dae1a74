"""The import page's drop zone: files dragged from the Explorer, or picked with a file dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui import dialogs

FILE_FILTER = "案件导出 (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt *.htm *.html);;所有文件 (*)"


class DropZone(QFrame):
    """Emits `chosen(list[Path])` for files dropped on it or picked with its 选择文件… button."""

    chosen = Signal(list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumHeight(70)
        label = QLabel(self.tr("把平台导出的案件文件拖到这里（xlsx / xlsm / xls / ods / csv / html），或"))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pick = QPushButton(self.tr("选择文件…"))
        self.pick.clicked.connect(self._pick)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(label)
        layout.addWidget(self.pick)
        layout.addStretch(1)

    def _pick(self) -> None:
        paths = dialogs.open_files(self, self.tr("选择案件文件"), self.tr(FILE_FILTER))
        if paths:
            self.chosen.emit(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.chosen.emit(paths)
            event.acceptProposedAction()
