"""Write the open cases' timer lights (超期预警) to an .xlsx sheet for the units to act on.

Cells are written as strings (case numbers must never become numbers; a leading "=" must not become a
formula), one row per case, grouped by unit as the GUI shows them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Font

from exporters.score_sheet import save_workbook
from exporters.xlsx_common import clean_text
from models.overdue import LIGHT_LABELS, LIGHT_ORDER, CaseLight

HEADERS = ("处置单位", "案件编号", "小类", "处置截止时间", "已用时限", "亮灯", "严重超期")


def write_lights(lights: Iterable[CaseLight], path: Path, *, as_of: str) -> int:
    """Write the lights, grouped by unit; returns the number of rows written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("超期预警")
    for column, width in zip("ABCDEFG", (28, 20, 16, 20, 10, 8, 10), strict=True):
        ws.column_dimensions[column].width = width
    title = WriteOnlyCell(ws, value=f"超期预警（截至 {as_of}）")
    title.font = Font(bold=True, size=13)
    ws.append([title])
    ws.append([_text(ws, h, bold=True) for h in HEADERS])
    rows = sorted(lights, key=lambda c: (c.unit or "", LIGHT_ORDER.get(c.light, 3), c.case_no))
    for c in rows:
        ws.append(
            [
                _text(ws, c.unit or ""),
                _text(ws, c.case_no),
                _text(ws, c.minor or ""),
                _text(ws, c.deadline_at or ""),
                _text(ws, c.share_text),
                _text(ws, LIGHT_LABELS.get(c.light, c.light)),
                _text(ws, "是" if c.serious else ""),
            ]
        )
    save_workbook(wb, path)
    return len(rows)


def _text(ws, value: str, *, bold: bool = False) -> WriteOnlyCell:
    # imported text may hold control characters, which openpyxl refuses (IllegalCharacterError)
    cell = WriteOnlyCell(ws, value=clean_text(value)[0])
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell
