"""Page by page: mapping correction and rejected rows, the lazy case table, overdue lights, exports, settings."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QModelIndex

from models import browse
from models.store import connect
from tests.ui.conftest import settle


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_import_page_corrects_a_column_mapping_and_shows_rejected_rows(make_window, tmp_path, qtbot, script):
    header = ["编号", "处置单位", "上报时间", "立案时间", "问题类型", "小类"]
    rows = [
        ["202203010001", "市交警支队", "2022-03-01 08:00:00", "2022-03-01 09:00:00", "事件", "车辆违停"],
        ["202203010002", "市交警支队", "2022-03-01 08:10:00", "2022-03-01 09:10:00", "事件", "车辆违停"],
        ["202203010003", "市交警支队", "不是日期", "2022-03-01 09:20:00", "事件", "车辆违停"],
    ]
    path = _write_csv(tmp_path / "三月.csv", header, rows)
    window = make_window(tmp_path / "store.db")
    page = window.imports
    window.show_page(window.pages.index(page))
    page.add_files([path])
    qtbot.waitUntil(lambda: path in page.previews, timeout=30000)
    assert page.missing_required(path) == ["case_no"]  # "编号" is no known alias of 案件编号
    assert "缺少必需的列：案件编号" in page.validation.text()
    assert not page.start.isEnabled()
    assert page.preview.rowCount() == 3 and page.preview.horizontalHeaderItem(0).text() == "编号"

    page.set_mapping(path, "case_no", "编号")  # what choosing 编号 in the 案件编号 row's combo does
    assert page.missing_required(path) == []
    assert page.start.isEnabled()
    page.start.click()
    qtbot.waitUntil(lambda: page.job is None, timeout=60000)
    report = page.reports[0]
    assert (report.inserted, report.rejected, report.refused) == (2, 1, False)
    settle(window)
    assert page.history.table.rowCount() == 1
    page.history.table.selectRow(0)
    assert page.history.rejected.rowCount() == 1
    assert page.history.rejected.item(0, 0).text() == "4"  # the file's 4th line
    assert "上报时间" in (page.history.rejected.item(0, 1).text() + page.history.rejected.item(0, 2).text())

    out = tmp_path / "rejected.csv"
    script.save_paths = [out]
    page.history.export_rejected.click()
    settle(window)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("行号,列,原因") and "不是日期" in lines[1]
    assert script.warnings == []


def test_case_table_reads_lazily_by_pages_and_opens_a_case(make_window, demo_copy, qtbot):
    window = make_window(demo_copy)
    page = window.cases
    window.show_page(window.pages.index(page))
    page.date_field.setCurrentIndex(page.date_field.findData("reported_at"))
    page.apply_filters()
    settle(window)
    model = page.model
    assert model.rowCount() == 200 and model.canFetchMore(QModelIndex())
    assert page.count.text() == "共 55603 件"
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > 200, timeout=5000)
    first = [model.case_no(r) for r in range(model.rowCount())]
    assert first == sorted(first) and len(set(first)) == len(first)

    page.search.setText("202111160744")
    page.apply_filters()
    settle(window)
    assert model.rowCount() == 1 and model.case_no(0) == "202111160744"
    dialog = page.open_case("202111160744")
    labels = [dialog.fields.item(r, 0).text() for r in range(dialog.fields.rowCount())]
    assert "案件编号" in labels and "处置单位" in labels and "来源文件" in labels
    assert dialog.raw.rowCount() > 10  # the exported row's original cells
    dialog.close()


def test_case_filters_narrow_by_unit_kind_and_light(make_window, demo_copy, qtbot):
    window = make_window(demo_copy)
    page = window.cases
    window.show_page(window.pages.index(page))
    settle(window)
    page.unit.setCurrentText("芗城区城市管理局")
    page.kind.setCurrentIndex(page.kind.findData("事件"))
    page.apply_filters()
    settle(window)
    db = connect(demo_copy, readonly=True)
    expected = browse.count_cases(db, page.current_query())
    assert expected > 0 and page.count.text() == f"共 {expected} 件"
    page.light.setCurrentIndex(page.light.findData("light_red"))
    page.apply_filters()
    settle(window)
    from models.drilldown import case_numbers

    red = case_numbers(db, window.ctx.period, "light_red", unit="芗城区城市管理局", kind="事件")
    assert page.model.rowCount() == len(red) and page.count.text() == f"共 {len(red)} 件"
    db.conn.close()


def test_overdue_page_groups_lights_by_unit_and_exports(make_window, demo_copy, qtbot, script, tmp_path):
    window = make_window(demo_copy)
    page = window.overdue
    narrowest = window.minimumSizeHint().width()
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: bool(page.lights) and page.lights_shown, timeout=30000)
    settle(window)
    assert window.minimumSizeHint().width() == narrowest  # the summary wraps: it widened the window 906 → 997
    assert page.as_of_value().strftime("%Y-%m-%d %H:%M:%S") == "2021-11-30 23:59:59"
    total_children = sum(page.model.item(r).rowCount() for r in range(page.model.rowCount()))
    assert total_children == len(page.lights)
    red = sum(1 for c in page.lights if c.light == "red")
    assert f"红灯 {red}" in page.summary.text()
    out = tmp_path / "lights.xlsx"
    script.save_paths = [out]
    page.export.click()
    settle(window)
    ws = load_workbook(out).active
    assert ws.max_row == len(page.lights) + 2
    assert {ws.cell(r, 6).value for r in range(3, ws.max_row + 1)} <= {"绿灯", "黄灯", "红灯"}


def test_exports_page_writes_bulletin_case_list_and_chart_png(make_window, demo_copy, qtbot, tmp_path):
    window = make_window(demo_copy)
    window.show_page(window.pages.index(window.dashboard))
    qtbot.waitUntil(lambda: window.dashboard.doc is not None and window.dashboard.charts_ready, timeout=30000)
    page = window.exports
    window.show_page(window.pages.index(page))
    page.make_bulletin()
    settle(window)
    text = page.bulletin.toPlainText()
    assert "55603" in text and "96.26%" in text
    page.copy_bulletin()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == text
    page.save_bulletin(tmp_path / "通报.txt")
    settle(window)
    assert (tmp_path / "通报.txt").read_text(encoding="utf-8-sig") == text

    page.figure.setCurrentIndex(page.figure.findData("closed"))
    page.unit.setText("芗城区城市管理局")
    page.export_cases(tmp_path / "cases.xlsx")
    settle(window)
    assert page.last_written == tmp_path / "cases.xlsx" and (tmp_path / "cases.xlsx").stat().st_size > 0

    page.chart.setCurrentIndex(page.chart.findData("top_events"))
    page.export_png(tmp_path / "chart.png")
    from PySide6.QtGui import QImage

    image = QImage(str(tmp_path / "chart.png"))
    assert image.width() > 200 and image.height() > 150


def test_settings_validate_before_saving_and_save_through_the_core(make_window, tmp_path, qtbot):
    window = make_window(tmp_path / "store.db")
    page = window.settings_page
    window.show_page(window.pages.index(page))
    settle(window)
    assert page.units.table.rowCount() > 40 and page.rules.table.rowCount() >= 1
    table = page.limits.table
    table.insertRow(table.rowCount())
    from PySide6.QtWidgets import QTableWidgetItem

    for c, text in enumerate(("事件", "共享单车乱停放", "两天", "工作日")):
        table.setItem(table.rowCount() - 1, c, QTableWidgetItem(text))
    before = len(page.data["limits"])
    page.save("limits")
    settle(window)
    assert "不是数字" in page.limits.status.text()
    table.item(table.rowCount() - 1, 2).setText("2")
    page.save("limits")
    settle(window)
    from models import reference
    from models.store import open_db

    db = open_db(tmp_path / "store.db")
    limits = reference.list_time_limits(db)
    assert len(limits) == before + 1 or any(t.minor == "共享单车乱停放" and str(t.amount) == "2" for t in limits)

    holidays = page.holidays.table
    holidays.insertRow(0)
    for c, text in enumerate(("2027-02-06", "是", "春节调休")):
        holidays.setItem(0, c, QTableWidgetItem(text))
    page.save("holidays")
    settle(window)
    assert [(h.day, h.is_workday) for h in reference.list_holiday_overrides(db)] == [("2027-02-06", True)]

    units = page.units.table
    units.insertRow(units.rowCount())
    for c, text in enumerate(("新设街道办事处", "B", "芗城区政府", "芗城区", "", "新设街道")):
        units.setItem(units.rowCount() - 1, c, QTableWidgetItem(text))
    page.save_units()
    settle(window)
    from models import registry

    unit = registry.units_by_name(db)["新设街道办事处"]
    assert (unit.category, unit.parent, unit.aliases) == ("B", "芗城区政府", ("新设街道",))
    db.conn.close()


def test_rule_sets_can_be_made_default_and_copied(make_window, tmp_path, qtbot, monkeypatch):
    from models import rule_files

    monkeypatch.setattr(rule_files, "user_rules_dir", lambda: tmp_path / "rules")
    window = make_window(tmp_path / "store.db")
    page = window.settings_page
    window.show_page(window.pages.index(page))
    settle(window)
    names = [r.name for r in page.data["rule_sets"]]
    assert "default" in names and "gb_composite" in names
    page.rules.table.selectRow(names.index("gb_composite"))
    page.make_default_rules()
    settle(window)
    assert page.data["default_rules"] == "gb_composite"
    page.copy_selected_rules("本市细则")
    settle(window)
    assert (tmp_path / "rules" / "本市细则.toml").is_file()
    assert "本市细则" in [r.name for r in page.data["rule_sets"]]


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
    assert window._dashboard_charts()["kinds"].values == [v + 1 for v in october[1]] and dash.charts_ready
    dash.sources.clicked.emit(0)
    assert opened == [f"2021-10 受理 · {dash.sources.labels[0]}"]


def test_overdue_tree_fills_in_steps_and_a_newer_result_replaces_an_unfinished_one(make_window, demo_copy, qtbot):
    """The tree is filled ROWS_PER_TURN cases per event-loop turn into a fresh model; a unit larger than
    one turn is split, and lights that arrive while an older fill is running win."""
    from models.overdue import CaseLight
    from ui.pages.overdue import ROWS_PER_TURN

    window = make_window(demo_copy)
    page = window.overdue

    def lights(unit: str, n: int, light: str) -> list:
        return [CaseLight(f"{unit}-{i:04d}", unit, "", "", None, light, False) for i in range(n)]

    from PySide6.QtGui import QStandardItemModel

    older = lights("甲单位", ROWS_PER_TURN * 2, "green")
    newer = lights("乙单位", ROWS_PER_TURN * 2 + 7, "red") + lights("丙单位", 3, "yellow")
    models = len(page.findChildren(QStandardItemModel))
    page.show_lights(older)
    assert not page.lights_shown  # older is still being filled when newer arrives
    page.show_lights(newer)
    assert not page.lights_shown  # the big unit needs three turns
    qtbot.waitUntil(lambda: page.lights_shown, timeout=10000)
    settle(window)
    assert len(page.findChildren(QStandardItemModel)) == models  # the unfinished and the replaced model are gone
    units = {page.model.item(r).toolTip(): page.model.item(r).rowCount() for r in range(page.model.rowCount())}
    assert units == {"乙单位": ROWS_PER_TURN * 2 + 7, "丙单位": 3}
    first = page.proxy.index(0, 0)
    big = ROWS_PER_TURN * 2 + 7
    assert page.proxy.data(first).startswith(f"乙单位（红 {big}")  # most red lights first
    assert f"红灯 {big}，黄灯 3，绿灯 0" in page.summary.text()


def test_a_drill_down_does_not_first_rerun_the_stale_case_filters(make_window, demo_copy, qtbot, monkeypatch):
    """A tile opens its cases on the 案件查询 page: the page, stale after a change of period, must not
    first rerun its own filters (a page read on the UI thread and a count) only to replace them."""
    from models.periods import month_period

    window = make_window(demo_copy)
    dash, cases = window.dashboard, window.cases
    window.show_page(window.pages.index(dash))
    qtbot.waitUntil(lambda: dash.doc is not None and dash.charts_ready, timeout=30000)
    window._set_period(month_period(2021, 10))
    qtbot.waitUntil(lambda: dash.doc is not None and dash.doc["period"] == "2021-10", timeout=30000)
    settle(window)
    reads = []
    real = browse.fetch_page
    monkeypatch.setattr(browse, "fetch_page", lambda *a, **k: reads.append(a[1]) or real(*a, **k))
    dash.tiles["filed"].clicked.emit()
    qtbot.waitUntil(lambda: cases.isVisible() and cases.model.query is not None, timeout=30000)
    settle(window)
    assert reads == []  # only the drill-down's own block read (by case number) ran
    assert cases.model.query.numbers is not None and cases.count.text() == f"共 {dash.doc['filed']} 件"
    assert cases.banner.isVisible() and "2021-10 立案" in cases.banner.text()
    qtbot.waitUntil(lambda: cases.unit.count() > 1, timeout=30000)  # the filter choices loaded all the same
