"""The console's real flows, driven through the widgets (offscreen): import → dashboard → scores →
adjustment → export, and a cancelled import that leaves the store as it was."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from models.store import connect
from tests.ui.conftest import history_row, settle, write_december_csv

SEED_TILES = {
    "accepted": "55,603",
    "filed": "7,377",
    "disposed": "7,101",
    "closed": "7,101",
    "disposal_rate": "96.26%",
    "closure_rate": "96.26%",
}


def test_import_page_imports_the_demo_exports_with_progress_and_history(ui_imported):
    reports = ui_imported["reports"]
    assert [r.file_name for r in reports] == [
        "智慧城管平台案件明细_202109.xlsx",
        "智慧城管平台案件明细_202110.xlsx",
        "智慧城管平台案件明细_202111.xlsx",
    ]
    assert [r.inserted for r in reports] == [37772, 41845, 55603]
    assert not any(r.refused or r.cancelled or r.rejected for r in reports)
    nov = ui_imported["previews"]["智慧城管平台案件明细_202111.xlsx"]
    assert nov.header_row == 2 and nov.missing_required == []
    assert nov.mapping["case_no"] == "案件编号"
    assert "必需的列均已找到" in ui_imported["validation"]
    assert max(ui_imported["progress_maxima"]) > 0  # a determinate progress bar was shown
    assert sorted(ui_imported["history"]) == sorted(r.file_name for r in reports)


def test_dashboard_shows_the_seed_figures_and_a_tile_opens_its_cases(make_window, demo_copy, qtbot):
    window = make_window(demo_copy)
    assert window.ctx.period.label == "2021-11"  # opens on the latest month with cases
    window.show_page(window.pages.index(window.dashboard))
    qtbot.waitUntil(lambda: window.dashboard.doc is not None and window.dashboard.charts_ready, timeout=30000)
    shown = {key: tile.value.text() for key, tile in window.dashboard.tiles.items()}
    assert {k: shown[k] for k in SEED_TILES} == SEED_TILES
    kinds = window.dashboard.kinds
    assert kinds.labels == ["部件", "事件"] and kinds.values == [1121, 6256]
    assert window.dashboard.top_parts.labels == ["消防设施", "行道树", "止车石", "交通护栏", "户外广告", "雨水箅子"]
    assert window.dashboard.top_events.labels[:3] == ["车辆违停", "乱堆物料", "沿街晾挂"]

    qtbot.mouseClick(window.dashboard.tiles["closed"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.cases, timeout=30000)
    assert window.cases.model.rowCount() == 7101
    assert "结案" in window.cases.banner.text()

    window.dashboard.top_events.clicked.emit(0)  # the 车辆违停 bar
    qtbot.waitUntil(lambda: window.cases.model.rowCount() == 1510, timeout=30000)
    assert window.cases.model.index(0, 2).data() == "车辆违停"


def test_scores_explain_a_unit_record_the_seed_deduction_and_export_the_sheet(
    make_window, demo_copy, qtbot, script, tmp_path
):
    window = make_window(demo_copy)
    page = window.scores
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: page.doc is not None, timeout=60000)
    assert page.select_unit("芗城区城市管理局")
    lines = page.explanation_lines()
    assert any("按期结案率" in rule and "34.04" in detail for rule, _p, detail in lines), lines
    shown = page.tables["B"].item(page.tables["B"].currentRow(), 2).text()
    assert shown == page.unit_entry("芗城区城市管理局")["score"]
    assert page.tabs.tabText(page.tabs.currentIndex()).startswith("B类")
    lantian_before = Decimal(page.unit_entry("蓝田开发区管委会")["score"])
    expected = f"{lantian_before - 2:.2f}"

    dialog = page.open_adjustment_dialog()
    dialog.unit.setCurrentText("蓝田开发区管委会")
    dialog.points.setText("-2")
    dialog.reason.setText("拒不接收职责范围内的派遣案件")
    dialog.rule.setText("处置单位绩效评价细则（附件2-1）")
    dialog.cases.setText("202110310540，202111160744")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: page.unit_entry("蓝田开发区管委会")["score"] == expected, timeout=60000)
    assert page.select_unit("蓝田开发区管委会")
    manual = [line for line in page.unit_entry("蓝田开发区管委会")["lines"] if line["points"] == "-2.00"]
    assert manual and manual[0]["cases"] == ["202110310540", "202111160744"]
    settle(window)
    assert page.adjustments.topLevelItemCount() == 1
    assert script.warnings == []

    out = tmp_path / "scores.xlsx"
    window.show_page(window.pages.index(window.exports))
    window.exports.export_scores(out)
    qtbot.waitUntil(lambda: window.exports.last_written == out, timeout=60000)
    texts = [str(c.value) for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any("蓝田开发区管委会" in t for t in texts)
    assert any(t.startswith(expected) for t in texts)
    assert any("202110310540" in t for t in texts)

    # a correction is a reversing entry with the reason the user gives; the score returns
    window.show_page(window.pages.index(page))
    assert page.select_unit("蓝田开发区管委会")
    settle(window)
    page.adjustments.setCurrentItem(page.adjustments.topLevelItem(0))
    script.texts = ["录入有误，经复核撤销"]
    page._reverse_selected()
    qtbot.waitUntil(lambda: page.unit_entry("蓝田开发区管委会")["score"] == f"{lantian_before:.2f}", timeout=60000)
    db = connect(demo_copy, readonly=True)
    try:
        rows = db.execute("SELECT points, reason, reverses_id FROM adjustments ORDER BY id").fetchall()
    finally:
        db.conn.close()
    assert rows[1] == ("2.00", "录入有误，经复核撤销", 1)


def _store_fingerprint(db_path: Path) -> tuple:
    db = connect(db_path, readonly=True)
    try:
        return (
            db.execute("SELECT COUNT(*), MAX(case_no), SUM(length(raw)) FROM cases").fetchone(),
            db.execute("SELECT COUNT(*) FROM case_history").fetchone(),
            db.execute("SELECT COUNT(*) FROM imports WHERE outcome = 'ok'").fetchone(),
        )
    finally:
        db.conn.close()


def test_cancelled_import_leaves_the_store_unchanged(make_window, demo_copy, qtbot, tmp_path):
    december = write_december_csv(tmp_path / "2021-12.csv")
    window = make_window(demo_copy)
    page = window.imports
    window.show_page(window.pages.index(page))
    page.add_files([december])
    qtbot.waitUntil(lambda: page.start.isEnabled(), timeout=30000)
    before = _store_fingerprint(demo_copy)
    page.start.click()
    assert page.cancel.isEnabled()
    page.cancel.click()
    qtbot.waitUntil(lambda: page.job is None, timeout=60000)
    assert [r.cancelled for r in page.reports] == [True]
    assert "数据库未改变" in page.progress_text.text()
    settle(window)
    assert _store_fingerprint(demo_copy) == before
    assert page.files == [december]  # still queued, ready to import for real
    assert history_row(page.history.table, 0)[:2] == ["2021-12.csv", "已取消"]
