"""A 督察信访 batch and its follow-up at an as-of date, print-ready (domain.md §9).

Why this shape: the sheet goes to the leaders' meeting and to the regions that handle the pieces. The first
sheet is what the office reports (the batch paragraph, the type × region counts with the multi-label notice,
办结率 by region and by type); the second lists every piece with where it stands, the overdue ones first
(most days late first), then those still being handled, then the closed ones, the duplicates last, so a
reader sees what is left to chase before what is done. A 说明 states how the figures are counted.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from exporters.file_names import export_file_name
from exporters.petition_text import batch_name
from exporters.score_sheet import save_workbook
from exporters.xlsx_common import (
    BODY_FONT,
    BORDER,
    CENTER,
    FORMAT_RATE,
    HEADER_FILL,
    LINE_HEIGHT,
    MIDDLE_LEFT,
    TITLE_FONT,
    WRAP,
    display_width,
    fit_row_heights,
    font,
    note_block,
    page_footer,
    print_setup,
    set_text,
    set_widths,
    style_header,
    wrapped_lines,
)
from models.petition_report import Batch, batch_paragraph, petition_stats, type_region_table
from models.petitions import Piece, load_petition_vocabulary

FOLLOW_UP_HEADERS = ["名称", "举报件", "已办结", "办结率", "超期未办结"]
PIECE_HEADERS = [
    "序号", "举报件编号", "问题类型", "所属地区", "转办单位", "办理时限", "办结时间", "办理状态", "办理结果",
    "举报内容",
]  # fmt: skip
PIECE_WIDTHS = [5, 21, 14, 16, 20, 11, 11, 15, 28, 28]
PIECE_WRAPPED = (3, 4, 5, 6, 9, 10)  # the columns whose text may take several lines
LEFT_ALIGNED = (3, 4, 5, 9, 10)
DUPLICATE = "重复件（不计数）"
MULTI_TYPE = "部分举报件涉及多个问题类型"
MULTI_REGION = "部分举报件涉及多个地区"


def piece_status(piece: Piece, as_of: date) -> str:
    """Where a piece stands at the as-of date: 已办结, 办理中, 超期 N 天, or a duplicate (not counted)."""
    if piece.duplicate:
        return DUPLICATE
    if piece.is_closed(as_of):
        return "已办结"
    late = piece.days_overdue(as_of)
    return f"超期 {late} 天" if late is not None else "办理中"


def _order(piece: Piece, as_of: date) -> tuple:
    """Overdue (most days late first), being handled, closed, duplicates."""
    if piece.duplicate:
        return (3, 0, piece.piece_no)
    if piece.is_closed(as_of):
        return (2, 0, piece.piece_no)
    late = piece.days_overdue(as_of)
    return (0, -late, piece.piece_no) if late is not None else (1, 0, piece.piece_no)


def ordered_pieces(pieces: list[Piece], as_of: date) -> list[Piece]:
    return sorted(pieces, key=lambda p: _order(p, as_of))


def multi_label_notice(table: dict) -> str:
    """The notice under the type × region table when some piece carries several types or regions."""
    parts = [text for flag, text in ((table["multi_type"], MULTI_TYPE), (table["multi_region"], MULTI_REGION)) if flag]
    if not parts:
        return ""
    return f"{'，'.join(parts)}，各项之和大于举报件数 {table['pieces']} 件。"


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _styled(cell, value, *, left: bool = False, bold: bool = False) -> None:
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value
    cell.font = font(bold=True) if bold else BODY_FONT
    cell.border = BORDER
    cell.alignment = MIDDLE_LEFT if left else CENTER


def _merged_line(ws, text: str, width: int, *, bold: bool = False, size: float = 10.5) -> int:
    ws.append([text])
    row = ws.max_row
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.cell(row, 1).font = font(bold=bold, size=size)
    return row


def _heading(ws, text: str) -> None:
    ws.append([])
    ws.append([text])
    ws.cell(ws.max_row, 1).font = font(bold=True)


def _type_region_block(ws, table: dict) -> None:
    _heading(ws, "问题类型 × 所属地区（件）")
    ws.append(["问题类型", *table["regions"], "合计"])
    style_header(ws[ws.max_row][: len(table["regions"]) + 2])
    for name, counts, total in zip(table["types"], table["cells"], table["type_totals"], strict=True):
        ws.append([name, *[n or None for n in counts], total])
        row = ws.max_row
        for column in range(1, len(table["regions"]) + 3):
            _styled(ws.cell(row, column), ws.cell(row, column).value, left=column == 1)
    ws.append(["合计", *table["region_totals"], None])
    row = ws.max_row
    for column in range(1, len(table["regions"]) + 3):
        _styled(ws.cell(row, column), ws.cell(row, column).value, left=column == 1, bold=True)
        ws.cell(row, column).fill = HEADER_FILL
    notice = multi_label_notice(table)
    if notice:
        ws.append([notice])
        ws.cell(ws.max_row, 1).font = font(size=10)


def _follow_up_block(ws, title: str, rows: list[dict]) -> None:
    _heading(ws, title)
    ws.append(FOLLOW_UP_HEADERS)
    style_header(ws[ws.max_row][: len(FOLLOW_UP_HEADERS)])
    for g in rows:
        ws.append([g["name"], g["pieces"], g["closed"], None, g["overdue"]])
        row = ws.max_row
        for column in range(1, len(FOLLOW_UP_HEADERS) + 1):
            _styled(ws.cell(row, column), ws.cell(row, column).value, left=column == 1)
        rate = ws.cell(row, 4)
        if g["closure_rate"] is None:
            rate.value = "—"
        else:
            rate.value = Decimal(g["closure_rate"]) / 100
            rate.number_format = FORMAT_RATE


def _summary_sheet(ws, batch: Batch, doc: dict, table: dict, paragraph: str, as_of: date) -> None:
    ws.title = "办理情况"
    width = max(len(table["regions"]) + 2, len(FOLLOW_UP_HEADERS))
    title_row = _merged_line(ws, f"{batch_name(batch.number)}群众信访举报件办理情况", width)
    ws.cell(title_row, 1).font = TITLE_FONT
    ws.cell(title_row, 1).alignment = CENTER
    ws.row_dimensions[title_row].height = 30
    rate = f"{doc['closure_rate']}%" if doc["closure_rate"] is not None else "—"
    _merged_line(
        ws,
        f"{batch.body} {batch.handed_over.isoformat()} 移交；办结情况截至 {as_of.isoformat()}："
        f"举报件 {doc['pieces']} 件（另有重复件 {doc['duplicates']} 件不计数），已办结 {doc['closed']} 件，"
        f"办结率 {rate}，超过办理时限未办结 {len(doc['overdue'])} 件",
        width,
        size=10,
    )
    widths = [14] + [max(8, display_width(r) + 3) for r in table["regions"]] + [8]
    widths += [10] * (width - len(widths))
    _heading(ws, "通报段落")
    row = _merged_line(ws, paragraph, width)
    ws.cell(row, 1).alignment = WRAP
    ws.row_dimensions[row].height = wrapped_lines(paragraph, sum(widths)) * LINE_HEIGHT + 6
    _type_region_block(ws, table)
    _follow_up_block(ws, "办结情况（按地区）", doc["by_region"])
    _follow_up_block(ws, "办结情况（按问题类型）", doc["by_type"])
    set_widths(ws, widths)
    note_block(
        ws,
        [
            "举报件数不含重复件（是否重复为“是”的件保留在清单中，不计数）。一件举报件可涉及多个问题类型、多个地区，"
            "按类型、按地区的件数之和可大于举报件数。",
            "办结率 = 统计日及以前有办结时间的举报件 ÷ 举报件；超过办理时限（不含当天）仍无办结时间的为超期未办结。"
            "办理时限写作天数的，自移交日期起按自然日计。",
        ],
        widths,
    )
    print_setup(ws)
    ws.page_setup.fitToHeight = 1  # one page: the summary is read as a whole
    page_footer(ws, f"{batch_name(batch.number)}信访举报件办理情况　截至 {as_of.isoformat()}")


def _piece_sheet(ws, batch: Batch, pieces: list[Piece], as_of: date) -> None:
    vocab = load_petition_vocabulary()
    _merged_line(ws, f"{batch_name(batch.number)}群众信访举报件清单", len(PIECE_HEADERS))
    ws.cell(1, 1).font = TITLE_FONT
    ws.cell(1, 1).alignment = CENTER
    ws.row_dimensions[1].height = 30
    _merged_line(
        ws, f"办理状态截至 {as_of.isoformat()}；超期的在前（超期天数多的在前），再办理中、已办结，重复件在后",
        len(PIECE_HEADERS), size=10,
    )  # fmt: skip
    ws.append(PIECE_HEADERS)
    style_header(ws[3])
    for number, p in enumerate(ordered_pieces(pieces, as_of), start=1):
        deadline = _day(p.deadline) + (f"\n（{p.deadline_days} 天）" if p.deadline_days else "")
        values = [
            number, p.piece_no, "\n".join(vocab.report_word(t) for t in p.types), "\n".join(p.regions), p.unit or "",
            deadline, _day(p.closed_on if p.is_closed(as_of) else None), piece_status(p, as_of), p.result or "",
            p.content or "",
        ]  # fmt: skip
        ws.append([None] * len(values))
        row = ws.max_row
        for column, value in enumerate(values, start=1):
            _styled(ws.cell(row, column), value, left=column in LEFT_ALIGNED)
        if p.days_overdue(as_of) is not None:
            ws.cell(row, 8).font = font(bold=True)
    set_widths(ws, PIECE_WIDTHS)
    fit_row_heights(ws, {c: PIECE_WIDTHS[c - 1] for c in PIECE_WRAPPED}, first_row=4, minimum=22)
    ws.freeze_panes = "A4"
    print_setup(ws, title_rows="3:3", landscape=True)
    page_footer(ws, f"{batch_name(batch.number)}信访举报件清单　截至 {as_of.isoformat()}")


def write_petition_sheet(batch: Batch, pieces: list[Piece], as_of: date, path: Path) -> dict:
    """Write the batch's two-sheet workbook (办理情况, 举报件清单); returns the `petitions stats` document it shows."""
    own = [p for p in pieces if p.batch == batch.number]
    doc = petition_stats(own, as_of=as_of, batch=batch.number)
    paragraph = batch_paragraph(batch, own)
    wb = Workbook()
    _summary_sheet(wb.active, batch, doc, type_region_table(own), paragraph, as_of)
    _piece_sheet(wb.create_sheet("举报件清单"), batch, own, as_of)
    wb.properties.title = f"{batch_name(batch.number)}群众信访举报件办理情况"
    wb.properties.creator = "城管绩效台"
    save_workbook(wb, Path(path))
    return doc


def suggest_file_name(batch: int, as_of: date) -> str:
    """督察信访第8批办理情况_截至2021-12-31.xlsx (exporters.file_names: every export is named the same way)."""
    return export_file_name(f"督察信访{batch_name(batch)}办理情况", as_of=as_of)
