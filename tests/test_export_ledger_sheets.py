"""The printable sheets of the supervision ledgers: the 两违 escalation list and the 创城回头看 sheet."""

from datetime import date, datetime

import openpyxl

from exporters.lw_escalation import extension_history, write_escalation
from exporters.rectify_sheet import write_rectify_sheet
from models.lw_cases import ExtensionRequest, LwCase
from models.lw_settings import LwSettings
from models.lw_stats import escalation, evaluate
from models.rectify import make_row

AS_OF = datetime(2021, 12, 31, 23, 59, 59)


def lw_cases():
    cases = [
        LwCase("LW-VERIFY", county="芗城区", town="巷口街道", received_at=datetime(2021, 12, 1, 10, 30), verifier="甲"),
        LwCase(
            "=HYPERLINK(1)",
            county="高新区",
            town="九湖",
            received_at=datetime(2021, 11, 12, 10),
            verified_at=datetime(2021, 11, 15, 11),
            dispatched_at=datetime(2021, 11, 15, 15),
            disposer="周海涛",
        ),
        LwCase("LW-FRESH", county="龙文区", town="碧湖街道", received_at=datetime(2021, 12, 30, 9), verifier="江海燕"),
    ]
    requests = [
        ExtensionRequest("=HYPERLINK(1)", 1, 10, "县级", "不同意"),
        ExtensionRequest("=HYPERLINK(1)", 2, 20, "县级", None, datetime(2021, 12, 2, 9)),
    ]
    return evaluate(cases, requests, period=None, as_of=AS_OF, settings=LwSettings())


def test_the_escalation_sheet_lists_the_serious_steps_with_their_approval_history(tmp_path):
    evaluation = lw_cases()
    path = tmp_path / "esc.xlsx"
    assert write_escalation(evaluation, path) == 2
    ws = openpyxl.load_workbook(path).active
    assert ws.title == "严重超期"
    assert ws["A1"].value == "两违案件严重超期清单（抄送纪委监委、效能部门）"
    assert ws["A2"].value.startswith("判断时刻：2021-12-31 23:59　严重超期环节 2 个")
    header = [c.value for c in ws[3]]
    assert header[:7] == ["序号", "案件编号", "县区", "乡镇", "环节", "角色", "责任人"]
    first, second = ([c.value for c in ws[r]] for r in (4, 5))
    assert first[:11] == [1, "LW-VERIFY", "芗城区", "巷口街道", "核查", "核查员", "甲", "2021-12-01 10:30",
                          "2021-12-08 10:30", "5工作日", "452.86%"]  # fmt: skip
    assert second[1:7] == ["=HYPERLINK(1)", "漳州高新区", "九湖镇", "处置", "处置员", "周海涛"]
    assert ws.cell(5, 2).data_type == "s"  # imported text is never a formula
    assert second[11] == "第1次 10天 县级 不同意\n第2次 20天 县级 待审批（12-02）"
    notes = [ws.cell(r, 1).value for r in range(7, ws.max_row + 1) if ws.cell(r, 1).value]
    assert notes[0] == "说明" and "超过 200% 为严重超期" in notes[4] and notes[-1].endswith("两违规则版本 1。")
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert ws.page_margins.bottom - ws.page_margins.footer >= 0.3  # room for the footer's line: printed whole


def test_an_honoured_and_a_wrong_level_extension_are_worded_apart():
    case = LwCase("C", received_at=datetime(2021, 10, 8, 9), verified_at=datetime(2021, 10, 8, 10), disposer="甲")
    requests = [ExtensionRequest("C", 1, 20, "县级", "同意"), ExtensionRequest("C", 2, 15, "县级", "同意")]
    evaluation = evaluate([case], requests, period=None, as_of=AS_OF, settings=LwSettings())
    (row,) = escalation(evaluation)
    assert extension_history(row).split("\n") == [
        "第1次 20天 县级 同意，已顺延",
        "第2次 15天 县级 同意，但须市级审批（审批层级不符），未顺延",
    ]


def test_an_empty_escalation_sheet_says_so(tmp_path):
    evaluation = evaluate([], [], period=None, as_of=AS_OF, settings=LwSettings())
    assert write_escalation(evaluation, tmp_path / "none.xlsx") == 0
    ws = openpyxl.load_workbook(tmp_path / "none.xlsx").active
    assert ws["A4"].value == "（判断时刻无严重超期的在办环节）"


def rectify_rows():
    base = {"inspected_on": "2021-11-10", "site": "动车站", "district": "龙文区", "category": "交通秩序",
            "unit": "市交警支队", "due_on": "2021-11-30", "description": "出租车乱停放"}  # fmt: skip
    cells = [
        {"problem_no": "CC1", "checked_on": "2021-12-01", "result": "已整改"},
        {"problem_no": "CC2", "checked_on": "2021-12-01", "result": "已整改"},
        {"problem_no": "CC2", "checked_on": "2021-12-14", "result": "反弹"},
        {"problem_no": "CC3"},
        {"problem_no": "CC4", "checked_on": "2021-12-14", "result": "未整改", "due_on": "2022-01-15"},
        {"problem_no": "CC5", "checked_on": "2022-01-05", "result": "已整改"},
    ]
    return [make_row(base | c) for c in cells]


def test_the_rectify_sheet_lists_open_problems_first_with_their_rounds(tmp_path):
    path = tmp_path / "rectify.xlsx"
    doc = write_rectify_sheet(rectify_rows(), date(2021, 12, 31), path)
    assert (doc["due"], doc["rectified"], doc["rate"]) == (4, 1, "25.00")
    wb = openpyxl.load_workbook(path)
    ws = wb["问题清单"]
    assert ws["A2"].value.startswith("截至 2021-12-31：问题 5 个，应整改 4 个，已整改 1 个，整改达标率 25.00%")
    rows = [[c.value for c in ws[r]] for r in range(4, 9)]
    assert [(r[1], r[2], r[10]) for r in rows] == [
        ("CC2", "反弹", "2021-12-01 已整改\n2021-12-14 反弹"),
        ("CC3", "未复查", "未复查"),
        ("CC5", "未复查", "未复查"),  # its 2022 round is after the as-of date
        ("CC4", "未整改（未到期）", "2021-12-14 未整改"),
        ("CC1", "已整改", "2021-12-01 已整改"),
    ]
    assert ws.cell(4, 3).fill.fgColor.rgb.endswith("FDE9E7") and ws.cell(8, 3).fill.fgColor.rgb != "00FDE9E7"
    assert ws.print_title_rows == "$3:$3" and ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    groups = wb["分类统计"]
    values = [[c.value for c in row] for row in groups.iter_rows(min_row=1, max_col=7)]
    unit_row = next(v for v in values if v[0] == "市交警支队")
    assert unit_row[:4] == ["市交警支队", 5, 4, 1] and float(unit_row[4]) == 0.25
