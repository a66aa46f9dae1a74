"""督察信访 page on the demo database: batch 8 as the seed reports it, drill-down, follow-up, history, export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.test_petitions_report import SEED_PARAGRAPH, comparable
from tests.ui.conftest import settle, small_store, table_texts

REGIONS = ["芗城区", "龙文区", "漳浦县", "东山县", "平和县", "漳州台商投资区", "漳州高新区", "古雷开发区"]
TYPES = {"水环境问题": "6", "大气环境问题": "9", "生态环境问题": "3", "噪声环境问题": "4", "其他污染": "3"}


def open_page(make_window, db_path: Path, qtbot, as_of: date = date(2021, 12, 31)):
    window = make_window(db_path)
    page = window.petitions
    window.show_page(window.pages.index(page))
    page.as_of.set_value(as_of)
    qtbot.waitUntil(lambda: page.view is not None and page.view["as_of"] == as_of, timeout=30000)
    settle(window)
    return window, page


def cell(table, row_name: str, column_name: str):
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == row_name)
    return table.item(row, headers.index(column_name))


def click(qtbot, table, item) -> None:
    rect = table.visualItemRect(item)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_batch_8_shows_the_seeds_counts_paragraph_and_notice(make_window, ledgers_copy, qtbot):
    window, page = open_page(make_window, ledgers_copy, qtbot)
    assert table_texts(page.batches) == [["第八批", "2021-12-14", "17", "3", "9", "52.94%", "2"]]
    headers = [page.cross.horizontalHeaderItem(c).text() for c in range(page.cross.columnCount())]
    assert headers == ["问题类型", *REGIONS, "合计"]  # the registry's administrative order
    rows = table_texts(page.cross)
    assert {r[0]: r[-1] for r in rows[:-1]} == TYPES and list(TYPES) == [r[0] for r in rows[:-1]]
    assert rows[-1] == ["合计", "2", "3", "3", "1", "2", "5", "1", "1", "17"]
    assert cell(page.cross, "大气环境问题", "漳州台商投资区").text() == "3"
    assert page.notice.isVisible()
    assert page.notice.text() == "部分举报件涉及多个问题类型，部分举报件涉及多个地区，各项之和大于举报件数 17 件。"
    assert comparable(page.paragraph.text()) == comparable(SEED_PARAGRAPH)
    QGuiApplication.clipboard().setText("之前的内容")
    page.copy.click()
    assert QGuiApplication.clipboard().text() == page.paragraph.text()
    assert comparable(QGuiApplication.clipboard().text()) == comparable(SEED_PARAGRAPH)
    assert "办结率 52.94%，超期未办结 2 件" in page.summary.text()
    assert window.ctx.last_ledgers["petitions"]["batch"] == 8


def test_a_count_lists_the_pieces_behind_it(make_window, ledgers_copy, qtbot):
    from models.petition_report import pieces_behind
    from models.petition_store import load_pieces
    from models.store import open_db

    db = open_db(ledgers_copy)
    expected = pieces_behind(load_pieces(db, 8), "pieces", as_of=date(2021, 12, 31), type_word="大气", region="台商区")
    db.conn.close()
    window, page = open_page(make_window, ledgers_copy, qtbot)
    assert page.pieces.rowCount() == 20 and page.tabs.tabText(0) == "举报件（20）"  # duplicates listed, marked
    assert sum(r[6] == "重复件（不计数）" for r in table_texts(page.pieces)) == 3
    click(qtbot, page.cross, cell(page.cross, "大气环境问题", "漳州台商投资区"))
    qtbot.waitUntil(lambda: page.pieces.rowCount() == 3, timeout=10000)
    shown = table_texts(page.pieces)
    assert sorted(r[0] for r in shown) == sorted(p.piece_no for p in expected)
    assert all("大气" in r[1] and "漳州台商投资区" in r[2] for r in shown)
    assert page.filter_caption.text() == "第八批 × 大气环境问题 × 漳州台商投资区 的举报件：3 件"
    assert page.show_all.isVisible()
    click(qtbot, page.cross, cell(page.cross, "合计", "合计"))
    qtbot.waitUntil(lambda: page.pieces.rowCount() == 17, timeout=10000)  # the counted pieces only
    page.show_all.click()
    assert page.pieces.rowCount() == 20 and not page.show_all.isVisible()
    empty = cell(page.cross, "水环境问题", "芗城区")
    assert empty.text() == "" and empty.data(Qt.ItemDataRole.UserRole + 7) is None  # nothing behind a zero


def test_follow_up_by_region_and_type_and_the_overdue_pieces(make_window, ledgers_copy, qtbot):
    window, page = open_page(make_window, ledgers_copy, qtbot)
    page.tabs.setCurrentIndex(1)
    by_region = {r[0]: r[1:] for r in table_texts(page.by_region)}
    assert list(by_region) == REGIONS
    assert by_region["龙文区"] == ["3", "1", "33.33%", "1"]
    assert by_region["芗城区"] == ["2", "2", "100.00%", "0"]
    by_type = {r[0]: r[1:] for r in table_texts(page.by_type)}
    assert by_type["噪声环境问题"] == ["4", "4", "100.00%", "0"]
    assert page.tabs.tabText(2) == "超期未办结（2）"
    overdue = table_texts(page.overdue)
    assert [(r[1], r[6]) for r in overdue] == [("D350600202112140017", "2"), ("X350600202112140005", "2")]
    page.tabs.setCurrentIndex(2)
    page.overdue.cellDoubleClicked.emit(1, 0)  # an overdue piece opens among the overdue pieces, selected
    qtbot.waitUntil(lambda: page.tabs.currentIndex() == 0 and page.pieces.rowCount() == 2, timeout=10000)
    assert page.selected_piece().piece_no == "X350600202112140005"
    assert page.filter_caption.text() == "第八批 的超期未办结的举报件：2 件"
    page.tabs.setCurrentIndex(1)
    click(qtbot, page.by_region, cell(page.by_region, "龙文区", "超期未办结"))
    qtbot.waitUntil(lambda: page.pieces.rowCount() == 1, timeout=10000)
    assert page.tabs.currentIndex() == 0
    assert table_texts(page.pieces)[0][0] == "X350600202112140005"
    assert table_texts(page.pieces)[0][6] == "超期 2 天"
    # the same question at another as-of date: before the deadline nothing is overdue, and closing counts
    page.as_of.set_value(date(2021, 12, 20))
    qtbot.waitUntil(lambda: page.view["as_of"] == date(2021, 12, 20), timeout=10000)
    settle(window)
    assert page.pieces.rowCount() == 0
    assert table_texts(page.batches)[0][4:] == ["1", "5.88%", "0"]  # one piece closed on 12-20 itself
    page.scope.setCurrentIndex(page.scope.findData("all"))
    assert page.follow_summary.text().startswith("全部批次：举报件 17 件，已办结 1 件，办结率 5.88%")


def test_a_changed_piece_shows_its_previous_version(make_window, ledgers_copy, qtbot, tmp_path):
    from demo.ledgers import write_petition_ledger
    from importers.petition_import import PetitionStream
    from importers.pipeline import import_file
    from models.store import open_db

    path, batch = write_petition_ledger(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    headers = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "D350600202112140004")
    row[headers.index("办结时间")].value = date(2021, 12, 30)
    row[headers.index("办理结果")].value = "属实，已关停屠宰场排污口"
    wb.save(path)
    db = open_db(ledgers_copy)
    report = import_file(db, path, stream=PetitionStream(batch["number"], batch["handed_over"], batch["body"]))
    db.conn.close()
    assert (report.inserted, report.updated) == (0, 1)
    window, page = open_page(make_window, ledgers_copy, qtbot)
    row = next(r for r in range(page.pieces.rowCount()) if page.pieces.item(r, 0).text() == "D350600202112140004")
    page.pieces.selectRow(row)
    qtbot.waitUntil(lambda: len(page.history) == 1, timeout=10000)
    text = page.detail.toPlainText()
    assert "办理结果：属实，已关停屠宰场排污口" in text and "办结时间：2021-12-30" in text
    assert "历史版本" in text and "此前 办结时间：（空）；办理结果：（空）" in text


def test_the_batch_exports_to_a_print_ready_sheet(make_window, ledgers_copy, qtbot, script, tmp_path):
    window, page = open_page(make_window, ledgers_copy, qtbot)
    out = tmp_path / "第八批.xlsx"
    script.save_paths = [out]
    page.export.click()
    settle(window)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["办理情况", "举报件清单"]
    summary = [c.value for row in wb["办理情况"].iter_rows(max_col=1) for c in row if c.value]
    assert comparable(next(v for v in summary if str(v).startswith("12月14日"))) == comparable(SEED_PARAGRAPH)
    assert "截至 2021-12-31" in summary[1] and "办结率 52.94%" in summary[1]
    assert wb["举报件清单"].max_row == 3 + 20


def test_meeting_mode_shows_the_batch_paragraph_and_table(make_window, ledgers_copy, qtbot):
    from PySide6.QtWidgets import QLabel, QTableWidget

    window, page = open_page(make_window, ledgers_copy, qtbot)
    window.toggle_meeting()
    meeting = window.meeting
    titles = [title for title, _build in meeting.slides]
    index = titles.index("督察信访 第八批")
    slide = meeting.slide_widget(index)
    texts = [label.text() for label in slide.findChildren(QLabel)]
    assert comparable(texts[0]) == comparable(SEED_PARAGRAPH)
    table = slide.findChild(QTableWidget)
    assert table_texts(table)[-1] == ["合计", "2", "3", "3", "1", "2", "5", "1", "1", "17"]
    meeting.close()


def test_a_store_without_batches_says_how_to_import_one(make_window, tmp_path, qtbot, script):
    window = make_window(small_store(tmp_path / "small.db"))
    page = window.petitions
    window.show_page(window.pages.index(page))
    qtbot.waitUntil(lambda: page.view is not None, timeout=10000)
    assert page.heading.text() == "督察信访：尚未导入批次"
    assert "petitions import" in page.paragraph.text()
    assert page.pieces.rowCount() == 0 and not page.export.isEnabled()
    page.export_batch()
    assert script.infos and "还没有可导出的批次" in script.infos[-1]
    assert "petitions" not in window.ctx.last_ledgers
