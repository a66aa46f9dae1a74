"""Small widgets shared by the pages: the period picker, clickable tiles, combo helpers."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models.periods import Period, month_period, of_kind, parse_label, quarter_period, range_period, year_period

REFUSED_COLOR = "#b8463e"  # text that says no: a refusal, a missing column
OK_COLOR = "#2f6f3e"  # text that says ready


class PeriodPicker(QWidget):
    """Month / quarter / year / date range, with ◀ ▶ to step; emits `changed(Period)`.

    Switching the kind keeps to the period shown: 2021-Q4 → 月 is the quarter's latest month with data
    (`months_with_data`, set by the window), 2021-11 → 季度 is 2021-Q4."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._muted = False
        self.months_with_data: list[str] = []
        self._shown: Period | None = None  # the period last emitted (the kind combo has changed when asked)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("月"), "month")
        self.kind.addItem(self.tr("季度"), "quarter")
        self.kind.addItem(self.tr("年"), "year")
        self.kind.addItem(self.tr("日期范围"), "range")
        self.year = QSpinBox()
        self.year.setRange(2000, 2099)
        self.year.setSuffix(self.tr(" 年"))
        self.sub = QSpinBox()
        self.first = QDateEdit()
        self.last = QDateEdit()
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.prev = QToolButton(text="◀")
        self.next = QToolButton(text="▶")
        self.prev.setToolTip(self.tr("上一期"))
        self.next.setToolTip(self.tr("下一期"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("统计周期")))
        for w in (self.kind, self.prev, self.year, self.sub, self.first, QLabel("—"), self.last, self.next):
            layout.addWidget(w)
        self._dash = layout.itemAt(layout.count() - 3).widget()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for spin in (self.year, self.sub):
            spin.valueChanged.connect(self._emit)
        for edit in (self.first, self.last):
            edit.dateChanged.connect(self._emit)
        self.prev.clicked.connect(lambda: self.step(-1))
        self.next.clicked.connect(lambda: self.step(1))
        self.set_period(month_period(date.today().year, date.today().month))

    def period(self) -> Period:
        kind = combo_value(self.kind)
        if kind == "month":
            return month_period(self.year.value(), self.sub.value())
        if kind == "quarter":
            return quarter_period(self.year.value(), self.sub.value())
        if kind == "year":
            return year_period(self.year.value())
        first, last = self.first.date().toPython(), self.last.date().toPython()
        if last < first:
            first, last = last, first
        return range_period(first, last)

    def set_period(self, period: Period | str) -> None:
        if isinstance(period, str):
            period = parse_label(period)
        self._muted = True
        try:
            self.kind.setCurrentIndex(self.kind.findData(period.kind))
            self._layout_for(period.kind)
            self.year.setValue(period.start.year)
            if period.kind == "month":
                self.sub.setValue(period.start.month)
            elif period.kind == "quarter":
                self.sub.setValue((period.start.month - 1) // 3 + 1)
            self.first.setDate(QDate(period.start.year, period.start.month, period.start.day))
            last = period.last_moment
            self.last.setDate(QDate(last.year, last.month, last.day))
        finally:
            self._muted = False
        self._emit()

    def step(self, direction: int) -> None:
        period = self.period()
        if direction < 0:
            self.set_period(period.previous())
            return
        # the next period: the one whose previous() is this one
        if period.kind == "month":
            y, m = (
                (period.start.year + 1, 1) if period.start.month == 12 else (period.start.year, period.start.month + 1)
            )
            self.set_period(month_period(y, m))
        elif period.kind == "quarter":
            q = (period.start.month - 1) // 3 + 1
            self.set_period(quarter_period(period.start.year + (q == 4), 1 if q == 4 else q + 1))
        elif period.kind == "year":
            self.set_period(year_period(period.start.year + 1))
        else:
            first = period.end.date()
            self.set_period(range_period(first, first + (period.end - period.start) - timedelta(days=1)))

    def _layout_for(self, kind: str) -> None:
        self.sub.setVisible(kind in ("month", "quarter"))
        self.year.setVisible(kind != "range")
        for w in (self.first, self.last, self._dash):
            w.setVisible(kind == "range")
        if kind == "month":
            self.sub.setRange(1, 12)
            self.sub.setSuffix(self.tr(" 月"))
            self.sub.setPrefix("")
        elif kind == "quarter":
            self.sub.setRange(1, 4)
            self.sub.setSuffix("")
            self.sub.setPrefix(self.tr("第 "))
            self.sub.setSuffix(self.tr(" 季度"))

    def _kind_changed(self) -> None:
        if self._muted:
            return
        kind = combo_value(self.kind)
        if self._shown is None:
            self._layout_for(kind)
            self._emit()
            return
        self.set_period(of_kind(self._shown, kind, self.months_with_data))

    def _emit(self) -> None:
        if not self._muted:
            self._shown = self.period()
            self.changed.emit(self._shown)


class Tile(QFrame):
    """A big figure with its caption; clicking it opens the cases behind it."""

    clicked = Signal()

    def __init__(self, caption: str, parent: QWidget | None = None, scale: float = 1.0):
        super().__init__(parent)
        self.setObjectName("tile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.caption = QLabel(caption)
        self.value = QLabel("—")
        self.value.setObjectName("tileValue")
        self.note = QLabel("")
        self.note.setObjectName("tileNote")
        big = QFont(self.font())
        big.setPointSizeF((big.pointSizeF() if big.pointSizeF() > 0 else 10) * 2.2 * scale)
        big.setBold(True)
        self.value.setFont(big)
        small = QFont(self.font())
        small.setPointSizeF((small.pointSizeF() if small.pointSizeF() > 0 else 10) * 1.1 * scale)
        self.caption.setFont(small)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.note)

    def set_value(self, text: str, note: str = "") -> None:
        self.value.setText(text)
        self.note.setText(note)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


def combo_value(combo: QComboBox) -> str:
    """The current item's data as text, "" when nothing is selected.

    Why not `currentData()`: PySide6 6.12 on Python 3.11 drops a reference to None each time it hands back
    an empty QVariant; enough of those and the interpreter aborts ("deallocating None"). Every item here
    carries string data, and an empty combo is never asked.
    """
    index = combo.currentIndex()
    if index < 0:
        return ""
    value = combo.itemData(index)
    return "" if value is None else str(value)


def fit_popup(combo: QComboBox) -> None:
    """Open the drop-down list wide enough for its longest item (a unit such as 市城市管理局市容环境卫生管理处
    would read 市…处 in a list as narrow as the box); the box itself keeps its size."""
    metrics = combo.view().fontMetrics()
    widest = max((metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())), default=0)
    scrollbar = combo.view().verticalScrollBar().sizeHint().width()
    combo.view().setMinimumWidth(max(combo.width(), widest + scrollbar + 24))


class CellCombo(QComboBox):
    """A combo inside a table cell: the mouse wheel scrolls the table unless the combo was clicked first.

    Why: otherwise scrolling the import page's column mapping with the wheel changes whichever mapping
    passes under the pointer."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # goes on to the table, which scrolls
