"""pyqtgraph charts for the dashboard and meeting mode: bars with count labels, and the 12-month trend.

Every chart emits `clicked(index)` for the bar or point under the mouse so the page can open the cases
behind it; `save_png` grabs the widget as it is painted (what the meeting slides need).
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, Qt, Signal
from PySide6.QtGui import QColor
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

    def _start(self, empty: bool) -> bool:
        """Clear the plot for new content; without any, write 暂无数据 on a blank frame (no axes, so none of
        the previous figures' ticks or pyqtgraph's 0–1 default). Returns whether there is something to draw."""
        self.item.clear()
        self.showing_empty = empty
        for name in ("left", "bottom"):
            self.item.showAxis(name, not empty)
        if empty:
            message = self._text(QCoreApplication.translate("charts", NO_DATA), color="#888888", anchor=(0.5, 0.5))
            message.setFont(app_font(self.scale * 1.4))
            message.setPos(0.5, 0.5)
            self.item.addItem(message)
            self.item.setXRange(0, 1, padding=0)
            self.item.setYRange(0, 1, padding=0)
        return not empty

    def save_png(self, path: Path) -> bool:
        """The chart as shown, through the exporters' save path (raises ExportError with the reason)."""
        from exporters.saving import write_file

        image = self.grab()

        def write(temp: Path) -> None:
            if not image.save(str(temp), "PNG"):
                raise OSError(0, "图片编码失败")

        write_file(path, write)
        return True

    def _text(self, text: str, color: str = "#222222", anchor=(0, 0.5)) -> pg.TextItem:
        item = pg.TextItem(text, color=color, anchor=anchor)
        item.setFont(self.font_)
        return item


class BarChart(_Chart):
    """Bars with a count label each. Horizontal charts list the first item at the top (rank order)."""

    def __init__(self, title: str, parent: QWidget | None = None, *, horizontal: bool = False, scale: float = 1.0):
        super().__init__(title, parent, scale)
        self.horizontal = horizontal
        self.labels: list[str] = []
        self.values: list[int] = []
        self.item.showGrid(x=horizontal, y=not horizontal, alpha=0.2)

    def set_data(self, bars: Bars) -> None:
        labels = bars.labels
        self.labels, self.values = list(labels), [int(v) for v in bars.values]
        n = len(self.values)
        if not self._start(bars.empty):
            self.labels, self.values = [], []
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
            self.item.getAxis("left").setTicks([[(y, _short(lab)) for y, lab in zip(ys, labels, strict=True)]])
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
            self.item.getAxis("bottom").setTicks([[(x, _short(lab)) for x, lab in zip(positions, labels, strict=True)]])
            self.item.getAxis("left").setTicks(None)
            self.item.setYRange(0, top * 1.18, padding=0)
            self.item.setXRange(-0.6, n - 0.4, padding=0)

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
        if not self._start(trend.empty):
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


def make_chart(title: str, horizontal: bool | None, scale: float = 1.0) -> BarChart | TrendChart:
    """One chart of ui.figures.CHART_SPECS: bars (horizontal or not), or the trend when None."""
    if horizontal is None:
        return TrendChart(title, scale=scale)
    return BarChart(title, horizontal=horizontal, scale=scale)


def _short(label: str, limit: int = 9) -> str:
    """Axis labels stay readable: long census names (主城区相关企业（大型商超、市场等）普查) are cut."""
    return label if len(label) <= limit else label[: limit - 1] + "…"
