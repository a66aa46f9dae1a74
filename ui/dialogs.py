"""Every modal question the console asks goes through these few functions.

Why: one place to keep dialogs consistent, and tests replace these functions instead of clicking modal
boxes (which would block an offscreen test run).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def tr(text: str) -> str:
    return QCoreApplication.translate("dialogs", text)


def warn(parent: QWidget | None, text: str, title: str | None = None) -> None:
    QMessageBox.warning(parent, title or tr("出错了"), text)


def info(parent: QWidget | None, text: str, title: str | None = None) -> None:
    QMessageBox.information(parent, title or tr("提示"), text)


def ask(parent: QWidget | None, text: str, title: str | None = None) -> bool:
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    answer = QMessageBox.question(parent, title or tr("请确认"), text, buttons, QMessageBox.StandardButton.Yes)
    return answer == QMessageBox.StandardButton.Yes


def text_input(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    from PySide6.QtWidgets import QInputDialog

    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value.strip() if ok and value.strip() else None


def open_files(parent: QWidget | None, title: str, filters: str) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, title, "", filters)
    return [Path(n) for n in names]


def save_file(parent: QWidget | None, title: str, default_name: str, filters: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, default_name, filters)
    return Path(name) if name else None
