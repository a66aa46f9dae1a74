"""运行分析: charts that follow the period and ignore clicks until refilled."""

from __future__ import annotations

from tests.ui.conftest import settle


def test_dashboard_charts_follow_quick_period_changes_to_the_last_one(make_window, demo_copy, qtbot):
    """The charts are filled one per event-loop turn; changing the period twice before they finish must
    leave every chart on the last period's figures (no late fill from the earlier one)."""
    from models.periods import month_period

    window = make_window(demo_copy)
    dash = window.dashboard
    window.show_page(window.pages.index(dash))
    qtbot.waitUntil(lambda: dash.doc is not None and dash.charts_ready, timeout=30000)

    def showing(label: str) -> bool:
        return dash.doc is not None and dash.doc["period"] == label and dash.charts_ready

    november = (list(dash.top_parts.labels), list(dash.kinds.values), list(dash.trend.months))
    assert dash.kinds.values == [1121, 6256]

    window._set_period(month_period(2021, 10))
    qtbot.waitUntil(lambda: showing("2021-10"), timeout=30000)
    october = (list(dash.top_parts.labels), list(dash.kinds.values), list(dash.trend.months))
    assert october != november and october[2][-1] == "2021-10"

    shown = dash.doc
    window._set_period(month_period(2021, 11))
    window._set_period(month_period(2021, 10))  # before November's figures are even computed
    qtbot.waitUntil(lambda: window.tasks.idle() and dash.doc is not shown and showing("2021-10"), timeout=30000)
    settle(window)
    assert (list(dash.top_parts.labels), list(dash.kinds.values), list(dash.trend.months)) == october

    # new figures: until its refill runs, a chart ignores clicks (its bars are the previous figures);
    # exported right away it is complete (finish_charts), not half refilled
    opened = []
    window.ctx.open_cases.connect(lambda _query, caption: opened.append(caption))
    kinds = [dict(k, count=k["count"] + 1) for k in dash.doc["kinds"]]
    dash.show_data(dict(dash.doc, kinds=kinds), dash.trend_rows)
    dash.sources.clicked.emit(0)
    assert opened == []
    assert dash.finish_charts()["kinds"].values == [v + 1 for v in october[1]] and dash.charts_ready
    dash.sources.clicked.emit(0)
    assert opened == [f"2021-10 受理 · {dash.sources.labels[0]}"]


def test_a_month_without_cases_shows_no_data_on_every_chart(make_window, demo_copy, qtbot):
    """No figures: each chart says 暂无数据 on a blank frame, not the previous month's axes or 0.2–0.8 ticks."""
    import pyqtgraph as pg

    from models.periods import month_period

    window = make_window(demo_copy)
    dash = window.dashboard
    window.show_page(window.pages.index(dash))
    qtbot.waitUntil(lambda: dash.doc is not None and dash.charts_ready, timeout=30000)

    def empty(chart) -> bool:
        texts = [i.toPlainText() for i in chart.item.items if isinstance(i, pg.TextItem)]
        axes = chart.item.getAxis("left").isVisible() or chart.item.getAxis("bottom").isVisible()
        return chart.showing_empty and texts == ["暂无数据"] and not axes

    window._set_period(month_period(2021, 12))
    qtbot.waitUntil(lambda: dash.doc["period"] == "2021-12" and dash.charts_ready, timeout=30000)
    assert [key for key, chart in dash.charts.items() if empty(chart)] == [k for k in dash.charts if k != "trend"]
    assert dash.channels.labels == [] and dash.trend.months == ["2021-09", "2021-10", "2021-11", "2021-12"]
    window._set_period(month_period(2023, 6))  # nothing in the twelve months either
    qtbot.waitUntil(lambda: dash.doc["period"] == "2023-06" and dash.charts_ready, timeout=30000)
    assert all(empty(chart) for chart in dash.charts.values()) and dash.trend.months == []
    window._set_period(month_period(2021, 11))
    qtbot.waitUntil(lambda: dash.doc["period"] == "2021-11" and dash.charts_ready, timeout=30000)
    for key, chart in dash.charts.items():
        assert not chart.showing_empty and chart.item.getAxis("left").isVisible(), key
    assert dash.kinds.values == [1121, 6256]


