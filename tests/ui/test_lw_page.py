"""两违监管 on the demo's 两违 export (December 2021), imported through the import page as 两违: the rates as
tiles, the town × step table, the lights with the five serious steps, the extension problems, the drill-down
and the case record, the escalation sheet, an empty month pointing at the data, meeting mode's slides."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QApplication

from models.periods import parse_label
from tests.ui.conftest import copy_store, open_window, pump_until, settle

AS_OF = "2021-12-31 23:59:59"
SERIOUS = ["LW202112010011", "LW202111290012", "LW202112150142", "LW202111120014", "LW202112080116"]


@pytest.fixture(scope="module")
def lw_imported(qapp, tmp_path_factory) -> dict:
    """A fresh store holding only the demo's 两违 export, imported by choosing 两违 on the import page."""
    from demo.ledgers import write_lw_export
    from ui import dialogs

    folder = tmp_path_factory.mktemp("lw-import")
    export = write_lw_export(folder)
    window = open_window(folder / "lw.db", folder / "settings.ini")
    original = dialogs.ask
    dialogs.ask = lambda *a, **k: False  # an empty store offers the demo: say no
    try:
        pump_until(lambda: window.startup_done and window.tasks.idle())
        page = window.imports
        window.show_page(window.pages.index(page))
        page.stream.set_name("lw")
        page.add_files([export])
        pump_until(lambda: page.start.isEnabled(), 60)
        preview = page.previews[export]
        fields = [page.mapping.item(r, 0).text() for r in range(page.mapping.rowCount())]
        page.start.click()
        pump_until(lambda: page.job is None, 120)
        pump_until(lambda: window.tasks.idle())
        table = page.history.table
        history = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
        reports = list(page.reports)
    finally:
        dialogs.ask = original
        window.close()
        window.deleteLater()
        QApplication.instance().processEvents()
    return {"db_path": folder / "lw.db", "preview": preview, "fields": fields, "reports": reports, "history": history}


@pytest.fixture
def lw_db(lw_imported, tmp_path) -> Path:
    return copy_store(lw_imported["db_path"], tmp_path / "lw.db")


def lw_window(make_window, db_path: Path, qtbot, period: str = "2021-12"):
    window = make_window(db_path)
    window.picker.set_period(parse_label(period))
    page = window.lw
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: page.view is not None and page.view.doc["period"] == period, timeout=30000)
    settle(window)
    return window, page


def test_the_lw_export_imports_through_the_page_as_the_lw_stream(lw_imported):
    report = lw_imported["reports"][0]
    assert (report.stream, report.refused, report.inserted, report.rejected) == ("lw", False, 110, 0)
    assert report.notes == ["案件 110 件", "延期申请 23 条：新增 23，更新 0，未变 0"]
    assert lw_imported["preview"].required == ["case_no", "received_at"]
    assert {"接收时间", "申请延期天数"} <= set(lw_imported["fields"])
    assert "上报时间（reported_at）" not in lw_imported["fields"]  # the city cases' columns are not offered
    (row,) = lw_imported["history"]
    assert row[1:3] == ["两违智能监管平台案件明细_202112.xlsx", "两违"] and row[4] == "成功"


def test_the_page_shows_the_rates_towns_lights_and_extension_problems(make_window, lw_db, qtbot):
    window, page = lw_window(make_window, lw_db, qtbot)
    assert page.as_of_value().strftime("%Y-%m-%d %H:%M:%S") == AS_OF
    tiles = {key: (tile.value.text(), tile.note.text()) for key, tile in page.tiles.items()}
    assert tiles["received"][0] == "108"
    assert tiles["核查"] == ("83.84%", "按期 83 / 应办 99 · 超期在办 4")
    assert tiles["处置"] == ("78.05%", "按期 32 / 应办 41 · 超期在办 8")
    assert tiles["审核"] == ("90.00%", "按期 27 / 应办 30 · 超期在办 2")
    assert tiles["extensions"] == ("21", "层级不符 1 · 不同意 1 · 待审批 1")
    assert tiles["serious"] == ("5", "红灯 16 · 在办环节 82")
    assert page.tiles["处置"].caption.text() == "按期处置率（两违）"

    towns = page.towns
    counties = [towns.topLevelItem(i).text(0) for i in range(towns.topLevelItemCount())]
    assert counties == ["芗城区", "龙文区", "漳州高新区"]  # registry order
    xiangcheng = towns.topLevelItem(0)
    assert [xiangcheng.child(i).text(0) for i in range(3)] == ["东铺头街道", "西桥街道", "新桥街道"]
    assert [xiangcheng.text(c) for c in range(7)] == ["芗城区", "49", "78.57%", "77.78%", "84.62%", "7", "1"]
    jiuhu = towns.topLevelItem(2).child(0)
    assert [jiuhu.text(c) for c in range(7)] == ["九湖镇", "10", "90.00%", "100.00%", "75.00%", "2", "2"]
    assert jiuhu.background(3).color().name() == "#cdebd3"  # 100 %: green
    assert jiuhu.background(4).color().name() == "#f7c4c0"  # 75 %: red

    lights = page.lights
    assert lights.model.rowCount() == 82
    shown = [lights.proxy.index(r, 2).data() for r in range(5)]
    assert shown == SERIOUS  # most used first
    assert all("严重超期" in lights.proxy.index(r, 0).data() for r in range(5))
    assert "严重超期" not in lights.proxy.index(5, 0).data()
    assert [lights.proxy.index(0, c).data() for c in (1, 5, 6, 7)] == ["452.86%", "核查", "核查员", "杨帆"]
    lights.set_filter("serious")
    assert lights.model.rowCount() == 5
    lights.set_filter("yellow")
    assert lights.model.rowCount() == 4

    problems = page.extensions
    rows = [[problems.model.item(r, c).text() for c in range(10)] for r in range(problems.model.rowCount())]
    assert rows[0] == [
        "LW202112070005", "芗城区", "西桥街道", "第2次", "15天", "县级", "同意", "35天", "市级", "审批层级不符"
    ]  # fmt: skip
    assert [r[-1] for r in rows] == ["审批层级不符", "不同意", "待审批"]
    assert "已生效 18 条（共 313 天）" in problems.summary.text()


