"""数据导入: previews with a correctable column mapping, the queue of files, history and rejected rows."""

from __future__ import annotations

from tests.ui.conftest import (
    HEADER,
    ROW,
    history_row,
    open_window,
    plain_export,
    settle,
    write_csv,
    write_december_csv,
)


def _wheel_down(widget) -> None:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def _previewed(make_window, tmp_path, qtbot, *files):
    """A window on an empty store, its import page showing, with `files` queued and previewed."""
    window = make_window(tmp_path / "store.db")
    page = window.imports
    window.show_page(window.pages.index(page))
    page.add_files(list(files))
    qtbot.waitUntil(lambda: all(f in page.previews for f in files), timeout=30000)
    return window, page


def _shown_mapping_rows(page) -> int:
    return sum(not page.mapping.isRowHidden(r) for r in range(page.mapping.rowCount()))


def test_import_page_corrects_a_column_mapping_and_shows_rejected_rows(make_window, tmp_path, qtbot, script):
    header = ["编号", "处置单位", "上报时间", "立案时间", "问题类型", "小类"]
    rows = [
        ["202203010001", "市交警支队", "2022-03-01 08:00:00", "2022-03-01 09:00:00", "事件", "车辆违停"],
        ["202203010002", "市交警支队", "2022-03-01 08:10:00", "2022-03-01 09:10:00", "事件", "车辆违停"],
        ["202203010003", "市交警支队", "不是日期", "2022-03-01 09:20:00", "事件", "车辆违停"],
    ]
    path = write_csv(tmp_path / "三月.csv", header, rows)
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


def test_wheel_over_the_mapping_table_scrolls_without_changing_a_mapping(make_window, tmp_path, qtbot):
    path = write_csv(tmp_path / "三月.csv", HEADER, [ROW])
    window = make_window(tmp_path / "store.db")
    page = window.imports
    window.show_page(window.pages.index(page))
    page.add_files([path])
    qtbot.waitUntil(lambda: path in page.previews, timeout=30000)
    before = dict(page.mappings[path])
    assert before["address"] == "地址"
    page.file_list.setFocus()
    for row in range(page.mapping.rowCount()):
        _wheel_down(page.mapping.cellWidget(row, 1))
    assert page.mappings[path] == before


def test_import_page_clears_the_preview_of_an_imported_or_removed_file(make_window, tmp_path, qtbot):
    first = write_csv(tmp_path / "一.csv", HEADER, [ROW])
    second = write_csv(tmp_path / "二.csv", HEADER, [["202203010002", *ROW[1:]]])
    window = make_window(tmp_path / "store.db")
    page = window.imports
    window.show_page(window.pages.index(page))
    page.add_files([first])
    qtbot.waitUntil(lambda: page.start.isEnabled(), timeout=30000)
    assert page.info.text().startswith("一.csv")
    page.start.click()
    qtbot.waitUntil(lambda: page.job is None and page.file_list.count() == 0, timeout=60000)
    assert page.info.text() == "尚未选择文件"
    assert _shown_mapping_rows(page) == 0 and page.preview.rowCount() == 0
    assert page.validation.text() == ""

    page.add_files([second])
    qtbot.waitUntil(lambda: page.start.isEnabled(), timeout=30000)
    page.file_list.setCurrentRow(0)
    page.remove.click()
    assert page.info.text() == "尚未选择文件" and _shown_mapping_rows(page) == 0


def test_import_page_names_the_queued_file_that_holds_the_import_back(make_window, tmp_path, qtbot):
    good = write_csv(tmp_path / "好.csv", HEADER, [ROW])
    no_unit = [h for h in HEADER if h != "处置单位"]
    bad = write_csv(
        tmp_path / "缺单位.csv", no_unit, [[v for h, v in zip(HEADER, ROW, strict=True) if h != "处置单位"]]
    )
    window, page = _previewed(make_window, tmp_path, qtbot, good, bad)
    page.file_list.setCurrentRow(0)
    assert "可以导入" in page.validation.text()
    assert not page.start.isEnabled()
    assert page.progress_text.text() == "尚不能开始导入：缺单位.csv 缺少必需的列（处置单位）"
    page.file_list.setCurrentRow(1)
    page.remove.click()
    assert page.start.isEnabled() and page.progress_text.text() == ""