def test_channel_labels_wrap_whole_with_a_legend_and_rows_that_do_not_overlap(make_window, demo_copy, qtbot):
    """受理渠道 at 1366×768: every label whole (wrapped, never cut with …), each row tall enough for its
    lines, and a legend naming what the bar colours stand for (the source)."""
    from PySide6.QtGui import QFontMetrics

    window = make_window(demo_copy)
    window.resize(1366, 768)
    dash = window.dashboard
    window.show_page(window.pages.index(dash))
    qtbot.waitUntil(lambda: dash.doc is not None and dash.charts_ready, timeout=30000)
    chart = dash.channels
    qtbot.waitUntil(lambda: chart.isVisible() and chart.width() > 300, timeout=5000)
    shown = chart.tick_labels()
    assert [s.replace("\n", "") for s in shown] == chart.labels and not any("…" in s for s in shown)
    assert "信息采集员自行简易处置" in chart.labels and "主城区相关企业（大型商超、市场等）普查" in chart.labels
    assert any("\n" in s for s in shown)  # the long ones did wrap
    assert "12319城管服务热线" in chart.labels and "12319\n城管服务热线" in shown  # no split number
    heights = [(s.count("\n") + 1) * QFontMetrics(chart.font_).height() for s in shown]
    row_pitch = chart.item.vb.height() / len(shown)
    assert all(row_pitch >= (a + b) / 2 for a, b in zip(heights, heights[1:], strict=False))  # no overlap
    legend = [label.text for _sample, label in chart.legend.items]
    assert legend == ["信息采集", "公众举报", "专项普查"] and chart.legend.isVisible()
    assert dash.sources.legend is None  # the sources chart names its bars itself


def test_a_blank_channel_under_two_sources_reads_as_two_bars_and_opens_its_own_cases(make_window, tmp_path, qtbot):
    from models.store import open_db
    from tests.conftest import insert_cases

    path = tmp_path / "plain.db"
    db = open_db(path)
    base = {"reported_at": "2021-11-02 08:00:00", "kind": "事件", "unit": "市城市管理局"}
    insert_cases(
        db,
        [{**base, "case_no": f"A{i}", "source": "信息采集"} for i in range(3)]
        + [{**base, "case_no": f"B{i}", "source": "公众举报"} for i in range(2)]
        + [{**base, "case_no": "C0", "source": "公众举报", "channel": "12345热线"}],
    )
    db.conn.close()
    window = make_window(path)
    dash = window.dashboard
    window.show_page(window.pages.index(dash))
    qtbot.waitUntil(lambda: dash.doc is not None and dash.charts_ready, timeout=30000)
    assert dash.channels.labels == ["未注明渠道（信息采集）", "未注明渠道（公众举报）", "12345热线"]
    assert dash.channels.values == [3, 2, 1]
    dash.channels.clicked.emit(1)
    cases = window.cases
    qtbot.waitUntil(lambda: cases.count.text() == "共 2 件", timeout=10000)
    assert sorted(cases.model.case_no(r) for r in range(cases.model.rowCount())) == ["B0", "B1"]
    assert "未注明渠道（公众举报）" in cases.banner.text()
    dash.channels.clicked.emit(2)
    qtbot.waitUntil(lambda: cases.count.text() == "共 1 件", timeout=10000)


def test_an_export_without_disposal_times_shows_disposed_as_closed_and_says_it_was_inferred(
    make_window, tmp_path, qtbot
):
    from tests.ui.conftest import plain_store

    window = make_window(plain_store(tmp_path))
    dash = window.dashboard
    window.show_page(window.pages.index(dash))
    qtbot.waitUntil(lambda: dash.doc is not None and dash.doc["period"] == "2021-11", timeout=30000)
    tiles = {key: tile.value.text() for key, tile in dash.tiles.items()}
    assert (tiles["disposed"], tiles["closed"], tiles["filed"]) == ("23", "23", "30")
    assert tiles["disposal_rate"] == "76.67%" == tiles["closure_rate"]
    assert "处置数含 23 件按结案时间推定的处置" in dash.note.text()
    # no 返工次数 / 区域 / 来源 columns either: named; 处置截止时间 given: the on-time figures stand
    assert "无法计算：返工、返工率" in dash.note.text() and "按期" not in dash.note.text()
    assert tiles["on_time_closure_rate"].endswith("%")


