"""What every Excel file we write shares: the font, CJK-aware widths, print setup and safe text cells.

Why: a sheet leaves the office and is printed in the review meeting, so it must open in Excel and
LibreOffice without a repair prompt, print on A4 one page wide, and never turn imported text into a
formula (openpyxl writes any string starting with "=" as a formula; LibreOffice would evaluate it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "微软雅黑"  # Microsoft YaHei: on every Chinese Windows since Vista
FORMAT_SCORE = "0.00"
FORMAT_RATE = "0.00%"
FORMAT_INT = "0"

# XML 1.0 forbids these; openpyxl raises IllegalCharacterError on C0 controls. DEL and C1 controls are
# removed too: they are invisible in Excel and usually come from a broken export.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@")
MAX_CELL_TEXT = 32767  # Excel's limit for one cell

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=False)
WRAP = Alignment(horizontal="left", vertical="top", wrap_text=True)
MIDDLE_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)  # wrapped text beside centred cells


BODY_SIZE = 10.5  # points: every sheet's body text


def font(*, bold: bool = False, size: float = BODY_SIZE, italic: bool = False) -> Font:
    return Font(name=FONT_NAME, bold=bold, size=size, italic=italic)


BODY_FONT = font()
HEADER_FONT = font(bold=True)
TITLE_FONT = font(bold=True, size=16)


def clean_text(text: str) -> tuple[str, int]:
    """Text with control characters removed, and how many were removed (the exports report the count)."""
    cleaned, removed = CONTROL_CHARS.subn("", text)
    if len(cleaned) > MAX_CELL_TEXT:
        cleaned = cleaned[: MAX_CELL_TEXT - 1] + "…"
    return cleaned, removed


def needs_text_type(text: str) -> bool:
    return text.startswith(FORMULA_START)


def set_text(cell, text: str | None) -> int:
    """Write imported text as a literal string cell (never a formula); returns control characters removed."""
    if text is None:
        cell.value = None
        return 0
    cleaned, removed = clean_text(str(text))
    cell.value = cleaned
    cell.data_type = "s"
    return removed


def text_cell(ws, text: str | None, *, style_font: Font | None = None) -> tuple[object, int]:
    """A write-only cell for imported text: a plain str when safe (fast), else a WriteOnlyCell typed 's'."""
    if text is None:
        return None, 0
    cleaned, removed = clean_text(str(text))
    if needs_text_type(cleaned) or style_font is not None:
        cell = WriteOnlyCell(ws, value=cleaned)
        cell.data_type = "s"
        if style_font is not None:
            cell.font = style_font
        return cell, removed
    return cleaned, removed


def display_width(text: object) -> int:
    """Column width in Excel units: East Asian wide/fullwidth characters count double."""
    if text is None:
        return 0
    longest = 0
    for part in str(text).split("\n"):
        width = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in part)
        longest = max(longest, width)
    return longest


def fit_width(values: Iterable[object], *, minimum: int = 6, maximum: int = 60, padding: int = 2) -> float:
    """A column width that fits the longest value (CJK double), within bounds."""
    widest = max((display_width(v) for v in values), default=0)
    return float(min(maximum, max(minimum, widest + padding)))


def set_widths(ws: Worksheet, widths: dict[int, float] | list[float]) -> None:
    items = widths.items() if isinstance(widths, dict) else enumerate(widths, start=1)
    for column, width in items:
        ws.column_dimensions[get_column_letter(column)].width = width


def auto_widths(ws: Worksheet, *, first_row: int = 1, minimum: int = 6, maximum: int = 60) -> None:
    """Fit each column to its cells from ``first_row`` on (merged title rows are skipped that way)."""
    columns: dict[int, list[object]] = {}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value is not None:
                value = cell.value
                if isinstance(value, float | int) and cell.number_format == FORMAT_RATE:
                    value = f"{value * 100:.2f}%"
                columns.setdefault(cell.column, []).append(value)
    for column, values in columns.items():
        ws.column_dimensions[get_column_letter(column)].width = fit_width(values, minimum=minimum, maximum=maximum)


LINE_HEIGHT = 14.0  # points per text line at the body font size (10.5 pt 微软雅黑 / its fallbacks)
MAX_ROW_HEIGHT = 409.0  # Excel's limit for one row
# Where a line may break: after a run of letters/digits (and its trailing punctuation), or at any other char.
_BREAK_TOKEN = re.compile(r"[0-9A-Za-z_.%#+\-]+[、，；,;。）)]?\s*|.", re.S)


def wrapped_lines(text: object, width: float, size: float = BODY_SIZE) -> int:
    """How many lines a wrapped cell needs in a column ``width`` wide (CJK double, breaks between tokens),
    at font ``size`` points (a smaller font fits more on a line)."""
    if text is None or text == "":
        return 1
    usable = max(1.0, (width * BODY_SIZE / size - 1) * 0.9)  # CJK glyphs print a little wider than two digits
    total = 0
    for part in str(text).split("\n"):
        lines, used = 1, 0
        for token in _BREAK_TOKEN.findall(part):
            token_width = display_width(token)
            if used and used + token_width > usable:
                lines, used = lines + 1, 0
            used += token_width
            while used > usable:  # a token longer than the line spills over
                lines, used = lines + 1, used - usable
        total += lines
    return total


def line_height(size: float = BODY_SIZE) -> float:
    """Points per text line at a font size (LINE_HEIGHT at the body size)."""
    return LINE_HEIGHT * size / BODY_SIZE


def fit_row_heights(
    ws: Worksheet,
    widths: dict[int, float],
    *,
    first_row: int = 2,
    minimum: float | None = None,
    sizes: dict[int, float] | None = None,
) -> None:
    """Set each row's height to fit its wrapped cells in the given columns (``sizes``: a column's font size
    when it is not the body size), at least `minimum` points when given (a printed table reads better with
    some air around one-line rows).

    Why: a row without a stored height is not re-measured by LibreOffice when it opens an .xlsx, so
    wrapped case numbers and descriptions printed cut off after their first line.
    """
    sizes = sizes or {}
    for row in range(first_row, ws.max_row + 1):
        height = max(
            wrapped_lines(ws.cell(row, column).value, width, sizes.get(column, BODY_SIZE))
            * line_height(sizes.get(column, BODY_SIZE))
            for column, width in widths.items()
        )
        height = height + 2 if height > LINE_HEIGHT else None
        if minimum is not None:
            height = max(height or 0, minimum)
        if height is not None:
            ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, height)


# Columns that fit the printable width of A4 at 100 %, in Excel width units: LibreOffice prints a unit about
# 7 pt wide (Excel 5.6 pt), so a sheet within these prints unshrunk everywhere.
PAGE_UNITS = {"portrait": 78, "landscape": 112}


def print_setup(
    ws,
    *,
    footer: str | None = None,
    title_rows: str | None = None,
    title_cols: str | None = None,
    landscape: bool = False,
    fit_width: bool = True,
) -> None:
    """A4, title rows (and columns) repeated on every page, centred; with ``footer`` (what the pages are: the
    document and its period), a footer on every page naming it, with 第 N 页，共 M 页 (:func:`page_footer`).

    fit_width: shrink to one page wide (any number of pages tall) — a shrunk sheet shrinks its text and its
    footer too, so the exports keep their columns within PAGE_UNITS and print at 100 %; a wide sheet passes
    False and prints its column groups on successive pages, with ``title_cols`` (the unit column) repeated."""
    ws.page_setup.paperSize = 9  # ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.page_setup.scale = 100
        ws.page_setup.pageOrder = "downThenOver"  # all pages of a column group, then the next group's
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.8
    # the header and footer sit in the margin: at openpyxl's 0.5 inch a page footer had 0.1 inch and printed cut
    ws.page_margins.header = ws.page_margins.footer = 0.25
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    if footer:
        page_footer(ws, footer)


def page_footer(ws, left: str = "") -> None:
    """Page numbers at the foot of every printed page (第 1 页，共 3 页), and on the left what the pages are,
    so a loose page still says where it belongs."""
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9
    if left:
        ws.oddFooter.left.text = left.replace("&", "&&")
        ws.oddFooter.left.size = 9


def note_block(ws, lines: list[str], widths: list[float], *, heading: str = "说明") -> None:
    """A 说明 under a table: a bold heading, then each line merged across the table's columns and as tall as
    its wrapped text (LibreOffice does not size merged rows by itself)."""
    ws.append([])
    ws.append([heading])
    ws.cell(ws.max_row, 1).font = font(bold=True)
    total = sum(widths)
    for text in lines:
        ws.append([text])
        row = ws.max_row
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
        cell = ws.cell(row, 1)
        cell.alignment = WRAP
        cell.font = font(size=10)
        ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, wrapped_lines(text, total) * LINE_HEIGHT + 4)


def style_header(cells: Iterable) -> None:
    for cell in cells:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER


def header_cells(ws, labels: list[str]) -> list[WriteOnlyCell]:
    """Header cells for a write-only sheet."""
    out = []
    for label in labels:
        cell = WriteOnlyCell(ws, value=label)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER
        out.append(cell)
    return out
