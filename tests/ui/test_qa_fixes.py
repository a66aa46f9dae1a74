"""Regression tests for what the UI QA walk-through found on a real screen."""

from __future__ import annotations

import logging

from tests.ui.test_shell import _small_store


def test_refused_settings_input_logs_no_traceback(make_window, tmp_path, qtbot, script, caplog):
    """A wrong unit category typed in 设置 is refused with its message, not logged as an internal fault."""
    window = make_window(_small_store(tmp_path / "small.db"))

    def bad_category(db):
        from models import registry

        registry.set_unit(db, "市交警支队", category="D")

    def bad_period(db):
        from models.periods import parse_label

        parse_label("2021-13")

    errors = []
    with caplog.at_level(logging.ERROR, logger="chengguan.ui"):
        window.tasks.run(bad_category, on_error=errors.append)
        window.tasks.run(bad_period, on_error=errors.append)
        qtbot.waitUntil(window.tasks.idle, timeout=10000)
    assert len(errors) == 2
    assert "未知的单位类别「D」" in str(errors[0])
    assert [r for r in caplog.records if r.name == "chengguan.ui"] == []


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


def _csv(path, header, rows):
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


HEADER = ["案件编号", "处置单位", "上报时间", "立案时间", "地址", "问题类型", "小类"]
ROW = ["202203010001", "市交警支队", "2022-03-01 08:00:00", "2022-03-01 09:00:00", "胜利路1号", "事件", "车辆违停"]


def test_wheel_over_the_mapping_table_scrolls_without_changing_a_mapping(make_window, tmp_path, qtbot):
    path = _csv(tmp_path / "三月.csv", HEADER, [ROW])
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


def test_import_page_clears_the_preview_of_an_imported_or_removed_file(make_window, tmp_path, qtbot):
    first = _csv(tmp_path / "一.csv", HEADER, [ROW])
    second = _csv(tmp_path / "二.csv", HEADER, [["202203010002", *ROW[1:]]])
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


def test_adjustment_dialog_stays_open_with_the_typed_entry_when_the_core_refuses_it(make_window, demo_copy, qtbot):
    window = make_window(demo_copy)
    page = window.scores
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: page.doc is not None, timeout=60000)
    dialog = page.open_adjustment_dialog()
    dialog.unit.setCurrentText("蓝田开发区管委会")
    dialog.month.setText("2021-13")
    dialog.points.setText("-2")
    dialog.reason.setText("职责范围内不接受案件派遣")
    dialog.cases.setText("202110310540,202111160744")
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    ok.click()
    qtbot.waitUntil(lambda: window.tasks.idle() and ok.isEnabled(), timeout=30000)
    assert dialog.isVisible()
    assert "2021-13" in dialog.error.text()
    assert dialog.reason.text() == "职责范围内不接受案件派遣" and dialog.points.text() == "-2"
    assert page.adjustments.topLevelItemCount() == 0

    dialog.month.setText("2021-11")
    ok.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=60000)
    qtbot.waitUntil(lambda: page.adjustments.topLevelItemCount() == 1, timeout=60000)


def test_light_filter_still_honours_the_search_and_stage(make_window, demo_copy, qtbot):
    window = make_window(demo_copy)
    page = window.cases
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: window.tasks.idle() and page.count.text().startswith("共"), timeout=60000)
    page.light.setCurrentIndex(page.light.findData("light_red"))
    page.apply_filters()
    qtbot.waitUntil(lambda: page.count.text().startswith("共"), timeout=60000)
    red = page.model.rowCount()
    assert red > 1
    first = page.model.case_no(0)
    page.search.setText(first)
    page.apply_filters()
    qtbot.waitUntil(lambda: page.count.text().startswith("共"), timeout=60000)
    assert page.count.text() == "共 1 件"
    assert page.model.case_no(0) == first
    page.search.clear()
    page.stage.setCurrentText("没有这个阶段")
    page.apply_filters()
    qtbot.waitUntil(lambda: page.count.text().startswith("共"), timeout=60000)
    assert page.count.text() == "共 0 件"


def _fills_the_width(table) -> bool:
    header = table.horizontalHeader()
    used = sum(header.sectionSize(c) for c in range(table.columnCount()))
    return used >= table.viewport().width() - 2


def test_settings_tables_keep_their_stretched_last_column_and_room_for_a_date(make_window, tmp_path, qtbot):
    from tests.ui.conftest import settle

    window = make_window(_small_store(tmp_path / "small.db"))
    page = window.settings_page
    window.show_page(window.pages.index(page))
    settle(window)
    limits = page.limits.table
    assert _fills_the_width(limits)
    page.limits.save.click()
    qtbot.waitUntil(lambda: page.limits.status.text().startswith("已保存"), timeout=30000)
    settle(window)
    assert _fills_the_width(limits)

    holidays = page.holidays.table
    page.holidays.add.click()
    fm = holidays.fontMetrics()
    assert holidays.horizontalHeader().sectionSize(0) >= fm.horizontalAdvance("2021-10-09") + 8


