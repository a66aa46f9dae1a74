"""A fast, minimal .xlsx writer for platform-style case exports (the demo months, benchmark files).

Why not openpyxl: its write-only mode is too slow for the demo, which is built on the app's first start
(tests/bench/NOTES.md). This writes the OOXML parts directly (shared strings, one datetime number
format, a merged title row, frozen header) and streams the sheet through a temporary file, so memory stays
flat. The result opens in openpyxl, python-calamine, LibreOffice and Excel.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

# The export's columns (domain.md §3 headers): header, canonical field, cell kind.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("案件编号", "case_no", "text"),
    ("问题来源", "source", "text"),
    ("受理渠道", "channel", "text"),
    ("问题类型", "kind", "text"),
    ("大类", "major", "text"),
    ("小类", "minor", "text"),
    ("问题描述", "description", "text"),
    ("区域", "district", "text"),
    ("街道", "street", "text"),
    ("社区", "community", "text"),
    ("单元网格", "grid", "text"),
    ("地址", "address", "text"),
    ("处置单位", "unit", "text"),
    ("上报时间", "reported_at", "datetime"),
    ("立案时间", "filed_at", "datetime"),
    ("派遣时间", "dispatched_at", "datetime"),
    ("处置截止时间", "deadline_at", "datetime"),
    ("处置结束时间", "disposed_at", "datetime"),
    ("结案时间", "closed_at", "datetime"),
    ("当前阶段", "stage", "text"),
    ("返工次数", "rework_count", "int"),
)
WIDTHS = (15, 10, 22, 8, 10, 14, 40, 8, 12, 12, 16, 30, 30, 19, 19, 19, 19, 19, 19, 10, 8)

# Some platforms write some date-times as text; the demo mixes these in, deterministically by row.
# (row modulus, field, text form): "2021/11/16 07:44" and "2021-11-16 07:44:00".
TEXT_DATES = ((17, "reported_at", "slash"), (23, "closed_at", "iso"), (29, "deadline_at", "slash"))

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
EXCEL_EPOCH = date(1899, 12, 30).toordinal()

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL_NS}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
# Cell styles: 0 normal, 1 title (bold 14, centred), 2 date-time, 3 header (bold).
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font>'
    '<font><b/><sz val="14"/><name val="宋体"/><charset val="134"/></font>'
    '<font><b/><sz val="11"/><name val="宋体"/><charset val="134"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="center"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _letters(index: int) -> str:
    text = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        text = chr(65 + rem) + text
    return text


LETTERS = tuple(_letters(i) for i in range(len(COLUMNS)))
LAST = LETTERS[-1]


class _Strings:
    """The shared-strings table: each distinct text stored once."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def ref(self, text: str) -> int:
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found

    def xml_chunks(self) -> Iterable[str]:
        yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        yield f'<sst xmlns="{NS}" uniqueCount="{len(self.index)}">'
        batch = []
        for text in self.index:
            space = ' xml:space="preserve"' if text != text.strip() else ""
            batch.append(f"<si><t{space}>{escape(text)}</t></si>")
            if len(batch) >= 5000:
                yield "".join(batch)
                batch = []
        yield "".join(batch)
        yield "</sst>"


_serial_days: dict[str, int] = {}


def _serial(text: str) -> str:
    """Excel serial for 'YYYY-MM-DD HH:MM:SS' (15 significant digits keep whole seconds exact on reading)."""
    day = text[:10]
    days = _serial_days.get(day)
    if days is None:
        days = _serial_days[day] = date.fromisoformat(day).toordinal() - EXCEL_EPOCH
    seconds = int(text[11:13]) * 3600 + int(text[14:16]) * 60 + int(text[17:19])
    return repr(days + seconds / 86400) if seconds else str(days)


def _text_form(text: str, form: str) -> str:
    if form == "slash":
        return f"{text[:4]}/{text[5:7]}/{text[8:10]} {text[11:16]}"
    return text


