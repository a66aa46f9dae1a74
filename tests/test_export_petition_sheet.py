"""The 督察信访 batch sheet (exporters.petition_sheet): the paragraph, the type × region table, follow-up, pieces."""

from datetime import date

import openpyxl
import pytest

from exporters.petition_sheet import multi_label_notice, piece_status, suggest_file_name, write_petition_sheet
from exporters.saving import ExportError
from models.petition_report import batch_paragraph, type_region_table
from tests.test_petitions_report import BATCH8, demo_batch8, piece

DEC31 = date(2021, 12, 31)


def cells(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def row_after(rows: list[list], first: str) -> int:
    return next(i for i, r in enumerate(rows) if r[0] == first)


def test_the_summary_sheet_holds_the_paragraph_the_table_and_the_follow_up(tmp_path):
    batch, pieces = demo_batch8()
    path = tmp_path / suggest_file_name(8, DEC31)
    doc = write_petition_sheet(batch, pieces, DEC31, path)
    assert path.name == "督察信访第八批办理情况_截至2021-12-31.xlsx"
    assert (doc["pieces"], doc["duplicates"], doc["closed"], doc["closure_rate"]) == (17, 3, 9, "52.94")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["办理情况", "举报件清单"]
    rows = cells(wb["办理情况"])
    assert rows[0][0] == "第八批群众信访举报件办理情况"
    assert rows[1][0].startswith("省生态环境保护督察组 2021-12-14 移交；办结情况截至 2021-12-31：举报件 17 件")
    assert "办结率 52.94%，超过办理时限未办结 2 件" in rows[1][0]
    assert rows[row_after(rows, "通报段落") + 1][0] == batch_paragraph(batch, pieces)
    header = row_after(rows, "问题类型")
    regions = ["芗城区", "龙文区", "漳浦县", "东山县", "平和县", "漳州台商投资区", "漳州高新区", "古雷开发区"]
    assert rows[header][: len(regions) + 2] == ["问题类型", *regions, "合计"]
    table = {r[0]: r[len(regions) + 1] for r in rows[header + 1 : header + 6]}
    assert table == {"水环境问题": 6, "大气环境问题": 9, "生态环境问题": 3, "噪声环境问题": 4, "其他污染": 3}
    assert rows[header + 6][: len(regions) + 1] == ["合计", 2, 3, 3, 1, 2, 5, 1, 1]
    assert rows[header + 7][0] == "部分举报件涉及多个问题类型，部分举报件涉及多个地区，各项之和大于举报件数 17 件。"
    by_region = row_after(rows, "办结情况（按地区）") + 2
    assert rows[by_region][:5] == ["芗城区", 2, 2, 1, 0]  # 办结率 100% as a number formatted 0.00%
    ws = wb["办理情况"]
    assert ws.cell(by_region + 1, 4).number_format == "0.00%"
    assert ws.page_setup.fitToHeight == 1 and ws.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_the_piece_list_puts_the_overdue_first_and_the_duplicates_last(tmp_path):
    batch, pieces = demo_batch8()
    path = tmp_path / "batch8.xlsx"
    write_petition_sheet(batch, pieces, DEC31, path)
    ws = openpyxl.load_workbook(path)["举报件清单"]
    assert [c.value for c in ws[3]][:8] == ["序号", "举报件编号", "问题类型", "所属地区", "转办单位", "办理时限",
                                            "办结时间", "办理状态"]  # fmt: skip
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert len(rows) == 20  # 17 counted and 3 duplicates, every piece listed
    statuses = [r[7] for r in rows]
    assert statuses[:2] == ["超期 2 天", "超期 2 天"]
    assert statuses[-3:] == ["重复件（不计数）"] * 3
    assert statuses.count("已办结") == 9 and statuses.count("办理中") == 6
    first = rows[0]
    assert first[1] == "D350600202112140017" and first[5] == "2021-12-29\n（15 天）"
    two_regions = next(r for r in rows if r[1] == "X350600202112140005")
    assert two_regions[3] == "龙文区\n漳州台商投资区" and two_regions[2] == "水环境问题"
    assert ws.print_title_rows == "$3:$3" and ws.page_setup.orientation == "landscape"


def test_closing_after_the_as_of_date_is_not_yet_closed(tmp_path):
    late = piece("1", deadline=date(2021, 12, 24), closed_on=date(2021, 12, 27))
    assert piece_status(late, date(2021, 12, 24)) == "办理中"
    assert piece_status(late, date(2021, 12, 26)) == "超期 2 天"
    assert piece_status(late, date(2021, 12, 27)) == "已办结"
    path = tmp_path / "one.xlsx"
    write_petition_sheet(BATCH8, [late], date(2021, 12, 26), path)
    row = [c.value for c in openpyxl.load_workbook(path)["举报件清单"][4]]
    assert row[6] is None and row[7] == "超期 2 天"  # the 办结时间 of 12-27 is not shown at 12-26


def test_the_notice_appears_only_for_a_list_that_sums_past_the_pieces():
    one_each = type_region_table([piece("1", "水", "芗城区"), piece("2", "大气", "龙文区")])
    assert multi_label_notice(one_each) == ""
    types_only = type_region_table([piece("1", "水、大气", "芗城区"), piece("2", "大气", "芗城区")])
    assert multi_label_notice(types_only) == "部分举报件涉及多个问题类型，各项之和大于举报件数 2 件。"
    regions_only = type_region_table([piece("1", "水", "芗城区、龙文区")])
    assert multi_label_notice(regions_only) == "部分举报件涉及多个地区，各项之和大于举报件数 1 件。"


def test_imported_text_is_never_a_formula_and_a_failed_save_keeps_the_old_file(tmp_path):
    hostile = piece("=1+1", result="=HYPERLINK(1)", content="@SUM(A1)")
    path = tmp_path / "hostile.xlsx"
    write_petition_sheet(BATCH8, [hostile], DEC31, path)
    ws = openpyxl.load_workbook(path)["举报件清单"]
    assert ws.cell(4, 2).value == "=1+1" and ws.cell(4, 2).data_type == "s"
    assert ws.cell(4, 9).data_type == "s" and ws.cell(4, 10).data_type == "s"
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder")
    with pytest.raises(ExportError):
        write_petition_sheet(BATCH8, [hostile], DEC31, blocker / "x.xlsx")
    assert blocker.read_text() == "not a folder"
