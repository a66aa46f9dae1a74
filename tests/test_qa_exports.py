"""QA findings in the Excel exports, each pinned by the test that would have caught it."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from exporters.score_sheet import write_score_sheet
from exporters.xlsx_common import LINE_HEIGHT, MAX_ROW_HEIGHT, wrapped_lines
from models.periods import parse_month
from tests.conftest import insert_cases


def test_wrapped_lines_counts_cjk_double_and_breaks_between_case_numbers():
    numbers = "、".join(f"2021110500{i:02d}" for i in range(12))  # each number and its 、 is 14 units wide
    assert wrapped_lines(numbers, 60) == 4  # 53 usable units per line: 3 numbers per line
    assert wrapped_lines("短", 10) == 1
    assert wrapped_lines(None, 10) == 1
    assert wrapped_lines("中" * 40, 41) == 3  # 80 units in 36 usable per line
    assert wrapped_lines("一\n二", 30) == 2


def test_detail_and_about_rows_are_tall_enough_for_their_wrapped_text(db, tmp_path: Path):
    """LibreOffice does not re-measure rows of an .xlsx: without a stored height, a wrapped list of case
    numbers printed as its first line only (seen on the demo month's 扣分明细 and 说明 sheets)."""
    late = [
        {
            "case_no": f"20211105{i:04d}",
            "kind": "事件",
            "minor": "暴露垃圾",
            "unit": "芗城区城市管理局",
            "reported_at": "2021-11-05 08:00:00",
            "filed_at": "2021-11-05 08:10:00",
            "dispatched_at": "2021-11-05 08:20:00",
            "deadline_at": "2021-11-06 17:30:00",
            "disposed_at": "2021-11-20 10:00:00",
            "closed_at": "2021-11-20 11:00:00",
        }
        for i in range(40)
    ]
    insert_cases(db, late)
    path = tmp_path / "scores.xlsx"
    write_score_sheet(db, parse_month("2021-11"), path)
    wb = openpyxl.load_workbook(path)

    ws = wb["扣分明细"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 4).value == "按期结案率")
    assert ws.cell(row, 7).value == 40
    needed = wrapped_lines(ws.cell(row, 8).value, ws.column_dimensions["H"].width)
    assert needed >= 10
    assert ws.row_dimensions[row].height == min(MAX_ROW_HEIGHT, needed * LINE_HEIGHT + 2)
    assert ws.cell(row, 8).alignment.wrap_text and ws.cell(row, 1).alignment.vertical == "top"

    about = wb["说明"]
    described = next(r for r in range(2, about.max_row + 1) if about.cell(r, 1).value == "规则说明")
    assert about.row_dimensions[described].height >= 2 * LINE_HEIGHT


def test_lights_export_survives_control_characters_in_imported_text(tmp_path: Path):
    """The importer keeps control characters in text (e.g. \\x07 in a unit's name); openpyxl refuses them."""
    from decimal import Decimal

    from exporters.overdue_lights import write_lights
    from models.overdue import CaseLight

    light = CaseLight(
        case_no="=1+1",
        unit="蓝田\x07开发区管委会",
        minor="暴露\x1f垃圾",
        deadline_at="2021-11-12 17:30:00",
        used_share=Decimal("1.2345"),
        light="red",
        serious=False,
    )
    path = tmp_path / "lights.xlsx"
    assert write_lights([light], path, as_of="2021-11-30 23:59:59") == 1
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[3]][:3] == ["蓝田开发区管委会", "=1+1", "暴露垃圾"]
    assert ws.cell(3, 2).data_type == "s"


def test_case_list_says_where_a_deadline_came_from_in_chinese(db, tmp_path: Path):
    """截止时间来源 showed the store's codes "export" / "limit" to the office."""
    from exporters.case_list import CaseFilter, write_case_list

    base = {
        "kind": "事件",
        "minor": "暴露垃圾",
        "unit": "西桥街道办事处",
        "reported_at": "2021-11-10 08:00:00",
        "filed_at": "2021-11-10 08:10:00",
        "dispatched_at": "2021-11-10 08:20:00",
        "deadline_at": "2021-11-12 17:30:00",
    }
    insert_cases(
        db,
        [base | {"case_no": "E1"}, base | {"case_no": "L1", "deadline_source": "limit"}, base | {"case_no": "N1"}],
    )
    db.execute("UPDATE cases SET deadline_at = NULL, deadline_source = NULL WHERE case_no = 'N1'")
    path = tmp_path / "cases.xlsx"
    write_case_list(db, parse_month("2021-11"), CaseFilter(), path)
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[15]]
    column = header.index("截止时间来源")
    got = {row[0].value: row[column].value for row in ws.iter_rows(min_row=16)}
    assert got == {"E1": "导出文件", "L1": "按处置时限计算", "N1": None}


def test_lights_export_rounds_the_used_share_half_up(tmp_path: Path):
    """f"{Decimal:.0f}" rounds half-even: a share of 0.8650 printed "86%" instead of "87%"."""
    from decimal import Decimal

    from exporters.overdue_lights import write_lights
    from models.overdue import CaseLight

    lights = [
        CaseLight(case_no=f"C{i}", unit="西桥街道办事处", minor="暴露垃圾", deadline_at=None, used_share=Decimal(share),
                  light="yellow", serious=False)
        for i, share in enumerate(["0.8650", "0.8750", "0.8649"])
    ]  # fmt: skip
    path = tmp_path / "lights.xlsx"
    write_lights(lights, path, as_of="2021-11-30 23:59:59")
    ws = openpyxl.load_workbook(path).active
    assert {ws.cell(r, 2).value: ws.cell(r, 5).value for r in range(3, 6)} == {"C0": "87%", "C1": "88%", "C2": "86%"}
