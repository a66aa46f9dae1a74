"""The few strings of Qt's own dialogs that the shipped qtbase_zh_CN.qm (Qt 6.11) leaves in English.

Found by asking a recording translator which strings the file dialog and message boxes request that
qtbase_zh_CN does not translate; installed after it by ui.app, so asked first, answering only these.
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

# (context, source) → text
QT_STRINGS_ZH = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
}


class QtStringsZh(QTranslator):
    """QT_STRINGS_ZH as a translator; every other string is left to qtbase_zh_CN."""

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002 - Qt's signature
        return QT_STRINGS_ZH.get((context, source))  # None: a null string, Qt asks the next translator

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False
