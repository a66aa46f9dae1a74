"""超期预警: lights grouped by unit, filled in steps, exported at the time they were judged."""

from __future__ import annotations

from openpyxl import load_workbook

from tests.ui.conftest import settle


def test_overdue_page_groups_lights_by_unit_and_exports(make_window, demo_copy, qtbot, script, tmp_path):
    window = make_window(demo_copy)
    page = window.overdue
    narrowest = window.minimumSizeHint().width()
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: bool(page.lights) and page.lights_shown, timeout=30000)
    settle(window)
    assert window.minimumSizeHint().width() == narrowest  # the summary wraps instead of widening the window
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
    assert ws.max_row == len(page.lights) + 3  # title, legend, header
    assert {ws.cell(r, 8).value for r in range(4, ws.max_row + 1)} <= {"绿灯", "黄灯", "红灯"}


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


def test_overdue_export_states_the_time_its_lights_were_judged_at(make_window, demo_copy, qtbot, script, tmp_path):
    from openpyxl import load_workbook
    from PySide6.QtCore import QDateTime

    window = make_window(demo_copy)
    page = window.overdue
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: bool(page.lights) and page.lights_shown, timeout=30000)
    settle(window)
    page.as_of.setDateTime(QDateTime.fromString("2021-11-15 08:00:00", "yyyy-MM-dd HH:mm:ss"))  # not recomputed
    out = tmp_path / "lights.xlsx"
    script.save_paths = [out]
    page.export.click()
    settle(window)
    texts = [str(c.value) for row in load_workbook(out).active.iter_rows(max_row=2) for c in row if c.value]
    assert any("2021-11-30 23:59:59" in t for t in texts), texts
    assert not any("2021-11-15" in t for t in texts), texts


def test_the_time_used_reads_as_time_past_or_left_not_a_percentage(make_window, demo_copy, qtbot):
    """已用时限 14036% told nobody anything: the column says 超期 N 个工作日 / 剩余 N 小时 (the core's
    used_time_text), the share stays in the tip and orders the rows."""
    from models.overdue import used_time_text

    window = make_window(demo_copy)
    page = window.overdue
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: bool(page.lights) and page.lights_shown, timeout=30000)
    header = page.model.horizontalHeaderItem(3).text()
    unit = page.model.item(0)
    rows = [(unit.child(r, 0).text(), unit.child(r, 3)) for r in range(unit.rowCount())]
    by_no = {light.case_no: light for light in page.lights}
    assert header == "超期情况" and rows
    for case_no, cell in rows:
        light = by_no[case_no]
        assert cell.text() == used_time_text(light) and "%" not in cell.text()
        assert cell.toolTip() == (f"已用时限 {light.share_text}" if light.share_text else "")
    texts = {used_time_text(light) for light in page.lights}
    assert any(t.startswith("超期 ") and t.endswith("个工作日") for t in texts), sorted(texts)[:5]