def test_every_figure_lists_its_cases_and_a_case_opens_its_record(make_window, lw_db, qtbot):
    from models.lw_stats import case_numbers
    from ui.pages.lw.record import LwCaseListDialog, LwCaseRecordDialog

    window, page = lw_window(make_window, lw_db, qtbot)
    evaluation = page.view.evaluation

    def last(kind):
        return [d for d in page.dialogs if isinstance(d, kind)][-1]

    page.tiles["received"].clicked.emit()
    settle(window)
    assert len(last(LwCaseListDialog).numbers) == 108
    jiuhu = page.towns.topLevelItem(2).child(0)
    page.towns.itemClicked.emit(jiuhu, 4)  # 按期审核率 of 九湖镇
    settle(window)
    listed = last(LwCaseListDialog)
    expected = case_numbers(evaluation, "due", step="审核", group=("town", ("漳州高新区", "九湖镇")))
    assert listed.numbers == expected and len(expected) == 4
    states = [listed.table.item(r, listed.table.columnCount() - 1).text() for r in range(4)]
    assert states.count("按期完成") == 3 and sum(s.startswith(("超期", "在办")) for s in states) == 1
    assert "九湖镇 · 审核环节应办（按期审核率 75.00%）" in listed.windowTitle()
    page.towns.itemClicked.emit(page.towns.topLevelItem(0), 6)  # 芗城区's cases with a seriously overdue step
    settle(window)
    assert last(LwCaseListDialog).numbers == case_numbers(evaluation, "serious", group=("county", "芗城区"))

    listed.table.doubleClicked.emit(listed.table.model().index(0, 0))
    settle(window)
    assert last(LwCaseRecordDialog).record["case"]["case_no"] == expected[0]
    page.lights.set_filter("serious")
    page.lights.table.doubleClicked.emit(page.lights.proxy.index(0, 3))
    settle(window)
    record = last(LwCaseRecordDialog)
    assert record.record["case"]["case_no"] == SERIOUS[0]
    assert record.steps.item(0, 10).text() == "在办 · 红灯 452.86%（严重超期）"


def test_the_case_record_shows_the_timeline_and_the_extension_history(make_window, lw_db, qtbot):
    from ui.pages.lw.record import LwCaseRecordDialog

    window, page = lw_window(make_window, lw_db, qtbot)
    page.open_record("LW202112070005")
    settle(window)
    dialog = [d for d in page.dialogs if isinstance(d, LwCaseRecordDialog)][-1]
    steps = dialog.steps
    dispose = [steps.item(1, c).text() for c in range(steps.columnCount())]
    assert dispose[:3] == ["处置", "处置员", "王伟"]
    assert dispose[6:] == [
        "2021-12-28 09:00", "+20天", "2022-01-17 09:00", "2022-01-18 16:00（判断时刻后）", "在办 · 绿灯 60.06%"
    ]  # fmt: skip
    assert steps.item(0, 10).text() == "按期完成" and steps.item(2, 10).text() == "未开始"
    extensions = dialog.extensions
    texts = [[extensions.item(r, c).text() for c in range(extensions.columnCount())] for r in range(2)]
    assert texts[0] == ["第1次", "20天", "县级", "同意", "", "20天", "县级", "+20天", "已延期"]
    assert texts[1] == ["第2次", "15天", "县级", "同意", "", "35天", "市级", "不顺延", "审批层级不符"]
    assert dialog.timeline.isVisible() and dialog.timeline.height() >= dialog.timeline.minimumHeight()
    dialog.timeline.grab()  # paints without error


