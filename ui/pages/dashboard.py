"""运行分析: the month's tiles and charts (stats_document + trend); a click opens the cases behind it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from models import browse
from models.periods import Period, parse_label
from ui.pages.base import AppContext, Page
from ui.startup import dashboard_data, freeze_startup_objects
from ui.widgets import PALETTE, Tile

# (key in stats_document, caption, figure whose cases the tile opens, is a rate)
TILES = (
    ("accepted", "受理", "accepted", False),
    ("filed", "立案", "filed", False),
    ("disposed", "处置", "disposed", False),
    ("closed", "结案", "closed", False),
    ("disposal_rate", "处置率", "disposed", True),
    ("closure_rate", "结案率", "closed", True),
    ("on_time_closure_rate", "按期结案率", "closed_on_time", True),
)

TREND_SERIES = (("filed", "立案"), ("disposed", "处置"), ("closed", "结案"))

# The six charts of the dashboard and of meeting mode: key (the attribute on a dashboard-like view), title,
# bars drawn horizontally (None: the 12-month trend).
CHART_SPECS: tuple[tuple[str, str, bool | None], ...] = (
    ("sources", "受理来源", False),
    ("channels", "受理渠道", True),
    ("kinds", "部件 / 事件", False),
    ("top_parts", "高发部件小类", True),
    ("top_events", "高发事件小类", True),
    ("trend", "近12个月趋势", None),
)


def load_chart_module() -> None:
    """Import pyqtgraph (through ui.charts), ~0.7 s, when the first chart is built: after the tiles are
    painted, so a cold start shows the figures first. On the UI thread only: imported on the worker it
    crashed one start in thirty (SIGSEGV in pyqtgraph's copy of the Qt namespaces, racing PySide's lazy
    creation of its types on the UI thread); imported before the window, it delayed the tiles and the
    charts alike (cold start 1.7–1.8 → 2.0–2.1 s)."""
    import ui.charts  # noqa: F401


def figure_numbers(db, period: Period, figure: str, kind: str | None = None, minor: str | None = None) -> list[str]:
    from models.drilldown import case_numbers

    return case_numbers(db, period, figure, kind=kind, minor=minor)


def tile_value(doc: dict, key: str, is_rate: bool) -> str:
    value = doc.get(key)
    if key == "accepted" and isinstance(value, dict):
        value = value.get("total")
    if is_rate:
        return "—" if value is None else f"{value}%"
    return "—" if value is None else f"{int(value):,}"


class DashboardPage(Page):
    title = "运行分析"

    def __init__(self, ctx: AppContext, parent=None, *, scale: float = 1.0):
        super().__init__(ctx, parent)
        self.title = self.tr("运行分析")
        self.doc: dict | None = None
        self.trend_rows: list[dict] = []
        self.heading = QLabel("")
        self.heading.setObjectName("pageHeading")
        self.tiles: dict[str, Tile] = {}
        tiles = QHBoxLayout()
        for key, caption, figure, _is_rate in TILES:
            tile = Tile(self.tr(caption), scale=scale)
            tile.clicked.connect(lambda f=figure, c=caption: self._open_figure(f, self.tr(c)))
            self.tiles[key] = tile
            tiles.addWidget(tile)
        # The six pyqtgraph charts come after the tiles (the figures people look for first); new figures
        # then fill them one chart per event-loop turn (~30 ms each): all six at once held the UI thread
        # 150–250 ms at each change of period.
        self.scale = scale
        self.charts: dict = {}
        self._fills: dict[str, Callable[[], None]] = {}  # charts still to fill with the current figures
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
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(tiles)
        charts = QWidget()
        charts.setLayout(self.grid)
        layout.addWidget(charts, 1)
        layout.addWidget(self.note)

    # ------------------------------------------------------------ charts
    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        # figures trigger the charts (show_data); without any (an empty store) they are built anyway. Not
        # at once: building them while the worker still computes the opening month slowed both by 0.3 s.
        QTimer.singleShot(1500, self, self._schedule_step)  # self: dropped if the page is deleted

    def _schedule_step(self) -> None:
        if not self._step_queued:
            self._step_queued = True
            QTimer.singleShot(0, self, self._step)

    def _step(self) -> None:
        """Fill one chart with the new figures per event-loop turn.

        The first turn, right after the tiles, builds and fills all six at once instead: it imports
        pyqtgraph (~0.7 s) anyway, so spreading the rest over turns would only delay the charts."""
        self._step_queued = False
        if not self.charts:
            self.finish_charts()
            return
        if self._fills:
            key = next(iter(self._fills))
            self._fills.pop(key)()
            self._schedule_step()

    def _build_chart(self, index: int) -> None:
        load_chart_module()  # the first chart's turn imports pyqtgraph
        from ui.charts import make_chart

        key, title, horizontal = CHART_SPECS[index]
        chart = make_chart(self.tr(title), horizontal, self.scale)
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
        if key not in self._fills:
            handler(index)

    @property
    def charts_ready(self) -> bool:
        """All six charts built and showing the current figures."""
        return len(self.charts) == len(CHART_SPECS) and not self._fills

    def finish_charts(self) -> dict:
        """Build and fill what is still queued, now (a chart saved as PNG must be complete)."""
        first = not self.charts
        while len(self.charts) < len(CHART_SPECS):
            self._build_chart(len(self.charts))
        fills, self._fills = self._fills, {}
        for fill in fills.values():
            fill()
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
        self._fills = chart_fills(self, doc, trend_rows)  # figures of an earlier period are dropped
        self._schedule_step()
        defs = doc.get("definitions") or {}
        self.note.setText(
            self.tr("口径：应结案数 = {0}；统计截止：{1}；点击数字、柱或点可查看对应案件。").format(
                self.tr("立案数") if defs.get("due_to_close", "filed") == "filed" else self.tr("处置数 + 超期未处置数"),
                doc.get("as_of", "—"),
            )
        )

    # ------------------------------------------------------------ drill-down
    def _open_numbers(self, period: Period, figure: str, caption: str, kind=None, minor=None) -> None:
        self.ctx.status.emit(self.tr("正在查找案件…"))
        self.ctx.run(
            figure_numbers,
            period,
            figure,
            kind,
            minor,
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
        name = self.channels.labels[index]
        query = browse.CaseQuery(period=self.ctx.period, date_field="reported_at", channel=name)
        self.ctx.open_cases.emit(query, self.tr("{0} 受理 · {1}").format(self.ctx.period.label, name))

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


def chart_fills(view, doc: dict, trend_rows: list[dict]) -> dict[str, Callable[[], None]]:
    """How to fill each chart of a dashboard-like view (the page, a meeting slide) with `doc`, by key.

    One callable per chart, so the page can fill one per event-loop turn and a slide only its own chart."""
    defs = doc.get("definitions") or {}
    sources = (doc.get("accepted") or {}).get("sources") or []
    source_color = {s["name"]: PALETTE[i % len(PALETTE)] for i, s in enumerate(sources)}
    channels = sorted(
        ((c["name"], c["count"], s["name"]) for s in sources for c in s.get("channels", [])),
        key=lambda t: (-t[1], t[0]),
    )
    kinds = doc.get("kinds") or []
    limits = {"部件": int(defs.get("top_parts", 6)), "事件": int(defs.get("top_events", 8))}

    def top_bars(key: str, kind: str, color: str) -> Callable[[], None]:
        top = next((k.get("top", []) for k in kinds if k["name"] == kind), [])[: limits[kind]]
        names, counts = [t["name"] for t in top], [t["count"] for t in top]
        return lambda: getattr(view, key).set_data(names, counts, colors=[color] * len(top))

    while len(trend_rows) > 1 and not (trend_rows[0].get("accepted") or trend_rows[0].get("filed")):
        trend_rows = trend_rows[1:]  # months before the first import are not "zero cases"
    months = [row["period"] for row in trend_rows]
    series = {
        label: [row.get(key) for row in trend_rows]
        for key, label in TREND_SERIES
        if trend_rows and key in trend_rows[0]
    }
    return {
        "sources": lambda: view.sources.set_data(
            [s["name"] for s in sources],
            [s["count"] for s in sources],
            colors=[source_color[s["name"]] for s in sources],
        ),
        "channels": lambda: view.channels.set_data(
            [c[0] for c in channels], [c[1] for c in channels], colors=[source_color[c[2]] for c in channels]
        ),
        "kinds": lambda: view.kinds.set_data(
            [k["name"] for k in kinds],
            [k["count"] for k in kinds],
            colors=[PALETTE[i % len(PALETTE)] for i in range(len(kinds))],
            value_texts=[f"{k['count']:,}（{k['share']}%）" if k.get("share") else f"{k['count']:,}" for k in kinds],
        ),
        "top_parts": top_bars("top_parts", "部件", PALETTE[0]),
        "top_events": top_bars("top_events", "事件", PALETTE[1]),
        "trend": lambda: view.trend.set_data(months, series),
    }
