"""What the supervision-ledger pages share: the as-of date picker and the 历史版本 lines of a record's detail.

Why an as-of date of their own: the ledgers are not monthly (a batch is followed up until every piece is closed,
a 回头看 rate is a standing figure), so these pages ask "where do we stand on this day" (today by default),
not "what happened in the period".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QWidget


def tr(text: str) -> str:
    return QCoreApplication.translate("ledger_widgets", text)


class AsOfPicker(QWidget):
    """A caption, a date (calendar popup) and 今天; emits `changed(date)`."""

    changed = Signal(object)

    def __init__(self, caption: str, tooltip: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QDateEdit(QDate.currentDate())
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setToolTip(tooltip)
        self.today = QPushButton(self.tr("今天"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(caption))
        layout.addWidget(self.edit)
        layout.addWidget(self.today)
        self.edit.dateChanged.connect(lambda _d: self.changed.emit(self.value()))
        self.today.clicked.connect(lambda: self.edit.setDate(QDate.currentDate()))

    def value(self) -> date:
        return self.edit.date().toPython()

    def set_value(self, day: date) -> None:
        self.edit.setDate(QDate(day.year, day.month, day.day))


def history_lines(history: list[dict] | None, describe: Callable[[dict], str]) -> list[str]:
    """The 历史版本 part of a detail pane, as HTML lines: still reading, none, or one line per replaced version
    (`describe(entry)` says which values it held, from models.versioned.history entries)."""
    if history is None:
        return [tr("<i>历史版本读取中…</i>")]
    if not history:
        return [tr("历史版本：无（导入后未被更改）")]
    lines = [tr("<b>历史版本</b>（再次导入时被替换的旧值）：")]
    for entry in history:
        when = tr("{0} 被导入 #{1} 替换").format(entry["replaced_at"], entry["replaced_by_import"])
        lines.append(escape(when + describe(entry)))
    return lines


def changed_values(old: dict, current: dict, labels: dict[str, str], text: Callable[[str, object], str]) -> str:
    """「label：old value」 for each labelled field whose old value differs from the current one."""
    parts = [
        f"{label}：{text(field, old.get(field)) or tr('（空）')}"
        for field, label in labels.items()
        if field in old and (old.get(field) or None) != (current.get(field) or None)
    ]
    return "；".join(parts) or tr("字段相同，仅原始行不同")
