"""The 创城回头看 sheet at an as-of date: every problem with its status and rounds, print-ready (domain.md §10).

Why this shape: the sheet goes to the units and the 创城 meeting. The problems still open come first (反弹,
未整改, never re-checked; earliest deadline first), then those not yet due, then the rectified ones, each with
its history of rounds up to the as-of date, so a reader sees what is left to do before what is done. A second
sheet holds 整改达标率 by unit, district, category and site; a 说明 states how the rate is counted.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from exporters.file_names import export_file_name
from exporters.score_sheet import save_workbook
from exporters.xlsx_common import (
    BODY_FONT,
    BORDER,
    CENTER,
    FORMAT_RATE,
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
from models.rectify import UNCHECKED, ProblemStatus, RectifyRow, problem_statuses, problems_from_rows, rectify_stats

HEADERS = [
    "序号", "问题编号", "状态", "点位", "所属区", "问题类别", "问题描述", "责任单位", "督查日期", "整改时限",
    "回头看记录",
]  # fmt: skip
WIDTHS = [5, 12, 12, 13, 9, 11, 30, 18, 11, 11, 20]
OPEN_FILL = PatternFill("solid", fgColor="FDE9E7")  # a light red behind the status of a problem still open
GROUP_HEADERS = ["名称", "问题数", "应整改", "已整改", "整改达标率", "反弹", "未复查"]
GROUPS = (("by_unit", "unit", "按责任单位"), ("by_district", "district", "按所属区"),
          ("by_category", "category", "按问题类别"), ("by_site", "site", "按点位"))  # fmt: skip


def status_text(s: ProblemStatus) -> str:
    """The status as the sheet prints it: 未到期 for a problem whose deadline has not come."""
    if not s.due:
        return "未到整改时限" if s.status == UNCHECKED else f"{s.status}（未到期）"
    return s.status


def rounds_text(s: ProblemStatus) -> str:
    """The rounds up to the as-of date, one per line: 12-01 未整改."""
    return "\n".join(f"{r.checked_on:%Y-%m-%d} {r.result}" for r in s.rounds) or "未复查"


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _title(ws, text: str, subtitle: str, width: int) -> None:
    ws.append([text])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).font = TITLE_FONT
    ws.cell(1, 1).alignment = CENTER
    ws.row_dimensions[1].height = 30
    ws.append([subtitle])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.cell(2, 1).font = font(size=10)


def _problem_sheet(ws, statuses: list[ProblemStatus], doc: dict, notes: list[str]) -> None:
    ws.title = "问题清单"
    summary = (
        f"截至 {doc['as_of']}：问题 {doc['problems']} 个，应整改 {doc['due']} 个，已整改 {doc['rectified']} 个，"
        f"整改达标率 {doc['rate'] + '%' if doc['rate'] is not None else '—'}；未整改到位的排在前面"
    )
    _title(ws, "创城“回头看”问题整改情况表", summary, len(HEADERS))
    ws.append(HEADERS)
    style_header(ws[3])
    for number, s in enumerate(statuses, start=1):
        p = s.problem
        values = [number, p.problem_no, status_text(s), p.site, p.district, p.category, p.description, p.unit,
                  _day(p.inspected_on), _day(p.due_on), rounds_text(s)]  # fmt: skip
        row = ws.max_row + 1
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row, column)
            if isinstance(value, str):
                set_text(cell, value)
            else:
                cell.value = value
            cell.font = BODY_FONT
            cell.border = BORDER
            cell.alignment = MIDDLE_LEFT if column in (4, 7, 8, 11) else CENTER
        if s.open:
            ws.cell(row, 3).fill = OPEN_FILL
            ws.cell(row, 3).font = font(bold=True)
    set_widths(ws, WIDTHS)
    fit_row_heights(ws, dict(enumerate(WIDTHS, start=1)), first_row=4, minimum=22)
    note_block(ws, notes, WIDTHS)
    ws.freeze_panes = "A4"
    print_setup(ws, title_rows="3:3", landscape=True)
    page_footer(ws, f"创城回头看问题整改情况　截至 {doc['as_of']}")


def _group_sheet(ws, doc: dict) -> None:
    ws.title = "分类统计"
    rate = f"{doc['rate']}%" if doc["rate"] is not None else "—"
    _title(ws, "创城“回头看”整改达标率", f"截至 {doc['as_of']}：整改达标率 {rate}", len(GROUP_HEADERS))
    for key, field, title in GROUPS:
        ws.append([])
        ws.append([title])
        ws.cell(ws.max_row, 1).font = font(bold=True)
        ws.append(GROUP_HEADERS)
        style_header(ws[ws.max_row])
        for g in doc[key]:
            name = g[field] or "（未填写）"
            values = [name, g["problems"], g["due"], g["rectified"], None, g["rebound"], g["unchecked"]]
            ws.append(values)
            row = ws.max_row
            set_text(ws.cell(row, 1), values[0])
            rate_cell = ws.cell(row, 5)
            if g["rate"] is None:
                rate_cell.value = "—"
            else:
                rate_cell.value = Decimal(g["rate"]) / 100
                rate_cell.number_format = FORMAT_RATE
            for column in range(1, len(GROUP_HEADERS) + 1):
                ws.cell(row, column).font = BODY_FONT
                ws.cell(row, column).border = BORDER
                ws.cell(row, column).alignment = MIDDLE_LEFT if column == 1 else CENTER
    widths = [34, 8, 8, 8, 12, 7, 7]
    set_widths(ws, widths)
    fit_row_heights(ws, {1: widths[0]}, first_row=3, minimum=20)
    print_setup(ws)
    page_footer(ws, f"创城回头看整改达标率　截至 {doc['as_of']}")


def write_rectify_sheet(rows: list[RectifyRow], as_of: date, path: Path) -> dict:
    """Write the two-sheet workbook; returns the `rectify stats` document it shows."""
    doc = rectify_stats(rows, as_of=as_of)
    problems, _warnings = problems_from_rows(rows)
    statuses = problem_statuses(problems, as_of)
    notes = [
        "整改达标率 = 整改时限已到（不晚于统计日）且最近一次回头看结果为“已整改”的问题数 ÷ 整改时限已到的问题数；"
        "“反弹”按未整改计；整改时限已到而尚未复查的按未整改计。",
        "问题的状态取统计日及以前最近一次回头看的结果；统计日以后的回头看不计入本表。"
        "排序：反弹、未整改、未复查（整改时限早的在前），再未到整改时限的，最后已整改的。",
        *doc["warnings"],
    ]
    wb = Workbook()
    _problem_sheet(wb.active, statuses, doc, notes)
    _group_sheet(wb.create_sheet("分类统计"), doc)
    wb.properties.title = "创城回头看问题整改情况"
    wb.properties.creator = "城管绩效台"
    save_workbook(wb, Path(path))
    return doc


def suggest_file_name(as_of: date) -> str:
    """创城回头看整改情况_截至2021-12-31.xlsx (exporters.file_names: every export is named the same way)."""
    return export_file_name("创城回头看整改情况", as_of=as_of)
