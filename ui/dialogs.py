"""Every modal question the console asks goes through these few functions.

Why: one place to keep dialogs consistent, and tests replace these functions instead of clicking modal
boxes (which would block an offscreen test run).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

LAST_FOLDER_KEYS = {"open": "dialogs/open_folder", "save": "dialogs/save_folder"}


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


def start_folder(kind: str) -> Path:
    """Where a file dialog opens: the folder last used for this kind (open/save), else the user's Documents —
    never the working folder, which for an installed app is the program folder (not writable, not the user's)."""
    last = QSettings().value(LAST_FOLDER_KEYS[kind])
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def remember_folder(kind: str, path: Path) -> None:
    QSettings().setValue(LAST_FOLDER_KEYS[kind], str(path.parent))


def open_files(parent: QWidget | None, title: str, filters: str) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, title, str(start_folder("open")), filters)
    if names:
        remember_folder("open", Path(names[0]))
    return [Path(n) for n in names]


def save_file(parent: QWidget | None, title: str, default_name: str, filters: str) -> Path | None:
    """The save dialog on the suggested name (made safe for Windows) in the last-used folder or Documents."""
    from exporters.saving import safe_file_name

    suggested = start_folder("save") / safe_file_name(default_name)
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), filters)
    if not name:
        return None
    remember_folder("save", Path(name))
    return Path(name)
