"""创城回头看 page on the demo database: 整改达标率 at two dates, rebounds, never re-checked, drill-down, export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from tests.ui.conftest import settle, table_texts


def open_page(make_window, db_path: Path, qtbot, as_of: date):
    window = make_window(db_path)
    page = window.rectify
    window.show_page(window.pages.index(page))
    set_as_of(window, page, qtbot, as_of)
    return window, page


def set_as_of(window, page, qtbot, as_of: date) -> None:
    page.as_of.set_value(as_of)
    qtbot.waitUntil(lambda: page.doc is not None and page.doc["as_of"] == as_of.isoformat(), timeout=30000)
    settle(window)


def tile(page, key: str) -> tuple[str, str]:
    return page.tiles[key].value.text(), page.tiles[key].note.text()


def listed(page) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in table_texts(page.problems)]


def test_the_rate_before_and_after_the_last_rounds(make_window, ledgers_copy, qtbot):
    window, page = open_page(make_window, ledgers_copy, qtbot, date(2021, 12, 14))
    assert tile(page, "rate") == ("53.85%", "已整改 7 / 应整改 13")
    assert tile(page, "due") == ("13", "问题共 16 个")
    assert tile(page, "rectified")[0] == "7"
    assert tile(page, "rebound") == ("2", "CC2021-003、CC2021-007")
    assert tile(page, "unchecked") == ("3", "CC2021-010、CC2021-011、CC2021-016")
    assert listed(page)[:2] == [("CC2021-003", "反弹"), ("CC2021-007", "反弹")]  # open problems first
    districts = {r[0]: r[1:] for r in table_texts(page.group_tables["by_district"])}
    assert districts == {
        "芗城区": ["6", "5", "3", "60.00%", "1", "1"],
        "龙文区": ["7", "5", "2", "40.00%", "1", "2"],
        "漳州高新区": ["3", "3", "2", "66.67%", "0", "0"],
    }
    assert window.ctx.last_ledgers["rectify"]["rate"] == "53.85"

    set_as_of(window, page, qtbot, date(2021, 12, 31))
    assert tile(page, "rate") == ("73.33%", "已整改 11 / 应整改 15")
    assert tile(page, "rebound") == ("1", "CC2021-003")  # CC2021-007 rectified again on 12-28
    assert tile(page, "unchecked") == ("1", "CC2021-011")  # never re-checked
    rows = {r[0]: r for r in table_texts(page.problems)}
    assert rows["CC2021-012"][1] == "未整改（未到期）" and rows["CC2021-012"][4] == "2022-01-15"  # not yet due
    assert rows["CC2021-007"][1] == "已整改"
    assert rows["CC2021-007"][5] == "12-01 已整改 → 12-14 反弹 → 12-28 已整改"
    assert [code for code, _status in listed(page)[:4]] == ["CC2021-003", "CC2021-008", "CC2021-016", "CC2021-011"]
    units = {r[0]: r[1:] for r in table_texts(page.group_tables["by_unit"])}
    assert units["市交警支队"][3] == "0.00%"
    assert not page.warnings.isVisible()


def test_tiles_and_counts_list_the_problems_behind_them(make_window, ledgers_copy, qtbot):
    window, page = open_page(make_window, ledgers_copy, qtbot, date(2021, 12, 14))
    page.tiles["rebound"].clicked.emit()
    qtbot.waitUntil(lambda: page.problems.rowCount() == 2, timeout=10000)
    assert listed(page) == [("CC2021-003", "反弹"), ("CC2021-007", "反弹")]
    assert page.list_caption.text() == "反弹的问题：2 个" and page.show_all.isVisible()
    page.tiles["unchecked"].clicked.emit()
    qtbot.waitUntil(lambda: page.problems.rowCount() == 3, timeout=10000)
    assert sorted(code for code, _ in listed(page)) == ["CC2021-010", "CC2021-011", "CC2021-016"]
    assert listed(page)[0] == ("CC2021-011", "未复查")  # due and never re-checked: open, first
    # a count in the by-district table: 龙文区's rectified problems
    table = page.group_tables["by_district"]
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "龙文区")
    table.cellClicked.emit(row, 3)
    qtbot.waitUntil(lambda: page.list_caption.text().startswith("龙文区 已整改的问题"), timeout=10000)
    assert page.problems.rowCount() == 2 and {s for _, s in listed(page)} == {"已整改"}
    # the drill-down follows the as-of date
    set_as_of(window, page, qtbot, date(2021, 12, 31))
    assert page.list_caption.text() == "龙文区 已整改的问题：4 个"
    page.show_all.click()
    assert page.problems.rowCount() == 16 and not page.show_all.isVisible()


def write_ledger(path: Path, rows: list[dict]) -> Path:
    from models.rectify import FIELD_LABELS

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(FIELD_LABELS.values()))
    for row in rows:
        ws.append([row.get(field) for field in FIELD_LABELS])
    wb.save(path)
    return path


def test_a_blank_deadline_is_warned_and_a_changed_row_shows_its_old_values(make_window, ledgers_copy, qtbot, tmp_path):
    from importers.pipeline import import_file
    from importers.rectify_import import RectifyStream
    from models.store import open_db

    changed = {"problem_no": "CC2021-003", "inspected_on": date(2021, 11, 10), "site": "西洋坪市场",
               "district": "芗城区", "category": "环境卫生", "description": "市场内垃圾桶满溢，地面污水横流",
               "unit": "芗城区城管局", "due_on": date(2021, 11, 25), "checked_on": date(2021, 12, 14),
               "result": "反弹"}  # fmt: skip
    blank = {"problem_no": "CC2021-099", "inspected_on": date(2021, 12, 1), "site": "动车站", "district": "龙文区",
             "category": "交通秩序", "description": "出租车候客区乱停", "unit": "市交警支队"}  # fmt: skip
    db = open_db(ledgers_copy)
    report = import_file(db, write_ledger(tmp_path / "回头看补充.xlsx", [changed, blank]), stream=RectifyStream())
    db.conn.close()
    assert (report.inserted, report.updated, report.rejected) == (1, 1, 0)
    window, page = open_page(make_window, ledgers_copy, qtbot, date(2021, 12, 31))
    assert page.warnings.isVisible()
    assert "问题 CC2021-099 未填整改时限，不计入应整改问题" in page.warnings.text()
    assert tile(page, "due")[1] == "问题共 17 个" and tile(page, "rate")[0] == "73.33%"  # never due: not counted
    row = next(r for r in range(page.problems.rowCount()) if page.problems.item(r, 0).text() == "CC2021-003")
    page.problems.selectRow(row)
    qtbot.waitUntil(lambda: len(page.history) == 1, timeout=10000)
    text = page.detail.toPlainText()
    assert "责任单位：芗城区城管局" in text  # the newest round's unit is the problem's unit
    assert "历史版本" in text and "（2021-12-14），此前 责任单位：芗城区城市管理局" in text
    assert "回头看（截至统计日）：2021-12-01 已整改；2021-12-14 反弹" in text


def test_the_sheet_exports_at_the_shown_date(make_window, ledgers_copy, qtbot, script, tmp_path):
    window, page = open_page(make_window, ledgers_copy, qtbot, date(2021, 12, 14))
    page.as_of.blockSignals(True)
    page.as_of.set_value(date(2022, 3, 1))  # edited but not yet recomputed: the export states what is shown
    page.as_of.blockSignals(False)
    out = tmp_path / "回头看.xlsx"
    script.save_paths = [out]
    page.export.click()
    settle(window)
    ws = openpyxl.load_workbook(out)["问题清单"]
    assert ws["A2"].value.startswith("截至 2021-12-14：问题 16 个，应整改 13 个，已整改 7 个，整改达标率 53.85%")
    assert [ws.cell(r, 2).value for r in (4, 5)] == ["CC2021-003", "CC2021-007"]


def test_meeting_mode_shows_the_rate_tiles_and_the_units(make_window, ledgers_copy, qtbot):
    from PySide6.QtWidgets import QTableWidget

    from ui.widgets import Tile

    window, page = open_page(make_window, ledgers_copy, qtbot, date(2021, 12, 14))
    window.toggle_meeting()
    meeting = window.meeting
    titles = [title for title, _build in meeting.slides]
    slide = meeting.slide_widget(titles.index("创城回头看 截至 2021-12-14"))
    assert [t.value.text() for t in slide.findChildren(Tile)] == ["53.85%", "13", "7", "2", "3"]
    units = table_texts(slide.findChild(QTableWidget))
    assert units[0] == ["芝山街道办事处", "3", "2", "2", "100.00%", "0", "1"]
    assert len(units) == 9
    meeting.close()
