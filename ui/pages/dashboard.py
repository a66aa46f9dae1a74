"""运行分析: the month's tiles and charts (stats_document + trend); a click opens the cases behind it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from models import browse
from models.periods import Period, parse_label
from ui.figures import CHART_SPECS, TILES, Bars, Trend, caption_text, chart_data, tile_value
from ui.pages.base import AppContext, Page
from ui.quality_panel import QualityPanel
from ui.startup import dashboard_data, freeze_startup_objects
from ui.widgets import Tile


def load_chart_module() -> None:
    """Import pyqtgraph (through ui.charts) when the first chart is built, after the tiles are painted, so a
    cold start shows the figures first. On the UI thread only: imported on another thread, pyqtgraph's copy
    of the Qt namespaces races PySide's lazy creation of its types and can crash the process."""
    import ui.charts  # noqa: F401


class DashboardPage(Page):
    title = "运行分析"

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        self.title = self.tr("运行分析")
        self.doc: dict | None = None
        self.trend_rows: list[dict] = []
        self.heading = QLabel("")
        self.heading.setObjectName("pageHeading")
        self.tiles: dict[str, Tile] = {}
        tiles = QHBoxLayout()
        for key, caption, figure, _is_rate in TILES:
            tile = Tile(self.tr(caption))
            tile.clicked.connect(lambda f=figure, c=caption: self._open_figure(f, self.tr(c)))
            self.tiles[key] = tile
            tiles.addWidget(tile)
        # The six pyqtgraph charts come after the tiles (the figures people look for first); new figures
        # then fill them one chart per event-loop turn: all six in one turn would hold the UI thread at each
        # change of period.
        self.charts: dict = {}
        self._unfilled: dict[str, Bars | Trend] = {}  # charts still to fill with the current figures, by key
        self._step_queued = False
        self.grid = QGridLayout()
        self.placeholders = []
        for index in range(6):
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            self.placeholders.append(frame)
            self.grid.addWidget(frame, index // 3, index % 3)
        for c in range(3):
            self.grid.setColumnStretch(c, 1)
        self.note = QLabel("")
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        self.quality = QualityPanel()
        self.quality.open_cases.connect(self._open_warning)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(tiles)
        layout.addWidget(self.quality)
        charts = QWidget()
        charts.setLayout(self.grid)
        layout.addWidget(charts, 1)
        layout.addWidget(self.note)

    # ------------------------------------------------------------ charts
    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        # figures trigger the charts (show_data); without any (an empty store) they are built anyway, but
        # not at once: built while the worker still computes the opening month, both would be slower.
        QTimer.singleShot(1500, self, self._schedule_step)  # self: dropped if the page is deleted

    def _schedule_step(self) -> None:
        if not self._step_queued:
            self._step_queued = True
            QTimer.singleShot(0, self, self._step)

    def _step(self) -> None:
        """Fill one chart with the new figures per event-loop turn.

        The first turn, right after the tiles, builds and fills all six at once instead: it imports
        pyqtgraph, by far the longest part, so spreading the rest over turns would only delay the charts."""
        self._step_queued = False
        if not self.charts:
            self.finish_charts()
            return
        if self._unfilled:
            key = next(iter(self._unfilled))
            self.charts[key].set_data(self._unfilled.pop(key))
            self._schedule_step()

    def _build_chart(self, index: int) -> None:
        load_chart_module()  # the first chart's turn imports pyqtgraph
        from ui.charts import make_chart

        key, title, horizontal = CHART_SPECS[index]
        chart = make_chart(self.tr(title), horizontal, fit_rows=True)  # the page scrolls
        handlers = {
            "sources": self._source_clicked,
            "channels": self._channel_clicked,
            "kinds": self._kind_clicked,
            "top_parts": lambda i: self._minor_clicked("部件", self.top_parts, i),
            "top_events": lambda i: self._minor_clicked("事件", self.top_events, i),
            "trend": self._trend_clicked,
        }
        chart.clicked.connect(lambda i, k=key, handler=handlers[key]: self._chart_clicked(k, handler, i))
        setattr(self, key, chart)
        placeholder = self.placeholders[index]
        self.grid.replaceWidget(placeholder, chart)
        placeholder.deleteLater()
        self.charts[key] = chart

    def _chart_clicked(self, key: str, handler: Callable[[int], None], index: int) -> None:
        """A chart still showing the previous figures (its refill a few turns away) ignores a click: its
        bar, read against the new period, would open cases that do not match it."""
        if key not in self._unfilled:
            handler(index)

    @property
    def charts_ready(self) -> bool:
        """All six charts built and showing the current figures."""
        return len(self.charts) == len(CHART_SPECS) and not self._unfilled

    def finish_charts(self) -> dict:
        """Build and fill what is still queued, now (a chart saved as PNG must be complete)."""
        first = not self.charts
        while len(self.charts) < len(CHART_SPECS):
            self._build_chart(len(self.charts))
        unfilled, self._unfilled = self._unfilled, {}
        for key, data in unfilled.items():
            self.charts[key].set_data(data)
        if first:
            freeze_startup_objects("charts")  # pyqtgraph's modules and the charts, as at start-up
        return self.charts

    # ------------------------------------------------------------ data
    def reload(self) -> None:
        generation = self.next_generation()
        period = self.ctx.period
        ready = self.ctx.prefetched.pop(period.label, None)
        if ready is not None:
            self.show_data(*ready)
            return
        self.heading.setText(self.tr("{0} 运行分析（计算中…）").format(period.label))
        self.ctx.run(
            dashboard_data,
            period,
            on_done=lambda result: self.current(generation) and self.show_data(*result),
            on_error=self.fail,
        )

    def show_data(self, doc: dict, trend_rows: list[dict]) -> None:
        self.doc, self.trend_rows = doc, trend_rows
        self.ctx.last_stats, self.ctx.last_trend = doc, trend_rows
        self.heading.setText(self.tr("{0} 运行分析").format(doc.get("period", "")))
        for key, _caption, _figure, is_rate in TILES:
            note = ""
            if key == "closure_rate":
                note = self.tr("应结案 {0}").format(doc.get("due_to_close", "—"))
            elif key == "disposal_rate":
                note = self.tr("应处置 {0}").format(doc.get("need_dispose", "—"))
            self.tiles[key].set_value(tile_value(doc, key, is_rate), note)
        self._unfilled = chart_data(doc, trend_rows)  # figures of an earlier period are dropped
        self._schedule_step()
        self.note.setText(caption_text(doc))
        self.quality.show_warnings(doc.get("warnings") or [])

    # ------------------------------------------------------------ drill-down
    def _open_numbers(self, period: Period, figure: str, caption: str, kind=None, minor=None) -> None:
        self.ctx.status.emit(self.tr("正在查找案件…"))
        self.ctx.run(
            browse.figure_numbers,
            period,
            figure,
            browse.CaseQuery(kind=kind, minor=minor),
            on_done=lambda numbers: (
                self.ctx.status.emit(""),
                self.ctx.open_cases.emit(browse.CaseQuery(numbers=tuple(numbers)), caption),
            ),
            on_error=self.fail,
        )

    def _open_warning(self, warning: dict) -> None:
        """A data-quality row: the cases behind it (quality.warning_cases), on 案件查询."""
        from models.quality import warning_cases  # the drill-down modules: not at start-up

        period = self.ctx.period
        text = warning.get("text", "")
        caption = f"{period.label} {self.tr('数据质量')} · {text if len(text) <= 40 else text[:39] + '…'}"
        self.ctx.status.emit(self.tr("正在查找案件…"))
        self.ctx.run(
            warning_cases,
            period,
            warning,
            on_done=lambda numbers: (
                self.ctx.status.emit(""),
                self.ctx.open_cases.emit(browse.CaseQuery(numbers=tuple(numbers)), caption),
            ),
            on_error=self.fail,
        )

    def _open_figure(self, figure: str, caption: str) -> None:
        if self.ctx.period is not None:
            self._open_numbers(self.ctx.period, figure, f"{self.ctx.period.label} {caption}")

    def _source_clicked(self, index: int) -> None:
        name = self.sources.labels[index]
        query = browse.CaseQuery(period=self.ctx.period, date_field="reported_at", source=name)
        self.ctx.open_cases.emit(query, self.tr("{0} 受理 · {1}").format(self.ctx.period.label, name))

    def _channel_clicked(self, index: int) -> None:
        channel, source = self.channels.keys[index]  # the source only where the channel's name is not enough
        query = browse.CaseQuery(period=self.ctx.period, date_field="reported_at", source=source, channel=channel)
        label = self.channels.labels[index]
        self.ctx.open_cases.emit(query, self.tr("{0} 受理 · {1}").format(self.ctx.period.label, label))

    def _kind_clicked(self, index: int) -> None:
        kind = self.kinds.labels[index]
        self._open_numbers(self.ctx.period, "filed", f"{self.ctx.period.label} {kind}", kind=kind)

    def _minor_clicked(self, kind: str, chart, index: int) -> None:
        minor = chart.labels[index]
        self._open_numbers(
            self.ctx.period, "filed", f"{self.ctx.period.label} {kind} · {minor}", kind=kind, minor=minor
        )

    def _trend_clicked(self, index: int) -> None:
        label = self.trend.months[index]
        self._open_numbers(parse_label(label), "filed", self.tr("{0} 立案").format(label))
