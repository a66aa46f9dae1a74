"""Readers: each format as sheets of (row number, cells) — runs inside the parser child (importers.child).

python-calamine reads xlsx/xlsm/xlsb/xls/ods (about ten times faster than openpyxl's read-only mode, see
architecture.md); it holds a whole sheet in memory, which is one reason it runs in a child process.
CSV streams through the csv module in strict mode (an unclosed quote is a refused file); HTML tables saved
as ".xls" go through the standard library's html.parser.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from models.errors import ImportRefused

CSV_FIELD_LIMIT = 1024 * 1024


@dataclass
class Sheet:
    name: str | None
    total: int | None  # row count when known (progress)
    rows: Iterator[tuple[int, list]]  # (1-based row number, cells)


def open_sheets(path: Path, fmt: str, encoding: str | None, file_name: str) -> Iterator[Sheet]:
    """Yield the file's sheets in order (the header search picks the first one that has a header)."""
    if fmt == "csv":
        yield Sheet(None, None, csv_rows(path, encoding or "utf-8", file_name))
    elif fmt == "html":
        for i, table in enumerate(html_tables(path, encoding or "utf-8"), start=1):
            yield Sheet(f"表格{i}", len(table), ((n, cells) for n, cells in enumerate(table, start=1)))
    else:
        yield from calamine_sheets(path, file_name)


def calamine_sheets(path: Path, file_name: str) -> Iterator[Sheet]:
    import python_calamine as pc

    try:
        workbook = pc.CalamineWorkbook.from_path(str(path))
        names = [m.name for m in workbook.sheets_metadata if str(m.typ).endswith("WorkSheet")] or workbook.sheet_names
    except pc.PasswordError as exc:
        raise ImportRefused(file_name, "工作簿设有密码保护，请去掉密码后重新导出") from exc
    except Exception as exc:  # noqa: BLE001 - calamine raises several unrelated types for a corrupt file
        raise ImportRefused(file_name, f"无法读取工作簿（{_short(exc)}）") from exc
    for name in names:
        try:
            sheet = workbook.get_sheet_by_name(name)
        except pc.PasswordError as exc:
            raise ImportRefused(file_name, "工作簿设有密码保护，请去掉密码后重新导出") from exc
        except Exception as exc:  # noqa: BLE001
            raise ImportRefused(file_name, f"无法读取工作表「{name}」（{_short(exc)}）") from exc
        # iter_rows() starts at the sheet's row 1 even when the used range starts lower (blank rows padded)
        first_row = sheet.start[0] if sheet.start else 0
        yield Sheet(name, sheet.height + first_row, enumerate(sheet.iter_rows(), start=1))


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def _delimiter(path: Path, encoding: str) -> str:
    with path.open("r", encoding=encoding, newline="") as fh:
        sample = fh.read(64 * 1024)
    lines = [line for line in sample.splitlines()[:30] if line.strip()]
    best, best_score = ",", 0
    for candidate in (",", "\t", ";", "|"):
        score = max((line.count(candidate) for line in lines), default=0)
        if score > best_score:
            best, best_score = candidate, score
    return best


def csv_rows(path: Path, encoding: str, file_name: str) -> Iterator[tuple[int, list]]:
    """Records numbered from 1 as a spreadsheet shows them; broken quoting refuses the whole file."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    delimiter = _delimiter(path, encoding)
    with path.open("r", encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter, strict=True)
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):  # noqa: B007 - number is used after the loop
                yield number, cells
        except csv.Error as exc:
            text = str(exc)
            if "end of data" in text or "field larger" in text:
                reason = f"CSV 第 {number + 1} 行起引号未闭合（文件在引号内结束），请检查导出文件"
            else:
                reason = f"CSV 第 {number + 1} 行引号格式错误（{text}）"
            raise ImportRefused(file_name, reason) from exc
        except UnicodeDecodeError as exc:
            raise ImportRefused(file_name, f"CSV 第 {number + 1} 行起文本编码错误（按 {encoding} 读取失败）") from exc


class _TableParser(HTMLParser):
    """Collects every <table> as rows of cell texts; colspan pads with empty cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._stack: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._finish_row()
            self._row = []
        elif tag in ("td", "th") and self._stack:
            if self._row is None:
                self._row = []
            self._finish_cell()
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() and 0 < int(span) < 1000 else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._finish_cell()
        elif tag == "tr":
            self._finish_row()
        elif tag == "table" and self._stack:
            self._finish_row()
            self.tables.append(self._stack.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def _finish_cell(self):
        if self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._row.extend([""] * (self._span - 1))
        self._cell = None
        self._span = 1

    def _finish_row(self):
        self._finish_cell()
        if self._row is not None and self._stack:
            self._stack[-1].append(self._row)
        self._row = None


def html_tables(path: Path, encoding: str) -> list[list[list[str]]]:
    parser = _TableParser()
    with path.open("r", encoding=encoding, errors="replace") as fh:
        while chunk := fh.read(1024 * 1024):
            parser.feed(chunk)
    parser.close()
    while parser._stack:  # an unclosed table still counts
        parser._finish_row()
        parser.tables.append(parser._stack.pop())
    return [t for t in parser.tables if t]
