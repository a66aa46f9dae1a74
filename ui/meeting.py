"""Meeting mode (F11): full screen, large type, one chart or table per view, arrow keys to step.

Built fresh from the data the pages last loaded (no second computation) so it reads from the back of a
room on a projector: fonts ×1.8, thick bars, one idea per slide.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from models.labels import NO_CASES_MARK, rank_text
from ui.charts import make_chart
from ui.figures import CHART_SPECS, TILES, Bars, Trend, chart_data, tile_value
from ui.fonts import app_font
from ui.grades import grade_color, to_decimal
from ui.meeting_ledgers import petitions_slides, rectify_slides
from ui.meeting_lw import lw_slides
from ui.slides import slide_table
from ui.widgets import Tile

SCALE = 1.8
ROWS_PER_SLIDE = 12  # rows a projector shows at this size without scrolling


class MeetingView(QWidget):
    closed = Signal()

    def __init__(self, stats: dict | None, trend: list[dict] | None, scores: dict | None, parent=None, *, ledgers=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("会议模式"))
        self.setFont(app_font(SCALE))
        self.setStyleSheet("background: white; color: #222;")
        self.title = QLabel("")
        self.title.setFont(app_font(SCALE * 1.3))
        self.hint = QLabel(self.tr("← → 翻页　Esc / F11 退出"))
        self.hint.setFont(app_font(SCALE * 0.6))
        self.hint.setStyleSheet("color: #888")
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 24, 40, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.hint, 0, Qt.AlignmentFlag.AlignRight)
        # (title, how to build the slide); a slide is built when first shown: building them all (six charts,
        # the score tables) when meeting mode opens would hold the UI thread
        self.slides: list[tuple[str, Callable[[], QWidget]]] = []
        self._built: dict[int, QWidget] = {}
        period = (stats or scores or {}).get("period", "")
        if stats is not None:
            self._add(self.tr("{0} 运行概况").format(period), lambda: self._tiles(stats))
            charts = chart_data(stats, trend or [])
            for key, title, horizontal in CHART_SPECS:
                self._add(
                    f"{period} {self.tr(title)}",
                    lambda t=title, h=horizontal, data=charts[key]: self._chart(self.tr(t), h, data),
                )
        if scores is not None:
            by_cat: dict[str, list[dict]] = {}
            for unit in scores.get("units", []):
                by_cat.setdefault(unit.get("category") or "?", []).append(unit)
            for category, units in by_cat.items():
                count = -(-len(units) // ROWS_PER_SLIDE)  # slides needed; rows spread evenly over them
                size = -(-len(units) // count)
                parts = [units[i : i + size] for i in range(0, len(units), size)]
                for number, part in enumerate(parts, start=1):
                    title = self.tr("{0} {1}类单位绩效评价").format(period, category)
                    if len(parts) > 1:
                        title += f"（{number}/{len(parts)}）"
                    note = (scores.get("rule_set") or {}).get("note")
                    self._add(title, lambda part=part, note=note: self._score_slide(part, note))
        ledgers = ledgers or {}  # the ledger pages' last shown data, by stream
        for title, build in lw_slides(ledgers.get("lw"), SCALE, ROWS_PER_SLIDE):
            self._add(title, build)
        for title, build in petitions_slides(ledgers.get("petitions"), SCALE):
            self._add(title, build)
        for title, build in rectify_slides(ledgers.get("rectify"), SCALE, ROWS_PER_SLIDE):
            self._add(title, build)
        if not self.slides:
            self._add(self.tr("暂无数据"), lambda: QLabel(self.tr("请先打开“运行分析”或“绩效评价”页")))
        self.index = 0
        self.show_slide(0)

    def _add(self, title: str, build: Callable[[], QWidget]) -> None:
        self.slides.append((title, build))

    def slide_widget(self, index: int) -> QWidget:
        """The slide's widget, built the first time it is asked for."""
        if index not in self._built:
            widget = self.slides[index][1]()
            self.stack.addWidget(widget)
            self._built[index] = widget
        return self._built[index]

    def _chart(self, title: str, horizontal: bool | None, data: Bars | Trend) -> QWidget:
        chart = make_chart(title, horizontal, SCALE)
        chart.set_data(data)
        chart.item.setTitle(None)  # the slide title says it, larger
        return chart

    def _tiles(self, stats: dict) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        for i, (key, caption, _figure, is_rate) in enumerate(TILES):
            tile = Tile(self.tr(caption), scale=SCALE)
            tile.set_value(tile_value(stats, key, is_rate))
            grid.addWidget(tile, i // 4, i % 4)
        return box

    def _score_slide(self, units: list[dict], note: str | None) -> QWidget:
        """A category's score table; under it the example rule set's note (not the city's 细则)."""
        box = QWidget()
        box.table = self._score_table(units)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box.table, 1)
        if note:
            label = QLabel(note)
            label.setFont(app_font(SCALE * 0.7))
            label.setStyleSheet("color: #666")
            layout.addWidget(label)
        return box

    def _score_table(self, units: list[dict]) -> QTableWidget:
        """Ranked units, then the unranked ones (no cases: rank "—", marked 无案件), as the scores come."""
        headers = [self.tr(h) for h in ("排名", "单位", "得分", "按期结案率", "结案率", "备注")]
        rows = []
        for unit in units:
            ind = unit.get("indicators") or {}
            cells = [
                rank_text(unit.get("rank")),
                unit["unit"],
                unit.get("score"),
                f"{ind['on_time_closure_rate']}%" if ind.get("on_time_closure_rate") else "—",
                f"{ind['closure_rate']}%" if ind.get("closure_rate") else "—",
                NO_CASES_MARK if unit.get("no_cases") else "",
            ]
            rows.append(["" if value is None else str(value) for value in cells])
        table = slide_table(headers, rows, SCALE, stretch=1)
        for r, unit in enumerate(units):
            if (color := grade_color(to_decimal(unit.get("score")))) is not None:
                table.item(r, 2).setBackground(color)
        return table

    def show_slide(self, index: int) -> None:
        self.index = max(0, min(index, len(self.slides) - 1))
        title = self.slides[self.index][0]
        self.stack.setCurrentWidget(self.slide_widget(self.index))
        # the next slide is built in a turn of its own while this one is looked at: a key press then only
        # has to paint it
        QTimer.singleShot(0, self, lambda n=self.index + 1: n < len(self.slides) and self.slide_widget(n))
        self.title.setText(f"{title}　（{self.index + 1}/{len(self.slides)}）")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_Space):
            self.show_slide(self.index + 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp):
            self.show_slide(self.index - 1)
        elif key == Qt.Key.Key_Home:
            self.show_slide(0)
        elif key == Qt.Key.Key_End:
            self.show_slide(len(self.slides) - 1)
        elif key in (Qt.Key.Key_Escape, Qt.Key.Key_F11):
            self.close()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.closed.emit()
        super().closeEvent(event)