def _row_xml(number: int, row: dict, strings: _Strings) -> str:
    """One <row>: texts as shared strings, date-times as serials (a few as text), counts as numbers."""
    text_forms = (
        {f: form for modulus, f, form in TEXT_DATES if number % modulus == 0}
        if number % 17 == 0 or (number % 23 == 0 or number % 29 == 0)
        else None
    )
    index = strings.index
    cells = []
    append = cells.append
    n = str(number)
    for field, kind, prefix in _PLAN:
        value = row.get(field)
        if value is None or value == "":
            continue
        if kind == 0:  # text
            found = index.get(value)
            if found is None:
                found = index[value] = len(index)
            append(f'{prefix}{n}" t="s"><v>{found}</v></c>')
        elif kind == 1:  # datetime
            if text_forms and field in text_forms:
                append(f'{prefix}{n}" t="s"><v>{strings.ref(_text_form(value, text_forms[field]))}</v></c>')
            else:
                append(f'{prefix}{n}" s="2"><v>{_serial(value)}</v></c>')
        else:
            append(f'{prefix}{n}"><v>{int(value)}</v></c>')
    return f'<row r="{n}">{"".join(cells)}</row>'


_KINDS = {"text": 0, "datetime": 1, "int": 2}
_PLAN = tuple((f, _KINDS[k], f'<c r="{letter}') for (_, f, k), letter in zip(COLUMNS, LETTERS, strict=True))


def write_case_export(
    path: Path,
    title: str,
    rows: Iterable[dict],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write one export: title row (merged), header row, the case rows, a 合计 row. Returns the data rows written."""
    strings = _Strings()
    count = 0
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as body:
        title_ref = strings.ref(title)
        body.write(f'<row r="1" ht="24" customHeight="1"><c r="A1" s="1" t="s"><v>{title_ref}</v></c></row>')
        header = "".join(
            f'<c r="{letter}2" s="3" t="s"><v>{strings.ref(name)}</v></c>'
            for (name, _, _), letter in zip(COLUMNS, LETTERS, strict=True)
        )
        body.write(f'<row r="2">{header}</row>')
        batch = []
        for count, row in enumerate(rows, start=1):
            batch.append(_row_xml(count + 2, row, strings))
            if len(batch) >= 2000:
                body.write("".join(batch))
                batch = []
                if progress:
                    progress(count)
        body.write("".join(batch))
        last = count + 3
        body.write(
            f'<row r="{last}"><c r="A{last}" s="3" t="s"><v>{strings.ref("合计")}</v></c>'
            f'<c r="B{last}" s="3" t="s"><v>{strings.ref(f"共 {count} 条")}</v></c></row>'
        )
        body.flush()
        # Zip64 records only when the sheet could pass 2 GiB (some readers are picky about needless ones).
        big = os.fstat(body.fileno()).st_size > (1 << 30)
        body.seek(0)
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(WIDTHS, 1))
        head = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{NS}" xmlns:r="{REL_NS}"><dimension ref="A1:{LAST}{last}"/>'
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
        )
        tail = f'</sheetData><mergeCells count="1"><mergeCell ref="A1:{LAST}1"/></mergeCells></worksheet>'
        workbook = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{NS}" xmlns:r="{REL_NS}"><bookViews><workbookView/></bookViews>'
            '<sheets><sheet name="案件明细" sheetId="1" r:id="rId1"/></sheets></workbook>'
        )
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3) as zf:
            zf.writestr("[Content_Types].xml", CONTENT_TYPES)
            zf.writestr("_rels/.rels", ROOT_RELS)
            zf.writestr("xl/workbook.xml", workbook)
            zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
            zf.writestr("xl/styles.xml", STYLES)
            with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=big) as out:
                out.write(head.encode("utf-8"))
                while chunk := body.read(1 << 20):
                    out.write(chunk.encode("utf-8"))
                out.write(tail.encode("utf-8"))
            with zf.open("xl/sharedStrings.xml", "w", force_zip64=big) as out:
                for chunk in strings.xml_chunks():
                    out.write(chunk.encode("utf-8"))
    return count
