"""The 两违 escalation sheet (抄送纪委监委、效能部门): the seriously overdue steps, print-ready (domain.md §8).

Why this shape: the sheet leaves the office on paper. Each row names the case, where it is, the step, the role
and the person responsible, when the step started, its deadline, how much of the limit is used and the
extension requests with what each did; a 说明 under the table states the rules (limits, working time,
extensions, thresholds) with the rules' version, so the reader can check any row by hand.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from exporters.file_names import export_file_name
from exporters.score_sheet import save_workbook
from exporters.xlsx_common import (
    BODY_FONT,
    BORDER,
    CENTER,
    MIDDLE_LEFT,
    TITLE_FONT,
    fit_row_heights,
    font,
    note_block,
    page_footer,
    print_setup,
    set_text,
    set_widths,
    style_header,
)
from models.lw_stats import LwEvaluation, OpenStep, escalation
from models.lw_steps import HONOURED, INVALID, LEVEL_MISSING, PENDING, REFUSED_OUTCOME, WRONG_LEVEL

HEADERS = [
    "序号", "案件编号", "县区", "乡镇", "环节", "角色", "责任人", "开始时间", "截止时间", "时限", "已用时限",
    "延期审批记录",
]  # fmt: skip
WIDTHS = [5, 17, 11, 11, 6, 7, 8, 18, 18, 11, 10, 40]
WRAPPED = (2, 4, 10, 12)  # the columns whose text may take several lines
TIME_FORMAT = "%Y-%m-%d %H:%M"


RESULT_WORDS = {
    HONOURED: "同意，已顺延",
    REFUSED_OUTCOME: "不同意",
    PENDING: "待审批",
    WRONG_LEVEL: "同意，但须市级审批（审批层级不符），未顺延",
    LEVEL_MISSING: "同意，未填审批层级，未顺延",
    INVALID: "天数缺失，未顺延",
}


def extension_history(row: OpenStep) -> str:
    """The case's extension requests in row order with what each did: 第1次 20天 县级 同意，已顺延."""
    parts = []
    for d in row.case.timeline.extensions:
        r = d.request
        words = " ".join(w for w in (f"{r.days}天" if r.days else "", r.level or "") if w)
        when = f"（{r.decided_at:%m-%d}）" if r.decided_at else ""
        parts.append(f"第{r.position}次 {words} {RESULT_WORDS[d.outcome]}{when}")
    return "\n".join(parts) or "无"


def _limit_text(row: OpenStep) -> str:
    step = row.status.step
    text = f"{step.limit_days}工作日"
    return text + (f"\n+{step.extension_days}天" if step.extension_days else "")


def _rules_text(evaluation: LwEvaluation) -> list[str]:
    s = evaluation.settings
    hours = "、".join(f"{a}–{b}" for a, b in evaluation.schedule)
    return [
        f"1. 时限：核查自接收时间起 {s.limits['核查']} 个工作日（核查员）；"
        f"处置自派发时间（无派发时间时自核查完成时间）起 {s.limits['处置']} 个工作日（处置员）；"
        f"审核自结案申请时间起 {s.limits['审核']} 个工作日（督查员）。",
        f"2. 工作日按国家法定节假日与调休安排计，每个工作日为办公时间（{hours}）；在午休、下班后或休息日开始的环节"
        "自下一个办公时段起算；时限在上午或下午下班时用完的，以下班时刻为截止时间。",
        f"3. 延期以自然日计，每次同意的延期使处置截止时间顺延 N×24 小时；累计已生效天数加本次不超过"
        f" {s.county_max_days} 天的由县级审批，超过的须市级审批；"
        "需市级审批而由县级审批的（审批层级不符）、不同意的和待审批的均不顺延。",
        f"4. 已用时限 = 已用工作时间 ÷ 时限工作时间；处置环节有生效延期时按自然时间 ÷ 自开始至延期后截止的自然时间计。"
        f"超过截止时间为红灯，已用时限超过 {s.serious_over * 100:.0f}% 为严重超期，列入本表，抄送纪委监委、效能部门。",
        f"5. 判断时刻 {evaluation.as_of:%Y-%m-%d %H:%M}；两违规则版本 {s.version}。",
    ]


def write_escalation(evaluation: LwEvaluation, path: Path) -> int:
    """Write the serious open steps at the evaluation's as-of time; returns how many rows were written."""
    rows = escalation(evaluation)
    wb = Workbook()
    ws = wb.active
    ws.title = "严重超期"
    ws.append(["两违案件严重超期清单（抄送纪委监委、效能部门）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.cell(1, 1).font = TITLE_FONT
    ws.cell(1, 1).alignment = CENTER
    ws.row_dimensions[1].height = 30
    subtitle = f"判断时刻：{evaluation.as_of:%Y-%m-%d %H:%M}　严重超期环节 {len(rows)} 个　已用时限从高到低排列"
    ws.append([subtitle])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    ws.cell(2, 1).font = font(size=10)
    ws.append(HEADERS)
    style_header(ws[3])
    for number, row in enumerate(rows, start=1):
        step = row.status.step
        values = [
            number, row.case.case_no, row.case.county, row.case.town, step.step, step.role, step.person or "（未填写）",
            step.start.strftime(TIME_FORMAT) if step.start else "", step.deadline.strftime(TIME_FORMAT),
            _limit_text(row), f"{row.used_percent}%" if row.used_percent is not None else "—", extension_history(row),
        ]  # fmt: skip
        excel_row = ws.max_row + 1
        for column, value in enumerate(values, start=1):
            cell = ws.cell(excel_row, column)
            if isinstance(value, str):
                set_text(cell, value)
            else:
                cell.value = value
            cell.font = BODY_FONT
            cell.border = BORDER
            cell.alignment = MIDDLE_LEFT if column in (2, 4, 12) else CENTER
    if not rows:
        ws.append(["（判断时刻无严重超期的在办环节）"])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(HEADERS))
    set_widths(ws, WIDTHS)
    fit_row_heights(ws, {column: WIDTHS[column - 1] for column in WRAPPED}, first_row=4, minimum=22)
    note_block(ws, _rules_text(evaluation), WIDTHS)
    ws.freeze_panes = "A4"
    print_setup(ws, title_rows="3:3", landscape=True)
    page_footer(ws, f"两违严重超期清单　判断时刻 {evaluation.as_of:%Y-%m-%d %H:%M}")
    wb.properties.title = "两违案件严重超期清单"
    wb.properties.creator = "城管绩效台"
    save_workbook(wb, Path(path))
    return len(rows)


def suggest_file_name(as_of: datetime) -> str:
    """两违严重超期清单_截至2021-12-31.xlsx (exporters.file_names: every export is named the same way)."""
    return export_file_name("两违严重超期清单", as_of=as_of)