def test_the_escalation_sheet_is_written_with_the_serious_rows(make_window, lw_db, qtbot, script, tmp_path):
    from PySide6.QtCore import QDateTime

    window, page = lw_window(make_window, lw_db, qtbot)
    page.as_of.setDateTime(QDateTime.fromString("2021-12-15 08:00:00", "yyyy-MM-dd HH:mm:ss"))  # not recomputed
    out = tmp_path / "escalation.xlsx"
    script.save_paths = [out]
    page.export.click()
    settle(window)
    ws = load_workbook(out).active
    assert ws.cell(1, 1).value == "两违案件严重超期清单（抄送纪委监委、效能部门）"
    assert "判断时刻：2021-12-31 23:59" in ws.cell(2, 1).value  # the shown lights' time, not the edited one
    assert [ws.cell(r, 2).value for r in range(4, 9)] == SERIOUS
    assert [ws.cell(r, 7).value for r in range(4, 9)] == ["杨帆", "卢静", "赖建平", "周海涛", "韩秀英"]
    assert ws.cell(9, 2).value != "LW202112020137"  # the sixth (red, not serious) is not on the sheet
    assert "已导出严重超期环节 5 个" in window.statusBar().currentMessage()

    page.apply.click()  # recomputed at 2021-12-15 08:00
    qtbot.waitUntil(lambda: page.view.doc["as_of"] == "2021-12-15T08:00:00", timeout=30000)
    settle(window)
    from models.lw_stats import escalation
    from models.lw_store import lw_evaluation
    from models.store import open_db

    db = open_db(lw_db)
    expected = len(escalation(lw_evaluation(db, None, "2021-12-15 08:00:00")))
    db.conn.close()
    assert page.tiles["serious"].value.text() == str(expected)


def test_a_month_without_lw_cases_offers_the_latest_month(make_window, lw_db, qtbot):
    window, page = lw_window(make_window, lw_db, qtbot, period="2021-10")
    assert page.banner.isVisible() and "2021-10 没有接收的两违案件" in page.banner.text()
    assert page.latest.isVisible() and page.latest.text() == "查看 2021-12"
    page.latest.click()
    qtbot.waitUntil(lambda: page.view.doc["period"] == "2021-12", timeout=30000)
    settle(window)
    assert window.picker.period().label == "2021-12" and not page.banner.isVisible()
    assert page.tiles["received"].value.text() == "108"


def test_meeting_mode_shows_the_lw_tiles_towns_and_escalation_list(make_window, lw_db, qtbot):
    window, page = lw_window(make_window, lw_db, qtbot)
    window.toggle_meeting()
    meeting = window.meeting
    titles = [title for title, _build in meeting.slides]
    assert titles[:4] == [
        "2021-12 两违监管",
        "2021-12 两违 乡镇按期率（1/2）",
        "2021-12 两违 乡镇按期率（2/2）",
        "两违严重超期（抄送纪委监委、效能部门，2021-12-31 23:59）",
    ]
    tiles = meeting.slide_widget(0)
    from ui.widgets import Tile

    assert [t.value.text() for t in tiles.findChildren(Tile)] == ["108", "83.84%", "78.05%", "90.00%", "21", "5"]
    towns = meeting.slide_widget(1)
    assert towns.item(0, 0).text() == "芗城区" and towns.rowCount() == 9
    sheet = meeting.slide_widget(3)
    assert [sheet.item(r, 0).text() for r in range(sheet.rowCount())] == SERIOUS
    meeting.close()
    settle(window)


def test_the_page_fits_a_small_laptop_screen(make_window, lw_db, qtbot):
    window, page = lw_window(make_window, lw_db, qtbot)
    assert window.minimumSizeHint().width() <= 1093  # 1366×768 at 125 %
    assert page.minimumSizeHint().width() <= 1093 - window.nav.width()


def test_without_lw_data_the_page_says_where_to_import_it(make_window, tmp_path, qtbot, script):
    window, page = lw_window(make_window, tmp_path / "empty.db", qtbot, period="2021-12")
    assert page.banner.isVisible() and "还没有导入两违数据" in page.banner.text() and not page.latest.isVisible()
    assert [page.tiles[k].value.text() for k in ("received", "核查", "extensions", "serious")] == ["0", "—", "0", "0"]
    assert page.towns.topLevelItemCount() == 0 and page.lights.model.rowCount() == 0
    script.answers = [False]
    page.export.click()  # nothing serious: asks first, and writes nothing when told no
    assert script.questions and "没有严重超期" in script.questions[-1] and script.save_paths == []
    assert script.warnings == []