def test_a_figure_the_data_cannot_give_shows_a_dash_and_is_named_in_the_caption(make_window, tmp_path, qtbot):
    from importers.pipeline import import_file
    from models.store import open_db
    from tests.ui.conftest import HEADER, ROW, write_csv

    db = open_db(tmp_path / "bare.db")
    rows = [[f"20211101{i:04d}", *ROW[1:2], "2021-11-02 08:00:00", "2021-11-02 09:00:00", *ROW[4:]] for i in range(5)]
    import_file(db, write_csv(tmp_path / "bare.csv", HEADER, rows))  # no 结案时间, 处置时间, 截止时间 at all
    db.conn.close()
    window = make_window(tmp_path / "bare.db")
    dash = window.dashboard
    window.show_page(window.pages.index(dash))
    qtbot.waitUntil(lambda: dash.doc is not None and dash.doc["period"] == "2021-11", timeout=30000)
    tiles = {key: tile.value.text() for key, tile in dash.tiles.items()}
    assert tiles["filed"] == "5" and tiles["closed"] == "—" and tiles["closure_rate"] == "—"
    assert "无法计算：" in dash.note.text() and "结案率" in dash.note.text()


def test_the_data_quality_panel_lists_every_warning_and_opens_its_cases(make_window, tmp_path, qtbot):
    import pyqtgraph as pg

    from tests.ui.conftest import plain_store

    window = make_window(plain_store(tmp_path, unit_of=lambda i: "新区城管中队" if i < 6 else "市交警支队"))
    dash = window.dashboard
    window.show_page(window.pages.index(dash))
    qtbot.waitUntil(lambda: dash.doc is not None and dash.charts_ready, timeout=30000)
    panel = dash.quality
    rows = {
        panel.table.item(r, 1).text(): (panel.table.item(r, 0).text(), panel.table.item(r, 2).text())
        for r in range(panel.table.rowCount())
    }
    assert panel.isVisible() and panel.title() == f"数据质量提示（{len(dash.doc['warnings'])} 条）"
    assert [w["text"] for w in panel.warnings] == [w["text"] for w in dash.doc["warnings"]]
    unregistered = next(t for t in rows if "新区城管中队" in t)
    inferred = next(t for t in rows if t.startswith("23 件已结案案件没有处置时间"))
    assert rows[unregistered] == ("请核查", "6") and rows[inferred] == ("推定", "23")
    cases = window.cases
    panel._clicked(list(rows).index(unregistered), 1)
    qtbot.waitUntil(lambda: cases.count.text() == "共 6 件", timeout=10000)
    assert {cases.model.case_no(r) for r in range(6)} == {f"2021110{i:05d}" for i in range(6)}
    panel._clicked(list(rows).index(inferred), 2)
    qtbot.waitUntil(lambda: cases.count.text() == "共 23 件", timeout=10000)
    assert "数据质量" in cases.banner.text()
    # no 来源 column: the source charts say why they are empty instead of one bar of 未注明来源
    texts = [i.toPlainText() for i in dash.sources.item.items if isinstance(i, pg.TextItem)]
    assert texts == ["无法统计：导出缺少受理来源所需的列"] and dash.channels.showing_empty


def test_the_panel_is_hidden_for_a_month_with_nothing_to_report(make_window, demo_copy, qtbot):
    window = make_window(demo_copy)
    dash = window.dashboard
    window.show_page(window.pages.index(dash))
    qtbot.waitUntil(lambda: dash.doc is not None, timeout=30000)
    assert dash.doc["warnings"] == [] and not dash.quality.isVisible()