def test_mapping_combos_follow_the_shown_file_and_a_correction_stays_with_its_file(make_window, tmp_path, qtbot):
    """The mapping rows are built once and refilled per file: each file offers its own headers, and a
    correction made in a combo belongs to the file shown, not to whichever file was previewed first."""
    from ui.pages.imports.mapping_editor import MAPPED_FIELDS

    first = write_csv(tmp_path / "一.csv", HEADER, [ROW])
    other_header = ["案件号", "处置部门", "上报时间", "发生地址"]
    second = write_csv(tmp_path / "二.csv", other_header, [["202203010003", "市交警支队", "2022-03-01 08:00:00", "x"]])
    window, page = _previewed(make_window, tmp_path, qtbot, first, second)

    page.file_list.setCurrentRow(0)
    assert _shown_mapping_rows(page) == len(MAPPED_FIELDS)
    label = page.mapping.item(MAPPED_FIELDS.index("case_no"), 0)  # 案件编号（case_no）, not 案…
    assert page.mapping.columnWidth(0) >= page.mapping.fontMetrics().horizontalAdvance(label.text())
    address = page.mapping.cellWidget(MAPPED_FIELDS.index("address"), 1)
    assert [address.itemText(i) for i in range(address.count())] == ["（不导入）", *HEADER]
    assert address.currentText() == "地址"
    address.setCurrentIndex(address.findData(""))  # the user un-maps 地址 in the first file
    assert "address" not in page.mappings[first]

    page.file_list.setCurrentRow(1)
    case_no = page.mapping.cellWidget(MAPPED_FIELDS.index("case_no"), 1)
    assert [case_no.itemText(i) for i in range(case_no.count())] == ["（不导入）", *other_header]
    assert case_no.currentText() == "案件号"
    assert page.mapping.cellWidget(MAPPED_FIELDS.index("address"), 1).currentText() == "发生地址"
    assert page.mappings[second]["address"] == "发生地址"

    page.file_list.setCurrentRow(0)  # back to the first file: its correction is still there
    assert page.mapping.cellWidget(MAPPED_FIELDS.index("address"), 1).currentText() == "（不导入）"
    assert "address" not in page.mappings[first]
    assert page.mapping.item(MAPPED_FIELDS.index("case_no"), 2).text() == "必需"


def test_closing_the_window_during_an_import_asks_and_records_it_as_cancelled(
    make_window, demo_copy, qtbot, script, tmp_path
):
    from models.store import connect

    december = write_december_csv(tmp_path / "2021-12.csv")
    window = make_window(demo_copy)
    page = window.imports
    window.show_page(window.pages.index(page))
    page.add_files([december])
    qtbot.waitUntil(lambda: page.start.isEnabled(), timeout=30000)
    page.start.click()
    script.answers = [False]
    window.close()  # 否: the window stays and the import goes on
    assert script.questions[-1].startswith("导入进行中，确定退出？")
    assert window.isVisible() and page.job is not None and not page.job.cancelled
    script.answers = [True]
    window.close()  # 是: the import is cancelled (rolled back) before the window goes
    assert not window.isVisible() and page.job.cancelled
    db = connect(demo_copy, readonly=True)
    last = db.execute("SELECT file_name, outcome FROM imports ORDER BY id DESC").fetchone()
    december_cases = db.execute("SELECT COUNT(*) FROM cases WHERE filed_at >= '2021-12-01'").fetchone()[0]
    db.conn.close()
    assert last == ("2021-12.csv", "cancelled") and december_cases == 0
    again = open_window(demo_copy, tmp_path / "again.ini")  # the next start's history shows it
    try:
        settle(again)
        history = again.imports.history
        history.reload()
        settle(again)
        assert history_row(history.table, 0)[:2] == ["2021-12.csv", "已取消"]
    finally:
        again.close()
        again.deleteLater()


def test_the_preview_says_what_a_missing_column_will_mean(make_window, tmp_path, qtbot):
    """No 处置时间 column: the preview says closed cases will count as disposed at their 结案时间; mapping
    the column by hand takes the note away."""
    plain = plain_export(tmp_path / "plain.csv")
    window, page = _previewed(make_window, tmp_path, qtbot, plain)
    assert page.notes.isVisible()
    notes = page.notes.text()
    assert "没有「处置结束时间」列：已结案案件按结案时间计为已处置（推定）" in notes
    assert notes == "导入后请注意：" + "；".join(page.previews[plain].notes) + "。"
    page.set_mapping(plain, "disposed_at", "结案时间")  # a correction changes what the notes say
    assert "处置结束时间" not in page.notes.text()
    page.set_mapping(plain, "disposed_at", None)
    assert "处置结束时间" in page.notes.text()
