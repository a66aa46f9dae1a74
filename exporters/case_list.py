"""The case list export: exactly the cases behind a figure, filter written on top.

Why so careful: the list leaves the office and is opened by others. The cases come from the same
``case_numbers`` call as the figure on screen, so the list and the number always agree; imported text is
written as literal strings (a description "=HYPERLINK(…)" is never a formula), control characters are
removed and counted, case numbers stay text (18 digits would lose precision as numbers). Big lists are
written in openpyxl's write-only mode (flat memory); a first pass over the rows counts what will be
cleaned so the count can be printed above the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from exporters.file_names import export_file_name
from exporters.score_sheet import save_workbook
from exporters.xlsx_common import (
    BODY_FONT,
    BORDER,
    HEADER_FONT,
    LINE_HEIGHT,
    TITLE_FONT,
    WRAP,
    clean_text,
    display_width,
    font,
    header_cells,
    print_setup,
    text_cell,
    wrapped_lines,
)
from models.labels import DEADLINE_SOURCE_LABELS, DISPOSED_SOURCE_LABELS, FIELD_LABELS, FIGURE_LABELS, LIGHT_LABELS
from models.periods import TS_FORMAT, Period, period_words
from models.quality import require_data
from models.records import CASE_FIELDS

COLUMNS: list[str] = [*CASE_FIELDS, "deadline_source", "disposed_source"]
# the printed list: what a reader of the paper needs, legible on A4 landscape at 100 % (xlsx_common.PAGE_UNITS)
PRINTED = ["case_no", "unit", "minor", "filed_at", "deadline_at", "disposed_at", "closed_at", "stage"]
PRINTED_WIDTHS = [16, 19, 13, 14, 14, 14, 14, 8]
PRINTED_TIME_FORMAT = "yy-mm-dd hh:mm"
INFERRED_FONT = font(italic=True)
TEXT_SEARCH_FIELDS = ("case_no", "description", "address", "minor", "major", "unit", "street", "community", "grid")
HEADER_ROW = 15  # fixed: rows 1–13 describe the filter, row 14 is blank
CHUNK = 500


@dataclass
class CaseFilter:
    """What the user filtered: the figure behind a number, narrowed like the GUI's case browser."""

    figure: str = "filed"
    unit: str | None = None
    with_subunits: bool = False
    kind: str | None = None
    minor: str | None = None
    as_of: str | None = None
    search: str | None = None
    stage: str | None = None
    light: str | None = None  # green | yellow | red (open cases at as_of)

    def describe(self) -> list[tuple[str, str]]:
        """The filter as (label, value) rows, "全部" where not narrowed."""
        figure = FIGURE_LABELS.get(self.figure, self.figure)
        unit = "全部"
        if self.unit:
            unit = self.unit + ("（含下属单位）" if self.with_subunits else "")
        return [
            ("数字口径", figure),
            ("处置单位", unit),
            ("问题类型", self.kind or "全部"),
            ("小类", self.minor or "全部"),
            ("判断时刻", self.as_of or "默认（期末，或当前时间如更早）"),
            ("搜索", self.search or "无"),
            ("当前阶段", self.stage or "全部"),
            ("亮灯", LIGHT_LABELS.get(self.light or "", self.light or "全部")),
        ]

    def file_name(self, period: Period) -> str:
        """The suggested file name, which repeats the filter: 案件清单_2021-11_立案_蓝田开发区管委会.xlsx."""
        unit = self.unit + ("含下属" if self.with_subunits else "") if self.unit else None
        light = LIGHT_LABELS.get(self.light, self.light) if self.light else None
        search = f"搜索{self.search}" if self.search else None
        details = (FIGURE_LABELS.get(self.figure, self.figure), unit, self.kind, self.minor, self.stage, light, search)
        return export_file_name("cases", period, *details)


@dataclass
class CaseListResult:
    path: Path
    count: int
    control_chars_removed: int
    cells_cleaned: int


def suggest_file_name(period: Period, filters: CaseFilter) -> str:
    return filters.file_name(period)


def _case_numbers(db, period: Period, filters: CaseFilter) -> list[str]:
    from models.drilldown import case_numbers

    kwargs = dict(
        unit=filters.unit,
        with_subunits=filters.with_subunits,
        kind=filters.kind,
        minor=filters.minor,
        as_of=filters.as_of,
    )
    numbers = list(case_numbers(db, period, filters.figure, **kwargs))
    if filters.light:
        lit = set(case_numbers(db, period, f"light_{filters.light}", **kwargs))
        numbers = [n for n in numbers if n in lit]
    return numbers


def _rows(db, numbers: list[str]):
    """Case rows in the order of ``numbers`` (the order case_numbers gives), fetched in chunks."""
    columns = ", ".join(COLUMNS)
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start : start + CHUNK]
        marks = ",".join("?" for _ in chunk)
        found = {row[0]: row for row in db.execute(f"SELECT {columns} FROM cases WHERE case_no IN ({marks})", chunk)}
        for number in chunk:
            if number in found:
                yield found[number]


def _matches(row, filters: CaseFilter, positions: dict[str, int]) -> bool:
    if filters.stage and (row[positions["stage"]] or "") != filters.stage:
        return False
    if filters.search:
        needle = filters.search.casefold()
        return any(needle in clean_text(row[positions[f]] or "")[0].casefold() for f in TEXT_SEARCH_FIELDS)
    return True


