"""pyqtgraph charts for the dashboard and meeting mode: bars with count labels, and the 12-month trend.

Every chart emits `clicked(index)` for the bar or point under the mouse so the page can open the cases
behind it; `save_png` grabs the widget as it is painted (what the meeting slides need).
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QGraphicsItem, QVBoxLayout, QWidget

from ui.figures import PALETTE, Bars, Trend
from ui.fonts import app_font

pg.setConfigOptions(antialias=True, background="w", foreground="#333333")

NO_DATA = "暂无数据"


class _Chart(QWidget):
    clicked = Signal(int)

    def __init__(self, title: str, parent: QWidget | None = None, scale: float = 1.0):
        super().__init__(parent)
        self.scale = scale
        self.title = title
        self.showing_empty = False
        self.font_ = app_font(scale)
        # no context menus: not used here, and building one per chart slows its construction
        self.plot = pg.PlotWidget(enableMenu=False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setBackground("w")
        self.item = self.plot.getPlotItem()
        self.item.setTitle(title, size=f"{int(12 * scale)}pt", color="#222222")
        self.item.titleLabel.item.setFont(app_font(scale * 1.2))
        for name in ("left", "bottom"):
            axis = self.item.getAxis(name)
            axis.setStyle(tickFont=self.font_)
            axis.setTextPen("#333333")
            # Drawing an axis with its Chinese labels is most of a chart's paint; cached as a pixmap it is
            # redrawn only when it changes, not each time the page is shown again.
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.plot.scene().sigMouseClicked.connect(self._scene_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def _scene_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.scenePos()
        if not self.item.vb.sceneBoundingRect().contains(pos):
            return
        index = self.index_at(self.item.vb.mapSceneToView(pos))
        if index is not None:
            self.clicked.emit(index)

    def index_at(self, point: QPointF) -> int | None:  # pragma: no cover - overridden
        return None

    def _start(self, empty: bool, note: str = "") -> bool:
        """Clear the plot for new content; without any, write 暂无数据 (or `note`: why not) on a blank frame
        (no axes, so none of the previous figures' ticks or pyqtgraph's 0–1 default). Returns whether there
        is something to draw."""
        self.item.clear()
        self.showing_empty = empty
        for name in ("left", "bottom"):
            self.item.showAxis(name, not empty)
        if empty:
            text = note or QCoreApplication.translate("charts", NO_DATA)
            message = self._text(text, color="#888888", anchor=(0.5, 0.5))
            message.setFont(app_font(self.scale * 1.4))
            message.setPos(0.5, 0.5)
            self.item.addItem(message)
            self.item.setXRange(0, 1, padding=0)
            self.item.setYRange(0, 1, padding=0)
        return not empty

    def save_png(self, path: Path) -> bool:
        """The chart as shown, through the exporters' save path (raises ExportError with the reason)."""
        return save_image(self.grab().toImage(), path)

    def _text(self, text: str, color: str = "#222222", anchor=(0, 0.5)) -> pg.TextItem:
        item = pg.TextItem(text, color=color, anchor=anchor)
        item.setFont(self.font_)
        return item


