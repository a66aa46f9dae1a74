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
    HEADER_FONT,
    TITLE_FONT,
    clean_text,
    display_width,
    header_cells,
    print_setup,
    text_cell,
)
from models.indicators import FIGURE_LABELS
from models.overdue import LIGHT_LABELS
from models.periods import TS_FORMAT, Period, period_words
from models.quality import require_data
from models.records import CASE_FIELDS, FIELD_LABELS

# the store's codes for where a deadline came from, as the office reads them
DEADLINE_SOURCE_LABELS = {"export": "导出文件", "limit": "按处置时限计算"}
COLUMNS: list[str] = [*CASE_FIELDS, "deadline_source"]
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
            ("数字口径", f"{figure}（{self.figure}）"),
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


def write_case_list(db, period: Period, filters: CaseFilter, path: Path) -> CaseListResult:
    """Write exactly the filtered cases to ``path`` (write-only workbook); a period without a single case is
    refused (models.quality.NoDataError)."""
    require_data(db, period, "导出案件清单")
    positions = {name: index for index, name in enumerate(COLUMNS)}
    numbers = _case_numbers(db, period, filters)

    # Pass 1: apply the text filters and count what cleaning will remove (printed above the table).
    kept: list[str] = []
    removed_total = cells_cleaned = 0
    widths = [display_width(FIELD_LABELS.get(c, c)) for c in COLUMNS]
    for row in _rows(db, numbers):
        if not _matches(row, filters, positions):
            continue
        kept.append(row[0])
        for index, value in enumerate(row):
            if isinstance(value, str):
                cleaned, removed = clean_text(value)
                if removed:
                    removed_total += removed
                    cells_cleaned += 1
                if len(kept) <= 2000:  # widths from a sample keep pass 1 fast on big lists
                    widths[index] = max(widths[index], display_width(cleaned))

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("案件清单")
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = float(min(50, max(8, width + 2)))
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width, 16)
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    print_setup(ws, landscape=True, footer=f"案件清单　{period_words(period)}")
    last = get_column_letter(len(COLUMNS))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(kept), 1)}"

    title = WriteOnlyCell(ws, value=f"案件清单　{period_words(period)}")
    title.font = TITLE_FONT
    ws.append([title])
    about = [
        ("统计周期", f"{period.label}（{period.start_text} 至 {period.last_moment.strftime(TS_FORMAT)}）"),
        *filters.describe(),
        ("案件数", f"{len(kept)} 件"),
        ("已清除控制字符", f"{removed_total} 个（涉及 {cells_cleaned} 个单元格）"),
        ("导出时间", datetime.now().strftime(TS_FORMAT)),
    ]
    for label, value in about:
        head = WriteOnlyCell(ws, value=label)
        head.font = HEADER_FONT
        cell, _ = text_cell(ws, value, style_font=BODY_FONT)
        ws.append([head, cell])
    for _ in range(HEADER_ROW - 2 - len(about)):  # blank rows down to the fixed header row
        ws.append([])
    ws.append(header_cells(ws, [FIELD_LABELS.get(c, c) for c in COLUMNS]))

    # Pass 2: write the rows.
    datetimes = {positions[f] for f, kind in CASE_FIELDS.items() if kind == "datetime"}
    source_column = positions["deadline_source"]
    for row in _rows(db, kept):
        out: list = []
        for index, value in enumerate(row):
            if value is None or value == "":
                out.append(None)
            elif index == source_column:
                out.append(DEADLINE_SOURCE_LABELS.get(value, value))
            elif index in datetimes:
                try:  # a real date-time (sortable, filterable); openpyxl gives it a date-time format
                    out.append(datetime.fromisoformat(value))
                except ValueError:
                    out.append(text_cell(ws, value)[0])
            elif isinstance(value, str):
                out.append(text_cell(ws, value)[0])
            else:
                out.append(value)
        ws.append(out)
    save_workbook(wb, Path(path))
    return CaseListResult(Path(path), len(kept), removed_total, cells_cleaned)