def test_scores_page_shows_the_rule_set_name_and_adjustment_unit_uncut(make_window, demo_copy, qtbot):
    from models.store import open_db
    from tests.conftest import add_seed_adjustment
    from tests.ui.conftest import settle

    db = open_db(demo_copy)
    add_seed_adjustment(db)
    db.conn.close()
    window = make_window(demo_copy)
    page = window.scores
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: page.doc is not None, timeout=60000)
    settle(window)
    combo = page.rules
    widest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
    assert combo.count() >= 2 and combo.width() >= widest + 20
    item = page.adjustments.topLevelItem(0)
    assert item.text(0) == "#1 蓝田开发区管委会"
    assert page.adjustments.columnWidth(0) >= page.adjustments.fontMetrics().horizontalAdvance(item.text(0))


def test_a_new_case_list_starts_at_its_top(make_window, demo_copy, qtbot):
    from models import browse

    window = make_window(demo_copy)
    page = window.cases
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: window.tasks.idle() and page.count.text().startswith("共"), timeout=60000)
    page.table.scrollTo(page.model.index(150, 0))
    assert page.table.verticalScrollBar().value() > 0
    numbers = tuple(page.model.case_no(r) for r in range(0, 300))
    page.show_drilldown(browse.CaseQuery(numbers=numbers), "测试")
    qtbot.wait(50)
    assert page.table.verticalScrollBar().value() == 0
    assert page.table.rowAt(0) == 0


def test_import_page_names_the_queued_file_that_holds_the_import_back(make_window, tmp_path, qtbot):
    good = _csv(tmp_path / "好.csv", HEADER, [ROW])
    no_unit = [h for h in HEADER if h != "处置单位"]
    bad = _csv(tmp_path / "缺单位.csv", no_unit, [[v for h, v in zip(HEADER, ROW, strict=True) if h != "处置单位"]])
    window, page = _previewed(make_window, tmp_path, qtbot, good, bad)
    page.file_list.setCurrentRow(0)
    assert "可以导入" in page.validation.text()
    assert not page.start.isEnabled()
    assert page.progress_text.text() == "尚不能开始导入：缺单位.csv 缺少必需的列（处置单位）"
    page.file_list.setCurrentRow(1)
    page.remove.click()
    assert page.start.isEnabled() and page.progress_text.text() == ""


def test_copying_or_saving_a_bulletin_that_is_not_there_yet_says_so(make_window, demo_copy, qtbot, script, tmp_path):
    from PySide6.QtGui import QGuiApplication

    window = make_window(demo_copy)
    page = window.exports
    window.show_page(window.pages.index(page))
    QGuiApplication.clipboard().setText("之前复制的内容")
    page.copy_bulletin()
    assert QGuiApplication.clipboard().text() == "之前复制的内容"
    assert script.infos and "请先生成通报" in script.infos[-1]
    page.make_bulletin()
    page.copy_bulletin()  # still 生成中…
    page.save_bulletin(tmp_path / "通报.txt")
    assert QGuiApplication.clipboard().text() == "之前复制的内容"
    assert not (tmp_path / "通报.txt").exists()
    assert len(script.infos) == 3
    qtbot.waitUntil(lambda: "数字化城市管理绩效评价通报" in page.bulletin.toPlainText(), timeout=60000)
    page.copy_bulletin()
    assert QGuiApplication.clipboard().text().startswith("数字化城市管理绩效评价通报")


def test_overdue_export_states_the_time_its_lights_were_judged_at(make_window, demo_copy, qtbot, script, tmp_path):
    from openpyxl import load_workbook
    from PySide6.QtCore import QDateTime

    from tests.ui.conftest import settle

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


def test_case_detail_shows_codes_and_empty_history_values_in_chinese(qtbot, tmp_path):
    from importers.pipeline import import_file
    from models.store import connect, open_db
    from ui.case_detail import CaseDetailDialog

    header = [*HEADER, "派遣时间", "结案时间", "当前阶段"]
    sent = "2022-03-01 09:30:00"
    first = _csv(tmp_path / "一.csv", header, [[*ROW, sent, "", "处置中"]])
    second = _csv(tmp_path / "二.csv", header, [[*ROW, sent, "2022-03-02 10:00:00", "结案"]])
    db = open_db(tmp_path / "store.db")
    import_file(db, first)
    import_file(db, second)
    db.conn.close()
    ro = connect(tmp_path / "store.db", readonly=True)
    dialog = CaseDetailDialog(ro, "202203010001")
    qtbot.addWidget(dialog)
    fields = {dialog.fields.item(r, 0).text(): dialog.fields.item(r, 1).text() for r in range(dialog.fields.rowCount())}
    assert fields["已作废"] == "否"
    assert fields["截止时间来源"] == "按处置时限计算"
    assert dialog.history.rowCount() == 1
    change = dialog.history.item(0, 2).text()
    assert "结案时间：（空）" in change and "当前阶段：处置中" in change
    assert "None" not in change and "import_id" not in change
    ro.conn.close()


def test_mapping_combos_follow_the_shown_file_and_a_correction_stays_with_its_file(make_window, tmp_path, qtbot):
    """The mapping rows are built once and refilled per file: each file offers its own headers, and a
    correction made in a combo belongs to the file shown, not to whichever file was previewed first."""
    from ui.pages.imports.mapping_editor import MAPPED_FIELDS

    first = _csv(tmp_path / "一.csv", HEADER, [ROW])
    other_header = ["案件号", "处置部门", "上报时间", "发生地址"]
    second = _csv(tmp_path / "二.csv", other_header, [["202203010003", "市交警支队", "2022-03-01 08:00:00", "x"]])
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
