"""Write the open cases' timer lights (超期预警) to an .xlsx sheet for the units to act on — and to print.

One row per case, grouped by unit as the GUI shows them, reds first. Text cells are literal strings (case
numbers never become numbers; a leading "=" never becomes a formula); the times are date-times and the
share of the time limit used is a number (formatted as a percentage), so the sheet sorts and filters;
the time past the deadline is also spelled out (超期 3 个工作日, models.overdue.used_time_text).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Alignment

from exporters.score_sheet import save_workbook
from exporters.xlsx_common import (
    BODY_FONT,
    BORDER,
    LINE_HEIGHT,
    TITLE_FONT,
    WRAP,
    clean_text,
    header_cells,
    print_setup,
    wrapped_lines,
)
from models.labels import LIGHT_LABELS
from models.overdue import LIGHT_ORDER, CaseLight, used_time_text
from models.workcalendar import parse_ts

HEADERS = ("处置单位", "案件编号", "小类", "派遣时间", "处置截止时间", "已用时限", "超期情况", "亮灯", "严重超期")
WIDTHS = (19, 15, 13, 14, 14, 8, 15, 6, 8)  # fits A4 landscape at 100 % (xlsx_common.PAGE_UNITS)
TIME_FORMAT = "yy-mm-dd hh:mm"
SHARE_FORMAT = "0%"
HEADER_ROW = 3
TOP_CENTER = Alignment(horizontal="center", vertical="top")  # in line with the wrapped text cells beside


def write_lights(lights: Iterable[CaseLight], path: Path, *, as_of: str) -> int:
    """Write the lights, grouped by unit; returns the number of rows written."""
    moment = parse_ts(as_of)
    as_of_text = f"{moment:%Y-%m-%d %H:%M:%S}" if moment else str(as_of)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("超期预警")
    for column, width in zip("ABCDEFGHI", WIDTHS, strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    title = f"超期预警（截至 {as_of_text}）"
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", landscape=True, footer=title)
    rows = sorted(lights, key=lambda c: (c.unit or "", LIGHT_ORDER.get(c.light, 3), c.case_no))
    ws.auto_filter.ref = f"A{HEADER_ROW}:I{HEADER_ROW + max(len(rows), 1)}"
    head = WriteOnlyCell(ws, value=title)
    head.font = TITLE_FONT
    ws.append([head])
    note = "已用时限：处置时限已用的比例。超期情况：超过（或距离）截止时间的时长，按时限的计时方式计。"
    ws.append([_cell(ws, note, wrap=False)])
    ws.row_dimensions[HEADER_ROW].height = 2 * LINE_HEIGHT + 4  # 严重超期 on two lines
    ws.append(header_cells(ws, list(HEADERS)))
    for number, c in enumerate(rows, start=HEADER_ROW + 1):
        texts = [c.unit or "", c.case_no, c.minor or ""]
        lines = max(wrapped_lines(clean_text(t)[0], w) for t, w in zip(texts, WIDTHS, strict=False))
        if lines > 1:  # a stored height: LibreOffice does not measure the rows of an .xlsx it opens
            ws.row_dimensions[number].height = lines * LINE_HEIGHT + 2
        share = None
        if c.used_share is not None:  # the published whole percent, half-up, as a number
            share = (c.used_share * 100).quantize(Decimal(1), ROUND_HALF_UP) / 100
        ws.append(
            [
                *(_cell(ws, t) for t in texts),
                _cell(ws, _moment(c.dispatched_at), number_format=TIME_FORMAT),
                _cell(ws, _moment(c.deadline_at), number_format=TIME_FORMAT),
                _cell(ws, share, number_format=SHARE_FORMAT, centred=True),
                _cell(ws, used_time_text(c)),
                _cell(ws, LIGHT_LABELS.get(c.light, c.light), centred=True),
                _cell(ws, "是" if c.serious else "", centred=True),
            ]
        )
    save_workbook(wb, path)
    return len(rows)


def _moment(text: str | None) -> datetime | None:
    try:
        return parse_ts(text)
    except ValueError:
        return None


def _cell(ws, value, *, number_format: str | None = None, centred: bool = False, wrap: bool = True) -> WriteOnlyCell:
    """A bordered body cell; text is cleaned of control characters (openpyxl refuses them) and kept literal."""
    if isinstance(value, str):
        value = clean_text(value)[0]
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    cell.font = BODY_FONT
    if wrap:
        cell.border = BORDER
        cell.alignment = TOP_CENTER if centred else WRAP
    if number_format:
        cell.number_format = number_format
    return cell
