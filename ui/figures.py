"""The dashboard's figures as data: its tiles and six charts (what each shows, the values to fill it with).

The 运行分析 page and meeting mode both read this module, so a slide shows exactly what the page shows. No
pyqtgraph here: the figures are prepared before ui.charts (and pyqtgraph) is imported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from models.labels import UNAVAILABLE_MARK, definition_value_text, figure_label

# Chart colours (bars, series).
PALETTE = ("#2f6fb3", "#e07b39", "#4a9a5b", "#b8463e", "#7d5ba6", "#8c6d3f", "#c45a9c", "#6b7a8f")

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

# The six charts: key, title, bars drawn horizontally (None: the 12-month trend).
CHART_SPECS: tuple[tuple[str, str, bool | None], ...] = (
    ("sources", "受理来源", False),
    ("channels", "受理渠道", True),
    ("kinds", "部件 / 事件", False),
    ("top_parts", "高发部件小类", True),
    ("top_events", "高发事件小类", True),
    ("trend", "近12个月趋势", None),
)


@dataclass(frozen=True)
class Bars:
    """One bar chart's content: a bar per label, its colour and the text written beside it."""

    labels: list[str]
    values: list[int]
    colors: list[str]
    value_texts: list[str] | None = None  # None: the count, with thousands separators
    legend: tuple[tuple[str, str], ...] = ()  # (name, colour) when the colours stand for something
    keys: list | None = None  # what a click on each bar selects, when not its label
    note: str = ""  # why the chart is empty, when not simply no cases (a column the export lacks)

    @property
    def empty(self) -> bool:
        """Nothing to draw: the chart says 暂无数据 instead of an empty frame with 0.2–0.8 ticks."""
        return not any(self.values)


@dataclass(frozen=True)
class Trend:
    """The trend chart's content: the months on the axis and one line per series."""

    months: list[str]
    series: dict[str, list[int | None]]
    note: str = ""

    @property
    def empty(self) -> bool:
        return not any(v for values in self.series.values() for v in values if v is not None)


def tile_value(doc: dict, key: str, is_rate: bool) -> str:
    """A tile's figure; "—" for one the data cannot give (a missing column: stats' `unavailable`), never 0."""
    value = doc.get(key)
    if key == "accepted" and isinstance(value, dict):
        value = value.get("total")
    if key in (doc.get("unavailable") or ()):
        return UNAVAILABLE_MARK
    if is_rate:
        return "—" if value is None else f"{value}%"
    return "—" if value is None else f"{int(value):,}"


def caption_text(doc: dict) -> str:
    """The dashboard's caption: the definitions the figures follow, what was inferred (处置 from 结案时间) and
    what the data cannot give, in the office's words."""
    defs = doc.get("definitions") or {}
    parts = [
        f"口径：应结案数 = {definition_value_text('due_to_close', defs.get('due_to_close', 'filed'))}；"
        f"统计截止：{definition_value_text('as_of', doc.get('as_of') or '—')}。"
    ]
    inferred = (defs.get("disposed_source") or {}).get("inferred") or 0
    if inferred:
        parts.append(f"处置数含 {inferred:,} 件按结案时间推定的处置（导出没有处置时间，已结案即计为已处置）。")
    unavailable = [figure_label(f) for f in doc.get("unavailable") or ()]
    if unavailable:
        parts.append(f"导出缺少所需的列，无法计算：{'、'.join(unavailable)}（显示为“{UNAVAILABLE_MARK}”）。")
    parts.append("点击数字、柱或点可查看对应案件。")
    return "".join(parts)


def chart_data(doc: dict, trend_rows: list[dict]) -> dict[str, Bars | Trend]:
    """What each chart of CHART_SPECS shows for the statistics document `doc` and its trend, by key."""
    defs = doc.get("definitions") or {}
    sources = (doc.get("accepted") or {}).get("sources") or []
    source_color = {s["name"]: PALETTE[i % len(PALETTE)] for i, s in enumerate(sources)}
    channels = sorted(
        ((c["name"], c["count"], s["name"]) for s in sources for c in s.get("channels", [])),
        key=lambda t: (-t[1], t[0]),
    )
    # a channel name under two sources (未注明渠道 of 信息采集 and of 公众举报) would read as two equal bars
    repeated = {name for name, n in Counter(c[0] for c in channels).items() if n > 1}
    kinds = doc.get("kinds") or []
    limits = {"部件": int(defs.get("top_parts", 6)), "事件": int(defs.get("top_events", 8))}

    def top_bars(kind: str, color: str) -> Bars:
        top = next((k.get("top", []) for k in kinds if k["name"] == kind), [])[: limits[kind]]
        return Bars([t["name"] for t in top], [t["count"] for t in top], [color] * len(top))

    gone = set(doc.get("unavailable") or ())

    def unavailable(section: str, bars: Bars) -> Bars:
        """A breakdown the export cannot give (no 来源 column: every record under 未注明来源) says so."""
        if section not in gone:
            return bars
        return Bars([], [], [], note=f"无法统计：导出缺少{figure_label(section).removesuffix('分布')}所需的列")

    while len(trend_rows) > 1 and not (trend_rows[0].get("accepted") or trend_rows[0].get("filed")):
        trend_rows = trend_rows[1:]  # months before the first import are not "zero cases"
    series = {
        label: [row.get(key) for row in trend_rows]
        for key, label in TREND_SERIES
        if trend_rows and key in trend_rows[0]
    }
    return {
        "sources": unavailable(
            "sources",
            Bars([s["name"] for s in sources], [s["count"] for s in sources], list(source_color.values())),
        ),
        "channels": unavailable(
            "sources",
            Bars(
                [f"{name}（{source}）" if name in repeated else name for name, _count, source in channels],
                [c[1] for c in channels],
                [source_color[c[2]] for c in channels],
                keys=[(name, source if name in repeated else None) for name, _count, source in channels],
                legend=tuple((s["name"], source_color[s["name"]]) for s in sources if s.get("channels")),
            ),
        ),
        "kinds": unavailable(
            "kinds",
            Bars(
                [k["name"] for k in kinds],
                [k["count"] for k in kinds],
                [PALETTE[i % len(PALETTE)] for i in range(len(kinds))],
                [f"{k['count']:,}（{k['share']}%）" if k.get("share") else f"{k['count']:,}" for k in kinds],
            ),
        ),
        "top_parts": unavailable("top", top_bars("部件", PALETTE[0])),
        "top_events": unavailable("top", top_bars("事件", PALETTE[1])),
        "trend": Trend([row["period"] for row in trend_rows], series),
    }