def _cells(ws, row, positions: dict[str, int], columns: list[str], datetimes: set[str]) -> list:
    """One case's cells for ``columns``: date-times as real date-times, text as literal strings."""
    out: list = []
    for name in columns:
        value = row[positions[name]]
        if value is None or value == "":
            out.append(None)
        elif name == "deadline_source":
            out.append(DEADLINE_SOURCE_LABELS.get(value, value))
        elif name == "disposed_source":
            out.append(DISPOSED_SOURCE_LABELS.get(value, value))
        elif name in datetimes:
            try:  # a real date-time (sortable, filterable)
                out.append(datetime.fromisoformat(value))
            except ValueError:
                out.append(text_cell(ws, value)[0])
        elif isinstance(value, str):
            out.append(text_cell(ws, value)[0])
        else:
            out.append(value)
    return out


def _printed_row(ws, cells: list, inferred: bool) -> list:
    """The printed list's row: wrapped, bordered cells; an inferred 处置时间 in italics (see the legend)."""
    out = []
    for index, value in enumerate(cells):
        cell = WriteOnlyCell(ws, value=value)
        cell.font = INFERRED_FONT if inferred and PRINTED[index] == "disposed_at" else BODY_FONT
        cell.border = BORDER
        cell.alignment = WRAP
        if isinstance(value, datetime):
            cell.number_format = PRINTED_TIME_FORMAT
        out.append(cell)
    return out


def write_case_list(db, period: Period, filters: CaseFilter, path: Path) -> CaseListResult:
    """Write exactly the filtered cases to ``path``: the printable list (案件清单: number, unit, 小类, the
    times and the stage, the filter above it) and every stored field in a second sheet (完整记录).

    A period without a single case is refused (models.quality.NoDataError)."""
    require_data(db, period, "导出案件清单")
    positions = {name: index for index, name in enumerate(COLUMNS)}
    numbers = _case_numbers(db, period, filters)

    # Pass 1: apply the text filters and count what cleaning will remove (printed above the table).
    kept: list[str] = []
    removed_total = cells_cleaned = inferred = 0
    widths = [display_width(FIELD_LABELS.get(c, c)) for c in COLUMNS]
    for row in _rows(db, numbers):
        if not _matches(row, filters, positions):
            continue
        kept.append(row[0])
        inferred += row[positions["disposed_source"]] == "inferred"
        for index, value in enumerate(row):
            if isinstance(value, str):
                cleaned, removed = clean_text(value)
                if removed:
                    removed_total += removed
                    cells_cleaned += 1
                if len(kept) <= 2000:  # widths from a sample keep pass 1 fast on big lists
                    widths[index] = max(widths[index], display_width(cleaned))

    wb = Workbook(write_only=True)
    title = f"案件清单　{period_words(period)}"
    datetimes = {f for f, kind in CASE_FIELDS.items() if kind == "datetime"}

    # Pass 2: the printed list.
    ws = wb.create_sheet("案件清单")
    for index, width in enumerate(PRINTED_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", landscape=True, footer=title)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(PRINTED))}{HEADER_ROW + max(len(kept), 1)}"
    head = WriteOnlyCell(ws, value=title)
    head.font = TITLE_FONT
    ws.append([head])
    about = [
        ("统计周期", f"{period.label}（{period.start_text} 至 {period.last_moment.strftime(TS_FORMAT)}）"),
        *filters.describe(),
        ("案件数", f"{len(kept)} 件"),
        ("已清除控制字符", f"{removed_total} 个（涉及 {cells_cleaned} 个单元格）"),
        ("导出时间", datetime.now().strftime(TS_FORMAT)),
    ]
    if inferred:
        about.append(("说明", f"斜体的处置结束时间：导出文件未提供，按结案时间推定（{inferred} 件）"))
    for label, value in about:
        name = WriteOnlyCell(ws, value=label)
        name.font = HEADER_FONT
        cell, _ = text_cell(ws, value, style_font=BODY_FONT)
        ws.append([name, cell])
    for _ in range(HEADER_ROW - 2 - len(about)):  # blank rows down to the fixed header row
        ws.append([])
    ws.append(header_cells(ws, [FIELD_LABELS[c] for c in PRINTED]))
    wrapped = [i for i, name in enumerate(PRINTED) if name not in datetimes]
    for number, row in enumerate(_rows(db, kept), start=HEADER_ROW + 1):
        cells = _cells(ws, row, positions, PRINTED, datetimes)
        lines = max(wrapped_lines(cells[i], PRINTED_WIDTHS[i]) for i in wrapped)
        if lines > 1:  # a stored height: LibreOffice does not measure the rows of an .xlsx it opens
            ws.row_dimensions[number].height = lines * LINE_HEIGHT + 2
        ws.append(_printed_row(ws, cells, row[positions["disposed_source"]] == "inferred"))

    # Pass 3: the full record, every stored field (not meant for paper: printed at 100 %, case number repeated).
    full = wb.create_sheet("完整记录")
    for index, width in enumerate(widths, start=1):
        full.column_dimensions[get_column_letter(index)].width = float(min(40, max(8, width + 2)))
    full.column_dimensions["A"].width = max(full.column_dimensions["A"].width, 16)
    full.freeze_panes = "B2"
    print_setup(full, title_rows="1:1", title_cols="A:A", landscape=True, fit_width=False, footer=f"{title}　完整记录")
    full.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{1 + max(len(kept), 1)}"
    full.append(header_cells(full, [FIELD_LABELS.get(c, c) for c in COLUMNS]))
    for row in _rows(db, kept):
        full.append(_cells(full, row, positions, COLUMNS, datetimes))
    save_workbook(wb, Path(path))
    return CaseListResult(Path(path), len(kept), removed_total, cells_cleaned)