class BarChart(_Chart):
    """Bars with a count label each. Horizontal charts list the first item at the top (rank order).

    Long labels (信息采集员自行简易处置, census names) wrap onto lines that fit the chart's width instead of
    being cut; on a page that scrolls (fit_rows), a horizontal chart asks for the height its rows need. Colours that
    stand for something (受理渠道: the source) get a legend."""

    def __init__(
        self,
        title: str,
        parent: QWidget | None = None,
        *,
        horizontal: bool = False,
        scale: float = 1.0,
        fit_rows: bool = False,
    ):
        super().__init__(title, parent, scale)
        self.horizontal = horizontal
        self.fit_rows = fit_rows  # ask for the height the wrapped rows need (a chart on a scrolling page)
        self.labels: list[str] = []
        self.values: list[int] = []
        self.keys: list = []  # what a click on each bar selects (Bars.keys, else the labels)
        self.legend = None
        self.item.showGrid(x=horizontal, y=not horizontal, alpha=0.2)

    def set_data(self, bars: Bars) -> None:
        labels = bars.labels
        self.labels, self.values = list(labels), [int(v) for v in bars.values]
        self.keys = list(bars.keys) if bars.keys is not None else list(labels)
        n = len(self.values)
        self._set_legend(bars.legend if not bars.empty else ())
        if not self._start(bars.empty, bars.note):
            self.labels, self.values = [], []
            self.setMinimumHeight(0)
            return
        colors = list(bars.colors)
        colors += [PALETTE[0]] * (n - len(colors))  # pyqtgraph reads one brush per bar, unchecked
        brushes = [pg.mkBrush(QColor(c)) for c in colors]
        texts = bars.value_texts or [f"{v:,}" for v in self.values]
        top = max(self.values) or 1
        positions = list(range(n))
        if self.horizontal:
            ys = [n - 1 - i for i in positions]
            bars = pg.BarGraphItem(x0=0, y=ys, height=0.6, width=self.values, brushes=brushes, pens=[None] * n)
            self.item.addItem(bars)
            for y, v, t in zip(ys, self.values, texts, strict=True):
                label = self._text(" " + t, anchor=(0, 0.5))
                label.setPos(v, y)
                self.item.addItem(label)
            self.item.getAxis("bottom").setTicks(None)
            self.item.setXRange(0, top * 1.35, padding=0)
            self.item.setYRange(-0.6, n - 0.4, padding=0)
        else:
            bars = pg.BarGraphItem(x=positions, height=self.values, width=0.6, brushes=brushes, pens=[None] * n)
            self.item.addItem(bars)
            for x, v, t in zip(positions, self.values, texts, strict=True):
                label = self._text(t, anchor=(0.5, 1))
                label.setPos(x, v)
                self.item.addItem(label)
            self.item.getAxis("left").setTicks(None)
            self.item.setYRange(0, top * 1.18, padding=0)
            self.item.setXRange(-0.6, n - 0.4, padding=0)
        self._label_axis()

    def _set_legend(self, entries) -> None:
        if self.legend is None and not entries:
            return
        if self.legend is None:
            self.legend = self.item.addLegend(offset=(-10, -10), labelTextSize=f"{int(9 * self.scale)}pt")
        self.legend.clear()
        for name, color in entries:
            sample = pg.BarGraphItem(x=[0], height=[1], width=1, brush=pg.mkBrush(QColor(color)), pen=None)
            self.legend.addItem(sample, name)
        self.legend.setVisible(bool(entries))

    def tick_labels(self) -> list[str]:
        """The category axis' labels as drawn (wrapped to the chart's current width)."""
        return [_wrap(label, self._line_chars()) for label in self.labels]

    def _line_chars(self) -> int:
        """Characters per label line: a horizontal chart gives its labels a third of its width; a vertical
        one, each bar's share of the width."""
        char = QFontMetrics(self.font_).horizontalAdvance("汉")
        width = max(self.width(), 300 * self.scale)
        room = width * 0.34 if self.horizontal else width * 0.85 / max(len(self.labels), 1)
        return max(4, int(room // char))

    def _label_axis(self) -> None:
        n = len(self.labels)
        if not n:
            return
        texts = self.tick_labels()
        if self.horizontal:
            self.item.getAxis("left").setTicks([list(zip(range(n - 1, -1, -1), texts, strict=True))])
            if self.fit_rows:
                self.setMinimumHeight(self.rows_height(texts))
        else:
            self.item.getAxis("bottom").setTicks([list(enumerate(texts))])

    def rows_height(self, texts: list[str]) -> int:
        """The height at which no two neighbouring wrapped labels overlap: each row at least half of each
        neighbour's lines apart, plus the title and the value axis."""
        line = QFontMetrics(self.font_).height()
        heights = [(t.count("\n") + 1) * line for t in texts]
        pitch = max([(a + b) / 2 for a, b in zip(heights, heights[1:], strict=False)] or heights)
        return int(len(texts) * (pitch + 4 * self.scale) + 4 * line)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._label_axis()

    def index_at(self, point: QPointF) -> int | None:
        n = len(self.values)
        if not n:
            return None
        if self.horizontal:
            i = n - 1 - round(point.y())
            inside = 0 <= i < n and abs(point.y() - (n - 1 - i)) <= 0.35
        else:
            i = round(point.x())
            inside = 0 <= i < n and abs(point.x() - i) <= 0.35
        return i if inside else None


class TrendChart(_Chart):
    """Monthly series as lines with dots; a click picks the nearest month."""

    def __init__(self, title: str, parent: QWidget | None = None, *, scale: float = 1.0):
        super().__init__(title, parent, scale)
        self.months: list[str] = []
        self.item.showGrid(x=False, y=True, alpha=0.2)
        self.legend = self.item.addLegend(offset=(-10, -10), labelTextSize=f"{int(9 * scale)}pt")  # bottom right

    def set_data(self, trend: Trend) -> None:
        months, series = trend.months, trend.series
        self.months = [] if trend.empty else list(months)
        if not self._start(trend.empty, trend.note):
            return
        xs = list(range(len(months)))
        top = 1
        for k, (name, values) in enumerate(series.items()):
            color = PALETTE[k % len(PALETTE)]
            ys = [float("nan") if v is None else float(v) for v in values]
            top = max([top, *[v for v in values if v is not None]])
            self.item.plot(
                xs,
                ys,
                pen=pg.mkPen(color, width=2 * self.scale),
                symbol="o",
                symbolSize=int(7 * self.scale),
                symbolBrush=color,
                symbolPen=None,
                name=name,
            )
        step = 1 if len(months) <= 6 else 2
        ticks = [(x, m[2:] if len(m) == 7 else m) for x, m in zip(xs, months, strict=True)]
        self.item.getAxis("bottom").setTicks([ticks[::step], ticks])
        self.item.setXRange(-0.5, max(len(months) - 0.5, 0.5), padding=0)
        self.item.setYRange(0, top * 1.15, padding=0)

    def index_at(self, point: QPointF) -> int | None:
        if not self.months:
            return None
        i = round(point.x())
        return i if 0 <= i < len(self.months) else None


def save_image(image, path: Path) -> bool:
    """A QImage as PNG through the exporters' one save path (raises ExportError naming the reason)."""
    from exporters.saving import write_file

    def write(temp: Path) -> None:
        if not image.save(str(temp), "PNG"):
            raise OSError(0, "图片编码失败")

    write_file(path, write)
    return True


def make_chart(
    title: str, horizontal: bool | None, scale: float = 1.0, *, fit_rows: bool = False
) -> BarChart | TrendChart:
    """One chart of ui.figures.CHART_SPECS: bars (horizontal or not), or the trend when None."""
    if horizontal is None:
        return TrendChart(title, scale=scale)
    return BarChart(title, horizontal=horizontal, scale=scale, fit_rows=fit_rows)


def _wrap(label: str, width: int) -> str:
    """The label on as few lines of at most `width` characters as it needs, the lines of even length. A break
    prefers the edge of a number or Latin word, or the end of a clause (12319｜城管服务热线, 大型商超、｜市场),
    never splits a number or starts a line with closing punctuation."""
    if len(label) <= width:
        return label
    count = -(-len(label) // width)
    size = -(-len(label) // count)
    lines, start = [], 0
    while len(label) - start > width:
        cut = min(
            range(start + max(1, size - 2), min(start + width, len(label) - 1) + 1),
            key=lambda c: (_break_cost(label, c), abs(c - start - size)),
        )
        lines.append(label[start:cut])
        start = cut
    lines.append(label[start:])
    return "\n".join(lines)


def _break_cost(label: str, cut: int) -> int:
    """How bad breaking `label` before position `cut` reads: 0 at a script edge, after a clause's end or before
    a bracket, 1 between two Chinese characters, 3 inside a bracket's edge or before closing punctuation, 4
    inside a number or Latin word."""
    left, right = label[cut - 1], label[cut]
    if _joined(left, right):
        return 4
    if right in "）)、，,。；;：:" or left in "（(":
        return 3
    if left.isascii() != right.isascii() or left in "、，,；;）)" or right in "（(":
        return 0
    return 1


def _joined(left: str, right: str) -> bool:
    return left.isascii() and right.isascii() and left.isalnum() and right.isalnum()


SLIDE_SIZE = (1920, 1080)
SLIDE_SCALE = 1.8  # meeting mode's type size: a 1080p slide read from the back of a room


def slide_image(title: str, horizontal: bool | None, data: Bars | Trend, size: tuple[int, int] = SLIDE_SIZE):
    """One chart as a 1920×1080 slide image (QImage) with its title, drawn at meeting-mode size off screen."""
    chart = make_chart(title, horizontal, SLIDE_SCALE)
    chart.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    chart.setStyleSheet("background: white")
    chart.layout().setContentsMargins(48, 32, 64, 32)
    chart.resize(*size)
    chart.show()  # laid out as shown (axes sized to their labels), never on screen
    chart.set_data(data)
    chart.resize(*size)
    # the first paint measures the tick labels and widens the axes; the layout that follows, then a second
    # paint, draws them
    chart.grab()
    QCoreApplication.processEvents()
    image = chart.grab().toImage()
    chart.close()
    chart.deleteLater()
    return image
